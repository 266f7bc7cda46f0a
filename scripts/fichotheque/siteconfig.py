"""The mkdocs.yml of a staged build: the project's settings merged with what is generated.

The result is one self-contained file, with relative paths, that both MkDocs (with
Material for MkDocs) and Zensical read; Zensical does not follow ``INHERIT``. Tags such
as ``!ENV`` or ``!!python/name:`` in the project's file are kept as they were written,
for the engine to resolve.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .generated_html import NAME as GENERATED_HTML
from .routes import FEED_FILE, QUERY_PARAMETER, SEARCH, address
from .safe_attrs import NAME as SAFE_ATTR_LIST
from .staging import Staging, tree_files

THEME_DIR = Path(__file__).parent / "theme"
THEME, LANGUAGE = "material", "fr"  # what a mkdocs.yml without « theme » gets
OVERRIDES = "overrides"
REQUIRED_EXTENSIONS = ("abbr", SAFE_ATTR_LIST, GENERATED_HTML, "toc")
# Extensions replaced in the staged file by a safe equivalent, and options forced on
# others: table alignment as an ``align`` attribute, since the CSP refuses inline styles.
REPLACED_EXTENSIONS = {"attr_list": SAFE_ATTR_LIST, "markdown.extensions.attr_list": SAFE_ATTR_LIST}
FORCED_OPTIONS = {"tables": {"use_align_attribute": True}}
# Options given unless the project sets them: what a reader sees is French.
DEFAULT_OPTIONS = {"toc": {"permalink_title": "Lien vers cette section"}}
# The site has one search engine, Pagefind. MkDocs adds Material's search when
# « plugins » is missing, and Zensical turns its own on unless it is disabled by name,
# even with « plugins: [] ».
SEARCH_PLUGINS = ("search", "material/search")
NO_SEARCH_PLUGIN = {"search": {"enabled": False}}
# What the theme's templates read from the route table (« config.extra.fichotheque »).
THEME_ROUTES = {
    "recherche": address(SEARCH).lstrip("/"),
    "flux": FEED_FILE,
    "parametre": QUERY_PARAMETER,
}


class ConfigError(Exception):
    """The project's mkdocs.yml cannot be used; the message is French."""


@dataclass(frozen=True)
class Tagged:
    """A value written with a YAML tag we do not interpret (``!ENV``, ``!!python/name:``)."""

    tag: str
    value: Any


class _Loader(yaml.SafeLoader):
    """Safe loading, except that unknown tags are kept rather than refused or run."""


def _construct_tagged(loader: yaml.SafeLoader, tag_suffix: str, node: yaml.Node) -> Tagged:
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        assert isinstance(node, yaml.MappingNode)
        value = loader.construct_mapping(node, deep=True)
    return Tagged(node.tag, value)


_Loader.add_multi_constructor("", _construct_tagged)


class _Dumper(yaml.SafeDumper):
    """Safe dumping that writes ``Tagged`` values back with their tag."""


def _represent_tagged(dumper: yaml.SafeDumper, data: Tagged) -> yaml.Node:
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value)
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    return dumper.represent_scalar(data.tag, str(data.value))


_Dumper.add_representer(Tagged, _represent_tagged)


