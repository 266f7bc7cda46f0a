"""Hostile fiche bodies (tests/attacks/): check flags each one, and the built site defuses them all.

Every payload is a section headed « ## A123 · … » whose canary names it: ``alert('A123')``,
``document.title = 'PWNED A123'``, ``window.__pwned = 'A123'`` or a request to
``https://evil.example/A123…``. Failures name the page and the payload.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urldefrag, urlsplit

import pytest

from casefiles import CASES, TODAY
from conftest import BASE
from fichotheque.check import check_project
from fichotheque.engine import BuildReport, build_site
from fichotheque.fiches import FENCE
from fichotheque.model import build_catalogue
from fichotheque.problems import Severity
from fichotheque.project import Project
from fichotheque.render.redirects import render_redirects
from fichotheque.routes import EDITOR_DIR
from test_browser import browser, server  # noqa: F401 - fixtures
from test_search import results

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Dialog, Page, Request, Route

ATTACKS = Path(__file__).parent / "attacks"
ATTACK_FILES = sorted(p for p in ATTACKS.glob("*.md") if p.name != "README.md")
PAYLOAD = re.compile(r"\bA\d{3}\b", re.IGNORECASE)
HEADING = re.compile(r"^## (A\d{3}) · (.+)$", re.MULTILINE)
SEARCH_WORD = "piège"
SETTLE_MS = 200  # long enough for autofocus, ontoggle, onbegin and a 0-second meta refresh
CLICK_MS = 50


def payloads(attack: Path) -> dict[str, str]:
    """The payloads of an attack fiche: their identifier and heading."""
    return dict(HEADING.findall(attack.read_text(encoding="utf-8")))


def attack_base(root: Path, attacks: list[Path]) -> Project:
    """tests/cases/project with the repository's mkdocs.yml and ``attacks`` among its fiches."""
    shutil.copytree(CASES / "project", root, dirs_exist_ok=True)
    shutil.copyfile(BASE / "mkdocs.yml", root / "mkdocs.yml")
    for attack in attacks:
        shutil.copyfile(attack, root / "fiches" / attack.name)
    return Project(root)


def test_the_attack_folder_covers_at_least_forty_payloads() -> None:
    """The folder keeps 40 payloads or more, each named once."""
    names = [name for attack in ATTACK_FILES for name in payloads(attack)]
    assert all(payloads(attack) for attack in ATTACK_FILES), "a file without a payload heading"
    assert len(names) >= 40
    assert len(names) == len(set(names)), "a payload identifier is used twice"


@pytest.mark.parametrize("attack", ATTACK_FILES, ids=lambda path: path.stem)
def test_attack_fiches_are_valid_apart_from_their_payloads(attack: Path, tmp_path: Path) -> None:
    """With a harmless body, each attack fiche checks clean: only the payloads are wrong."""
    project = attack_base(tmp_path, [])
    front, _, _ = attack.read_text(encoding="utf-8").partition(f"\n{FENCE}\n")
    (project.fiches_dir / attack.name).write_text(
        f"{front}\n{FENCE}\n\nUn texte sans danger.\n", encoding="utf-8"
    )
    result = check_project(project, today=TODAY)
    mine = [p.format_text() for p in result.problems if p.file == f"fiches/{attack.name}"]
    assert mine == []


@pytest.mark.parametrize("attack", ATTACK_FILES, ids=lambda path: path.stem)
def test_check_reports_an_error_in_every_attack_fiche(attack: Path, tmp_path: Path) -> None:
    """``check`` stops every attack fiche with at least one error, in that fiche."""
    result = check_project(attack_base(tmp_path, [attack]), today=TODAY)
    errors = [
        p
        for p in result.problems
        if p.file == f"fiches/{attack.name}" and p.severity is Severity.ERROR
    ]
    listed = "; ".join(f"{name} {title}" for name, title in payloads(attack).items())
    assert errors, f"check finds no error in fiches/{attack.name}, whose payloads are: {listed}"


# -- In Chromium ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built_example(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, BuildReport]:
    """In this module, the site that test_browser's ``server`` serves: every attack fiche.

    ``build_site`` is called whatever ``check`` says, so that what is tested is the
    sanitiser behind the check: defence in depth.
    """
    project = attack_base(tmp_path_factory.mktemp("attacks") / "base", ATTACK_FILES)
    report = build_site(project, check_project(project, today=TODAY), project.site_dir)
    pages = project.site_dir / "fiches"
    missing = [a.name for a in ATTACK_FILES if not (pages / a.stem / "index.html").is_file()]
    assert missing == [], f"the build left out {missing}: the browser would test nothing there"
    return project, report


