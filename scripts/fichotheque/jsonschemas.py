"""JSON Schemas of the set-up files, derived from setupschema, for editors.

An editor given these schemas (VS Code with the YAML extension, any client of
yaml-language-server) completes keys, shows the French help on hover and underlines an
unknown key or a bad slug as it is typed. They follow draft-07, the latest draft that
yaml-language-server fully supports. ``fichotheque check`` stays the judge: a schema
cannot say that a slug is unique or that an alias is ambiguous.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml

from .files import write_text
from .glossary import Glossary
from .limits import MAX_TEXT_CHARS
from .reading import BOOLEAN_WORDS
from .routes import RESERVED_TERM_SLUGS, reserved_names
from .schema import FIELDS, FIELDS_BY_KEY
from .setupschema import FACET, GLOSSARY_ENTRY, MEANING, TAXONOMY, TERM, Block, Key, Type
from .taxonomy import Facet, Taxonomy

DRAFT = "http://json-schema.org/draft-07/schema#"
# A schema's name → the file ``fichotheque schema`` writes it to. The fiche front
# matter will join them here.
SCHEMA_FILES = {
    "taxonomy": "taxonomy.schema.json",
    "glossary": "glossary.schema.json",
    "fiche": "fiche.schema.json",
}
DEFAULT_DIR = "schemas"

# Names a value may not take although it follows its rule, by (block, key).
_RESERVED: dict[tuple[str, str], list[str]] = {
    (FACET.name, "cle"): sorted(set(FIELDS_BY_KEY) | set(reserved_names())),
    (TERM.name, "slug"): sorted(RESERVED_TERM_SLUGS),
}
_TEXT: dict[str, Any] = {"type": "string", "pattern": r"\S", "maxLength": MAX_TEXT_CHARS}


def describe(key: Key) -> str:
    """The help of ``key`` with its rule and its default, as an editor shows it on hover."""
    parts = [key.help]
    if key.rule is not None:
        parts.append(f"Règle : {key.rule.says}. {key.rule.why}")
    if key.default:
        parts.append(f"Par défaut : {key.default}.")
    return " ".join(parts)


def _title(key: Key) -> str:
    return f"{key.name} : {key.type}" + (", obligatoire" if key.required else "")


def _ref(block: Block) -> dict[str, Any]:
    return {"$ref": f"#/definitions/{block.name}"}


def _value(key: Key, block: Block) -> dict[str, Any]:
    """What a value of ``key`` may be, without its help."""
    if key.type is Type.BOOLEAN:
        return {"anyOf": [{"type": "boolean"}, {"enum": sorted(BOOLEAN_WORDS)}]}
    if key.type is Type.TEXTS:
        return {"anyOf": [_TEXT, {"type": "array", "items": _TEXT}]}
    if key.type is Type.LIST and key.block is not None:
        return {"type": "array", "minItems": 1, "items": _ref(key.block)}
    if key.rule is not None:
        value: dict[str, Any] = {
            "type": "string",
            "pattern": key.rule.pattern.pattern,
            "patternErrorMessage": f"Attendu : {key.rule.says}.",
        }
        reserved = _RESERVED.get((block.name, key.name))
        if reserved:
            value["not"] = {"enum": reserved}
        return value
    return dict(_TEXT)


def _property(key: Key, block: Block) -> dict[str, Any]:
    schema = {"title": _title(key), "description": describe(key), **_value(key, block)}
    if key.default:
        schema["default"] = yaml.safe_load(key.default)
    return schema


def _block(block: Block) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "title": block.title,
        "description": block.help,
        "type": "object",
        "properties": {key.name: _property(key, block) for key in block.keys},
        "additionalProperties": False,
    }
    if block.required:
        schema["required"] = list(block.required)
    if block.one_of:
        schema["oneOf"] = [{"required": [name]} for name in block.one_of]
    if block.any_of:
        schema["anyOf"] = [{"required": [name]} for name in block.any_of]
    return schema


def _blocks_below(block: Block) -> list[Block]:
    """Every dictionary that can stand below ``block``, each once, outermost first."""
    found: list[Block] = []
    for key in block.keys:
        if key.block is not None:
            found += [key.block, *_blocks_below(key.block)]
    return [b for i, b in enumerate(found) if b not in found[:i]]


def taxonomy_schema() -> dict[str, Any]:
    """The JSON Schema of taxonomy.yml."""
    return {
        "$schema": DRAFT,
        **_block(TAXONOMY),
        "definitions": {block.name: _block(block) for block in _blocks_below(TAXONOMY)},
    }


def glossary_schema() -> dict[str, Any]:
    """The JSON Schema of glossary.yml: each key a term, each value its meanings."""
    text_or_meaning = {"anyOf": [_TEXT, _ref(MEANING)]}
    several = {"type": "object", "required": ["id", "contexte"]}
    entry = {
        "title": f"{GLOSSARY_ENTRY.name} : {GLOSSARY_ENTRY.type}",
        "description": GLOSSARY_ENTRY.help,
        "anyOf": [
            text_or_meaning,
            {
                "type": "array",
                "minItems": 1,
                "items": text_or_meaning,
                # Several meanings: each says its id and its context.
                "if": {"minItems": 2},
                "then": {"items": several},
            },
        ],
    }
    return {
        "$schema": DRAFT,
        "title": "glossary.yml",
        "description": "Les sigles et les mots de jargon des fiches, expliqués au public.",
        "type": "object",
        "propertyNames": {"pattern": r"\S"},
        "additionalProperties": {"$ref": "#/definitions/entree"},
        "definitions": {"entree": entry, MEANING.name: _block(MEANING)},
    }


def _facet_schema(facet: Facet) -> dict[str, Any]:
    """A facet's value: the slug of one of its terms, or with « multiple » a list of them."""
    term = {
        "enum": [t.slug for t in facet.terms],
        "enumDescriptions": [t.label for t in facet.terms],
    }
    value = {"anyOf": [term, {"type": "array", "items": term, "uniqueItems": True}]}
    return {
        "title": f"{facet.key} : {facet.label}",
        "description": facet.description,
        **(value if facet.multiple else term),
    }