def load_project_config(path: Path) -> dict[str, Any]:
    """The project's mkdocs.yml as a mapping; a missing or broken file raises ConfigError."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError(
            f"le fichier {path.name} est introuvable : il donne au moins le nom du site "
            "(« site_name: … ») ; « fichotheque init --force » en écrit un."
        ) from None
    except UnicodeDecodeError:
        raise ConfigError(
            f"{path.name} n'est pas enregistré en UTF-8 ; réenregistrez-le."
        ) from None
    except IsADirectoryError:
        raise ConfigError(f"{path.name} est un dossier, pas un fichier.") from None
    except OSError as error:
        raise ConfigError(f"{path.name} ne peut pas être lu ({error.strerror}).") from None
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (ligne {mark.line + 1})" if mark else ""
        raise ConfigError(f"{path.name} n'est pas du YAML valable{where}.") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path.name} doit contenir des réglages « clé: valeur ».")
    if "INHERIT" in data:
        raise ConfigError(f"{path.name} utilise INHERIT, que Fichothèque ne suit pas encore.")
    return data


def write_site_config(
    project_config: Path, staging: Staging, nav: list[object], not_in_nav: list[str]
) -> Path:
    """Stage ``mkdocs.yml`` and the theme's overrides for the pages staged in ``docs/``."""
    config = load_project_config(project_config)
    theme = config.get("theme") or {}
    if isinstance(theme, str):
        theme = {"name": theme}
    if not isinstance(theme, dict):
        raise ConfigError("le réglage « theme » de mkdocs.yml doit être un dictionnaire.")
    theme.setdefault("name", THEME)
    theme.setdefault("language", LANGUAGE)
    if theme["name"] != THEME:
        raise ConfigError(
            f"le thème « {theme['name']} » n'est pas pris en charge : les pages de Fichothèque "
            f"sont faites pour Material for MkDocs ; écrivez « theme: {{name: {THEME}}} »."
        )
    overrides = {name: path for path, name in tree_files(THEME_DIR).items()}
    user_dir = theme.get("custom_dir")
    if user_dir is not None:
        # The project's own overrides win over Fichothèque's, file by file.
        root = project_config.parent.resolve()
        source = (root / str(user_dir)).resolve()
        if not isinstance(user_dir, str) or not source.is_relative_to(root) or source == root:
            raise ConfigError(
                f"custom_dir « {user_dir} » doit être un sous-dossier du projet, par exemple "
                "« overrides »."
            )
        if not source.is_dir():
            raise ConfigError(f"le dossier custom_dir « {user_dir} » de mkdocs.yml n'existe pas.")
        overrides.update({name: path for path, name in tree_files(source).items()})
    for name, path in overrides.items():
        staging.copy(path, f"{OVERRIDES}/{name}")
    theme["custom_dir"] = OVERRIDES
    extensions = config.get("markdown_extensions") or []
    if not isinstance(extensions, list):
        raise ConfigError("le réglage « markdown_extensions » de mkdocs.yml doit être une liste.")
    extensions = [_safe_extension(e) for e in extensions]
    names = {e if isinstance(e, str) else next(iter(e), None) for e in extensions}
    # Fiche pages define abbreviations (acronym tooltips); without the extension they
    # would show as text.
    config["markdown_extensions"] = extensions + [e for e in REQUIRED_EXTENSIONS if e not in names]
    theme["font"] = False  # never Google Fonts, whatever the settings say
    hooks = config.get("hooks")
    if hooks is not None:
        if not isinstance(hooks, list) or not all(isinstance(h, str) for h in hooks):
            raise ConfigError("« hooks » doit être une liste de chemins de fichiers Python.")
        config["hooks"] = [str((project_config.parent / h).resolve()) for h in hooks]
    extra = config.get("extra") or {}
    if not isinstance(extra, dict):
        raise ConfigError("le réglage « extra » de mkdocs.yml doit être un dictionnaire.")
    config.update(
        {
            "plugins": without_search(config.get("plugins")),
            "extra": {**extra, "fichotheque": THEME_ROUTES},
            "docs_dir": "docs",
            "site_dir": "site",
            "use_directory_urls": True,
            "theme": theme,
            "nav": nav,
            "not_in_nav": "\n".join(not_in_nav),
        }
    )
    staging.write(
        "mkdocs.yml", yaml.dump(config, Dumper=_Dumper, allow_unicode=True, sort_keys=False)
    )
    return staging.root / "mkdocs.yml"


def search_plugin(entry: object) -> bool:
    """Whether one ``plugins`` entry (a name, or a name with options) is a search engine."""
    name = (
        entry
        if isinstance(entry, str)
        else next(iter(entry), None)
        if isinstance(entry, dict)
        else None
    )
    return name in SEARCH_PLUGINS


def without_search(plugins: object) -> list[object]:
    """The project's plugins with every search but Pagefind's turned off."""
    if plugins is None:
        plugins = []
    if isinstance(plugins, dict):  # MkDocs also accepts « plugins: {name: options} »
        plugins = [{name: options} for name, options in plugins.items()]
    if not isinstance(plugins, list):
        raise ConfigError("le réglage « plugins » de mkdocs.yml doit être une liste.")
    return [entry for entry in plugins if not search_plugin(entry)] + [NO_SEARCH_PLUGIN]


def _safe_extension(entry: object) -> object:
    """One ``markdown_extensions`` entry, made safe: attr_list replaced, options forced."""
    options: object = {}
    if isinstance(entry, str):
        name = entry
    elif isinstance(entry, dict) and len(entry) == 1:
        name, options = next(iter(entry.items()))
    else:
        return entry
    if not isinstance(name, str):
        return entry
    name = REPLACED_EXTENSIONS.get(name, name)
    short = name.removeprefix("markdown.extensions.")
    forced, defaults = FORCED_OPTIONS.get(short), DEFAULT_OPTIONS.get(short)
    if forced or defaults:
        options = {**(defaults or {}), **(options if isinstance(options, dict) else {})}
        options.update(forced or {})
    return {name: options} if options else name
