"""Problems found in a knowledge base: values, collected and reported together."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from enum import StrEnum

from .limits import MAX_PROBLEMS_SHOWN
from .project import RESOURCES_DIR
from .text import french_number


class Severity(StrEnum):
    """How serious a problem is: errors stop a build, warnings do so only with ``--strict``."""

    ERROR = "error"
    WARNING = "warning"


SEVERITY_LABELS = {Severity.ERROR: "erreur", Severity.WARNING: "avertissement"}


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake in one file, with where it is, what it is and how to fix it.

    ``file`` is relative to the project's root, with forward slashes. ``line`` and
    ``column`` start at 1; 0 means "the whole file". ``code`` is stable and meant for
    machines; ``message`` and ``hint`` are French and meant for people.
    """

    file: str
    line: int
    column: int
    code: str
    severity: Severity
    field: str
    message: str
    hint: str = ""

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"unregistered problem code {self.code!r}")

    def to_dict(self) -> dict[str, object]:
        """The problem as a JSON-ready mapping."""
        data = asdict(self)
        data["severity"] = str(self.severity)
        return data

    def format_text(self) -> str:
        """The problem as one line (plus a hint line) for a terminal."""
        where = self.file
        if self.line:
            where += f":{self.line}:{self.column}"
        field = f" [{self.field}]" if self.field else ""
        text = f"{where}: {SEVERITY_LABELS[self.severity]} {self.code}{field} {self.message}"
        if self.hint:
            text += f"\n    → {self.hint}"
        return text


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Problems in reading order: by file, then line, then column."""
    return sorted(problems, key=lambda p: (p.file, p.line, p.column, p.code, p.field))


def format_json(problems: Iterable[Problem]) -> str:
    """A JSON array of problems, for CI and editors."""
    return json.dumps([p.to_dict() for p in problems], ensure_ascii=False, indent=2)


def format_report(problems: Iterable[Problem], *, per_file: int = MAX_PROBLEMS_SHOWN) -> list[str]:
    """The problems as text, at most ``per_file`` of each file, then a line counting the rest.

    A file with 100 000 unknown keys would otherwise bury every other file's problems;
    ``format_json`` keeps them all for tools.
    """
    lines: list[str] = []
    for file, group in itertools.groupby(sort_problems(problems), key=lambda p: p.file):
        in_file = list(group)
        lines.extend(problem.format_text() for problem in in_file[:per_file])
        rest = len(in_file) - per_file
        if rest > 0:
            plural = "s" if rest > 1 else ""
            lines.append(
                f"{file}: … et {french_number(rest)} autre{plural} problème{plural} dans ce "
                "fichier."
            )
    return lines


def fails(problem: Problem, *, strict: bool) -> bool:
    """Whether this problem fails a check or a build (a warning, only with ``strict``)."""
    return problem.severity is Severity.ERROR or strict


def is_failure(problems: Iterable[Problem], *, strict: bool) -> bool:
    """Whether these problems should fail a check or a build."""
    return any(fails(p, strict=strict) for p in problems)


def summary(problems: list[Problem]) -> str:
    """A French one-line tally of errors and warnings."""
    errors = sum(p.severity is Severity.ERROR for p in problems)
    warnings = len(problems) - errors
    if not problems:
        return "Aucun problème."
    parts = []
    if errors:
        parts.append(f"{french_number(errors)} erreur{'s' if errors > 1 else ''}")
    if warnings:
        parts.append(f"{french_number(warnings)} avertissement{'s' if warnings > 1 else ''}")
    return " et ".join(parts) + "."


# Every problem code, with what it means, for the docs and for tools. A code is stable:
# once published it keeps its meaning.
CODES: dict[str, str] = {
    "aucune-fiche": "Le dossier fiches/ est vide ou absent.",
    "fichier-manquant": "Un fichier attendu (taxonomy.yml…) est introuvable.",
    "fichier-illisible": "Un fichier ne peut pas être lu (droits d'accès).",
    "encodage": "Le fichier n'est pas enregistré en UTF-8.",
    "lien-symbolique": "Un lien symbolique (dans fiches/ ou vers une ressource) n'est pas suivi.",
    "extension-inattendue": "Un fichier .MD ou .markdown est ignoré.",
    "nom-fichier-collision": "Deux noms de fichiers ne diffèrent que par la casse ou les accents.",
    "front-matter-absent": "La fiche ne commence pas par un en-tête YAML « --- ».",
    "front-matter-non-ferme": "L'en-tête YAML n'est pas refermé par « --- ».",
    "yaml-invalide": "Le YAML ne peut pas être lu (indentation, guillemets, deux-points…).",
    "tag-yaml-interdit": "Une étiquette YAML « !… » est utilisée.",
    "caractere-interdit": "Le texte contient un caractère de contrôle invisible.",
    "cle-dupliquee": "Une même clé apparaît deux fois.",
    "cle-inconnue": "Un champ n'est pas connu (faute de frappe ?).",
    "champ-manquant": "Un champ obligatoire manque.",
    "type-invalide": "Une valeur n'a pas la forme attendue (texte, liste, dictionnaire).",
    "valeur-vide": "Un champ est présent mais vide.",
    "date-invalide": "Une date ou une période ne peut pas être lue.",
    "periode-inversee": "Une période finit avant de commencer.",
    "date-future": "Une date est dans le futur.",
    "numero-invalide": "Un numéro de fiche n'est pas un entier positif.",
    "numero-duplique": "Deux fiches ont le même numéro.",
    "statut-invalide": "Le statut n'est ni « publié » ni « brouillon ».",
    "slug-invalide": "Un identifiant n'est pas fait de minuscules, chiffres et tirets.",
    "slug-duplique": "Deux fiches auraient la même adresse.",
    "slug-reserve": "L'adresse d'une fiche est réservée par le site.",
    "ancienne-adresse-prise": "Une ancienne adresse de fiche est déjà prise (fiche, page du site).",
    "ancienne-adresse-repetee": "Une ancienne adresse est indiquée deux fois dans la même fiche.",
    "url-invalide": "Une adresse web ne commence pas par http:// ou https://.",
    "ressource-invalide": "Une ressource n'a pas exactement un fichier ou une adresse.",
    "ressource-introuvable": "Le fichier d'une ressource n'existe pas.",
    "ressource-hors-depot": "Le fichier d'une ressource est hors du dépôt.",
    "fiche-liee-inconnue": "Une fiche liée n'existe pas.",
    "fiche-liee-brouillon": "Une fiche publiée renvoie à un brouillon.",
    "fiche-liee-elle-meme": "Une fiche se cite elle-même dans ses fiches liées.",
    "reference-fiche-inconnue": "Le texte cite « Fiche N » et aucune fiche n'a ce numéro.",
    "terme-inconnu": "Un terme n'existe pas dans la facette.",
    "terme-repete": "Un terme est indiqué deux fois.",
    "terme-renomme": "Une fiche emploie l'ancien identifiant d'un terme renommé.",
    "facette-valeur-unique": "Une facette à terme unique en reçoit plusieurs.",
    "facette-tout-cochee": "Tous les termes d'une facette sont cochés.",
    "corps-vide": "La fiche n'a pas de texte après l'en-tête.",
    "sigle-inconnu": "Un sigle choisi n'est pas dans le glossaire.",
    "sens-inconnu": "Le sens choisi pour un sigle n'existe pas.",
    "sigle-ambigu": "Un sigle à plusieurs sens est employé sans dire lequel.",
    "cle-invalide": "Une clé de facette n'est pas valable.",
    "facette-reservee": "Une facette porte le nom d'un champ des fiches ou d'une adresse du site.",
    "facette-dupliquee": "Deux facettes ont la même clé.",
    "termes-manquants": "Une facette n'a ni « termes » ni « groupes » (ou a les deux).",
    "groupe-duplique": "Deux groupes d'une facette ont le même slug.",
    "terme-duplique": "Deux termes d'une facette ont le même slug.",
    "alias-ambigu": "Une même écriture désigne deux termes.",
    "description-manquante": "Une facette ou un terme n'a pas de description pour le public.",
    "identifiant-duplique": "Deux sens du glossaire ont le même identifiant.",
    # Trust: what a body or the settings may contain (see htmlpolicy.py).
    "html-dangereux": "Le texte contient du HTML qui peut exécuter du code ou prendre la page.",
    "url-dangereuse": "Une adresse javascript:, vbscript: ou data: peut exécuter du code.",
    "html-retire": "Du HTML sans danger sera retiré de la page publiée.",
    "contenu-tiers": "Une image, une vidéo ou un fichier se chargerait depuis un autre site.",
    "caractere-invisible": "Un caractère invisible ou de sens d'écriture masque le texte.",
    "html-dans-texte": "Du HTML dans un titre ou un réglage s'affichera tel qu'il est écrit.",
    "lien-casse": "Un lien du texte ne mène à aucune page, aucun fichier ou aucune ancre.",
    "image-sans-alt": "Une image n'a pas de texte de remplacement.",
    "lien-peu-parlant": "Le texte d'un lien ne dit pas où il mène (« ici », une adresse…).",
    "reglage-invalide": "Un réglage de mkdocs.yml n'a pas la forme attendue.",
    "relecture-depassee": "La dernière relecture d'une fiche est plus vieille que le délai réglé.",
    "reglage-remplace": "Un réglage de mkdocs.yml est remplacé par celui de Fichothèque.",
    "site-url-manquant": "« site_url » manque : flux et données sans adresses absolues.",
    # Files, folders and sizes (issue 9, « Trust »).
    "dossier-illisible": "Un dossier ne peut pas être parcouru (droits d'accès).",
    "fichier-special": "Un dossier, un tube (FIFO) ou un périphérique porte le nom d'un fichier.",
    "fichier-cache": "Une fiche cachée (nom commençant par un point) n'est pas publiée.",
    "fichier-trop-gros": "Une fiche dépasse la taille permise ; elle n'est pas lue.",
    "texte-trop-long": "Un texte (titre, résumé, partenaire…) dépasse la longueur permise.",
    "ressource-hors-dossier": f"Le fichier d'une ressource n'est pas dans {RESOURCES_DIR}/.",
}
