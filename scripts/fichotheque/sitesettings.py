"""The site's settings in mkdocs.yml, read with positions and checked like a fiche.

Only what reaches the pages is read here: the texts every page shows (site name,
description, copyright, licence), the addresses they link to, and what pages may load
from elsewhere. Everything else belongs to the engine and is passed on untouched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from .files import read_text
from .problems import Problem, Severity
from .reading import Reader
from .setupschema import (
    EDITOR,
    EDITOR_KEY,
    HOSTS_KEY,
    LICENCE,
    REVIEW_MONTHS_KEY,
    SETTINGS,
    SHOWN_TEXTS,
    Type,
)
from .siteconfig import SEARCH_PLUGINS, THEME
from .text import MARKUP
from .yamlnodes import Mapping, Node, Scalar, Sequence, parse_yaml

URL_PATTERN = re.compile(r"^https?://[^\s/$.?#][^\s]*$")
_THEME_FILES = [k.name.removeprefix("theme.") for k in SETTINGS if k.type is Type.FILE]
_FILE_LISTS = [k.name for k in SETTINGS if k.type is Type.FILES]
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_HOST = re.compile(rf"^(?=.{{1,253}}$){_LABEL}(?:\.{_LABEL})+$")


@dataclass(frozen=True)
class EditorSettings:
    """The browser editor of « extra.editeur », checked; see editor.py."""

    forge: str
    repo: str
    branch: str = EDITOR.key("branche").default
    software: str = EDITOR.key("logiciel").default
    api: str = ""  # the API of a self-hosted forge; "": the public one
    proxy: str = ""  # the OAuth proxy (Decap's and Sveltia's ``base_url``)
    app_id: str = ""  # the OAuth application of GitLab or Gitea


@dataclass(frozen=True)
class SiteSettings:
    """What the pages need from mkdocs.yml, checked."""

    site_name: str = "Fiches"
    site_url: str = ""
    licence_name: str = ""
    licence_url: str = ""
    allowed_hosts: tuple[str, ...] = ()
    review_months: int | None = None  # how long a review lasts; None: never asked for
    editor: EditorSettings | None = None  # None: no /admin/ page


def read_settings(path: Path, file: str) -> tuple[SiteSettings, list[Problem]]:
    """Read and check mkdocs.yml; settings with problems fall back to safe defaults."""
    text, problems = read_text(path, file)
    if text is None:
        return SiteSettings(), [_explain_missing(p) for p in problems]
    root, problems = parse_yaml(text, file, tags=True)
    reader = _SettingsReader(file)
    if root is None:
        return SiteSettings(), problems
    if not isinstance(root, Mapping):
        reader.mapping(root, "", "mkdocs.yml")
        return SiteSettings(), problems + reader.problems
    settings = reader.read(root)
    return settings, problems + reader.problems


class _SettingsReader(Reader):
    def read(self, root: Mapping) -> SiteSettings:
        texts = {key: self.shown_text(root.get(key), key) for key in SHOWN_TEXTS}
        site_url = self.url(root.get("site_url"), "site_url")
        self.url(root.get("repo_url"), "repo_url")
        extra = self.mapping(_untagged(root.get("extra")), "extra", "« extra »")
        licence_name, licence_url = self.licence(extra.get("licence") if extra else None)
        hosts = self.hosts(extra.get(HOSTS_KEY) if extra else None)
        review_months = self.months(extra.get(REVIEW_MONTHS_KEY) if extra else None)
        editor = self.editor(extra.get(EDITOR_KEY) if extra else None)
        if extra is not None and extra.get("analytics") is not None:
            self.third_party(
                extra.get("analytics"), "extra.analytics",
                "La mesure d'audience de Material (« extra.analytics ») envoie chaque visite "
                "à un tiers.",
                "Retirez « analytics » ; pour compter les visites, lisez les journaux du "
                "serveur.",
            )  # fmt: skip
        theme = self.mapping(_untagged(root.get("theme")), "theme", "« theme »")
        font = theme.get("font") if theme else None
        if (isinstance(font, Scalar) and font.value.lower() != "false") or isinstance(
            font, Mapping
        ):
            self.report(
                font, "contenu-tiers", "theme.font",
                "« theme.font » demanderait des polices à Google Fonts ; Fichothèque ne charge "
                "rien d'un tiers et les ignore.",
                "Écrivez « font: false » : le site utilise les polices de l'appareil.",
                Severity.WARNING,
            )  # fmt: skip
        self.theme_name(theme.get("name") if theme else None)
        self.plugins(_untagged(root.get("plugins")))
        if root.get("site_url") is None:
            self.report(
                root, "site-url-manquant", "site_url",
                "« site_url » n'est pas indiqué : le flux Atom et les données ouvertes "
                "(fiches.json, fiches.csv) ne peuvent donner que des adresses relatives, "
                "inutilisables hors du site, et les pages n'ont pas d'adresse canonique.",
                "Ajoutez « site_url: https://… » avec l'adresse publique du site.",
                Severity.WARNING,
            )  # fmt: skip
        for key in _THEME_FILES:
            self.local(theme.get(key) if theme else None, f"theme.{key}")
        for key in _FILE_LISTS:
            for item in self.sequence(_untagged(root.get(key)), key):
                self.local(item.get("path") if isinstance(item, Mapping) else item, key)
        return SiteSettings(
            site_name=texts["site_name"] or "Fiches",
            site_url=site_url or "",
            licence_name=licence_name,
            licence_url=licence_url,
            allowed_hosts=hosts,
            review_months=review_months,
            editor=editor,
        )

    def months(self, node: Node | None) -> int | None:
        """A number of months, from 1 to 240, or None (reported) for anything else."""
        node = _untagged(node)
        text = self.text(node, f"extra.{REVIEW_MONTHS_KEY}")
        if text is None:
            return None
        if text.isdigit() and 1 <= int(text) <= 240:
            return int(text)
        self.report(
            node, "reglage-invalide", f"extra.{REVIEW_MONTHS_KEY}",
            f"« {text} » n'est pas un nombre de mois : attendu un entier de 1 à 240.",
            "Écrivez par exemple « relecture_mois: 24 » (deux ans).",
        )  # fmt: skip
        return None

    def editor(self, node: Node | None) -> EditorSettings | None:
        """« extra.editeur », or None when absent or wrong (each mistake reported)."""
        where = f"extra.{EDITOR_KEY}"
        mapping = self.mapping(_untagged(node), where, f"« {where} »")
        if mapping is None:
            return None
        self.check_keys(mapping, EDITOR.names, where + ".", f"de « {where} »")
        self.require(mapping, EDITOR.required, where + ".", f"dans « {where} »")
        values: dict[str, str] = {}
        for key in EDITOR.keys:
            field = f"{where}.{key.name}"
            value = mapping.get(key.name)
            if key.type is Type.URL:
                text = self.url(value, field)
            else:
                text = self.text(_untagged(value), field)
            if text is not None and key.rule is not None and not key.rule.pattern.match(text):
                self.report(
                    value, "reglage-invalide", field,
                    f"« {text} » ne convient pas pour « {key.name} » : attendu "
                    f"{key.rule.says}.",
                    key.rule.why,
                )  # fmt: skip
                text = None
            values[key.name] = text or ""
        if not values["forge"] or not values["depot"]:
            return None
        return EditorSettings(
            forge=values["forge"],
            repo=values["depot"],
            branch=values["branche"] or EDITOR.key("branche").default,
            software=values["logiciel"] or EDITOR.key("logiciel").default,
            api=values["api"],
            proxy=values["proxy"],
            app_id=values["application"],
        )

    def theme_name(self, node: Node | None) -> None:
        """The theme, when named, must be Material: the pages are made for it."""
        name = self.text(_untagged(node), "theme.name")
        if name is not None and name != THEME:
            self.report(
                node, "reglage-invalide", "theme.name",
                f"Le thème « {name} » n'est pas pris en charge : les pages de Fichothèque sont "
                "faites pour Material for MkDocs (et Zensical, qui le reprend).",
                f"Écrivez « name: {THEME} », ou retirez la ligne.",
            )  # fmt: skip

    def plugins(self, node: Node | None) -> None:
        """A search plugin would add a second search box: the build turns it off."""
        entries: list[Node] = list(node.items) if isinstance(node, Sequence) else []
        if isinstance(node, Mapping):
            entries = [key for key, _value in node.items]
        for entry in entries:
            name = entry if isinstance(entry, Scalar) else None
            if isinstance(entry, Mapping) and len(entry.items) == 1:
                name = entry.items[0][0]
            if name is not None and name.value in SEARCH_PLUGINS:
                self.report(
                    name, "reglage-remplace", "plugins",
                    f"Le module « {name.value} » ajouterait la recherche de Material à côté de "
                    "celle de Fichothèque (Pagefind) : le site aurait deux champs de recherche. "
                    "La construction le désactive.",
                    f"Retirez « {name.value} » de « plugins ».",
                    Severity.WARNING,
                )  # fmt: skip

    def shown_text(self, node: Node | None, field: str) -> str | None:
        """A text every page shows: plain text, which will appear exactly as typed."""
        node = _untagged(node)
        text = self.text(node, field)
        markup = MARKUP.search(text) if text is not None else None
        if markup is not None:
            self.report(
                node, "html-dans-texte", field,
                f"« {field} » contient du HTML (« {markup.group(0)}… ») ; il "
                "s'affichera tel qu'il est écrit, sans mise en forme.",
                "Écrivez du texte simple.",
                Severity.WARNING,
            )  # fmt: skip
        return text

    def url(self, node: Node | None, field: str) -> str | None:
        """An http(s) address, or None (reported) for anything else."""
        node = _untagged(node)
        text = self.text(node, field)
        if text is not None and not URL_PATTERN.match(text):
            self.report(
                node, "url-invalide", field,
                f"« {text} » n'est pas une adresse web valable pour « {field} ».",
                "Écrivez une adresse complète qui commence par https:// (ou http://).",
            )  # fmt: skip
            return None
        return text

    def licence(self, node: Node | None) -> tuple[str, str]:
        node = _untagged(node)
        if node is None:
            return "", ""
        if isinstance(node, Scalar):
            return self.shown_text(node, "extra.licence") or "", ""
        mapping = self.mapping(node, "extra.licence", "« extra.licence »")
        if mapping is None:
            return "", ""
        self.check_keys(mapping, LICENCE.names, "extra.licence.", "de « extra.licence »")
        self.require(mapping, LICENCE.required, "extra.licence.", "dans « extra.licence »")
        name = self.shown_text(mapping.get("nom"), "extra.licence.nom") or ""
        url = self.url(mapping.get("url"), "extra.licence.url") or ""
        return name, url

    def hosts(self, node: Node | None) -> tuple[str, ...]:
        hosts = []
        for scalar in self.scalars(_untagged(node), f"extra.{HOSTS_KEY}"):
            host = scalar.value.strip().lower()
            if _HOST.match(host):
                hosts.append(host)
            else:
                self.report(
                    scalar, "reglage-invalide", f"extra.{HOSTS_KEY}",
                    f"« {scalar.value} » n'est pas un nom d'hôte : attendu un nom seul, comme "
                    "« www.youtube-nocookie.com », sans https:// ni chemin.",
                    "Gardez seulement le nom du serveur, entre « https:// » et le premier « / ».",
                )  # fmt: skip
        return tuple(hosts)

    def local(self, node: Node | None, field: str) -> None:
        """A file the pages load: it must be one of the site's own."""
        node = _untagged(node)
        if not isinstance(node, Scalar):
            return
        value = node.value.strip()
        if value.startswith("//") or re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", value):
            self.third_party(
                node, field,
                f"« {field} » charge « {value} » depuis un autre site ; chaque visiteur lui "
                "enverrait son adresse IP.",
                "Copiez le fichier dans docs/ et indiquez son chemin dans le site.",
            )  # fmt: skip

    def third_party(self, node: Node | None, field: str, message: str, hint: str) -> None:
        self.report(node, "contenu-tiers", field, message, hint)


def _explain_missing(problem: Problem) -> Problem:
    """A missing mkdocs.yml, with what it must at least say."""
    if problem.code != "fichier-manquant":
        return problem
    return replace(
        problem,
        message="Le fichier mkdocs.yml est introuvable : il donne au moins le nom du site "
        "(« site_name: … »).",
        hint="Lancez « fichotheque init --force » à la racine de la base : il écrit un "
        "mkdocs.yml commenté et garde tous vos fichiers. Une ligne « site_name: … » suffit "
        "aussi.",
    )


def _untagged(node: Node | None) -> Node | None:
    """A node to check, or None when a tag (``!ENV``…) leaves its value to the engine."""
    if node is None or node.tag is not None:
        return None
    return node
