"""The browser editor's configuration (``admin/config.yml``), derived from the declarations.

One collection, the fiches: a widget per declared field (from its kind, kinds.py), a
choice per facet of taxonomy.yml offering exactly its terms with their labels, then the
body. New fiches are written where ``check`` reads them, named like ``fichotheque new``
names them, and start as drafts. What is written here is the subset of the format that
Sveltia CMS and Decap CMS both read, and it validates against Sveltia's published JSON
Schema; what only Decap needs (its local backend, its language) is passed by the page
that starts it (editor.py).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import yaml

from .fiches import STATUS_DRAFT
from .glossary import Glossary
from .project import FICHES_DIR, RESOURCES_DIR
from .schema import FIELDS, FIELDS_BY_KEY
from .sitesettings import EditorSettings
from .taxonomy import Facet, Taxonomy

Json = dict[str, Any]
COLLECTION = "fiches"
BODY = "body"  # the name both editors give the Markdown below the front matter
STATUS_KEY = "statut"
assert STATUS_KEY in FIELDS_BY_KEY


def origin(url: str) -> str:
    """« https://git.example.org » of « https://git.example.org/api/v1 »."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def backend(editor: EditorSettings) -> Json:
    """Where the editor reads and writes: the forge, the repository, the branch."""
    found: Json = {"name": editor.forge, "repo": editor.repo, "branch": editor.branch}
    if editor.api:
        found["api_root"] = editor.api
    # Where people sign in: the proxy, or a self-hosted forge itself (its OAuth application).
    if editor.proxy:
        found["base_url"] = editor.proxy
    elif editor.api and editor.forge != "github":
        found["base_url"] = origin(editor.api)
    elif editor.forge == "github":
        # Without a proxy, both editors would sign in to GitHub through api.netlify.com: a
        # third party. Sveltia then offers only a personal access token (Decap: see editor.py).
        found["auth_methods"] = ["token"]
    if editor.app_id:
        found["app_id"] = editor.app_id
        if editor.forge == "gitlab":  # Gitea signs in with PKCE whatever it is told
            found["auth_type"] = "pkce"
    return found


def facet_widget(facet: Facet) -> Json:
    """A choice among exactly the facet's terms, shown by label, written as slugs."""
    return {
        "name": facet.key,
        "label": facet.label,
        "hint": facet.description,
        "widget": "select",
        "multiple": facet.multiple,
        "required": facet.required,
        "options": [{"label": term.label, "value": term.slug} for term in facet.terms],
    }


def fields(taxonomy: Taxonomy, glossary: Glossary) -> list[Json]:
    """The form: the declared fields, the facets, then the body."""
    found = []
    for spec in FIELDS:
        widget = spec.kind.cms_widget(glossary)
        if widget is None:
            continue
        found.append(
            {
                "name": spec.key,
                "label": spec.label,
                "hint": spec.help,
                "required": spec.required,
                **widget,
            }
        )
    found += [facet_widget(facet) for facet in taxonomy.facets]
    found.append(
        {
            "name": BODY,
            "label": "Texte de la fiche",
            "hint": "Ce qui a été fait, avec qui, ce qui en est ressorti.",
            "widget": "markdown",
            "required": True,  # check refuses a fiche with nothing below its front matter
        }
    )
    return found


def cms_config(taxonomy: Taxonomy, glossary: Glossary, editor: EditorSettings) -> Json:
    """The whole configuration, as both editors read it."""
    return {
        "backend": backend(editor),
        "media_folder": RESOURCES_DIR,
        # A file widget writes « docs/ressources/x.pdf »: the path « fichier » expects.
        "public_folder": RESOURCES_DIR,
        "slug": {"encoding": "ascii", "clean_accents": True},
        "collections": [
            {
                "name": COLLECTION,
                "label": "Fiches",
                "label_singular": "Fiche",
                "description": "Une fiche par activité. Une nouvelle fiche est un brouillon "
                "jusqu'à ce que son statut passe à « publié ».",
                "folder": FICHES_DIR,
                "extension": "md",
                "format": "frontmatter",
                "create": True,
                "identifier_field": "title",
                # The year the fiche is created, then its title: « 2026-atelier-cuisine ».
                "slug": "{{year}}-{{slug}}",
                "summary": "{{title}} ({{date}})",
                "sortable_fields": ["title", "date"],
                "view_filters": [
                    {"label": "Brouillons", "field": STATUS_KEY, "pattern": STATUS_DRAFT},
                ],
                # The editors' previews know neither the theme nor the sanitiser: the
                # preview of a fiche is « fichotheque serve », or the built site.
                "editor": {"preview": False},
                "fields": fields(taxonomy, glossary),
            }
        ],
    }


def config_text(config: Json) -> str:
    """The configuration as ``admin/config.yml``: readable, accents as they are."""
    header = (
        "# Écrit par « fichotheque build » à partir de taxonomy.yml, glossary.yml et de la\n"
        "# déclaration des champs ; ne le modifiez pas, il est réécrit à chaque construction.\n"
    )
    return header + yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=100)
