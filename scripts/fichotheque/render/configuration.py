"""The configuration reference, for the people who set up a base, derived from setupschema.

Every key of taxonomy.yml, glossary.yml and the settings comes from ``setupschema``;
reserved names from where the code keeps them; the example from this base's own
taxonomy. When one of them changes, the page follows.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterable
from typing import Any

import yaml

from ..jsonschemas import DEFAULT_DIR, SCHEMA_FILES
from ..model import Catalogue
from ..routes import CONFIGURATION, REFERENCE, RESERVED_TERM_SLUGS, reserved_names
from ..schema import FIELDS_BY_KEY
from ..setupschema import (
    EDITOR,
    FACET,
    FORCED,
    GLOSSARY_ENTRY,
    GROUP,
    MEANING,
    SETTINGS,
    TAXONOMY,
    TERM,
    Block,
    Key,
)
from ..taxonomy import Facet, Taxonomy
from .html import Page, esc, href
from .reference import code, html_block

TITLE = "Référence de la configuration"

# Shown when the base has no facet yet; neutral on purpose.
_NEUTRAL_FACET: dict[str, Any] = {
    "cle": "publics",
    "libelle": "Publics",
    "description": "Les personnes à qui l'activité s'adresse.",
    "multiple": True,
    "termes": [{"slug": "jeunes", "libelle": "Jeunes", "description": "Moins de 26 ans."}],
}
_NEUTRAL_GLOSSARY = """\
ONG: Organisation non gouvernementale
CA:
  - id: ca-association
    forme_developpee: Conseil d'administration
    contexte: Vie associative
  - id: ca-comptabilite
    forme_developpee: Chiffre d'affaires
    contexte: Comptabilité"""


def _rule(key: Key) -> str:
    if key.rule is None:
        return ""
    return f"<p><strong>Règle :</strong> {esc(key.rule.says)}.</p><p>{esc(key.rule.why)}</p>"


def _need(key: Key) -> str:
    if key.required:
        return "obligatoire"
    if key.recommended:
        return "recommandé"
    if key.default:
        return f"facultatif, par défaut {code(key.default)}"
    return "facultatif"


def _table(keys: tuple[Key, ...]) -> str:
    """The keys of one block, as the field reference lists fields: readable on a phone."""
    items = "".join(
        f'<dt>{code(key.name)} <span class="reference-forme">(<span class="reference-type">'
        f"{esc(key.type)}</span> ; {_need(key)})</span></dt>"
        f"<dd><p>{esc(key.help)}</p>{_rule(key)}</dd>"
        for key in keys
    )
    return f'<dl class="reference-champs reference-configuration">{items}</dl>'


def _block(block: Block, heading: str) -> str:
    choice = ""
    if block.one_of:
        names = " ou ".join(code(name) for name in block.one_of)
        choice = f"<p>Exactement une des deux clés {names}.</p>"
    if block.any_of:
        names = " ou ".join(code(name) for name in block.any_of)
        choice = f"<p>Au moins une des clés {names}.</p>"
    return f"### {heading}\n\n<p>{esc(block.help)}</p>{choice}{_table(block.keys)}"


def _example(facet: Facet | None) -> str:
    """A facet of this base written as taxonomy.yml says it: its first term or group."""
    if facet is None:
        data = _NEUTRAL_FACET
    else:
        term = facet.terms[0]
        written: dict[str, Any] = {"slug": term.slug, "libelle": term.label}
        if term.description:
            written["description"] = term.description
        if term.aliases:
            written["alias"] = list(term.aliases)
        data = {"cle": facet.key, "libelle": facet.label}
        if facet.description:
            data["description"] = facet.description
        data |= {"multiple": facet.multiple, "obligatoire": facet.required}
        group = next((g for g in facet.groups if g.slug == term.group), None)
        if group is None:
            data["termes"] = [written]
        else:
            data["groupes"] = [{"slug": group.slug, "libelle": group.label, "termes": [written]}]
    lines = ["facettes:", *_yaml([data], 1), "  # …"]
    return f"<pre><code>{html_block(chr(10).join(lines))}</code></pre>"


def _yaml(value: object, depth: int) -> list[str]:
    """``value`` written the way taxonomy.yml is: indented lists, long texts folded."""
    pad = "  " * depth
    if isinstance(value, list):
        lines = []
        for item in value:
            if isinstance(item, str):
                shown = item if _plain(item) else json.dumps(item, ensure_ascii=False)
                lines.append(f"{pad}- {shown}")
                continue
            inner = _yaml(item, depth + 1)
            lines.append(f"{pad}- {inner[0].lstrip()}")
            lines += inner[1:]
        return lines
    assert isinstance(value, dict)
    lines = []
    for key, item in value.items():
        if isinstance(item, bool):
            lines.append(f"{pad}{key}: {'true' if item else 'false'}")
        elif isinstance(item, str):
            lines += _text(f"{pad}{key}:", item, pad + "  ")
        else:
            lines += [f"{pad}{key}:", *_yaml(item, depth + 1)]
    return lines


def _plain(text: str) -> bool:
    """Whether YAML reads ``text`` back as this very text when written without quotes."""
    try:
        return bool(yaml.safe_load(f"k: {text}") == {"k": text})
    except yaml.YAMLError:
        return False


def _text(head: str, text: str, pad: str) -> list[str]:
    """A text after its key: on its line when short (quoted if need be), else folded."""
    if len(head) + len(text) < 80:
        return [f"{head} {text if _plain(text) else json.dumps(text, ensure_ascii=False)}"]
    return [f"{head} >-", *textwrap.wrap(text, 80, initial_indent=pad, subsequent_indent=pad)]


def _facets_of_base(taxonomy: Taxonomy) -> str:
    rows = "".join(
        f"<tr><td>{code(facet.key)}</td><td>{esc(facet.label)}</td>"
        f"<td>{'oui' if facet.multiple else 'non'}</td>"
        f"<td>{'oui' if facet.required else 'non'}</td><td>{len(facet.terms)}</td>"
        f"<td>{', '.join(code(group.slug) for group in facet.groups) or '—'}</td></tr>"
        for facet in taxonomy.facets
    )
    return (
        '<table class="reference reference-facettes"><thead><tr><th>Clé</th><th>Libellé</th>'
        "<th>multiple</th><th>obligatoire</th><th>Termes</th><th>Groupes</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )


def _list(names: Iterable[str]) -> str:
    return ", ".join(code(name) for name in sorted(names))


def render_configuration(catalogue: Catalogue) -> Page:
    """taxonomy.yml, glossary.yml and the settings: every key, its rule, and this base's own."""
    taxonomy = catalogue.taxonomy
    fields = href(CONFIGURATION, REFERENCE)
    schemas = ", ".join(code(f"{DEFAULT_DIR}/{name}") for name in SCHEMA_FILES.values())
    first = taxonomy.facets[0] if taxonomy.facets else None
    body = f"""<h1>{TITLE}</h1>

<p>Pour les personnes qui mettent en place une base : chaque clé de
<code>taxonomy.yml</code>, de <code>glossary.yml</code> et des réglages de
<code>mkdocs.yml</code> que Fichothèque lit, avec son type, sa valeur par défaut et la
raison de ses règles. Cette page est produite à partir des déclarations du logiciel et de
la taxonomie de cette base : elle est toujours à jour. Les champs que remplissent les
fiches sont dans la <a href="{fields}">Référence des champs</a>.</p>

<p><code>fichotheque check</code> vérifie ces fichiers et signale chaque écart à sa ligne.</p>

## taxonomy.yml

<p>Les catégories qui servent à classer les fiches : des facettes (une manière de classer),
chacune avec ses termes (les cases que l'on coche dans une fiche), éventuellement rangés
sous des groupes. Une facette de cette base, telle que <code>taxonomy.yml</code> l'écrit :</p>

{_example(first)}

{_block(TAXONOMY, "Le fichier")}

{_block(FACET, "Une facette (chaque élément de « facettes »)")}

{_block(GROUP, "Un groupe (chaque élément de « groupes »)")}

{_block(TERM, "Un terme (chaque élément de « termes »)")}

### Noms réservés

<p><strong>Clés de facette.</strong> Une facette ne peut pas porter le nom d'un champ des
fiches, car les deux se liraient dans le même en-tête : {_list(FIELDS_BY_KEY)}. Ni celui
d'une rubrique du site, car la page de la facette la remplacerait :
{_list(reserved_names())}.</p>

<p><strong>Slugs de terme.</strong> {_list(RESERVED_TERM_SLUGS)} : la page du terme
remplacerait celle de sa facette.</p>

### Les facettes de cette base

<p>Chaque clé ci-dessous est un champ des fiches et un dossier du site.</p>

{_facets_of_base(taxonomy)}

## glossary.yml

<p>Les sigles et les mots de jargon des fiches, expliqués au public. {esc(GLOSSARY_ENTRY.help)}
Par exemple :</p>

<pre><code>{html_block(_NEUTRAL_GLOSSARY)}</code></pre>

{_block(MEANING, "Un sens")}

## mkdocs.yml

<p>Ce fichier appartient à MkDocs et Material for MkDocs ; Fichothèque lit et vérifie les
réglages ci-dessous, qui s'affichent sur les pages, et transmet les autres tels quels.</p>

{_table(SETTINGS)}

<p>La mesure d'audience de Material (<code>extra.analytics</code>) est refusée : elle
enverrait chaque visite à un tiers.</p>

{_block(EDITOR, "L'éditeur en ligne (« extra.editeur »)")}

### Ce que la construction impose

<p>Ces réglages sont réécrits dans le <code>mkdocs.yml</code> de la construction, quoi que
dise celui de la base.</p>

{_table(FORCED)}

## Dans un éditeur

<p><code>fichotheque schema</code> écrit les schémas JSON {schemas}. Un éditeur qui les
connaît (VS Code avec l'extension YAML, ou tout éditeur qui utilise yaml-language-server)
complète les clés, affiche cette aide au survol et souligne une clé inconnue ou un slug mal
formé pendant la saisie. Il suffit d'une première ligne dans chaque fichier :</p>

<pre><code># yaml-language-server: $schema={DEFAULT_DIR}/{SCHEMA_FILES["taxonomy"]}</code></pre>

<p>Un schéma ne sait pas tout : qu'un slug soit unique ou qu'un alias soit ambigu, seul
<code>fichotheque check</code> le vérifie.</p>"""
    return Page(
        CONFIGURATION,
        TITLE,
        "Chaque clé de taxonomy.yml, glossary.yml et mkdocs.yml : type, défaut, règles.",
        body,
    )
