"""The staff reference page, derived from the declarations rather than written by hand.

Fields come from ``schema.FIELDS``, facets and terms from taxonomy.yml, problem codes
from ``problems.CODES``: when one of them changes, the page follows.
"""

from __future__ import annotations

import html
import json

import yaml

from .. import htmlpolicy as policy
from ..fiches import STATUSES
from ..model import Catalogue
from ..problems import CODES
from ..routes import CONFIGURATION, REFERENCE
from ..schema import FIELDS
from ..taxonomy import Term
from .html import Page, esc, href


def code(text: str) -> str:
    return f"<code>{esc(text)}</code>"


def _term(slug: str, renamed: dict[str, Term]) -> str:
    """A term's slug, with the old slugs that still read as it."""
    old = [code(alias) for alias, term in renamed.items() if term.slug == slug]
    return code(slug) + (f" (ancien : {', '.join(old)})" if old else "")


def _html_policy(hosts: tuple[str, ...]) -> str:
    """What HTML a body may hold, straight from the sanitiser's declarations."""
    attributes = "".join(
        f"<li>{code('<' + tag + '>')} : {', '.join(code(a) for a in sorted(names))}</li>"
        for tag, names in sorted(policy.TAG_ATTRIBUTES.items())
        if tag in policy.ALLOWED_TAGS
    )
    embeds = ", ".join(code(host) for host in hosts) or "aucun (réglage par défaut)"
    return f"""## HTML permis dans le texte

<p>Le Markdown suffit presque toujours. Le HTML écrit à la main est lu par un filtre :
ce qui n'est pas dans les listes ci-dessous disparaît de la page publiée, et
<code>fichotheque check</code> le signale à sa ligne.</p>

<p><strong>Éléments permis :</strong>
{", ".join(code(t) for t in sorted(policy.ALLOWED_TAGS))}.</p>

<p><strong>Attributs permis partout :</strong>
{", ".join(code(a) for a in sorted(policy.GENERIC_ATTRIBUTES))} ; et par élément :</p>
<ul>{attributes}</ul>

<p><strong>Adresses permises dans les liens :</strong>
{", ".join(code(s + ":") for s in sorted(policy.URL_SCHEMES))} et les chemins du site.
Une image ne se charge que depuis le site lui-même.</p>

<p><strong>Refusés (erreur) :</strong>
{", ".join(code(t) for t in sorted(policy.DANGEROUS_TAGS))} ; les attributs qui commencent
par {", ".join(code(p) for p in policy.DANGEROUS_PREFIXES)} ;
{", ".join(code(a) for a in sorted(policy.DANGEROUS_ATTRIBUTES))} ; les adresses
{", ".join(code(s + ":") for s in sorted(policy.DANGEROUS_SCHEMES))}.</p>

<p><strong>Dans un attribut <code>{{: … }}</code> :</strong> seulement
{", ".join(code(k) for k in sorted(policy.ATTR_LIST_KEYS))}
(<code>#identifiant</code>, <code>.classe</code>).</p>

<p><strong>Sites autorisés pour les images et vidéos intégrées
(<code>extra.hotes_autorises</code>) :</strong> {embeds}.</p>"""


def _yaml(key: str, value: str | list[str] | dict[str, str]) -> str:
    """One front-matter line as staff write it: plain where YAML allows, else in quotes."""
    for quote in (str, lambda text: json.dumps(text, ensure_ascii=False)):
        if isinstance(value, dict):
            text = f"{key}:" + "".join(f"\n  {k}: {quote(v)}" for k, v in value.items())
        elif isinstance(value, list):
            text = f"{key}: [{', '.join(quote(item) for item in value)}]"
        else:
            text = f"{key}: {quote(value)}"
        try:
            if yaml.safe_load(text) == {key: value}:
                return text
        except yaml.YAMLError:
            pass
    return text


def _texts(value: object) -> list[str]:
    return [str(item) for item in value] if isinstance(value, list) else []