def site_addresses(project: Project) -> list[str]:
    """Every HTML page of a built site, as an address relative to its root, but its redirects.

    A redirect (a renamed term's or fiche's old address) leaves on its own by design;
    tests/test_renames.py checks where it leads. The browser editor (/admin/) is no page
    of the site: it shows no fiche body and has its own policy (tests/test_editor.py).
    """
    result = check_project(project, today=TODAY)
    redirects = set(
        render_redirects(build_catalogue(result.fiches, result.taxonomy, result.glossary))
    )
    addresses = []
    for path in sorted(project.site_dir.rglob("*.html")):
        relative = path.relative_to(project.site_dir).as_posix()
        if relative not in redirects and not relative.startswith(EDITOR_DIR + "/"):
            addresses.append(relative.removesuffix("index.html"))
    return addresses


# Shared by the scripts the test runs in the pages. They read the DOM through the prototypes,
# so that an element named « querySelectorAll » or « title » cannot hide anything from them.
HELPERS = r"""
const D = Document.prototype, E = Element.prototype;
const getter = (proto, name, object) =>
  Object.getOwnPropertyDescriptor(proto, name).get.call(object);
const root = getter(D, "documentElement", document);
const body = getter(D, "body", document);
const all = (selector, scope) => Array.from(E.querySelectorAll.call(scope || root, selector));
const ID = /\bA\d{3}\b/i;
const short = (text) => (text.length > 110 ? text.slice(0, 107) + "..." : text);
const opening = (el) => `<${el.localName}` + Array.from(el.attributes)
  .filter((a) => a.name !== "data-attaque-clic")
  .map((a) => ` ${a.name}="${a.value}"`).join("") + ">";
const isHttp = (url) => {
  try { return /^https?:$/.test(new URL(url, document.baseURI).protocol); }
  catch (error) { return false; }
};
const sameOrigin = (url) => {
  try { return isHttp(url) && new URL(url, document.baseURI).origin === location.origin; }
  catch (error) { return false; }
};
const hrefOf = (el) => {
  const href = el.href;
  if (typeof href === "string") { return href; }
  if (href && typeof href.animVal === "string") { return href.animVal; }
  return el.getAttribute("href") || el.getAttributeNS("http://www.w3.org/1999/xlink", "href");
};
"""

# Which payload an element belongs to: an identifier in its own markup, in the link around
# it, or else the payload heading it comes after.
PRELUDE = (
    HELPERS
    + r"""
const headings = all("h2").filter((h) => ID.test(h.textContent));
const idOf = (text) => {
  const found = ID.exec(text || "");
  return found && found[0].toUpperCase();
};
const payloadOf = (el, hint) => {
  const link = el.closest && el.closest("a[href]");
  let found = idOf(hint) || (link && idOf(link.getAttribute("href"))) || "-";
  if (found !== "-") { return found; }
  for (const h of headings) {
    const after = h.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING;
    if (h === el || h.contains(el) || after) { found = idOf(h.textContent); }
  }
  return found;
};
"""
)

# Installed before any page script. Following an http(s) link, or sending a form to an
# http(s) address, is cancelled: the page under test stays, and a link to another site is
# not a leak. javascript:, data: and the like go through for real; inline handlers run.
NEUTRALISE = (
    "(() => {"
    + HELPERS
    + r"""
  window.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest("a, area");
    const href = link && hrefOf(link);
    if (href && isHttp(href)) { event.preventDefault(); }
  }, true);
  window.addEventListener("submit", (event) => {
    const by = event.submitter;
    const action = by && by.hasAttribute("formaction") ? by.formAction : event.target.action;
    if (isHttp(action)) { event.preventDefault(); }
  }, true);
})();
"""
)

CANARY = (
    "() => {"
    + PRELUDE
    + r"""
  const found = [];
  const title = getter(D, "title", document);
  if (/PWNED/i.test(title)) { found.push([payloadOf(root, title), "title changed", title]); }
  if (Object.prototype.hasOwnProperty.call(window, "__pwned")) {
    const value = String(window.__pwned);
    found.push([payloadOf(root, value), "window.__pwned set", value]);
  }
  return found;
}"""
)

