"""The browser editor at ``/admin/``: Sveltia CMS, or Decap CMS as a fallback, self-hosted.

The editor's code comes from the npm registry as the package's own tarball, at the
version pinned here, and is checked against the checksum the registry published for it
(npm's « integrity », a SHA-512) before a byte of it is used. The tarball is kept in a
cache, so a build downloads it once. Only the files the page runs are copied into the
site, beside a page whose policy lets it reach nothing but the site, the forge and the
authentication proxy that the settings name: no CDN, no font service, no telemetry.

To update: change ``version`` and ``integrity`` below to what
``npm view <name>@<version> dist.integrity`` prints, build, and walk through the editor.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import html
import io
import json
import os
import re
import tarfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from .cmsconfig import cms_config, config_text, origin
from .files import cache_dir, write_text
from .glossary import Glossary
from .harden import HEADER_ONLY, HEADERS_FILE
from .routes import EDITOR_DIR
from .sitesettings import EditorSettings
from .taxonomy import Taxonomy

CONFIG_FILE = "config.yml"
REGISTRY = "https://registry.npmjs.org"
REGISTRY_ENV = "FICHOTHEQUE_NPM_REGISTRY"
# Where the editor's code runs from the forge's public API when the settings give none.
PUBLIC_APIS = {
    "github": "https://api.github.com",
    "gitlab": "https://gitlab.com/api/v4",
    "gitea": "https://gitea.com/api/v1",
}
# Decap's local backend (« npx decap-server »), used only when the page is on this machine.
LOCAL_BACKEND = "http://localhost:* http://127.0.0.1:*"


class EditorError(Exception):
    """The editor cannot be installed; the message is French and says what to do."""


@dataclass(frozen=True)
class Package:
    """One package as published on the npm registry: an editor, or a font it uses."""

    label: str
    name: str
    version: str
    integrity: str  # npm's « sha512-<base64> » of the tarball
    scripts: tuple[str, ...] = ()  # the page's scripts, in order (files of dist/ or ours)
    keep: re.Pattern[str] = re.compile(r"^$")  # the files of dist/ the page needs
    script_policy: str = ""  # what its code needs beyond 'self'
    assets: tuple[Asset, ...] = ()  # files its code would fetch from a CDN, served here

    @property
    def tarball_name(self) -> str:
        return f"{self.name.rsplit('/', 1)[-1]}-{self.version}.tgz"

    def tarball_url(self, registry: str) -> str:
        return f"{registry.rstrip('/')}/{self.name}/-/{self.tarball_name}"


@dataclass(frozen=True)
class Asset:
    """A file of another npm package that an editor's code fetches from a CDN: the build
    serves it from the site and points the code at that copy."""

    package: Package
    member: str  # its path in the package's tarball
    replaces: str  # the CDN address written in the editor's code

    @property
    def local(self) -> str:
        return f"{ASSETS_DIR}/{self.member.rsplit('/', 1)[-1]}"


ASSETS_DIR = "polices"
# Sveltia's text fonts come from jsDelivr too; they give way to the device's own fonts.
_CDN_TEXT_FONT = re.compile(
    r"url\(https://cdn\.jsdelivr\.net/fontsource/[^)]*\)\s*format\('[\w-]+'\)"
)
_DEVICE_FONT = "local('system-ui')"
ICONS = Package(
    "Material Symbols",
    "@fontsource-variable/material-symbols-outlined",
    "5.3.7",
    "sha512-d6kLamaMdad40AYoyJEBgCH63fRLklC7GW7bgb7WWbPh/UzuW483Dlyfmn3vxpiNsHLIMBOcYYkZDtOC9Y3MUA==",
)
DECAP_BEFORE = "decap-avant.js"
DECAP_START = "decap-demarrage.js"
PACKAGES = {
    "sveltia": Package(
        "Sveltia CMS",
        "@sveltia/cms",
        "0.221.1",
        "sha512-J+Qoik9kGMk2L7vNpOQrnDmFRi+NB6vwJ0f657YtsxWH0P8WYSYRRSRC2pQ/jGGbVlM//Pg/WIgmkpswqoo3gQ==",
        ("sveltia-cms.js",),
        re.compile(r"^(sveltia-cms\.js|chunks/[\w.-]+\.js)$"),
        assets=(
            Asset(
                ICONS,
                "package/files/material-symbols-outlined-latin-wght-normal.woff2",
                "https://cdn.jsdelivr.net/fontsource/fonts/material-symbols-outlined:vf@5.3.7/"
                "latin-wght-normal.woff2",
            ),
        ),
    ),
    "decap": Package(
        "Decap CMS",
        "decap-cms",
        "3.16.3",
        "sha512-hf+dPlCh7TJmWl8+6VRzHYOWhri5xgUknrZbDewaWe4s9B7xJ8PQugp2QHeSldMUKzav6+z0oIpwUYhUJDYtYw==",
        (DECAP_BEFORE, "decap-cms.js", DECAP_START),
        re.compile(r"^([\w-]+\.)?decap-cms\.js$|^[\w-]+\.wasm$"),
        # Decap checks its configuration with Ajv, which compiles code at run time.
        script_policy="'unsafe-eval'",
    ),
}

# Decap starts by hand, from the configuration written into this script rather than read
# from config.yml: Decap refuses a config.yml that a host serves without a YAML media
# type, and this is where Decap alone reads its language and its local backend (a test
# server on this machine, « npx decap-server »), whose port « ?port_local=8082 » changes.
_DECAP_BEFORE_JS = "window.CMS_MANUAL_INIT = true;\n"
_DECAP_START_JS = """\
(function () {
  var config = %s;
  var port = new URLSearchParams(window.location.search).get("port_local") || "8081";
  config.load_config_file = false;
  config.locale = "fr";
  config.local_backend = { url: "http://localhost:" + port.replace(/\\D/g, "") + "/api/v1" };
  // Decap has no sign-in by token: without a proxy, its GitHub sign-in would go through
  // api.netlify.com; it is pointed at this site instead, where it fails, and says so.
  if (config.backend.auth_methods) {
    delete config.backend.auth_methods;
    config.backend.base_url = window.location.origin;
  }
  window.CMS.init({ config: config });
})();
"""


def _scripts_of_ours(config: dict[str, object]) -> dict[str, str]:
    """The small scripts of this page's own, by file name."""
    return {
        DECAP_BEFORE: _DECAP_BEFORE_JS,
        DECAP_START: _DECAP_START_JS % json.dumps(config, ensure_ascii=False, indent=2),
    }


