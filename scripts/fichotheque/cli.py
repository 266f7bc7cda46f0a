"""The ``fichotheque`` command: parses arguments and calls the pipeline's stages."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from . import __version__
from .check import check_project
from .files import write_text
from .problems import Problem, format_json, format_report, is_failure, summary
from .progress import Progress
from .project import Project

if TYPE_CHECKING:
    from .newfiche import Answers
    from .taxonomy import Taxonomy
from .selection import Selection, select_publishable

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_LEFT_OUT = 0, 1, 2, 3
# What each exit code means, for the help of ``build`` and for CI (the README lists them).
EXIT_MEANINGS = {
    EXIT_OK: "tout est vérifié ; le site est publié avec toutes les fiches",
    EXIT_PROBLEMS: "des erreurs (ou des avertissements avec --strict) : rien n'est construit, "
    "le site déjà publié reste en place",
    EXIT_USAGE: "la commande est mal écrite (option inconnue, dossier absent…)",
    EXIT_LEFT_OUT: "avec --skip-invalid : le site est publié, mais sans les fiches écartées",
}

# argparse speaks English; what it says about a mistyped command is shown in French.
_ARGPARSE_FRENCH = (
    (r"unrecognized arguments: (.*)", r"arguments inconnus : \1"),
    (
        r"argument COMMANDE: invalid choice: (\S+) \(choose from (.*)\)",
        r"commande \1 inconnue (commandes possibles : \2)",
    ),
    (
        r"argument (\S+): invalid choice: (\S+) \(choose from (.*)\)",
        r"option \1 : choix « \2 » invalide (choix possibles : \3)",
    ),
    (r"argument (\S+): expected one argument", r"l'option \1 attend une valeur"),
    (r"the following arguments are required: (.*)", r"arguments obligatoires manquants : \1"),
)
_HELP_FRENCH = (
    ("usage:", "utilisation :"),
    ("options:", "options :"),
    ("positional arguments:", "commandes :"),
    ("show this help message and exit", "affiche cette aide"),
)


class _FrenchParser(argparse.ArgumentParser):
    """An ArgumentParser whose messages and help are in French."""

    def error(self, message: str) -> NoReturn:
        for pattern, replacement in _ARGPARSE_FRENCH:
            message = re.sub(pattern, replacement, message)
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"fichotheque : erreur d'utilisation : {message}\n")

    def format_help(self) -> str:
        return _frenchify(super().format_help())

    def format_usage(self) -> str:
        return _frenchify(super().format_usage())


def _frenchify(text: str) -> str:
    for english, french in _HELP_FRENCH:
        text = text.replace(english, french)
    return text


def build_parser() -> argparse.ArgumentParser:
    """The command line: ``check``, ``build``, ``serve`` and ``schema``, each with its options."""
    parser = _FrenchParser(
        prog="fichotheque",
        description="Vérifie et publie une base de fiches d'activités.",
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"fichotheque {__version__}",
        help="affiche la version",
    )
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMANDE", parser_class=_FrenchParser
    )

    init = commands.add_parser(
        "init",
        help="crée une nouvelle base de fiches, prête à construire",
        description="Crée dans DOSSIER une base complète : taxonomy.yml, glossary.yml, "
        "mkdocs.yml, docs/ (accueil et guide de rédaction), une fiche d'exemple, .gitignore, "
        ".pre-commit-config.yaml et les schémas JSON de schemas/. Aucun fichier existant n'est "
        "remplacé. Sur un terminal, les noms manquants sont demandés.",
    )
    init.add_argument(
        "folder",
        metavar="DOSSIER",
        nargs="?",
        type=Path,
        default=Path("."),
        help="dossier de la nouvelle base (par défaut : le dossier courant)",
    )
    init.add_argument("--site-name", help="nom du site, en tête de chaque page")
    init.add_argument("--organisation", help="organisation qui publie les fiches")
    init.add_argument("--site-url", help="adresse publique du site (https://…)")
    init.add_argument(
        "--force",
        action="store_true",
        help="accepte un dossier qui n'est pas vide ; les fichiers déjà là sont gardés",
    )

    new = commands.add_parser(
        "new",
        help="écrit une nouvelle fiche à remplir dans fiches/",
        description="Écrit fiches/<année>-<titre>.md avec chaque champ de la fiche et, en "
        "commentaire, les termes possibles de chaque catégorie. Sur un terminal, ce qui "
        "manque est demandé. Un fichier existant n'est remplacé qu'avec --force.",
    )
    new.add_argument("title", metavar="TITRE", nargs="?", help="titre de la fiche")
    _root_option(new)
    new.add_argument("--date", default="", help="date ou période : 2024, 2024-03, 2023–2024…")
    new.add_argument("--organisation", default="", help="organisation qui a mené l'activité")
    new.add_argument(
        "--terme",
        action="append",
        default=[],
        metavar="CLÉ=TERMES",
        help="termes d'une catégorie, séparés par des virgules (themes=accueil,formation) ; "
        "l'option se répète",
    )
    new.add_argument("--force", action="store_true", help="remplace une fiche du même nom")

    importer = commands.add_parser(
        "import",
        help="importe l'export texte d'un ancien site de fiches",
        description="Lit l'export texte d'un ancien site (un titre « 2009 – Titre » par "
        "fiche, le texte, les ressources, le jargon, les sources et les catégories cochées) "
        "et écrit une fiche par bloc dans fiches/. Aucun fichier n'est remplacé : relancer "
        "n'écrit rien de nouveau.",
    )
    importer.add_argument("export", metavar="FICHIER", type=Path, help="l'export, en texte UTF-8")
    _root_option(importer)
    importer.add_argument(
        "--organisation", required=True, help="organisation qui a mené les activités"
    )
    importer.add_argument(
        "--dry-run", action="store_true", help="montre ce qui serait écrit, sans rien écrire"
    )
    importer.add_argument(
        "--colonnes",
        type=Path,
        default=None,
        metavar="FICHIER",
        help="pour un tableur (.csv, .xlsx) : la correspondance colonnes → champs ; si le fichier "
        "n'existe pas, celle devinée d'après les en-têtes y est écrite, à corriger",
    )

    review = commands.add_parser(
        "review",
        help="liste les fiches à relire, la plus ancienne relecture d'abord",
        description="Liste les fiches dont la relecture (« verifie_le ») a dépassé le délai "
        "de « extra.relecture_mois » dans mkdocs.yml, et celles jamais relues, avec leur "
        "organisation.",
    )
    _root_option(review)
    review.add_argument(
        "--mois", type=int, default=None, help="délai en mois (par défaut : celui de mkdocs.yml)"
    )

    check = commands.add_parser(
        "check",
        help="vérifie la taxonomie, le glossaire et les fiches",
        description="Vérifie taxonomy.yml, glossary.yml et chaque fiche, "
        "et signale tous les problèmes en une fois.",
    )
    _common_options(check)
    check.add_argument(
        "files",
        metavar="FICHIER",
        nargs="*",
        type=Path,
        help="ne signaler que les problèmes de ces fiches (et ceux des fichiers de réglages) : "
        "c'est ce que fait le crochet pre-commit",
    )
    check.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text (par défaut) pour un humain, json pour un outil",
    )

    build = commands.add_parser(
        "build",
        help="vérifie puis construit le site dans site/",
        description="Vérifie la base (et s'arrête sur une erreur), "
        "puis construit le site statique et le publie dans site/.",
        epilog="codes de sortie :\n"
        + "\n".join(f"  {code}  {meaning}" for code, meaning in EXIT_MEANINGS.items()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _common_options(build)
    build.add_argument(
        "--force",
        action="store_true",
        help="remplace le dossier de publication même s'il n'a pas été construit par Fichothèque",
    )
    build.add_argument(
        "--skip-invalid",
        action="store_true",
        help="publie les fiches valables et écarte celles qui ont une erreur (avec --strict, "
        "un avertissement) ; les erreurs de taxonomy.yml, glossary.yml, mkdocs.yml ou docs/ "
        f"bloquent toujours (code de sortie {EXIT_LEFT_OUT} si des fiches sont écartées)",
    )
    build.add_argument(
        "--site-dir",
        type=Path,
        default=None,
        help="dossier de publication (par défaut : site/ à la racine)",
    )
    build.add_argument(
        "--timings",
        metavar="FICHIER",
        type=Path,
        default=None,
        help="écrit la durée de chaque étape dans FICHIER, en JSON (pour le banc d'essai)",
    )
    serve = commands.add_parser(
        "serve",
        help="aperçu local, brouillons compris, mis à jour à chaque modification",
        description="Construit un aperçu du site, brouillons compris, le sert en local et le "
        "reconstruit dès qu'une fiche, la taxonomie, le glossaire ou docs/ change.",
    )
    _root_option(serve)
    serve.add_argument(
        "--port", type=int, default=8000, help="port (par défaut : 8000 ; 0 = libre)"
    )
    serve.add_argument(
        "--host", default="127.0.0.1", help="adresse d'écoute (par défaut : 127.0.0.1)"
    )
    schema = commands.add_parser(
        "schema",
        help="écrit les schémas JSON de taxonomy.yml et glossary.yml pour les éditeurs",
        description="Écrit les schémas JSON de taxonomy.yml et glossary.yml : un éditeur "
        "qui les connaît (VS Code et son extension YAML…) complète les clés, affiche l'aide "
        "au survol et souligne les erreurs pendant la saisie. Un fichier modifié depuis "
        "n'est remplacé qu'avec --force.",
    )
    _root_option(schema)
    schema.add_argument(
        "--schema-dir",
        type=Path,
        default=None,
        help="dossier des schémas (par défaut : schemas/ à la racine)",
    )
    schema.add_argument(
        "--force",
        action="store_true",
        help="remplace un schéma même s'il a été modifié depuis",
    )
    return parser


def _root_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--root",
        type=Path,
        default=Path("."),
        help="racine de la base de fiches (par défaut : le dossier courant)",
    )


def _common_options(parser: argparse.ArgumentParser) -> None:
    _root_option(parser)
    parser.add_argument(
        "--strict", action="store_true", help="traite les avertissements comme des erreurs"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``fichotheque`` command; returns the exit code."""
    # A file name or a value that is not valid UTF-8 must not stop the report halfway.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "init":
        return _init(parser, args)
    root: Path = args.root
    if not root.exists():
        parser.error(f"le dossier « {root} » n'existe pas")
    if not root.is_dir():
        parser.error(f"« {root} » est un fichier ; --root attend le dossier de la base de fiches")
    project = Project(root.resolve())
    try:
        if args.command == "check":
            return _check(project, strict=args.strict, output=args.format, files=args.files)
        if args.command == "import":
            return _import(
                project, args.export, args.organisation, dry_run=args.dry_run, columns=args.colonnes
            )
        if args.command == "review":
            return _review(parser, project, args.mois)
        if args.command == "new":
            return _new(parser, project, args)
        if args.command == "schema":
            return _schema(project, args.schema_dir, force=args.force)
        if args.command == "serve":
            from .serve import serve

            return serve(project, args.host, args.port)
        return _build(
            project,
            strict=args.strict,
            site_dir=args.site_dir,
            force=args.force,
            skip_invalid=args.skip_invalid,
            timings=args.timings,
        )
    except KeyboardInterrupt:
        print("Interrompu.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader stopped listening (« | head »): leave quietly, as other tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_PROBLEMS


def _init(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    from .scaffold import DEFAULT_ORGANISATION, DEFAULT_SITE_NAME, Identity, InitError, init_base
    from .sitesettings import URL_PATTERN

    asking = sys.stdin.isatty() and sys.stdout.isatty()
    try:
        site_name = args.site_name or _ask(asking, "Nom du site", DEFAULT_SITE_NAME)
        organisation = args.organisation or _ask(
            asking, "Organisation qui publie les fiches", DEFAULT_ORGANISATION
        )
        site_url = args.site_url or _ask(
            asking, "Adresse publique du site (https://…, vide si elle n'est pas encore connue)", ""
        )
    except (KeyboardInterrupt, EOFError):
        print("\nInterrompu : rien n'a été écrit.", file=sys.stderr)
        return 130
    if site_url and not URL_PATTERN.match(site_url):
        parser.error(f"« {site_url} » n'est pas une adresse web ; elle commence par https://")
    folder: Path = args.folder
    try:
        report = init_base(
            folder, Identity(site_name.strip(), organisation.strip(), site_url), force=args.force
        )
    except InitError as error:
        print(f"fichotheque : {error}", file=sys.stderr)
        return EXIT_PROBLEMS
    except OSError as error:
        print(f"fichotheque : le dossier « {folder} » ne peut pas être écrit ({error.strerror}).",
              file=sys.stderr)  # fmt: skip
        return EXIT_PROBLEMS
    for name in report.written:
        print(f"  créé   {name}")
    for name in report.kept:
        print(f"  gardé  {name} (il existait déjà)")
    if not report.written:
        print(f"Rien à créer : {folder.resolve()} a déjà tous les fichiers d'une base.")
        return EXIT_OK
    place = "" if folder == Path(".") else f"cd {folder}\n  "
    print(
        f"Base créée dans {folder.resolve()}. Ensuite :\n  {place}fichotheque check\n"
        "  fichotheque serve    (aperçu sur http://127.0.0.1:8000/)\n"
        "  fichotheque build    (le site, dans site/)"
    )
    if not site_url and "mkdocs.yml" in report.written:
        print("Pensez à indiquer « site_url » dans mkdocs.yml quand l'adresse du site sera connue.")
    return EXIT_OK


def _ask(asking: bool, question: str, default: str) -> str:
    """What the person types at the terminal, or ``default`` (also when not at a terminal)."""
    if not asking:
        return default
    shown = f" [{default}]" if default else ""
    return input(f"{question}{shown} : ").strip() or default


def _check(project: Project, *, strict: bool, output: str, files: list[Path]) -> int:
    progress = Progress()
    result = check_project(project, progress=progress)
    progress.close()
    problems = result.problems
    if files:
        # The whole base is checked (a fiche's links need the others); what is reported is
        # what the given fiches and the set-up files say.
        asked = {project.relative(path.resolve()) for path in files}
        fiches = project.relative(project.fiches_dir) + "/"
        problems = [p for p in problems if p.file in asked or not p.file.startswith(fiches)]
    if output == "json":
        print(format_json(problems))
    else:
        for line in format_report(problems):
            print(line)
        checked = len(files) if files else len(result.fiches)
        print(f"{checked} fiche(s) vérifiée(s). {summary(problems)}")
    return EXIT_PROBLEMS if is_failure(problems, strict=strict) else EXIT_OK


def _schema(project: Project, folder: Path | None, *, force: bool) -> int:
    from .jsonschemas import DEFAULT_DIR, Outcome, write_schemas
    from .scaffold import vocabulary

    target = folder.resolve() if folder is not None else project.root / DEFAULT_DIR
    taxonomy, glossary = vocabulary(project)
    try:
        results = write_schemas(target, force=force, taxonomy=taxonomy, glossary=glossary)
    except OSError as error:
        print(
            f"fichotheque : les schémas n'ont pas pu être écrits dans {target} "
            f"({error.strerror or error}).",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    for result in results:
        print(f"{_shown(project, result.path)} : {result.outcome}.")
    kept = [r for r in results if r.outcome in (Outcome.KEPT, Outcome.NOT_A_FILE)]
    return EXIT_PROBLEMS if kept else EXIT_OK


def _import(
    project: Project, export: Path, organisation: str, *, dry_run: bool, columns: Path | None
) -> int:
    from .files import read_text, write_new_text
    from .legacy import import_blocks, read_export
    from .scaffold import vocabulary
    from .spreadsheet import (
        BODY,
        load_mapping,
        mapping_text,
        read_rows,
        read_spreadsheet,
        read_workbook,
    )

    taxonomy, _glossary = vocabulary(project)
    suffix = export.suffix.lower()
    text: str | None = None
    if suffix == ".xlsx":
        try:
            headers, rows = read_workbook(export)
        except Exception as error:  # openpyxl raises many kinds for a file it cannot read
            print(f"fichotheque : {export} n'est pas un classeur XLSX lisible ({error}).",
                  file=sys.stderr)  # fmt: skip
            return EXIT_PROBLEMS
    else:
        text, problems = read_text(export, str(export))
        if text is None:
            for line in format_report(problems):
                print(line, file=sys.stderr)
            return EXIT_PROBLEMS
        headers, rows = read_rows(text) if suffix == ".csv" else ([], [])
    if suffix in (".csv", ".xlsx"):
        try:
            given = load_mapping(columns) if columns is not None and columns.exists() else None
        except (ValueError, OSError) as error:
            print(f"fichotheque : {columns} ne peut pas être lu ({error}).", file=sys.stderr)
            return EXIT_PROBLEMS
        mapping, blocks = read_spreadsheet(headers, rows, taxonomy, given)
        for header, key in mapping.items():
            shown = (
                f"« {key} »"
                if key and key != BODY
                else "le texte de la fiche"
                if key
                else ("la fin du texte (aucun champ ne porte ce nom)")
            )
            print(f"Colonne « {header} » → {shown}")
        if columns is not None and given is None and not dry_run:
            write_new_text(columns, mapping_text(mapping))
            print(f"Correspondance écrite dans {columns} : corrigez-la et relancez.")
        for block in blocks:
            if block.title.endswith("du tableur"):
                print(f"Ligne {block.line} : pas de titre ; importée sous « {block.title} ».")
            if not block.date:
                print(f"Ligne {block.line} : pas de date ; la fiche la demandera.")
    else:
        blocks = read_export(text or "", taxonomy)
    report = import_blocks(project, blocks, organisation, dry_run=dry_run)
    verb = "serait écrite" if dry_run else "écrite"
    for name in report.written:
        print(f"  {verb:<13} {name}{'  (brouillon)' if name in report.drafts else ''}")
    for name in report.present:
        print(f"  {'déjà là':<13} {name} (laissée telle quelle)")
    for block in report.blocks:
        if not block.has_categories:
            print(f"Ligne {block.line} : « {block.title} » n'a pas de catégories ; "
                  "importée en brouillon.")  # fmt: skip
        for heading, label in block.unmatched:
            print(f"Ligne {block.line} : catégorie non reconnue dans « {heading} » : "
                  f"« {label} » (gardée en commentaire dans la fiche).")  # fmt: skip
    if report.acronyms:
        print("Sigles absents du glossaire, à ajouter à glossary.yml :")
        for term, meaning in report.acronyms.items():
            print(f"  {term}:\n    - forme_developpee: {meaning}")
    print(
        f"{len(report.blocks)} bloc(s) lu(s) : {len(report.written)} fiche(s) "
        f"{'à écrire' if dry_run else 'écrite(s)'}, dont "
        f"{sum(name in report.drafts for name in report.written)} brouillon(s) ; "
        f"{len(report.present)} déjà là."
    )
    return EXIT_OK


def _review(parser: argparse.ArgumentParser, project: Project, months: int | None) -> int:
    import datetime as dt

    from .review import review_due, to_review
    from .sitesettings import read_settings

    if months is None:
        settings, _problems = read_settings(project.mkdocs_path, "mkdocs.yml")
        months = settings.review_months
    if months is None or months < 1:
        parser.error(
            "aucun délai de relecture : ajoutez « relecture_mois: 24 » sous « extra: » dans "
            "mkdocs.yml, ou donnez --mois"
        )
    today = dt.date.today()
    result = check_project(project, today)
    found = to_review(result.fiches, months, today)
    for item in found:
        fiche = item.fiche
        if item.reviewed is None:
            when, late = "jamais relue", ""
        else:
            when = item.reviewed.isoformat()
            late = f" (à relire depuis le {review_due(item.reviewed, months).isoformat()})"
        print(f"{when:<12}  {fiche.file}  {fiche.title} — {fiche.organisation}{late}")
    total = len(result.fiches)
    print(f"{len(found)} fiche(s) à relire sur {total} (relecture valable {months} mois).")
    return EXIT_OK


def _new(parser: argparse.ArgumentParser, project: Project, args: argparse.Namespace) -> int:
    from .newfiche import Answers, NewFicheError, check_date, resolve_terms, write_new_fiche
    from .scaffold import vocabulary

    taxonomy, _glossary = vocabulary(project)
    asking = sys.stdin.isatty() and sys.stdout.isatty()
    answers = Answers(args.title or "", args.date, args.organisation)
    try:
        for written in args.terme:
            key, _, terms = written.partition("=")
            facet = taxonomy.facet(key.strip())
            if facet is None:
                keys = ", ".join(f.key for f in taxonomy.facets)
                parser.error(f"--terme : « {key} » n'est pas une catégorie (catégories : {keys})")
            answers.terms[facet.key] = resolve_terms(facet, terms.split(","))
        if args.date:
            check_date(args.date)
    except NewFicheError as error:
        parser.error(str(error))
    try:
        if asking:
            _ask_new(answers, taxonomy)
        if not answers.title.strip():
            parser.error('il faut un titre : fichotheque new "Titre de la fiche"')
        path = write_new_fiche(project, answers, taxonomy, force=args.force)
    except (KeyboardInterrupt, EOFError):
        print("\nInterrompu : aucune fiche n'a été écrite.", file=sys.stderr)
        return 130
    except NewFicheError as error:
        print(f"fichotheque : {error}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"Fiche créée : {project.relative(path)}")
    print("Remplissez-la, puis vérifiez-la avec « fichotheque check ».")
    return EXIT_OK


def _ask_new(answers: Answers, taxonomy: Taxonomy) -> None:
    """Ask at the terminal for what the options did not give, again after a mistake."""
    from .newfiche import NewFicheError, check_date, resolve_terms

    while not answers.title.strip():
        answers.title = input("Titre de la fiche : ").strip()
    while not answers.date:
        answers.date = input("Date ou période (2024, 2024-03, 2023–2024) : ").strip()
        try:
            check_date(answers.date)
        except NewFicheError as error:
            print(error)
            answers.date = ""
    if not answers.organisation:
        answers.organisation = input("Organisation : ").strip()
    for facet in taxonomy.facets:
        while facet.key not in answers.terms:
            choices = ", ".join(term.slug for term in facet.terms)
            need = "" if facet.required else ", vide pour aucun"
            written = input(f"{facet.label} ({choices}{need}) : ").strip()
            if not written and not facet.required:
                break
            try:
                answers.terms[facet.key] = resolve_terms(facet, written.split(","))
            except NewFicheError as error:
                print(error)


def _shown(project: Project, path: Path) -> str:
    """A path as the user knows it: from the base's root when it is inside."""
    return (
        path.relative_to(project.root).as_posix()
        if path.is_relative_to(project.root)
        else str(path)
    )


def _build(
    project: Project,
    *,
    strict: bool,
    site_dir: Path | None,
    force: bool,
    skip_invalid: bool,
    timings: Path | None = None,
) -> int:
    progress = Progress()
    try:
        return _checked_build(
            project, progress, strict=strict, site_dir=site_dir, force=force,
            skip_invalid=skip_invalid, timings=timings,
        )  # fmt: skip
    finally:
        progress.close()


def _checked_build(
    project: Project,
    progress: Progress,
    *,
    strict: bool,
    site_dir: Path | None,
    force: bool,
    skip_invalid: bool,
    timings: Path | None,
) -> int:
    from .engine import BuildError, build_site  # MkDocs loads only when a build is asked for

    result = check_project(project, progress=progress)
    left_out = 0
    if skip_invalid:
        selection = select_publishable(result, strict=strict)
        if not _report_selection(selection, total=len(result.files)):
            return EXIT_PROBLEMS
        result, left_out = selection.result, len(selection.left_out)
    else:
        _print_problems(result.problems)
        if is_failure(result.problems, strict=strict):
            print(
                f"{summary(result.problems)} Le site n'a pas été construit ; "
                "le site déjà publié reste en place.",
                file=sys.stderr,
            )
            return EXIT_PROBLEMS
    target = (site_dir if site_dir is not None else project.site_dir).resolve()
    try:
        report = build_site(project, result, target, force=force, strict=strict, progress=progress)
    except BuildError as error:
        print(f"fichotheque : la construction a échoué : {error}", file=sys.stderr)
        print("Le site déjà publié reste en place.", file=sys.stderr)
        return EXIT_PROBLEMS
    for warning in report.warnings:
        print(f"Avertissement de MkDocs : {warning}", file=sys.stderr)
    print(
        f"Site construit dans {target} : {report.fiche_count} fiche(s), "
        f"{report.page_count} page(s) en {report.seconds:.1f} s."
    )
    if timings is not None:
        write_text(
            timings,
            json.dumps(
                [stage.to_dict() for stage in progress.stages], indent=2, ensure_ascii=False
            ),
        )
    return EXIT_LEFT_OUT if left_out else EXIT_OK


def _print_problems(problems: list[Problem]) -> None:
    for line in format_report(problems):
        print(line, file=sys.stderr)


def _report_selection(selection: Selection, *, total: int) -> bool:
    """Print what ``--skip-invalid`` leaves out and why; False if nothing may be built."""
    problems = selection.result.problems
    if selection.blocking:
        _print_problems(problems)
        print(
            f"{summary(list(selection.blocking))} Ces problèmes ne tiennent pas à une fiche "
            "(taxonomy.yml, glossary.yml, mkdocs.yml, docs/ ou le dossier fiches/) : ils "
            "bloquent la construction même avec --skip-invalid. Le site n'a pas été "
            "construit ; le site déjà publié reste en place.",
            file=sys.stderr,
        )
        return False
    left_files = {item.file for item in selection.left_out}
    _print_problems([p for p in problems if p.file not in left_files])
    if not selection.left_out:
        return True
    for item in selection.left_out:
        print(f"Fiche écartée : {item.file}", file=sys.stderr)
        _print_problems(list(item.problems))
        for clash in item.clashes:
            print(f"    → écartée avec {clash.file} : {clash.message}", file=sys.stderr)
    print(
        f"{len(selection.left_out)} fiche(s) écartée(s) sur {total} (--skip-invalid) ; "
        "corrigez-les, puis relancez la construction pour les publier.",
        file=sys.stderr,
    )
    if not selection.published:
        print(
            "Aucune fiche ne reste à publier : le site n'a pas été construit ; "
            "le site déjà publié reste en place.",
            file=sys.stderr,
        )
        return False
    return True


if __name__ == "__main__":
    sys.exit(main())
