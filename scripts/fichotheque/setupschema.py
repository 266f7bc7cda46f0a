"""The one declaration of the set-up files: taxonomy.yml, glossary.yml and mkdocs.yml.

Every key a base's set-up may hold is declared here once, with its type, whether it is
required or its default, the rule it follows and why, and help in French for the people
who set up a base. The readers (taxonomy.py, glossary.py, sitesettings.py) take their
allowed keys and patterns from here; the configuration reference page and the JSON
Schemas for editors are produced from it. Reserved names stay where the code keeps them
(``schema``, ``taxonomy``); this module only declares keys.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from .siteconfig import FORCED_OPTIONS, OVERRIDES, REPLACED_EXTENSIONS, REQUIRED_EXTENSIONS
from .text import SLUG_PATTERN


class Type(StrEnum):
    """How a set-up value is written; the French text is what the reference page shows."""

    TEXT = "texte"
    BOOLEAN = "true ou false"
    IDENTIFIER = "identifiant"
    TEXTS = "texte ou liste de textes"
    LIST = "liste"
    MEANINGS = "texte, sens ou liste de sens"
    SHOWN_TEXT = "texte affiché"
    URL = "adresse web"
    HOSTS = "liste de noms d'hôtes"
    FILE = "fichier du site"
    FILES = "liste de fichiers du site"
    LICENCE = "texte, ou dictionnaire nom et url"
    FONT = "false"
    FOLDER = "dossier"
    EXTENSIONS = "liste d'extensions"
    SETTING = "réglage de MkDocs"
    MONTHS = "nombre de mois"
    EDITOR = "dictionnaire des réglages de l'éditeur"
    CHOICE = "un mot parmi une liste"


@dataclass(frozen=True)
class Rule:
    """A pattern a value must match, said in French, with the reason it exists."""

    pattern: re.Pattern[str]
    says: str
    why: str


@dataclass(frozen=True)
class Key:
    """One key of a set-up file."""

    name: str
    type: Type
    help: str
    required: bool = False
    default: str = ""  # as it would be written in the file; "" when there is none
    rule: Rule | None = None
    block: Block | None = None  # the dictionary that each item of a list is
    recommended: bool = False  # missing: a warning, not an error


@dataclass(frozen=True)
class Block:
    """A dictionary of a set-up file (a facet, a term…) and the keys it may hold."""

    name: str
    title: str
    help: str
    keys: tuple[Key, ...]
    one_of: tuple[str, ...] = ()  # exactly one of these keys must be there
    any_of: tuple[str, ...] = ()  # at least one of these keys must be there

    @property
    def names(self) -> tuple[str, ...]:
        """The keys allowed, in the order declared."""
        return tuple(key.name for key in self.keys)

    @property
    def required(self) -> tuple[str, ...]:
        """The keys that must be there."""
        return tuple(key.name for key in self.keys if key.required)

    def key(self, name: str) -> Key:
        """The declaration of key ``name``."""
        return next(key for key in self.keys if key.name == name)


FACET_KEY_RULE = Rule(
    re.compile(r"^[a-z][a-z0-9_]*$"),
    "une lettre minuscule, puis des minuscules sans accent, des chiffres ou « _ »",
    "La clé s'écrit telle quelle dans l'en-tête de chaque fiche, comme nom de champ YAML, "
    "et devient un dossier des adresses du site : ni espace, ni accent, ni tiret.",
)
SLUG_RULE = Rule(
    SLUG_PATTERN,
    "des minuscules sans accent et des chiffres, séparés par des tirets simples",
    "Le slug est l'adresse de la page du terme et ce que les fiches écrivent. Une fois "
    "publié, il ne doit plus changer : les liens et les favoris des lecteurs y mènent. "
    "Pour corriger un intitulé, changez le libellé.",
)
GROUP_SLUG_RULE = Rule(
    SLUG_PATTERN,
    SLUG_RULE.says,
    "Il distingue le groupe des autres groupes de la facette ; il a la forme des slugs de "
    "terme pour que le fichier se lise d'une seule manière.",
)
MEANING_ID_RULE = Rule(
    SLUG_PATTERN,
    SLUG_RULE.says,
    "L'identifiant est l'ancre du sens dans la page du glossaire et ce qu'une fiche écrit "
    "dans « sigles » pour choisir ce sens.",
)

_DESCRIPTION_HELP = (
    "Une ou deux phrases pour le public, affichées en tête de la page {what}. Sans "
    "description, « fichotheque check » donne un avertissement."
)

TERM = Block(
    "terme",
    "Terme",
    "Une case que l'on peut cocher dans une fiche.",
    (
        Key(
            "slug",
            Type.IDENTIFIER,
            "Ce que les fiches écrivent pour choisir ce terme, et l'adresse de sa page.",
            required=True,
            rule=SLUG_RULE,
        ),
        Key(
            "libelle",
            Type.TEXT,
            "L'intitulé montré au public ; il peut changer sans rien casser.",
            required=True,
        ),
        Key(
            "description",
            Type.TEXT,
            _DESCRIPTION_HELP.format(what="du terme"),
            recommended=True,
        ),
        Key(
            "alias",
            Type.TEXTS,
            "Les autres écritures du terme. Un ancien slug (minuscules, chiffres, tirets) "
            "garde valables les fiches qui l'écrivent encore, avec un avertissement, et son "
            "ancienne page renvoie vers la nouvelle ; un ancien libellé sert à proposer le bon "
            "slug à qui l'écrit. Une même écriture ne peut désigner deux termes de la facette.",
        ),
    ),
)

GROUP = Block(
    "groupe",
    "Groupe",
    "Un titre sous lequel la page de la facette et les filtres de recherche rangent "
    "quelques termes ; les fiches n'écrivent jamais le groupe.",
    (
        Key(
            "slug",
            Type.IDENTIFIER,
            "Identifiant du groupe, unique dans la facette.",
            required=True,
            rule=GROUP_SLUG_RULE,
        ),
        Key("libelle", Type.TEXT, "Le titre montré au public.", required=True),
        Key("description", Type.TEXT, "Une phrase pour le public, sous le titre du groupe."),
        Key(
            "termes",
            Type.LIST,
            "Les termes de ce groupe (au moins un).",
            required=True,
            block=TERM,
        ),
    ),
)

FACET = Block(
    "facette",
    "Facette",
    "Une manière de classer les fiches, lue dans un champ de leur en-tête.",
    (
        Key(
            "cle",
            Type.IDENTIFIER,
            "Le nom du champ que les fiches remplissent, et le dossier des pages de la "
            "facette. La changer oblige à modifier chaque fiche.",
            required=True,
            rule=FACET_KEY_RULE,
        ),
        Key(
            "libelle",
            Type.TEXT,
            "Le nom de la facette montré au public (menu, filtres, pages).",
            required=True,
        ),
        Key(
            "description",
            Type.TEXT,
            _DESCRIPTION_HELP.format(what="de la facette"),
            recommended=True,
        ),
        Key(
            "multiple",
            Type.BOOLEAN,
            "true : une fiche reçoit une liste de termes ; false : un seul terme.",
            default="true",
        ),
        Key(
            "obligatoire",
            Type.BOOLEAN,
            "true : chaque fiche doit choisir au moins un terme de cette facette.",
            default="false",
        ),
        Key(
            "termes",
            Type.LIST,
            "Les termes de la facette, en une liste simple. Soit « termes », soit « groupes ».",
            block=TERM,
        ),
        Key(
            "groupes",
            Type.LIST,
            "Les termes répartis sous des titres. Soit « termes », soit « groupes ».",
            block=GROUP,
        ),
    ),
    one_of=("termes", "groupes"),
)

TAXONOMY = Block(
    "taxonomie",
    "taxonomy.yml",
    "Les catégories qui servent à classer les fiches.",
    (
        Key(
            "facettes",
            Type.LIST,
            "Les facettes, dans l'ordre où le site les présente (au moins une).",
            required=True,
            block=FACET,
        ),
    ),
)

MEANING = Block(
    "sens",
    "Sens",
    "Ce qu'un sigle ou un mot veut dire dans un contexte.",
    (
        Key(
            "id",
            Type.IDENTIFIER,
            "Identifiant du sens, unique dans tout le glossaire. Obligatoire quand le terme a "
            "plusieurs sens ; sinon, déduit du terme.",
            rule=MEANING_ID_RULE,
        ),
        Key(
            "forme_developpee",
            Type.TEXT,
            "Le sigle en toutes lettres ; il s'affiche en info-bulle dans les fiches. Il faut "
            "au moins « forme_developpee » ou « definition ».",
        ),
        Key(
            "contexte",
            Type.TEXT,
            "Où ce sens s'emploie (un pays, un domaine). Obligatoire quand le terme a "
            "plusieurs sens : c'est ce qui permet de les distinguer.",
        ),
        Key(
            "definition",
            Type.TEXT,
            "Une explication simple, montrée dans la page du glossaire.",
        ),
    ),
    any_of=("forme_developpee", "definition"),
)

GLOSSARY_ENTRY = Key(
    "SIGLE",
    Type.MEANINGS,
    "Chaque clé est le terme tel qu'il apparaît dans les textes, casse comprise. Sa "
    "valeur est soit un texte (la forme développée), soit un sens, soit une liste de sens. "
    "Un terme à plusieurs sens oblige chaque fiche qui l'emploie à dire lequel, dans son "
    "champ « sigles ».",
    block=MEANING,
)

LICENCE = Block(
    "licence",
    "extra.licence",
    "La licence des textes et des données ouvertes.",
    (
        Key(
            "nom",
            Type.SHOWN_TEXT,
            "Le nom de la licence, par exemple « CC BY 4.0 ».",
            required=True,
        ),
        Key("url", Type.URL, "L'adresse du texte de la licence."),
    ),
)

EDITOR_NAMES = ("sveltia", "decap")
FORGES = ("github", "gitlab", "gitea")


def _choice(words: tuple[str, ...], why: str) -> Rule:
    return Rule(
        re.compile("^(" + "|".join(words) + ")$"),
        "« " + " », « ".join(words) + " »",
        why,
    )


EDITOR = Block(
    "editeur",
    "extra.editeur",
    "L'éditeur dans le navigateur, à l'adresse /admin/ du site : les collègues qui "
    "n'utilisent pas git y écrivent et corrigent les fiches dans un formulaire, et chaque "
    "enregistrement devient un commit du dépôt. Sans ce réglage, le site n'a pas de page "
    "/admin/.",
    (
        Key(
            "forge",
            Type.CHOICE,
            "Où est le dépôt de la base.",
            required=True,
            rule=_choice(FORGES, "Ce sont les forges que l'éditeur sait lire et écrire."),
        ),
        Key(
            "depot",
            Type.TEXT,
            "Le dépôt, sous la forme « propriétaire/nom » (un groupe GitLab peut avoir des "
            "sous-groupes : « groupe/sous-groupe/nom »).",
            required=True,
            rule=Rule(
                re.compile(r"^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+$"),
                "« propriétaire/nom », sans https:// ni .git",
                "C'est le chemin du dépôt sur la forge ; l'adresse de la forge se règle à part.",
            ),
        ),
        Key("branche", Type.TEXT, "La branche où les fiches sont écrites.", default="main"),
        Key(
            "logiciel",
            Type.CHOICE,
            "Le logiciel de l'éditeur : Sveltia CMS, rapide et tenu à jour, ou Decap CMS, "
            "l'ancien Netlify CMS, en solution de repli.",
            default="sveltia",
            rule=_choice(EDITOR_NAMES, "Fichothèque sait installer ces deux-là."),
        ),
        Key(
            "api",
            Type.URL,
            "L'adresse de l'API d'une forge hébergée par l'organisation, par exemple "
            "https://git.example.org/api/v4 pour GitLab ou https://git.example.org/api/v1 "
            "pour Gitea. Sans elle : github.com ou gitlab.com.",
        ),
        Key(
            "proxy",
            Type.URL,
            "L'adresse du service d'authentification (un proxy OAuth) qui connecte à GitHub "
            "les personnes sans jeton ; voir la page « L'éditeur en ligne ».",
        ),
        Key(
            "application",
            Type.TEXT,
            "L'identifiant de l'application OAuth déclarée sur GitLab ou Gitea, pour s'y "
            "connecter sans proxy.",
        ),
    ),
)

EDITOR_KEY = "editeur"
HOSTS_KEY = "hotes_autorises"
REVIEW_MONTHS_KEY = "relecture_mois"

SETTINGS: tuple[Key, ...] = (
    Key(
        "site_name",
        Type.SHOWN_TEXT,
        "Le nom du site, en tête de chaque page, dans les onglets et le flux. MkDocs "
        "refuse un mkdocs.yml qui ne le donne pas.",
        required=True,
    ),
    Key(
        "site_url",
        Type.URL,
        "L'adresse publique du site ; sans elle, les données ouvertes et le flux n'ont que "
        "des adresses relatives.",
    ),
    Key(
        "site_description",
        Type.SHOWN_TEXT,
        "La description du site pour les moteurs de recherche.",
    ),
    Key("site_author", Type.SHOWN_TEXT, "L'auteur, dans l'en-tête des pages."),
    Key("copyright", Type.SHOWN_TEXT, "La ligne du pied de page."),
    Key("repo_url", Type.URL, "Le dépôt des sources, en lien dans l'en-tête."),
    Key(
        "extra.licence",
        Type.LICENCE,
        "La licence des textes et des données ouvertes, affichée sur la page « Données "
        "ouvertes » et dans fiches.json, fiches.csv et flux.xml.",
        block=LICENCE,
    ),
    Key(
        f"extra.{HOSTS_KEY}",
        Type.HOSTS,
        "Les sites d'où une fiche peut intégrer une image ou une vidéo (un nom d'hôte par "
        "ligne). Chacun voit l'adresse IP des visiteurs : n'en ajoutez qu'en connaissance "
        "de cause.",
        default="[]",
    ),
    Key(
        f"extra.{REVIEW_MONTHS_KEY}",
        Type.MONTHS,
        "Combien de mois une relecture reste valable. Passé ce délai après « verifie_le », "
        "« fichotheque check » avertit et « fichotheque review » liste la fiche. Sans ce "
        "réglage, aucune relecture n'est réclamée.",
    ),
    Key(
        f"extra.{EDITOR_KEY}",
        Type.EDITOR,
        EDITOR.help,
        block=EDITOR,
    ),
    Key(
        "theme.font",
        Type.FONT,
        "Toujours false : les polices de Google Fonts enverraient chaque visite à un tiers ; "
        "le site utilise les polices de l'appareil.",
        default="false",
    ),
    Key("theme.logo", Type.FILE, "Le logo, un fichier de docs/ (jamais d'un autre site)."),
    Key("theme.favicon", Type.FILE, "L'icône de l'onglet, un fichier de docs/."),
    Key("extra_css", Type.FILES, "Des feuilles de style en plus, des fichiers de docs/."),
    Key("extra_javascript", Type.FILES, "Des scripts en plus, des fichiers de docs/."),
)


def _extension_list(names: tuple[str, ...] | list[str]) -> str:
    return ", ".join(f"« {name} »" for name in names)


# What the build writes into the staged mkdocs.yml whatever the project says.
FORCED: tuple[Key, ...] = (
    Key(
        "theme.custom_dir",
        Type.FOLDER,
        "Le thème de Fichothèque est copié dans « "
        + OVERRIDES
        + " » ; un custom_dir du projet (un sous-dossier) est copié par-dessus, fichier par "
        "fichier.",
        default=OVERRIDES,
    ),
    Key(
        "theme.font",
        Type.FONT,
        "Remis à false, quoi que dise le réglage : aucune police d'un tiers.",
        default="false",
    ),
    Key(
        "markdown_extensions",
        Type.EXTENSIONS,
        f"Ajoutées si absentes : {_extension_list(REQUIRED_EXTENSIONS)} (info-bulles des "
        "sigles, attributs sûrs, ancres des titres). Remplacées : "
        + ", ".join(f"« {old} » par « {new} »" for old, new in REPLACED_EXTENSIONS.items())
        + " (seuls un identifiant et des classes passent). Options imposées : "
        + ", ".join(
            f"« {name} » avec {', '.join(f'{k}: {v}' for k, v in options.items())}"
            for name, options in FORCED_OPTIONS.items()
        )
        + " (la politique de sécurité refuse les styles en ligne).",
    ),
    Key(
        "docs_dir, site_dir, use_directory_urls, nav, not_in_nav",
        Type.SETTING,
        "Écrits par la construction : les pages sont générées dans un dossier de travail, "
        "la navigation vient de la taxonomie.",
    ),
)


def setting(name: str) -> Key:
    """The declaration of setting ``name`` (dotted: ``extra.licence``)."""
    return next(key for key in SETTINGS if key.name == name)


SHOWN_TEXTS = tuple(key.name for key in SETTINGS if key.type is Type.SHOWN_TEXT)