def fiche_schema(taxonomy: Taxonomy, glossary: Glossary) -> dict[str, Any]:
    """The JSON Schema of a fiche's front matter: the declared fields, then the facets."""
    properties: dict[str, Any] = {
        spec.key: {
            "title": f"{spec.label} : {spec.kind}",
            "description": spec.help,
            **spec.kind.json_schema(glossary),
        }
        for spec in FIELDS
    }
    properties.update((facet.key, _facet_schema(facet)) for facet in taxonomy.facets)
    required = [spec.key for spec in FIELDS if spec.required]
    required += [facet.key for facet in taxonomy.facets if facet.required]
    return {
        "$schema": DRAFT,
        "title": "En-tête d'une fiche",
        "description": "Les champs d'une fiche de cette base (voir la Référence des champs).",
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def schemas(
    taxonomy: Taxonomy | None = None, glossary: Glossary | None = None
) -> dict[str, dict[str, Any]]:
    """Every JSON Schema ``fichotheque schema`` writes, by name (see SCHEMA_FILES).

    The fiche's schema follows a base's taxonomy and glossary; without them, only the
    schemas of the set-up files, which are the same for every base.
    """
    found = {"taxonomy": taxonomy_schema(), "glossary": glossary_schema()}
    if taxonomy is not None:
        found["fiche"] = fiche_schema(taxonomy, glossary or Glossary())
    return found


def schema_text(schema: dict[str, Any]) -> str:
    """A schema as written to its file: indented, accents as they are, one final newline."""
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


class Outcome(StrEnum):
    """What ``write_schemas`` did with one file; the text is shown to the user."""

    WRITTEN = "écrit"
    UP_TO_DATE = "déjà à jour"
    REPLACED = "remplacé (--force)"
    KEPT = "diffère de ce que cette version produit ; laissé tel quel (--force le remplace)"
    NOT_A_FILE = "n'est pas un fichier ; laissé tel quel"


@dataclass(frozen=True)
class Written:
    """One schema file and what was done with it."""

    path: Path
    outcome: Outcome


def write_schemas(
    folder: Path,
    *,
    force: bool = False,
    taxonomy: Taxonomy | None = None,
    glossary: Glossary | None = None,
) -> list[Written]:
    """Write every schema into ``folder``; a file whose content differs is kept unless ``force``."""
    results = []
    for name, schema in schemas(taxonomy, glossary).items():
        path = folder / SCHEMA_FILES[name]
        text = schema_text(schema)
        if path.is_symlink() or (path.exists() and not path.is_file()):
            results.append(Written(path, Outcome.NOT_A_FILE))
            continue
        if not path.exists():
            outcome = Outcome.WRITTEN
        elif path.read_text(encoding="utf-8", errors="replace") == text:
            results.append(Written(path, Outcome.UP_TO_DATE))
            continue
        elif force:
            outcome = Outcome.REPLACED
        else:
            results.append(Written(path, Outcome.KEPT))
            continue
        write_text(path, text)
        results.append(Written(path, outcome))
    return results