def base_examples(catalogue: Catalogue) -> dict[str, str]:
    """Examples taken from this base, for the fields it fills: the staff know them."""
    examples: dict[str, str] = {}
    values: dict[str, str | list[str]] = {}
    for fiche in catalogue.fiches:
        found: dict[str, str | list[str]] = {
            "title": fiche.title,
            "organisation": fiche.organisation,
            "lieux": _texts(fiche.value("lieux")),
            "region": str(fiche.value("region") or ""),
            "partenaires": _texts(fiche.value("partenaires"))[:3],
            "financements": _texts(fiche.value("financements"))[:2],
            "fiches_liees": list(fiche.related[:2]),
        }
        for key, value in found.items():
            if value:
                values.setdefault(key, value)
    examples.update((key, _yaml(key, value)) for key, value in values.items())
    ambiguous = next((e for e in catalogue.glossary.entries if e.is_ambiguous), None)
    if ambiguous is not None:
        examples["sigles"] = _yaml("sigles", {ambiguous.term: ambiguous.meanings[0].id})
    for facet in catalogue.taxonomy.facets:
        slugs = [term.slug for term in facet.terms[:2]]
        examples[facet.key] = _yaml(facet.key, slugs if facet.multiple else slugs[0])
    return examples


def render_reference(catalogue: Catalogue, hosts: tuple[str, ...] = ()) -> Page:
    """Every front-matter field, every facet with its terms, the HTML policy, every code."""
    examples = base_examples(catalogue)
    rows = "".join(
        f'<dt>{code(spec.key)} — {esc(spec.label)} <span class="reference-forme">'
        f"({esc(str(spec.kind))}{', obligatoire' if spec.required else ''})</span></dt>"
        f"<dd><p>{esc(spec.help)}</p>"
        f"<pre><code>{html_block(examples.get(spec.key, spec.example))}</code></pre></dd>"
        for spec in FIELDS
    )
    facet_rows = "".join(
        f"<tr><td>{code(facet.key)}</td><td>{esc(facet.label)}</td>"
        f"<td>{'plusieurs termes' if facet.multiple else 'un seul terme'}</td>"
        f"<td>{'oui' if facet.required else 'non'}</td>"
        f"<td>{', '.join(_term(term.slug, facet.renamed()) for term in facet.terms)}</td></tr>"
        for facet in catalogue.taxonomy.facets
    )
    facet_examples = "\n".join(examples[facet.key] for facet in catalogue.taxonomy.facets)
    code_rows = "".join(
        f"<tr><td>{code(name)}</td><td>{esc(text)}</td></tr>" for name, text in CODES.items()
    )
    body = f"""<h1>Référence des champs</h1>

<p>Cette page est produite à partir des déclarations du logiciel et de la taxonomie de
cette base : elle est toujours à jour. Le <em>Guide de rédaction</em> explique comment
s'en servir. Le format de <code>taxonomy.yml</code>, de <code>glossary.yml</code> et des
réglages du site est décrit dans la
<a href="{href(REFERENCE, CONFIGURATION)}">Référence de la configuration</a>.</p>

## Champs communs à toutes les fiches

<dl class="reference-champs">{rows}</dl>

<p>Valeurs possibles de {code("statut")} : {", ".join(code(s) for s in STATUSES)}.</p>

## Catégories de cette base

<p>Ces champs viennent de <code>taxonomy.yml</code>. On y écrit les identifiants des termes
(la colonne de droite), pas leurs libellés. Un ancien identifiant reste compris, avec un
avertissement.</p>

<table class="reference"><thead><tr><th>Clé</th><th>Catégorie</th><th>Nombre</th>
<th>Obligatoire</th><th>Termes</th></tr></thead><tbody>{facet_rows}</tbody></table>

<p>Par exemple, dans l'en-tête d'une fiche :</p>
<pre><code>{html_block(facet_examples)}</code></pre>

{_html_policy(hosts)}

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
