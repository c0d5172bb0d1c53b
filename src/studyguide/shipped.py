"""The plugin's own stylesheet and script modules, minified as they ship with the site."""

from __future__ import annotations

import functools
from pathlib import Path

import rcssmin
import rjsmin

ASSETS_DIR = Path(__file__).with_name("assets") / "studyguide"
ASSETS_URI = "assets/studyguide"
# The one script a page loads; it imports the other modules.
ENTRY_SCRIPT = f"{ASSETS_URI}/main.js"
# Markdown features the generated pages are written with.
REQUIRED_EXTENSIONS = ("attr_list", "md_in_html", "toc", "tables")


@functools.cache
def _minified(path: Path, mtime_ns: int) -> str:
    """Keyed by modification time, so that `mkdocs serve` picks up an edited asset."""
    text = path.read_text(encoding="utf-8")
    return str(rcssmin.cssmin(text) if path.suffix == ".css" else rjsmin.jsmin(text))


def shipped_assets() -> list[tuple[str, str]]:
    """(site URI, content) of each stylesheet and script module, minified, then the vendored
    libraries (vendor/) as they came, with their licences."""
    own = [
        (f"{ASSETS_URI}/{asset.name}", _minified(asset, asset.stat().st_mtime_ns))
        for asset in sorted(ASSETS_DIR.iterdir())
        if asset.suffix in (".css", ".js")
    ]
    vendored = [
        (f"{ASSETS_URI}/vendor/{asset.name}", asset.read_text(encoding="utf-8"))
        for asset in sorted((ASSETS_DIR / "vendor").iterdir())
        if asset.suffix in (".js", ".txt")
    ]
    return own + vendored


def stylesheets() -> list[str]:
    """The site URIs of the stylesheets a page links to."""
    return [uri for uri, _ in shipped_assets() if uri.endswith(".css")]
