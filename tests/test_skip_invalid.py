"""``fichotheque build --skip-invalid``: the valid fiches are published, the others named."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup, Tag

from casefiles import CASES
from conftest import BASE, REPO
from fichotheque.bodycheck import unlink
from fichotheque.check import check_project
from fichotheque.cli import EXIT_LEFT_OUT, EXIT_MEANINGS, EXIT_OK, EXIT_PROBLEMS
from fichotheque.engine import SITE_MARKER
from fichotheque.project import Project
from fichotheque.selection import select_publishable

EXECUTABLE = Path(sys.executable).parent / "fichotheque"
VALID = 30
TERMS = (("accompagnement", "logement"), ("interpellation", "interculturalite"))


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run the installed command as a user would."""
    return subprocess.run(
        [str(EXECUTABLE), *map(str, args)], capture_output=True, text=True, timeout=300
    )


def fiche(
    number: int | None,
    title: str,
    *,
    body: str = "Le CAI accompagne des familles.",
    extra: str = "",
    axes: str = "",
    organisation: str = "organisation: CAI\n",
    date: str = "",
) -> str:
    """The text of one fiche of the test taxonomy (tests/cases/project)."""
    index = number or 0
    axis, theme = TERMS[index % len(TERMS)]
    return (
        "---\n"
        f"title: {title}\n"
        f"description: Le résumé de « {title} ».\n"
        + (date or f"date: {2000 + index % 20}\n")
        + (f"numero: {number}\n" if number is not None else "")
        + organisation
        + (axes or f"axes: [{axis}]\n")
        + f"thematiques: [{theme}]\n"
        "type: projet\n"
        f"{extra}---\n\n{body}\n"
    )


@dataclass(frozen=True)
class Base:
    """A generated base: VALID fiches that pass, three that fail, one draft."""

    root: Path
    valid: frozenset[str]
    broken: frozenset[str]

    def line_of(self, name: str, start: str) -> int:
        """The line of fiches/``name``.md that starts with ``start``."""
        lines = (self.root / "fiches" / f"{name}.md").read_text(encoding="utf-8").split("\n")
        return next(i for i, line in enumerate(lines, 1) if line.startswith(start))


def make_base(root: Path) -> Base:
    """The test project with VALID generated fiches, three broken ones that valid fiches
    point to (by ``fiches_liees``, by « Fiche N », by a Markdown link), and a draft."""
    shutil.copytree(CASES / "project", root)
    shutil.copyfile(BASE / "mkdocs.yml", root / "mkdocs.yml")
    fiches = root / "fiches"
    for path in fiches.glob("*.md"):
        path.unlink()
    valid = {f"valide-{n:02d}" for n in range(1, VALID + 1)}
    texts = {name: fiche(int(name[-2:]), f"Activité {name[-2:]}") for name in valid}
    texts["valide-01"] = fiche(1, "Activité 01", extra="fiches_liees: [cassee-liee, valide-05]\n")
    texts["valide-02"] = fiche(2, "Activité 02", body="Le bilan est dans la Fiche 102.")
    texts["valide-03"] = fiche(
        3, "Activité 03", body="Lire [le compte rendu de l'atelier](cassee-lien.md) d'abord."
    )
    texts["valide-04"] = fiche(
        4, "Activité 04", body="Voir [le projet en préparation](brouillon.md) bientôt."
    )
    texts["cassee-liee"] = fiche(101, "Cassée liée", axes="axes: [reseaux]\n")
    texts["cassee-citee"] = fiche(102, "Cassée citée", organisation="")
    texts["cassee-lien"] = fiche(103, "Cassée par lien", date="date: 2019-13\n")
    texts["brouillon"] = fiche(104, "En préparation", extra="statut: brouillon\n")
    for name, text in texts.items():
        (fiches / f"{name}.md").write_text(text, encoding="utf-8")
    return Base(root, frozenset(valid), frozenset({"cassee-liee", "cassee-citee", "cassee-lien"}))


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def article(site: Path, slug: str) -> Tag:
    found = soup(site / "fiches" / slug / "index.html").select_one("article")
    assert found is not None
    return found


def fiche_links(element: Tag, url: str) -> set[str]:
    """The slugs of the fiche pages an element of the page at ``url`` links to."""
    slugs = set()
    for link in element.find_all("a", href=True):
        path = urlsplit(urljoin(f"https://site.test/{url}", link["href"])).path
        parts = [p for p in path.split("/") if p]
        if len(parts) == 2 and parts[0] == "fiches":
            slugs.add(parts[1])
    return slugs