FOCUS = (
    "() => {"
    + PRELUDE
    + r"""
  const focusable = all("a, area, button, input, select, textarea, iframe, summary, audio, "
    + "video, object, embed, [tabindex], [contenteditable]");
  for (const el of focusable) { try { el.focus(); } catch (error) {} }
  if (document.activeElement && document.activeElement.blur) { document.activeElement.blur(); }
}"""
)

# Sends the hover events to every element of the article; returns, for a fiche page, the
# middle of each element after the fiche's categories, for the real mouse to pass over.
HOVER = (
    "(fichePage) => {"
    + PRELUDE
    + r"""
  const article = all("article")[0];
  if (!article) { return []; }
  const start = all("nav.fiche-categories", article)[0];
  const points = new Map();
  for (const el of all("*", article)) {
    for (const type of ["pointerover", "pointerenter", "mouseover", "mouseenter", "mousemove"]) {
      const Kind = type.startsWith("pointer") ? PointerEvent : MouseEvent;
      el.dispatchEvent(new Kind(type, { bubbles: !type.endsWith("enter") }));
    }
    const box = el.getBoundingClientRect();
    const inBody = fichePage && start && !start.contains(el)
      && start.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING;
    if (!inBody || box.width < 1 || box.height < 1) { continue; }
    const x = Math.round(box.left + box.width / 2 + scrollX);
    const y = Math.round(box.top + box.height / 2 + scrollY);
    points.set(`${Math.round(x / 16)},${Math.round(y / 16)}`, [x, y]);
  }
  return Array.from(points.values()).sort((a, b) => a[1] - b[1]);
}"""
)

# Numbers what can be clicked. What leads to an http(s) address, and controls that lead
# nowhere, are clicked here (see NEUTRALISE); the rest is returned, for real clicks. The
# site's own search form is left to test_search.
CLICKABLE = (
    "(clickHere) => {"
    + PRELUDE
    + r"""
  const controls = ["submit", "image", "button", "reset"];
  const targets = all("a, area, button, input, summary, [role=button]").filter((el) =>
    (el.localName !== "input" || controls.includes(el.type)) && !el.closest("form[data-pagefind]"));
  const real = [];
  targets.forEach((el, index) => {
    el.setAttribute("data-attaque-clic", index);
    let target = null;
    if (el.localName === "a" || el.localName === "area") {
      target = hrefOf(el) || "";
    } else if (el.form && !["button", "reset"].includes(el.type)) {
      target = el.hasAttribute("formaction") ? el.formAction : el.form.action;
    }
    if (target !== null && !isHttp(target)) {
      real.push([index, target]);
    } else if (clickHere) {
      el.click();
    }
  });
  return real;
}"""
)