def _digest_matches(data: bytes, integrity: str) -> bool:
    algorithm, _, expected = integrity.partition("-")
    return base64.b64encode(hashlib.new(algorithm, data).digest()).decode() == expected


def tarball(package: Package) -> bytes:
    """The package's tarball, checked, from the cache or else from the registry."""
    path = cache_dir() / package.tarball_name
    data: bytes
    if path.is_file():
        data = path.read_bytes()
        if _digest_matches(data, package.integrity):
            return data
    url = package.tarball_url(os.environ.get(REGISTRY_ENV) or REGISTRY)
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            data = response.read()
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise EditorError(
            f"le code de l'éditeur en ligne ({package.label} {package.version}) n'a pas pu "
            f"être téléchargé depuis {url} ({error}). Vérifiez la connexion au registre npm "
            f"et relancez ; sans réseau, retirez « editeur » de « extra » dans mkdocs.yml "
            f"pour construire le site sans la page /admin/."
        ) from None
    if not _digest_matches(data, package.integrity):
        raise EditorError(
            f"le fichier téléchargé depuis {url} n'a pas l'empreinte attendue "
            f"({package.integrity[:24]}…) : il n'est pas la version publiée de "
            f"{package.label} {package.version} et n'a pas été utilisé. Relancez ; si cela "
            "se reproduit, le registre ou le réseau sert un autre fichier : signalez-le."
        )
    write_text(path, data)  # whole or not at all: a killed download leaves no tarball
    return data


def policy(package: Package, editor: EditorSettings) -> str:
    """The page's Content-Security-Policy: the site, the forge, the proxy; nothing else."""
    reach = [origin(editor.api or PUBLIC_APIS[editor.forge])]
    if editor.proxy:
        reach.append(origin(editor.proxy))
    if package is PACKAGES["decap"]:
        reach.append(LOCAL_BACKEND)
    hosts = " ".join(dict.fromkeys(reach))
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' {package.script_policy} 'wasm-unsafe-eval'".replace("  ", " "),
            # Both editors set styles from their scripts.
            "style-src 'self' 'unsafe-inline'",
            f"img-src 'self' data: blob: {hosts}",
            f"media-src 'self' blob: {hosts}",
            f"connect-src 'self' blob: data: {hosts}",
            "frame-src 'self' blob:",
            "worker-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        ]
    )


def page(package: Package, editor: EditorSettings, site_name: str) -> str:
    """``admin/index.html``."""
    scripts = "\n".join(f'<script src="{name}"></script>' for name in package.scripts)
    return f"""<!doctype html>
<html lang="fr">
<head>
<meta http-equiv="Content-Security-Policy" content="{html.escape(policy(package, editor))}">
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Éditeur des fiches – {html.escape(site_name)}</title>
<link href="{CONFIG_FILE}" type="application/yaml" rel="cms-config-url">
</head>
<body>
<noscript><p>L'éditeur des fiches a besoin de JavaScript. Sans lui, les fiches se modifient
dans le dépôt : voir la page « Écrire une fiche ».</p></noscript>
{scripts}
</body>
</html>
"""


def _member(package: Package, name: str) -> bytes:
    """One file of a package's checked tarball."""
    with (
        tarfile.open(fileobj=io.BytesIO(tarball(package)), mode="r:gz") as archive,
        contextlib.suppress(KeyError),
    ):
        extracted = archive.extractfile(name)
        if extracted is not None:
            return extracted.read()
    raise EditorError(
        f"{package.label} {package.version} ne contient pas {name} : la version déclarée "
        "dans editor.py ne convient pas."
    )


