"""After the engine, before the index: sanitise fiche bodies and give every page a strict CSP.

This runs on the HTML the engine wrote (MkDocs or Zensical alike), so no engine, theme
or extension can skip it. Each fiche body is staged between two comments that carry a
secret drawn by the build that started the cache (buildcache.py), which never leaves
the work folder; an author cannot forge them, so the region sanitised is exactly the
body. If Markdown swallowed the closing comment (an unclosed block), the
rest of the article is sanitised with the body's policy: the page fails closed.

Every page then gets a ``Content-Security-Policy`` in a ``<meta http-equiv>`` tag, with
the hashes of the theme's inline scripts found outside the article, so that an inline
script written in a page is never allowed.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .files import write_text
from .htmlpolicy import body_markers, sanitise

_ARTICLE = re.compile(r"<article\b[^>]*>")
_ARTICLE_END = "</article>"
_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
_EXECUTABLE_TYPES = {"", "text/javascript", "module", "application/javascript"}
_TYPE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]*)""", re.I)
_HEAD = re.compile(r"<head\b[^>]*>", re.I)


def new_secret() -> str:
    """A fresh secret for one build's body markers."""
    return secrets.token_hex(16)


@dataclass(frozen=True)
class Policy:
    """What pages may load: the site itself, plus the third-party hosts settings allow."""

    hosts: tuple[str, ...] = ()

    def header(self, script_hashes: Iterable[str]) -> str:
        """The policy, with ``script_hashes`` allowed as inline scripts."""
        sources = " ".join(f"https://{host}" for host in self.hosts)
        hashes = " ".join(f"'sha256-{h}'" for h in sorted(set(script_hashes)))
        directives = [
            "default-src 'self'",
            f"script-src 'self' {hashes} 'wasm-unsafe-eval'".replace("  ", " "),
            "style-src 'self'",
            f"img-src 'self' data: {sources}".strip(),
            f"media-src 'self' {sources}".strip(),
            f"frame-src {sources}" if sources else "frame-src 'none'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        ]
        return "; ".join(directives)


def script_hash(code: str) -> str:
    """The CSP hash of an inline script's text."""
    return base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode("ascii")


def sanitise_bodies(page: str, secret: str, hosts: Iterable[str]) -> str:
    """``page`` with every staged fiche body sanitised and its markers removed."""
    start, end = body_markers(secret)
    while (begin := page.find(start)) != -1:
        finish = page.find(end, begin)
        if finish == -1:
            article_end = page.find(_ARTICLE_END, begin)
            finish = article_end if article_end != -1 else len(page)
            after = finish
        else:
            after = finish + len(end)
        page = page[:begin] + sanitise(page[begin + len(start) : finish], hosts) + page[after:]
    return page.replace(end, "")


def theme_script_hashes(page: str) -> list[str]:
    """Hashes of the inline scripts outside the article: the theme's, never a page's own."""
    article = _ARTICLE.search(page)
    article_span = (
        (article.start(), page.find(_ARTICLE_END, article.start())) if article else (-1, -1)
    )
    hashes = []
    for match in _SCRIPT.finditer(page):
        attributes, code = match.group(1), match.group(2)
        if re.search(r"\bsrc\s*=", attributes, re.I):
            continue
        kind = _TYPE.search(attributes)
        if kind and kind.group(1).lower() not in _EXECUTABLE_TYPES:
            continue
        if article_span[0] <= match.start() <= article_span[1]:
            continue
        hashes.append(script_hash(code))
    return hashes


def with_policy(page: str, policy: Policy) -> tuple[str, list[str]]:
    """``page`` with its CSP ``<meta>`` first in ``<head>``, and the script hashes it allows."""
    head = _HEAD.search(page)
    if head is None:
        return page, []
    hashes = theme_script_hashes(page)
    content = policy.header(hashes).replace('"', "&quot;")
    meta = f'\n<meta http-equiv="Content-Security-Policy" content="{content}">'
    return page[: head.end()] + meta + page[head.end() :], hashes


HEADERS_FILE = "_headers"
# Sent as HTTP headers, the policy can also forbid framing, which a <meta> cannot.
HEADER_ONLY = "frame-ancestors 'none'"


def headers_file(policy: Policy, hashes: Iterable[str]) -> str:
    """The site's headers in the ``_headers`` format of Netlify and Cloudflare Pages.

    The policy there allows the inline scripts of every page at once; each page's own
    ``<meta>`` still allows only its own, and a browser applies both.
    """
    return (
        "# En-têtes HTTP du site, écrits par « fichotheque build » (voir le README).\n"
        "/*\n"
        f"  Content-Security-Policy: {policy.header(hashes)}; {HEADER_ONLY}\n"
        "  X-Content-Type-Options: nosniff\n"
        "  Referrer-Policy: strict-origin-when-cross-origin\n"
    )


@dataclass(frozen=True)
class Hardening:
    """What makes a page safe: the body markers' secret and the policy (picklable)."""

    secret: str
    policy: Policy

    def pages(self, site_dir: Path, names: Iterable[str]) -> dict[str, list[str]]:
        """Harden the HTML pages ``names`` (relative to ``site_dir``); each one's script hashes.

        A page is replaced, never written into: the site may share its files with a
        published copy (hard links).
        """
        found = {}
        for name in names:
            path = site_dir / name
            if not name.endswith(".html") or path.is_symlink() or not path.is_file():
                continue
            text = path.read_text(encoding="utf-8")
            page = sanitise_bodies(text, self.secret, self.policy.hosts)
            hardened, found[name] = with_policy(page, self.policy)
            if hardened != text:
                write_text(path, hardened)
        return found


def html_pages(site_dir: Path) -> list[str]:
    """Every HTML page of a site, relative to it."""
    return sorted(p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*.html"))


def harden_site(
    site_dir: Path,
    hardening: Hardening,
    *,
    pages: Iterable[str] | None = None,
    hashes: dict[str, list[str]] | None = None,
) -> dict[str, list[str]]:
    """Sanitise the fiche bodies, add the CSP to every HTML page, write ``_headers``.

    With ``pages``, only those are read, the others being as ``hashes`` (each page's
    inline script hashes) says they were hardened already. Returns every page's hashes.
    """
    found = {name: value for name, value in (hashes or {}).items() if (site_dir / name).is_file()}
    found.update(hardening.pages(site_dir, html_pages(site_dir) if pages is None else pages))
    every_hash = {h for page_hashes in found.values() for h in page_hashes}
    write_text(site_dir / HEADERS_FILE, headers_file(hardening.policy, every_hash))
    return found
