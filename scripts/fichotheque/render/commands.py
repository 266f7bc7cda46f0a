"""The staff page of commands, produced from the command line's own declaration.

Every subcommand of ``cli.build_parser()`` is shown with its description and its options,
so that the page says what the installed version does, and cannot lag behind it.
"""

from __future__ import annotations

import argparse

from ..routes import COMMANDS, CONFIGURATION, REFERENCE
from .html import Page, esc, href
from .reference import code


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:  # argparse keeps its subparsers there, and only there
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _options(parser: argparse.ArgumentParser) -> str:
    rows = []
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction) or action.help == argparse.SUPPRESS:
            continue
        name = ", ".join(action.option_strings) or (action.metavar or action.dest)
        rows.append(f"<li>{code(str(name))} : {esc(action.help or '')}</li>")
    return f"<ul>{''.join(rows)}</ul>" if rows else ""


def render_commands() -> Page:
    """Each command: what it does and its options, as ``fichotheque … --help`` says."""
    from ..cli import build_parser  # the command line, read as it is declared

    parser = build_parser()
    sections = "".join(
        f'<h2 id="{esc(name)}"><code>fichotheque {esc(name)}</code></h2>'
        f"<p>{esc(sub.description or '')}</p>{_options(sub)}"
        for name, sub in _subcommands(parser).items()
    )
    body = f"""<h1>Les commandes</h1>

<p>Tout le travail sur la base passe par la commande <code>fichotheque</code> : écrire
(<code>new</code>), importer (<code>import</code>), vérifier (<code>check</code>), relire
(<code>review</code>), prévisualiser (<code>serve</code>) et publier (<code>build</code>).
Cette page est produite à partir de la commande elle-même ; <code>fichotheque COMMANDE
--help</code> dit la même chose dans le terminal. Les champs des fiches et chaque message
de vérification sont dans la <a href="{href(COMMANDS, REFERENCE)}">Référence des champs</a>,
les réglages de la base dans la
<a href="{href(COMMANDS, CONFIGURATION)}">Référence de la configuration</a>.</p>

{sections}"""
    return Page(COMMANDS, "Les commandes", "Chaque commande de Fichothèque et ses options.", body)