def _self_hosted(files: dict[str, bytes], package: Package) -> None:
    """Point the editor's code at the site's copies of what it would fetch from a CDN."""
    for name, data in list(files.items()):
        if not name.endswith(".js"):
            continue
        text = data.decode("utf-8")
        for asset in package.assets:
            text = text.replace(asset.replaces, asset.local)
        files[name] = _CDN_TEXT_FONT.sub(_DEVICE_FONT, text).encode("utf-8")
    for asset in package.assets:
        files[asset.local] = _member(asset.package, asset.member)
    left = [name for name, data in files.items() if b"cdn.jsdelivr.net/fontsource" in data]
    if left:
        raise EditorError(
            f"{package.label} {package.version} charge encore des polices d'un tiers "
            f"({', '.join(left)}) : mettez à jour ses « assets » dans editor.py."
        )


@functools.cache
def _code(package: Package) -> dict[str, bytes]:
    """The editor's files as the site serves them, by their path in admin/: those of its
    dist/, pointed at the site's copies of what they would fetch from a CDN.

    The same for a package, whose tarball is checked against its published digest: kept
    for the next builds of this process (the preview's; 0.1 s each).
    """
    files = _members(tarball(package), package)
    _self_hosted(files, package)
    return files


def _members(data: bytes, package: Package) -> dict[str, bytes]:
    """The files of the tarball's dist/ that the page needs, by their path there.

    Unpacked beside the tarball for the next builds (unpacking it takes a third of a
    second), by the digest of the tarball and of what is kept of it.
    """
    digest = hashlib.sha256(data + package.keep.pattern.encode("utf-8")).hexdigest()
    return _unpacked(data, package, cache_dir() / f"{package.tarball_name}.{digest[:16]}.tar")


def _unpacked(data: bytes, package: Package, kept: Path) -> dict[str, bytes]:
    """What ``_extract`` finds, read from the uncompressed archive ``kept`` when it is there."""
    with contextlib.suppress(OSError, tarfile.TarError), tarfile.open(kept, mode="r:") as archive:
        found = {}
        for member in archive:
            extracted = archive.extractfile(member) if member.isfile() else None
            if extracted is not None:
                found[member.name] = extracted.read()
        if found:
            return found
    found = _extract(data, package)
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for name, content in found.items():
            member = tarfile.TarInfo(name)
            member.size = len(content)
            archive.addfile(member, io.BytesIO(content))
    write_text(kept, buffer.getvalue())  # whole or not at all
    return found


def _extract(data: bytes, package: Package) -> dict[str, bytes]:
    found = {}
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        for member in archive:
            if not member.isfile() or not member.name.startswith("package/dist/"):
                continue
            name = member.name.removeprefix("package/dist/")
            if ".." in name.split("/") or not package.keep.match(name):
                continue
            extracted = archive.extractfile(member)
            if extracted is not None:
                found[name] = extracted.read()
        licence = next((m for m in archive.getmembers() if _is_licence(m.name)), None)
        if licence is not None and (extracted := archive.extractfile(licence)) is not None:
            found["LICENCE-" + package.name.replace("/", "-").lstrip("@") + ".txt"] = (
                extracted.read()
            )
    return found


def _is_licence(name: str) -> bool:
    return re.match(r"^package/LICEN[CS]E(\.\w+)?$", name, re.I) is not None


def install(
    site_dir: Path,
    editor: EditorSettings,
    taxonomy: Taxonomy,
    glossary: Glossary,
    site_name: str,
) -> Path:
    """Write ``admin/`` into a built site: the page, its configuration, the editor's code."""
    package = PACKAGES[editor.software]
    files = _code(package)
    config = cms_config(taxonomy, glossary, editor)
    ours = _scripts_of_ours(config)
    missing = [name for name in package.scripts if name not in files and name not in ours]
    if missing:
        raise EditorError(
            f"{package.label} {package.version} ne contient pas {', '.join(missing)} : "
            "la version déclarée dans editor.py ne convient pas."
        )
    admin = site_dir / EDITOR_DIR
    # Files are replaced, never written into: the site may share them with a published copy.
    for name, data in files.items():
        write_text(admin / name, data)
    for name, text in ours.items():
        if name in package.scripts:
            write_text(admin / name, text)
    write_text(admin / CONFIG_FILE, config_text(config))
    write_text(admin / "index.html", page(package, editor, site_name))
    headers = site_dir / HEADERS_FILE
    if headers.is_file():  # the site-wide policy would stop the editor: /admin/ has its own
        rule = (
            f"\n/{EDITOR_DIR}/*\n  ! Content-Security-Policy\n"
            f"  Content-Security-Policy: {policy(package, editor)}; {HEADER_ONLY}\n"
        )
        write_text(headers, headers.read_text("utf-8") + rule)
    return admin
