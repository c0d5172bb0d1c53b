"""Every MkDocs and Material internal that live reload (`incremental`) relies on, in one place.

None of these is public API: a release may rename any of them. `check()` looks at each once, at
start-up, against the installed versions; when one is not as expected, live reload rebuilds
every page instead, and the plugin logs one line saying why. A surprise later, during a build,
does the same from the next build on.
"""

from __future__ import annotations

import inspect
import shutil
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

# The text of MkDocs' warning about dirty builds, which `incremental` makes stale.
DIRTY_WARNING = "A 'dirty' build is being performed"
# The versions whose internals these are; another major version is a surprise.
TESTED = {"mkdocs": ("1.6",), "mkdocs-material": ("9.",)}


class Surprise(Exception):
    """An internal that is not as this module expects; the message says which."""


def check() -> str | None:
    """Why live reload cannot rely on the installed MkDocs and Material, or None."""
    try:
        for package, prefixes in TESTED.items():
            found = metadata.version(package)
            if not found.startswith(prefixes):
                return f"{package} {found} is not a version studyguide was tested with"
        import mkdocs.commands.build
        import mkdocs.utils
        from material.plugins.search.plugin import SearchIndex, SearchPlugin

        if DIRTY_WARNING not in inspect.getsource(mkdocs.commands.build):
            return "MkDocs' dirty-build warning has changed"
        if not callable(getattr(mkdocs.utils, "clean_directory", None)):
            return "mkdocs.utils.clean_directory is gone"
        if not callable(getattr(Page, "read_source", None)):
            return "MkDocs' Page.read_source is gone"
        if "present_anchor_ids" not in inspect.getsource(Page):
            return "MkDocs' Page.present_anchor_ids is gone"
        if "search_index_prev" not in inspect.getsource(SearchPlugin):
            return "Material's search plugin no longer has search_index_prev"
        if "self.entries" not in inspect.getsource(SearchIndex):
            return "Material's search index no longer keeps its entries"
    except (ImportError, OSError, TypeError, metadata.PackageNotFoundError) as error:
        return f"{type(error).__name__}: {error}"
    return None


def clean_site(site_dir: str) -> None:
    """Empty the site folder, as MkDocs does before a full build."""
    import mkdocs.utils

    mkdocs.utils.clean_directory(site_dir)


def empty_folder(site_dir: str) -> None:
    """Empty the site folder without any internal: the fallback's own way."""
    for child in Path(site_dir).iterdir() if Path(site_dir).is_dir() else ():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()


def reread(page: Page, config: MkDocsConfig, files: Files) -> None:
    """What a full build reads from a page it skips: its source, meta, and what plugins
    collect from its Markdown (Material's tags, say)."""
    page.read_source(config)
    if page.markdown is None:
        raise Surprise("Page.read_source left no Markdown")
    config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)


def set_rendered(page: Page, title: str | None, anchors: Iterable[str] | None) -> None:
    """A skipped page's title and anchor ids, as last rendered."""
    page.title = title
    page.present_anchor_ids = None if anchors is None else set(anchors)


def anchors_of(page: Page) -> frozenset[str] | None:
    anchors = page.present_anchor_ids
    return None if anchors is None else frozenset(anchors)


def search_plugin(config: MkDocsConfig) -> Any:
    """Material's search plugin, or None."""
    return next((p for p in config.plugins.values() if hasattr(p, "search_index_prev")), None)


def search_plugin_supported(config: MkDocsConfig) -> bool:
    """Material's search can be completed with skipped pages; another search plugin would
    index only the rebuilt pages, so with one every build is full."""
    searches = [name for name in config.plugins if name.split("/")[-1] == "search"]
    return not searches or search_plugin(config) is not None


def search_entries(plugin: Any) -> list[dict[str, Any]]:
    entries = plugin.search_index.entries
    if not isinstance(entries, list):
        raise Surprise("Material's search entries are not a list")
    return entries


def forget_previous_index(config: MkDocsConfig) -> None:
    """Keep Material's search from merging a dirty build's index into the last one, so that a
    full build indexes as a clean build does. Where the attribute is gone, there is nothing
    to forget."""
    plugin = search_plugin(config)
    if plugin is not None:
        plugin.search_index_prev = None


def set_search_entries(plugin: Any, entries: list[dict[str, Any]]) -> None:
    plugin.search_index.entries = entries
    plugin.search_index_prev = None  # Material's own merge handles one page only


def tag_mappings(config: MkDocsConfig) -> list[Any]:
    """The page-to-tags mappings of each of Material's tags plugins (there may be several),
    each a dict by page URL in the order the pages were read."""
    managers = (getattr(plugin, "mappings", None) for plugin in config.plugins.values())
    return [m for m in managers if isinstance(getattr(m, "data", None), dict)]