@dataclass(frozen=True)
class Built:
    base: Base
    run: subprocess.CompletedProcess[str]

    @property
    def site(self) -> Path:
        return self.base.root / "site"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The generated base built once with ``--skip-invalid``."""
    base = make_base(tmp_path_factory.mktemp("skip") / "base")
    return Built(base, run("build", "--root", base.root, "--skip-invalid"))


def test_without_the_option_nothing_is_built_and_the_site_stays(tmp_path: Path) -> None:
    """By default one broken fiche blocks the build, and the published site is untouched."""
    base = make_base(tmp_path / "base")
    site = base.root / "site"
    site.mkdir()
    (site / SITE_MARKER).write_text("Site construit par Fichothèque.\n")
    (site / "index.html").write_text("ancien site", encoding="utf-8")
    result = run("build", "--root", base.root)
    assert result.returncode == EXIT_PROBLEMS
    assert "Le site n'a pas été construit" in result.stderr
    assert sorted(p.name for p in site.iterdir()) == [SITE_MARKER, "index.html"]
    assert (site / "index.html").read_text(encoding="utf-8") == "ancien site"


def test_the_site_is_built_and_the_exit_code_says_fiches_were_left_out(built: Built) -> None:
    """With the option the build succeeds with the documented code for « fiches left out »."""
    assert built.run.returncode == EXIT_LEFT_OUT, built.run.stderr
    assert f"Site construit dans {built.site}" in built.run.stdout
    assert f"{len(built.base.broken)} fiche(s) écartée(s) sur {VALID + 4}" in built.run.stderr
    assert "Traceback" not in built.run.stderr


def test_each_left_out_fiche_is_named_with_its_problems_as_check_prints_them(
    built: Built,
) -> None:
    """stderr names every left-out fiche, then its problems with file:line, as ``check``."""
    stderr = built.run.stderr
    problems = check_project(Project(built.base.root)).problems
    for name in built.base.broken:
        file = f"fiches/{name}.md"
        assert f"Fiche écartée : {file}\n" in stderr
        own = [p for p in problems if p.file == file]
        assert own, file
        for problem in own:
            assert problem.format_text() in stderr
    base = built.base
    assert f"fiches/cassee-liee.md:{base.line_of('cassee-liee', 'axes:')}:" in stderr
    assert f"fiches/cassee-lien.md:{base.line_of('cassee-lien', 'date:')}:" in stderr
    assert "Fiche écartée : fiches/valide-" not in stderr


def test_the_site_holds_exactly_the_valid_fiches(built: Built) -> None:
    """Pages, catalogue, JSON, CSV, feed and search index hold the valid fiches, no other."""
    site = built.site
    valid = built.base.valid
    assert {p.parent.name for p in (site / "fiches").glob("*/index.html")} == valid
    catalogue = soup(site / "fiches/index.html").select_one("article")
    assert catalogue is not None and fiche_links(catalogue, "fiches/") == valid
    exported = json.loads((site / "donnees/fiches.json").read_text(encoding="utf-8"))
    records = exported["fiches"] if isinstance(exported, dict) else exported
    assert {record["slug"] for record in records} == valid
    rows = csv.DictReader(io.StringIO((site / "donnees/fiches.csv").read_text("utf-8-sig")))
    assert {row["slug"] for row in rows} == valid
    entry = json.loads((site / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["fr"]["page_count"] == len(valid)


def test_no_page_links_to_a_left_out_fiche(built: Built) -> None:
    """No page of the site (term pages, similar fiches, home, feed…) links to a left-out one."""
    hidden = built.base.broken | {"brouillon"}
    for path in built.site.rglob("*.html"):
        url = path.parent.relative_to(built.site).as_posix() + "/"
        assert not fiche_links(soup(path), url) & hidden, path
    feed = (built.site / "flux.xml").read_text(encoding="utf-8")
    assert not any(f"fiches/{name}/" in feed for name in hidden)


def test_related_fiches_leave_out_the_left_out_one(built: Built) -> None:
    """« Fiches liées » keeps the valid fiche named and drops the left-out one."""
    page = article(built.site, "valide-01")
    heading = page.find(id="fiches-liees")
    assert heading is not None
    listing = heading.find_next("ul")
    assert isinstance(listing, Tag) and fiche_links(listing, "fiches/valide-01/") == {"valide-05"}
    assert "Cassée liée" not in page.get_text()


@pytest.mark.parametrize(
    ("slug", "text"),
    [
        ("valide-02", "Fiche 102"),
        ("valide-03", "le compte rendu de l'atelier"),
        ("valide-04", "le projet en préparation"),  # a draft: the same path
    ],
)
def test_a_reference_to_an_unpublished_fiche_stays_as_plain_text(
    built: Built, slug: str, text: str
) -> None:
    """« Fiche N » and Markdown links to a fiche not published keep their text, no link."""
    page = article(built.site, slug)
    assert text in page.get_text()
    assert not [a for a in page.find_all("a") if text in a.get_text()]


def test_a_taxonomy_error_still_blocks_with_the_option(tmp_path: Path) -> None:
    """An error in taxonomy.yml concerns every fiche: --skip-invalid builds nothing."""
    base = make_base(tmp_path / "base")
    taxonomy = base.root / "taxonomy.yml"
    taxonomy.write_text(
        taxonomy.read_text(encoding="utf-8").replace("cle: pays", "cle: pays pays"),
        encoding="utf-8",
    )
    result = run("build", "--root", base.root, "--skip-invalid")
    assert result.returncode == EXIT_PROBLEMS
    assert "taxonomy.yml:" in result.stderr
    assert "bloquent la construction même avec --skip-invalid" in result.stderr
    assert not (base.root / "site").exists()


def test_strict_leaves_out_the_fiches_with_warnings_too(tmp_path: Path) -> None:
    """With --strict a fiche with a warning is left out; without, it is published."""
    base = make_base(tmp_path / "base")
    warned = base.root / "fiches/valide-06.md"
    warned.write_text(fiche(6, "Activité 06", body="Voir la Fiche 999."), encoding="utf-8")
    result = check_project(Project(base.root))
    assert any(p.file == "fiches/valide-06.md" for p in result.problems)
    lenient = select_publishable(result, strict=False)
    strict = select_publishable(result, strict=True)
    lenient_out = {item.file for item in lenient.left_out}
    strict_out = {item.file for item in strict.left_out}
    assert "fiches/valide-06.md" not in lenient_out
    assert strict_out == lenient_out | {"fiches/valide-06.md"}
    assert "valide-06" not in {f.slug for f in strict.result.fiches}


def test_fiches_sharing_a_number_are_both_left_out(tmp_path: Path) -> None:
    """Two fiches with one number are both left out; the rest of the base stays."""
    base = make_base(tmp_path / "base")
    (base.root / "fiches/valide-07.md").write_text(fiche(8, "Activité 07"), encoding="utf-8")
    selection = select_publishable(check_project(Project(base.root)), strict=False)
    out = {item.file for item in selection.left_out}
    assert {"fiches/valide-07.md", "fiches/valide-08.md"} <= out
    first = next(item for item in selection.left_out if item.file == "fiches/valide-07.md")
    assert [p.code for p in first.clashes] == ["numero-duplique"]
    published = {f.slug for f in selection.result.fiches}
    assert published == {f"valide-{n:02d}" for n in range(1, VALID + 1)} - {
        "valide-07",
        "valide-08",
    } | {"brouillon"}
    assert not selection.blocking


def test_nothing_is_built_when_every_fiche_is_left_out(tmp_path: Path) -> None:
    """If no fiche is left to publish, the option builds nothing rather than an empty site."""
    base = make_base(tmp_path / "base")
    for path in (base.root / "fiches").glob("*.md"):
        if path.stem not in base.broken:
            path.unlink()
    result = run("build", "--root", base.root, "--skip-invalid")
    assert result.returncode == EXIT_PROBLEMS
    assert f"{len(base.broken)} fiche(s) écartée(s) sur {len(base.broken)}" in result.stderr
    assert "Aucune fiche ne reste à publier" in result.stderr
    assert not (base.root / "site").exists()


def test_nothing_left_out_exits_0(tmp_path: Path) -> None:
    """A base without a failing fiche builds with --skip-invalid and exits 0."""
    base = make_base(tmp_path / "base")
    for name in ("cassee-liee", "cassee-citee", "cassee-lien"):
        (base.root / "fiches" / f"{name}.md").unlink()
    for name in ("valide-01", "valide-02", "valide-03"):
        (base.root / "fiches" / f"{name}.md").unlink()
    for path in sorted((base.root / "fiches").glob("valide-*.md"))[5:]:
        path.unlink()
    result = run("build", "--root", base.root, "--skip-invalid")
    assert result.returncode == EXIT_OK, result.stderr
    assert "écartée" not in result.stderr


def test_every_exit_code_is_in_the_help_and_the_readme() -> None:
    """The exit codes are declared once and shown by ``build --help`` and the README."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    help_text = run("build", "--help").stdout
    for code, meaning in EXIT_MEANINGS.items():
        assert f"  {code}  {meaning}\n" in help_text
        assert f"| {code} | {meaning} |" in readme.replace("`", ""), code
    assert "--skip-invalid" in help_text and "--skip-invalid" in readme


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Voir [le bilan](a.md).", "Voir le bilan."),
        ('Voir [le bilan](<a.md> "titre") et [b](b.md).', "Voir le bilan et [b](b.md)."),
        ("Voir [le bilan][x].\n\n[x]: a.md", "Voir le bilan.\n\n[x]: a.md"),
        ("Le code `[le bilan](a.md)` reste.", "Le code `[le bilan](a.md)` reste."),
        ("![Affiche](a.md)", "![Affiche](a.md)"),
    ],
)
def test_unlink_keeps_the_text_of_links_to_given_targets(body: str, expected: str) -> None:
    """Only links (inline or by reference) to the given targets lose their link, not code."""
    assert unlink(body, {"a.md"}) == expected
