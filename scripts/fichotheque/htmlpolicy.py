"""What HTML a fiche body may contain, declared once for the check and for the sanitiser.

``check`` reads these declarations to tell authors, at the line and column, what the
sanitiser will remove; the build runs :func:`sanitise` (nh3, the Python binding of
ammonia) on every fiche body after Markdown. The two never disagree because they read
the same sets.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

import nh3

# Elements an author may write (or that Markdown and its usual extensions produce).
ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "bdi", "blockquote", "br", "caption", "cite", "code", "col",
        "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption",
        "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li",
        "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub",
        "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u",
        "ul", "var", "wbr",
    }
)  # fmt: skip

# Elements that embed content from a host: kept only when that host is allowed.
EMBED_TAGS = frozenset({"iframe", "video", "audio", "source", "track"})

# Elements that can run script, send data or take over the page: an error in ``check``.
DANGEROUS_TAGS = frozenset(
    {
        "script", "iframe", "frame", "frameset", "object", "embed", "applet", "form",
        "input", "button", "textarea", "select", "option", "base", "meta", "link", "style",
        "svg", "math", "portal", "dialog", "template", "noscript", "xmp", "plaintext",
    }
)  # fmt: skip

# Elements removed with everything inside them, not only their tags.
_CONTENT_REMOVED = frozenset(
    {
        "script", "style", "template", "noscript", "xmp", "plaintext", "noembed",
        "noframes", "textarea", "select", "title", "object", "applet", "svg", "math",
        "iframe", "frame", "frameset",
    }
)  # fmt: skip

GENERIC_ATTRIBUTES = frozenset({"id", "class", "title", "lang", "dir"})
TAG_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "hreflang"}),
    "abbr": frozenset({"title"}),
    "blockquote": frozenset({"cite"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "del": frozenset({"cite", "datetime"}),
    "details": frozenset({"open"}),
    "img": frozenset({"src", "alt", "width", "height"}),
    "ins": frozenset({"cite", "datetime"}),
    "ol": frozenset({"start", "reversed", "type"}),
    "q": frozenset({"cite"}),
    "td": frozenset({"colspan", "rowspan", "headers", "align"}),
    "th": frozenset({"colspan", "rowspan", "headers", "scope", "align", "abbr"}),
    "time": frozenset({"datetime"}),
    "iframe": frozenset({"src", "width", "height", "allowfullscreen"}),
    "video": frozenset({"src", "controls", "width", "height", "poster"}),
    "audio": frozenset({"src", "controls"}),
    "source": frozenset({"src", "type"}),
    "track": frozenset({"src", "kind", "srclang", "label"}),
}

# Attributes holding a URL; their scheme and host are checked.
URL_ATTRIBUTES = frozenset(
    {
        "href", "src", "action", "formaction", "xlink:href", "poster", "background", "data",
        "cite", "srcset", "ping", "lowsrc", "dynsrc", "codebase", "longdesc", "manifest",
        "icon", "profile", "usemap", "imagesrcset",
    }
)  # fmt: skip
# Attributes that load something from where they point, rather than link to it.
# (``ping`` sends a request to its address whenever the link is followed.)
LOADING_ATTRIBUTES = frozenset({"src", "srcset", "poster", "background", "data", "lowsrc", "ping"})
# Attributes that can run script or restyle the whole page whatever their value.
DANGEROUS_ATTRIBUTES = frozenset({"style", "srcdoc", "formaction", "action"})
# Prefixes of attributes that hijack the site's own machinery: Pagefind reads these to
# build search results (a result address, a category), Material these to wire its parts.
DANGEROUS_PREFIXES = ("on", "data-pagefind", "data-md-")

# Elements whose end tag HTML lets one omit; any other left open swallows what follows.
OPTIONAL_END_TAGS = frozenset(
    {"p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "colgroup", "caption"}
)
VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
     "track", "wbr"}
)  # fmt: skip

URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
DANGEROUS_SCHEMES = frozenset({"javascript", "vbscript", "data", "livescript", "mocha"})

# Markdown's attribute lists ``{: #id .class }`` may set only these.
ATTR_LIST_KEYS = frozenset({"id", "class"})

# Classes of Material for MkDocs an author may use; any other « md-… » class could dress
# body content as the site's own header, dialog or overlay.
THEME_CLASSES = frozenset({"md-button", "md-button--primary"})


def body_markers(secret: str) -> tuple[str, str]:
    """The comments staged before and after a fiche body, for the sanitiser to find.

    ``secret`` is drawn for each build and never published, so no author can forge them.
    """
    return f"<!--fichotheque-corps-debut:{secret}-->", f"<!--fichotheque-corps-fin:{secret}-->"


def wrap_body(body: str, secret: str) -> str:
    """``body`` between its markers, each alone in its block, for the sanitiser to find."""
    if not secret:
        return body
    start, end = body_markers(secret)
    return f"{start}\n\n{body}\n\n{end}"


_EMPTY_FRAME = re.compile(r"<iframe\b(?![^>]*\ssrc=)[^>]*>.*?</iframe>", re.S)
_ID = re.compile(r"^[A-Za-z][\w:.-]*$")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f]+")


def url_scheme(value: str) -> str | None:
    """The scheme a browser would see in an attribute value, lower case; None if relative.

    Entities are decoded and tabs, newlines and control characters are removed first,
    as browsers do: ``&#106;ava\\tscript:`` is ``javascript``.
    """
    cleaned = _IGNORED_IN_URL.sub("", html.unescape(value))
    match = _SCHEME.match(cleaned)
    return match.group(1).lower() if match else None


def url_host(value: str) -> str | None:
    """The host an absolute (or protocol-relative) URL loads from; None for a local URL."""
    cleaned = _IGNORED_IN_URL.sub("", html.unescape(value)).replace("\\", "/")
    if not (cleaned.startswith("//") or url_scheme(cleaned) in ("http", "https")):
        return None
    try:
        host = urlsplit(cleaned if "://" in cleaned else "https:" + cleaned).hostname
    except ValueError:
        return "?"
    return host or "?"


def is_dangerous_url(value: str) -> bool:
    """Whether a URL would run script or carry a document of its own."""
    return url_scheme(value) in DANGEROUS_SCHEMES


def allowed_attribute(tag: str, name: str) -> bool:
    """Whether the sanitiser keeps attribute ``name`` on element ``tag``."""
    return name in GENERIC_ATTRIBUTES or name in TAG_ATTRIBUTES.get(tag, frozenset())


def allowed_class(name: str) -> bool:
    """Whether a class name survives: anything but Material's own, save its buttons."""
    return not name.startswith("md-") or name in THEME_CLASSES


