"""The one declaration of a fiche's front matter.

Validation, the fiche page, the exports, the reference page for staff and the JSON
Schema all read these declarations; none of them lists fields itself. What a kind of
field does is declared in kinds.py. The facet fields (axes, thèmes…) are not here: they
come from taxonomy.yml.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import kinds
from .kinds import Column, Kind


@dataclass(frozen=True)
class FieldSpec:
    """One front-matter field: its key, kind, French label and help for staff."""

    key: str
    kind: Kind
    label: str
    help: str
    example: str
    required: bool = False
    # Its column in the exports (None: not exported), and whether the fiche page shows
    # it among the metadata.
    column: str | None = None
    on_page: bool = False

    def columns(self) -> tuple[Column, ...]:
        """The export columns of this field, from its kind."""
        if self.column is None:
            return ()
        return self.kind.columns(self.column, self.label + ".")


OLD_ADDRESSES_KEY = "anciennes_adresses"

FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "title",
        kinds.TEXT,
        "Titre",
        "Le titre de la fiche, tel qu'il s'affiche en haut de la page et dans les listes.",
        'title: "Un atelier d\'écriture pour les nouveaux habitants"',
        required=True,
        column="titre",
    ),
    FieldSpec(
        "description",
        kinds.TEXT,
        "Résumé",
        "Un paragraphe qui résume l'activité ; il apparaît dans les listes, les résultats "
        "de recherche et la description de la page pour les moteurs de recherche.",
        "description: >-\n  Douze séances pour écrire ensemble, avec la bibliothèque du quartier…",
        required=True,
        column="resume",
    ),
    FieldSpec(
        "date",
        kinds.PERIOD,
        "Date",
        "Quand l'activité a eu lieu : une année, un mois, un jour ou une période "
        "(début et fin séparés par un tiret).",
        'date: "2015–2016"',
        required=True,
        column="date",
        on_page=True,
    ),
    FieldSpec(
        "organisation",
        kinds.TEXT,
        "Organisation",
        "L'organisation qui a mené l'activité.",
        "organisation: Maison de quartier du Centre",
        required=True,
        column="organisation",
        on_page=True,
    ),
    FieldSpec(
        "numero",
        kinds.NUMBER,
        "Numéro",
        "Un numéro de fiche stable, facultatif, que d'autres textes peuvent citer "
        "(« voir Fiche 37 »). Deux fiches ne peuvent pas avoir le même numéro.",
        "numero: 37",
        column="numero",
        on_page=True,
    ),
    FieldSpec(
        "statut",
        kinds.STATUS,
        "Statut",
        "« publié » (par défaut) ou « brouillon » : un brouillon est vérifié mais n'est "
        "pas publié sur le site.",
        "statut: brouillon",
    ),
    FieldSpec(
        "lieux",
        kinds.PLACES,
        "Lieux",
        "Les villes, communes ou quartiers où l'activité s'est déroulée.",
        "lieux: [Centre-ville, Quartier nord]",
        column="lieux",
        on_page=True,
    ),
    FieldSpec(
        "region",
        kinds.TEXT,
        "Région",
        "La région, la province ou le canton.",
        "region: Nom de la région, de la province ou du canton",
        column="region",
        on_page=True,
    ),
    FieldSpec(
        "partenaires",
        kinds.TEXT_LIST,
        "Partenaires",
        "Les organisations associées à l'activité.",
        "partenaires:\n  - Bibliothèque municipale\n  - Service de la jeunesse",
        column="partenaires",
        on_page=True,
    ),
    FieldSpec(
        "financements",
        kinds.TEXT_LIST,
        "Financements",
        "Les programmes ou fonds qui ont financé l'activité.",
        "financements:\n  - Subvention communale",
        column="financements",
        on_page=True,
    ),
    FieldSpec(
        "ressources",
        kinds.RESOURCES,
        "Ressources à télécharger",
        "Des documents à télécharger : un titre et soit un fichier du dépôt (chemin depuis "
        "la racine, par exemple docs/ressources/programme.pdf), soit une adresse web.",
        "ressources:\n  - titre: Programme de la journée\n"
        "    fichier: docs/ressources/programme.pdf",
    ),
    FieldSpec(
        "sources",
        kinds.SOURCES,
        "Sources",
        "D'où viennent les informations : un titre, et si possible une adresse web "
        "et une date de publication.",
        "sources:\n  - titre: Rapport d'activités 2009\n    url: https://example.org/rapport\n"
        "    date: 2010-03",
        column="sources",
    ),
    FieldSpec(
        "fiches_liees",
        kinds.REFERENCES,
        "Fiches liées",
        "D'autres fiches à lire ensuite : leur nom de fichier sans « .md », ou leur numéro.",
        "fiches_liees: [2021-atelier-d-ecriture, 12]",
    ),
    FieldSpec(
        "verifie_le",
        kinds.DAY,
        "Vérifiée le",
        "Le jour où la fiche a été relue et jugée à jour.",
        "verifie_le: 2026-11-20",
        column="verifie_le",
    ),
    FieldSpec(
        "sigles",
        kinds.ACRONYMS,
        "Sigles",
        "Pour un sigle qui a plusieurs sens dans le glossaire, le sens utilisé dans "
        "cette fiche (par son identifiant).",
        "sigles:\n  ABC: abc-sens-local",
    ),
    FieldSpec(
        "slug",
        kinds.SLUG,
        "Adresse",
        "L'adresse de la page, si elle doit différer du nom du fichier "
        "(minuscules, chiffres et tirets).",
        "slug: atelier-d-ecriture",
    ),
    FieldSpec(
        OLD_ADDRESSES_KEY,
        kinds.SLUG_LIST,
        "Anciennes adresses",
        "Quand le fichier d'une fiche est renommé, ses anciens noms (sans « .md ») : "
        "l'ancienne adresse de la page mène alors à la nouvelle.",
        f"{OLD_ADDRESSES_KEY}: [2009-atelier-cuisine]",
    ),
)

FIELDS_BY_KEY = {spec.key: spec for spec in FIELDS}