AUDIT = (
    "([reserved, fichePage]) => {"
    + PRELUDE
    + r"""
  const found = [];
  const report = (el, kind, detail, hint) =>
    found.push([payloadOf(el, hint || detail), kind, short(detail)]);
  const only = headings.length === 1 ? idOf(headings[0].textContent) : "-";
  const reportPage = (kind, detail) => found.push([only, kind, detail]);
  const withText = (el) => opening(el) + (["style", "script", "iframe", "textarea"]
    .includes(el.localName) ? el.textContent.slice(0, 500) : "");
  const bad = (value) => /^(javascript|vbscript|data):/
    .test(value.replace(/[\u0000-\u0020\u007f-\u009f]/g, "").toLowerCase());
  const URLS = new Set(["href", "src", "action", "formaction", "xlink:href", "data", "poster",
    "background", "cite", "ping", "lowsrc", "dynsrc", "longdesc", "codebase", "manifest",
    "icon", "profile"]);
  const LISTS = new Set(["srcset", "imagesrcset"]);
  const article = all("article")[0];
  const ids = new Map();
  for (const el of all("*")) {
    const tag = opening(el), hint = withText(el);
    for (const attribute of Array.from(el.attributes)) {
      const name = attribute.name.toLowerCase(), value = attribute.value;
      const what = `${name}="${value}" on ${tag}`;
      if (name.startsWith("on")) {
        report(el, "event attribute", what, hint);
      } else if ((URLS.has(name) || name.endsWith(":href")) && bad(value)) {
        report(el, "dangerous URL", what, hint);
      } else if (LISTS.has(name)
                 && value.split(",").some((part) => bad(part.trim().split(/\s+/)[0] || ""))) {
        report(el, "dangerous URL", what, hint);
      } else if (name === "srcdoc") {
        report(el, "srcdoc", tag, hint);
      } else if (name.startsWith("data-pagefind-") && name !== "data-pagefind-body"
                 && !el.closest(".fiche-index") && !el.matches(".fiche-resume")) {
        report(el, "forged Pagefind data", tag, hint);
      }
    }
    if (el instanceof SVGElement && el.href && typeof el.href.animVal === "string"
        && el.href.animVal !== el.getAttribute("href") && bad(el.href.animVal)) {
      report(el, "dangerous URL", `animated href "${el.href.animVal}" on ${tag}`, hint);
    }
    if (/^(animate|set|animatemotion|animatetransform)$/i.test(el.localName)) {
      const target = (el.getAttribute("attributeName") || "").toLowerCase();
      if (target.startsWith("on") || target.endsWith("href")) {
        report(el, "animation of " + target, tag, hint);
      }
    }
    if (el.id) { ids.set(el.id, (ids.get(el.id) || []).concat([el])); }
  }
  for (const [id, elements] of ids) {
    const culprit = elements.find((el) => article && article.contains(el)) || elements[0];
    if (elements.length > 1) {
      report(culprit, "duplicate id", `id="${id}", ${elements.length} times`, withText(culprit));
    }
  }
  const shadows = (proto, name) => {
    for (let p = proto; p; p = Object.getPrototypeOf(p)) {
      if (Object.prototype.hasOwnProperty.call(p, name)) { return true; }
    }
    return false;
  };
  for (const el of all("[name]")) {
    const name = el.getAttribute("name");
    if (["img", "form", "embed", "object", "iframe"].includes(el.localName) && shadows(D, name)) {
      report(el, "clobbers document." + name, opening(el));
    }
    if (el.form && shadows(HTMLFormElement.prototype, name)) {
      report(el, "clobbers form." + name, opening(el));
    }
  }
  for (const el of all("base, meta[http-equiv=refresh i]")) {
    report(el, "page-wide element", opening(el), withText(el));
  }
  for (const el of all("meta, link, style, base", body)) {
    report(el, "head element in the body", opening(el), withText(el));
  }
  for (const el of article && fichePage ? all("script", article) : []) {
    report(el, "script in the article", opening(el), withText(el));
  }
  for (const el of all("input[type=password i]")) { report(el, "password field", opening(el)); }
  for (const el of all("form")) {
    if (!sameOrigin(el.action)) { report(el, "form sent elsewhere", opening(el)); }
  }
  for (const el of all("[formaction]")) {
    if (!sameOrigin(el.formAction)) { report(el, "form sent elsewhere", opening(el)); }
  }
  for (const el of all("a[target], area[target]")) {
    const target = el.getAttribute("target").toLowerCase();
    const rel = (el.getAttribute("rel") || "").toLowerCase().split(/\s+/);
    const opener = !rel.includes("noopener") && !rel.includes("noreferrer");
    if (!["", "_self", "_top", "_parent"].includes(target) && opener) {
      report(el, "new window without noopener", opening(el));
    }
    if (rel.includes("opener")) { report(el, "rel=opener", opening(el)); }
  }
  for (const el of all("[ping]")) { report(el, "ping", opening(el)); }
  for (const el of article ? all("*", article) : []) {
    const position = getComputedStyle(el).position, box = el.getBoundingClientRect();
    // The theme's own sticky first column of the catalogue and the cross table, which
    // stays inside its scrolling frame, is the one exception.
    const ownSticky = position === "sticky" && el.parentElement.firstElementChild === el &&
      el.closest("table.catalogue[data-triable], table.matrice");
    if ((position === "fixed" || position === "sticky") && !ownSticky) {
      report(el, "overlay", `position: ${position} on ${opening(el)}`, withText(el));
    } else if (position === "absolute" && box.width >= innerWidth && box.height >= innerHeight) {
      report(el, "overlay", `absolute, covers the window: ${opening(el)}`, withText(el));
    }
  }
  for (const host of [root, body]) {
    for (const pseudo of ["::before", "::after"]) {
      if (getComputedStyle(host, pseudo).position === "fixed") {
        reportPage("overlay", `${host.localName}${pseudo} is fixed`);
      }
    }
  }
  const shown = (el) =>
    el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
  if (!shown(all(".md-header")[0])) { reportPage("site hidden", "the header is not shown"); }
  if (!shown(all(".md-footer")[0])) { reportPage("site hidden", "the footer is not shown"); }
  // An id of the search page in a body (« ## Recherche » gives one) must not break the
  // site's own scripts: the header search box is still there on every other page.
  if (reserved.length && !all("form.entete-recherche")[0]) {
    reportPage("site broken", "the header search box is missing");
  }
  if (fichePage) {
    const neighbours = all("nav.fiche-voisines")[0];
    if (!shown(neighbours)) {
      reportPage("page swallowed", "the links to the neighbouring fiches are not shown");
    } else if (neighbours.closest("a") || all("a", neighbours).some((a) => !sameOrigin(a.href))) {
      reportPage("page swallowed", "the links to the neighbouring fiches lead elsewhere");
    }
  }
  return found;
}"""
)

