"""Run every loader and validator over a project: the ``fichotheque check`` stage."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .bodycheck import check_body
from .checkcache import CheckCache, Entry, LazyFiches, check_files
from .crosscheck import validate_catalogue
from .fiches import Fiche, find_fiche_files, name_collisions, split_front_matter
from .fields import Context
from .files import file_digest, published_files, read_text, unreadable_below
from .glossary import Glossary, load_glossary
from .links import Targets, fiches_reached
from .problems import Problem, Severity, sort_problems
from .progress import Progress, Step
from .project import Project
from .routes import generated_pages
from .sitesettings import read_settings
from .taxonomy import Taxonomy, load_taxonomy
from .text import CONTROL
from .validate import Checked
from .yamlnodes import Mark, forbidden_characters


@dataclass
class CheckResult:
    """Everything a check learnt: the vocabulary, the fiches that could be typed, the problems.

    ``files`` are every fiche file read (typed or not), ``checked`` what the collection
    checks saw of each, and ``fiche_links`` maps a fiche file to the links of its body
    that reach another fiche (link target → that fiche's slug). ``sources`` gives, by file,
    a digest of all its typed fiche was read from (checkcache.py): what a rendered page
    of the fiche is keyed by.
    """

    taxonomy: Taxonomy
    glossary: Glossary
    fiches: Sequence[Fiche] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    checked: list[Checked] = field(default_factory=list)
    fiche_links: dict[str, dict[str, str]] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)


def check_project(
    project: Project, today: dt.date | None = None, progress: Progress | None = None
) -> CheckResult:
    """Validate taxonomy.yml, glossary.yml and every fiche; collect every problem."""
    today = today or dt.date.today()
    progress = progress or Progress(show=False)
    with progress.stage("Vérification des fiches") as step:
        return _check(project, today, step)


def _check(project: Project, today: dt.date, step: Step) -> CheckResult:
    taxonomy, problems = load_taxonomy(
        project.taxonomy_path, project.relative(project.taxonomy_path), _own_pages(project)
    )
    usable = not any(p.severity is Severity.ERROR for p in problems)
    glossary, glossary_problems = load_glossary(
        project.glossary_path, project.relative(project.glossary_path)
    )
    problems += glossary_problems
    problems += unreadable_below(project.docs_dir, project.root)  # the build copies docs/
    settings, settings_problems = read_settings(
        project.mkdocs_path, project.relative(project.mkdocs_path)
    )
    problems += settings_problems
    context = Context(
        project.root,
        taxonomy,
        glossary,
        today,
        taxonomy_usable=usable,
        hosts=settings.allowed_hosts,
        review_months=settings.review_months,
    )
    paths, found_problems = find_fiche_files(project.fiches_dir, project.root)
    problems += found_problems
    if not paths:
        problems.append(
            Problem(
                project.relative(project.fiches_dir),
                0,
                0,
                "aucune-fiche",
                Severity.WARNING,
                "",
                "Aucune fiche trouvée : le dossier est vide ou absent.",
                "Créez un fichier .md par fiche dans le dossier fiches/.",
            )
        )
    files = [project.relative(path) for path in paths]
    step.total = len(files)
    problems += name_collisions(files)
    checked: list[Checked] = []
    entries, fiches, sources = _single_file_checks(project, context, paths, files, step)
    for read_problems, item, fiche_problems in entries:
        problems += read_problems + fiche_problems
        if item is not None:
            checked.append(item)
    targets = _link_targets(project, taxonomy, glossary)
    problems += validate_catalogue(checked, targets)
    problems += _check_pages(project, settings.allowed_hosts)
    links = {item.file: fiches_reached(item.slug, item.body_links, targets) for item in checked}
    return CheckResult(
        taxonomy, glossary, fiches, sort_problems(problems), files, checked, links, sources
    )


def _single_file_checks(
    project: Project, context: Context, paths: list[Path], files: list[str], step: Step
) -> tuple[list[Entry], LazyFiches, dict[str, str]]:
    """What each fiche says on its own, in order, the typed fiches, and their sources.

    An unchanged file comes from the cache; its fiche stays pickled until it is read.
    """
    cache = CheckCache.open(project, context.today)
    digests = [file_digest(path) for path in paths]
    cached = [cache.get(f, d) for f, d in zip(files, digests, strict=True)]
    entries: list[Entry | None] = [hit[0] if hit is not None else None for hit in cached]
    step.advance(sum(hit is not None for hit in cached))
    todo = [i for i, hit in enumerate(cached) if hit is None]
    results = check_files([(paths[i], files[i]) for i in todo], context)
    for index, result in zip(todo, results, strict=True):
        entries[index] = result
        cache.put(files[index], digests[index], result)
        step.advance()
    cache.save(files)
    typed: list[Fiche | tuple[bytes, str]] = []
    sources: dict[str, str] = {}
    for file, digest, hit, entry in zip(files, digests, cached, entries, strict=True):
        source = cache.source(file, digest) if digest is not None else None
        if hit is not None and hit[1] is not None and source is not None:
            # a hit has a digest; the day too, as the entry's (a date in the future)
            typed.append((hit[1], f"{cache.key}\0{source}"))
        elif hit is None and entry is not None and entry[1] is not None and entry[1].fiche:
            typed.append(entry[1].fiche)
        else:
            continue
        if source is not None:
            sources[file] = source
    return [entry for entry in entries if entry is not None], LazyFiches(typed), sources


def _own_pages(project: Project) -> dict[str, str]:
    """The first names of docs/ (pages and folders): a facet key may not take one."""
    try:
        entries = list(project.docs_dir.iterdir())
    except OSError:  # absent, or unreadable: reported by unreadable_below
        return {}
    return {
        path.name.removesuffix(".md"): f"la page « {project.relative(path)} »"
        if path.suffix == ".md"
        else f"le dossier « {project.relative(path)} »"
        for path in entries
        if path.suffix == ".md" or path.is_dir()
    }


def _link_targets(project: Project, taxonomy: Taxonomy, glossary: Glossary) -> Targets:
    """The pages and files a fiche body may link to, besides other fiches."""
    targets = Targets(
        pages=generated_pages((f.key, [t.slug for t in f.terms]) for f in taxonomy.facets)
    )
    if glossary.entries:
        targets.add_glossary(m.id for e in glossary.entries for m in e.meanings)
    for path in published_files(project.docs_dir):
        kind = targets.pages if path.suffix == ".md" else targets.files
        kind.add(path.relative_to(project.docs_dir).as_posix())
    return targets


def _check_pages(project: Project, hosts: tuple[str, ...]) -> list[Problem]:
    """The hand-written pages of docs/ are published like fiches: the same body rules."""
    problems: list[Problem] = []
    for path in published_files(project.docs_dir):
        if path.suffix != ".md":
            continue
        file = project.relative(path)
        text, read_problems = read_text(path, file)
        # An unreadable page is reported by unreadable_below; a wrong encoding only here.
        problems += [p for p in read_problems if p.code == "encodage"]
        if text is None:
            continue
        _front, body, line = split_front_matter(text)
        problems += check_body(body, Mark(line, 1), file, hosts).problems
        problems += forbidden_characters(body, file, line_offset=line - 1, pattern=CONTROL)
    return problems