def allowed_id(value: str) -> bool:
    """Whether an id survives: Material's ids (``__drawer``…) and odd ones do not."""
    return bool(_ID.match(value))


def host_allowed(host: str, hosts: Iterable[str]) -> bool:
    """Whether ``host`` is one of ``hosts`` (exact names, compared without case)."""
    return host.lower().rstrip(".") in {h.lower().rstrip(".") for h in hosts}


@functools.lru_cache(maxsize=8)
def _cleaner(hosts: frozenset[str]) -> nh3.Cleaner:
    tags = set(ALLOWED_TAGS) | (set(EMBED_TAGS) if hosts else set())

    def keep(tag: str, name: str, value: str) -> str | None:
        if name == "class":
            kept = [c for c in value.split() if allowed_class(c)]
            return " ".join(kept) or None
        if name == "id":
            return value if allowed_id(value) else None
        if name in URL_ATTRIBUTES:
            if is_dangerous_url(value):
                return None
            host = url_host(value)
            loads = name in LOADING_ATTRIBUTES or tag in EMBED_TAGS
            if loads and host is not None and not host_allowed(host, hosts):
                return None
            if tag in EMBED_TAGS and host is None:
                return None  # an embed shows only what an allowed host serves
        return value

    attributes = {"*": set(GENERIC_ATTRIBUTES)}
    attributes.update({tag: set(names) for tag, names in TAG_ATTRIBUTES.items() if tag in tags})
    return nh3.Cleaner(
        tags=tags,
        clean_content_tags=set(_CONTENT_REMOVED) - tags,
        attributes=attributes,
        attribute_filter=keep,
        strip_comments=True,
        link_rel="noopener noreferrer",
        url_schemes=set(URL_SCHEMES),
        set_tag_attribute_values={
            "iframe": {
                "sandbox": "allow-scripts allow-same-origin allow-popups",
                "referrerpolicy": "no-referrer",
                "loading": "lazy",
            },
        },
    )


def sanitise(fragment: str, hosts: Iterable[str] = ()) -> str:
    """``fragment`` with everything outside the allow-list removed.

    ``hosts`` are the third-party hosts the site's settings allow images and embeds from.
    """
    # An embed whose address was refused would stay as an empty frame: drop it whole.
    return _EMPTY_FRAME.sub("", _cleaner(frozenset(hosts)).clean(fragment))