IDS = "() => Array.from(document.querySelectorAll('[id]'), (el) => el.id)"
RAN = {"alert dialog", "confirm dialog", "prompt dialog", "title changed", "window.__pwned set"}
LEAK = "request to another host"


def _named(text: str) -> str:
    """The payload a text names, or « - »."""
    found = PAYLOAD.search(text)
    return found[0].upper() if found else "-"


@dataclass
class Visitor:
    """Walks the pages of the site in one browser context and collects what got through."""

    context: BrowserContext
    host: str
    page: Page = field(init=False)
    where: str = ""
    reserved: list[str] = field(default_factory=list)
    findings: set[tuple[str, str, str, str]] = field(default_factory=set)
    hovered: int = 0
    watched: list[Page] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.context.route("**/*", self._route)
        self.context.on("request", self._request)
        self.context.on("page", self._watch)
        self.context.add_init_script(NEUTRALISE)
        self.page = self.context.new_page()
        self._watch(self.page)
        self.page.set_default_timeout(5000)

    def add(self, payload: str, kind: str, detail: str) -> None:
        """Record what got through on the current page."""
        self.findings.add((self.where, payload, kind, detail))

    def _route(self, route: Route) -> None:
        if urlsplit(route.request.url).netloc == self.host:
            route.continue_()
        else:
            route.abort()

    def _request(self, request: Request) -> None:
        url = request.url
        if url.startswith(("http:", "https:")) and urlsplit(url).netloc != self.host:
            self.add(_named(url), LEAK, url)

    def _watch(self, page: Page) -> None:
        if page in self.watched:
            return
        self.watched.append(page)
        page.on("dialog", self._dialog)
        page.on("pageerror", self._error)
        if len(self.watched) > 1:
            # A window opened by the page: its requests are out already. In front, it would
            # leave the page under test in the background, where it barely renders.
            page.close()

    def _error(self, error: Exception) -> None:
        self.add(_named(str(error)), "uncaught error", str(error))

    def _dialog(self, dialog: Dialog) -> None:
        self.add(_named(dialog.message), f"{dialog.type} dialog", dialog.message)
        with contextlib.suppress(Exception):  # Playwright's error: its frame went away
            dialog.dismiss()

    def _goto(self, url: str) -> str:
        """Open ``url`` and let it settle; what went wrong, or an empty string."""
        for attempt in range(2):
            try:
                self.page.goto(url, wait_until="load")
                self.page.wait_for_timeout(SETTLE_MS)
                return ""
            except Exception as error:  # Playwright's errors: a navigation of the page's own
                message = str(error).splitlines()[0]
                if attempt or "interrupted by another navigation" not in message:
                    return message
                self.page.wait_for_load_state()
        return ""

    def load(self, address: str) -> bool:
        """Open ``address``; False, and a finding, when the page went elsewhere on its own."""
        url = f"http://{self.host}/{address}"
        problem = self._goto(url)
        if not problem and urldefrag(self.page.url)[0] != url:
            problem = f"{url} became {self.page.url}"
        if problem:
            self.add("-", "page left on its own", problem)
        return not problem

    def ids(self, address: str) -> set[str]:
        """The ids on a page."""
        self.load(address)
        return set(self.page.evaluate(IDS))

    def visit(self, address: str, *, loaded: bool = False) -> None:
        """Load, focus, hover and click through one page, then audit its DOM."""
        self.where = address or "/"
        self._close_popups()
        if not loaded and not self.load(address):
            return
        fiche = bool(re.fullmatch(r"fiches/[^/]+/", address))
        self._canary()
        self.page.evaluate(FOCUS)
        self._hover(fiche)
        self._click(self.page.url)
        self._canary()
        reserved = [] if address.startswith("recherche/") else self.reserved
        for payload, kind, detail in self.page.evaluate(AUDIT, [reserved, fiche]):
            self.add(payload, kind, detail)

    def _close_popups(self) -> None:
        for other in self.context.pages:
            if other is not self.page:
                other.close()
        self.page.bring_to_front()

    def _canary(self) -> None:
        for payload, kind, detail in self.page.evaluate(CANARY):
            self.add(payload, kind, detail)

    def _hover(self, fiche: bool) -> None:
        """Synthetic hover events everywhere in the article; the real mouse over a fiche."""
        height = 720 if self.page.viewport_size is None else self.page.viewport_size["height"]
        top = -height
        for x, y in self.page.evaluate(HOVER, fiche):
            if not top + 80 <= y < top + height:
                # Below the header, which stays at the top of the window.
                top = self.page.evaluate("y => { scrollTo(0, y); return scrollY; }", y - 100)
            if 0 <= y - top < height:
                self.page.mouse.move(x, y - top)
                self.hovered += 1
        self.page.evaluate("() => scrollTo(0, 0)")

    def _click(self, url: str) -> None:
        """Click for real what leads to no http(s) address; CLICKABLE clicked the rest."""
        for index, target in self.page.evaluate(CLICKABLE, True):
            try:
                element = self.page.query_selector(f'[data-attaque-clic="{index}"]')
                if element is not None and element.is_visible():
                    element.click(force=True, timeout=1000, no_wait_after=True)
                elif element is not None:
                    element.evaluate("el => el.click()")
                self.page.wait_for_timeout(CLICK_MS)
            except Exception:  # Playwright's errors: the click took the page away
                pass
            self._close_popups()
            if urldefrag(self.page.url)[0] != urldefrag(url)[0]:
                self.add(_named(target), "click left the page", f"{target} led to {self.page.url}")
                self._goto(url)
                self.page.evaluate(CLICKABLE, False)


