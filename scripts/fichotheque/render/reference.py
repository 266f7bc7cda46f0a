"""The staff reference page, derived from the declarations rather than written by hand.

Fields come from ``schema.FIELDS``, facets and terms from taxonomy.yml, problem codes
from ``problems.CODES``: when one of them changes, the page follows.
"""

from __future__ import annotations

import html

from ..model import Catalogue
from ..problems import CODES
from ..routes import REFERENCE
from ..schema import FIELDS, STATUSES
from .html import Page, esc


def _code(text: str) -> str:
    return f"<code>{esc(text)}</code>"


def render_reference(catalogue: Catalogue) -> Page:
    """Every front-matter field, every facet with its terms, every problem code."""
    rows = "".join(
        f'<dt>{_code(spec.key)} — {esc(spec.label)} <span class="reference-forme">'
        f"({esc(spec.kind)}{', obligatoire' if spec.required else ''})</span></dt>"
        f"<dd><p>{esc(spec.help)}</p><pre><code>{html_block(spec.example)}</code></pre></dd>"
        for spec in FIELDS
    )
    facet_rows = "".join(
        f"<tr><td>{_code(facet.key)}</td><td>{esc(facet.label)}</td>"
        f"<td>{'plusieurs termes' if facet.multiple else 'un seul terme'}</td>"
        f"<td>{'oui' if facet.required else 'non'}</td>"
        f"<td>{', '.join(_code(term.slug) for term in facet.terms)}</td></tr>"
        for facet in catalogue.taxonomy.facets
    )
    code_rows = "".join(
        f"<tr><td>{_code(code)}</td><td>{esc(text)}</td></tr>" for code, text in CODES.items()
    )
    body = f"""<h1>Référence des champs</h1>

<p>Cette page est produite à partir des déclarations du logiciel et de la taxonomie de
cette base : elle est toujours à jour. Le <em>Guide de rédaction</em> explique comment
s'en servir.</p>

## Champs communs à toutes les fiches

<dl class="reference-champs">{rows}</dl>

<p>Valeurs possibles de {_code("statut")} : {", ".join(_code(s) for s in STATUSES)}.</p>

## Catégories de cette base

<p>Ces champs viennent de <code>taxonomy.yml</code>. On y écrit les identifiants des termes
(la colonne de droite), pas leurs libellés.</p>

<table class="reference"><thead><tr><th>Clé</th><th>Catégorie</th><th>Nombre</th>
<th>Obligatoire</th><th>Termes</th></tr></thead><tbody>{facet_rows}</tbody></table>

## Messages de vérification

<p>Chaque problème signalé par <code>fichotheque check</code> porte l'un de ces codes ;
un code garde toujours le même sens.</p>

<table class="reference"><thead><tr><th>Code</th><th>Signification</th></tr></thead>
<tbody>{code_rows}</tbody></table>"""
    return Page(
        REFERENCE,
        "Référence des champs",
        "Tous les champs d'une fiche, les catégories et les messages de vérification.",
        body,
    )


def html_block(text: str) -> str:
    """Escaped text whose newlines survive inside a raw HTML block (as entities)."""
    return html.escape(text, quote=True).replace("\n", "&#10;")