def _report(findings: set[tuple[str, str, str, str]]) -> str:
    """The findings one a line, then the payloads that ran script, reached out or survived."""
    lines = [f"{len(findings)} findings (page, payload, what happened):"]
    lines += [f"  {where}  {payload}  {kind}: {detail}" for where, payload, kind, detail in
              sorted(findings)]  # fmt: skip
    ran = {payload for _, payload, kind, _ in findings if kind in RAN}
    out = {payload for _, payload, kind, _ in findings if kind == LEAK} - ran
    rest = {payload for _, payload, _, _ in findings} - ran - out
    for label, names in (("ran script", ran), ("reached another host", out), ("survive", rest)):
        listed = ", ".join(sorted(names - {"-"})) or "none"
        lines.append(textwrap.fill(f"Payloads that {label}: {listed}", 100, subsequent_indent="  "))
    return "\n".join(lines)


@pytest.mark.browser
def test_no_attack_runs_leaks_or_survives_in_chromium(  # type: ignore[no-untyped-def]
    browser,  # noqa: F811
    server: str,  # noqa: F811
    built_example: tuple[Project, BuildReport],
) -> None:
    """Every page, on load, focus, hover and click, and the search results: nothing gets through."""
    project, _ = built_example
    addresses = site_addresses(project)
    context = browser.new_context()
    visitor = Visitor(context, urlsplit(server).netloc)
    try:
        common = visitor.ids("") | visitor.ids("glossaire/") | visitor.ids("fiches/alpha/")
        visitor.reserved = sorted(visitor.ids("recherche/") - common)
        visitor.findings.clear()
        for address in addresses:
            visitor.visit(address)
        visitor.where = f"recherche/?q={SEARCH_WORD}"
        found = results(visitor.page, server + visitor.where)
        visitor.visit(visitor.where, loaded=True)
    finally:
        context.close()
    assert {f"fiches/{a.stem}/" for a in ATTACK_FILES} <= set(addresses)
    assert visitor.reserved and visitor.hovered > 100, "the visit did not reach the pages' content"
    assert {a.stem for a in ATTACK_FILES} <= found, "the search does not list every attack fiche"
    if visitor.findings:
        pytest.fail(_report(visitor.findings), pytrace=False)
