"""Live reload that rebuilds only what an edit changes, under `mkdocs serve --dirty`.

MkDocs' dirty build skips every page whose `File.is_modified()` is false. A generated page
lives in memory, so MkDocs would call it modified on every build; here it is modified only
when its Markdown differs from the last build's. Whatever a skipped page gives the pages that
are rebuilt (its title and meta for the nav, its anchors for link checks, its search entries)
is given back to it before pages are built. Anything that can change every page (the config, the
theme's templates, the set of hand-written files, the nav, an edited hand-written page) makes
the build a full one, as does the first build and the one after a failure. The output is the
same as a clean build's; `tests/test_incremental.py` compares them file by file.

What this needs of MkDocs' and Material's internals goes through `mkdocs_internals`. When they
are not as expected (`disabled` says why), every build is full.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel

from . import mkdocs_internals as internals
from .mkdocs_internals import DIRTY_WARNING


class GeneratedFile(File):
    """A generated page or asset: modified only when its content changed since the last build."""

    changed = True

    def is_modified(self) -> bool:
        return self.changed


class TemplateCache(jinja2.BytecodeCache):
    """The theme's compiled templates, kept across rebuilds: MkDocs makes a new Jinja
    environment for each build, and compiling Material's templates again takes most of a
    small rebuild. Jinja checks each template's source before it uses its code."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


class QuietDirtyWarning(logging.Filter):
    """MkDocs warns that a dirty build's navigation may be stale, which aborts a strict build.
    `Incremental` keeps the navigation right, or builds every page, so the warning does not
    apply. Matched loosely: a reworded warning must not abort every live reload."""

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        return not (text.startswith(DIRTY_WARNING) or "'dirty' build" in text.lower())


@dataclass(frozen=True)
class _PageState:
    """What other pages read from a page once it is rendered: its title and anchor ids."""

    title: str | None
    anchors: frozenset[str] | None


def _modified() -> bool:
    return True


class Incremental:
    def __init__(self, disabled: str | None = None) -> None:
        self.disabled = disabled
        """Why every build is full (internals not as expected), or None."""
        self.reset()

    def reset(self) -> None:
        """Forget the last build, so that the next one is full."""
        self.content: dict[str, bytes] = {}
        self.dest: dict[str, str] = {}
        self.pages: dict[str, _PageState] = {}
        self.search: list[dict[str, Any]] | None = None
        self.key: tuple[Any, ...] | None = None
        self.full = True
        self.rebuilt: set[str] = set()
        self.templates = TemplateCache()
        self.files = Files([])

    def plan(self, files: Files, config: MkDocsConfig, titles: Mapping[str, str | None]) -> None:
        """Decide what this build rewrites, once `files` holds every generated file.
        `titles` are the generated pages' titles in the nav."""
        if self.disabled is None:
            try:
                self._plan(files, config, titles)
                return
            except Exception as error:  # an internal not as expected: this build is full
                self.disabled = f"{type(error).__name__}: {error}"
                self.reset()
        internals.empty_folder(config.site_dir)
        for file in files:  # MkDocs' dirty build then rebuilds and copies every file
            file.is_modified = _modified  # type: ignore[method-assign]

    def _plan(self, files: Files, config: MkDocsConfig, titles: Mapping[str, str | None]) -> None:
        generated = [f for f in files if isinstance(f, GeneratedFile)]
        hand_written = [f for f in files if not isinstance(f, GeneratedFile)]
        key = (
            _mtime(config.config_file_path),
            _tree_mtime(config.theme.custom_dir),
            sorted(f.src_uri for f in hand_written),
            repr(config.nav),
            sorted(titles.items()),
        )
        edited_page = any(
            f.is_documentation_page() and f.is_modified() for f in hand_written if f.abs_src_path
        )
        self.full = self.key != key or edited_page or not internals.search_plugin_supported(config)
        self.key = key
        content = {f.src_uri: f.content_bytes for f in generated}
        for uri in self.content.keys() - content.keys():  # pages no longer generated
            _remove(Path(self.dest[uri]), Path(config.site_dir))
        if self.full:
            internals.clean_site(config.site_dir)
        for file in generated:
            file.changed = self.full or self.content.get(file.src_uri) != content[file.src_uri]
        self.content = content
        self.dest = {f.src_uri: f.abs_dest_path for f in generated}
        docs = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
        self.rebuilt = {f.src_uri for f in docs if f.is_modified()}

    def restore(self, files: Files, config: MkDocsConfig) -> None:
        """Give each skipped page what a full build would have read from it, before any
        page is built: its source and meta, what other plugins collect from its Markdown
        (Material's tags, say), and its title and anchors as last rendered."""
        if self.disabled is not None:
            return
        self.files = files
        docs = self.files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
        for file in docs:
            page = file.page
            if page is None or file.src_uri in self.rebuilt:
                continue
            internals.reread(page, config, files)
            state = self.pages[file.src_uri]
            internals.set_rendered(page, state.title, state.anchors)
        # The rebuilt pages were read before the skipped ones: what the tags plugins collected
        # goes back into the order of the pages, in which a clean build reads them.
        order = {file.page.url: n for n, file in enumerate(docs) if file.page is not None}
        for mappings in internals.tag_mappings(config):
            mappings.data = dict(
                sorted(mappings.data.items(), key=lambda item: order.get(item[0], len(order)))
            )

    def finish(self, config: MkDocsConfig) -> None:
        """Record this build, and complete the search index with the skipped pages' entries
        (before the search plugin writes it)."""
        if self.disabled is not None:
            internals.forget_previous_index(config)
            return
        docs = self.files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
        pages = [f.page for f in docs if f.page is not None]
        for page in pages:
            self.pages[page.file.src_uri] = _PageState(page.title, internals.anchors_of(page))
        search = internals.search_plugin(config)
        if search is None:
            return
        entries = internals.search_entries(search)
        if not self.full and self.search is not None:
            rebuilt = {p.url for p in pages if p.file.src_uri in self.rebuilt}
            order = {page.url: n for n, page in enumerate(pages)}
            # Skipped pages keep their entries; removed pages lose theirs.
            kept = [e for e in self.search if _page_url(e) in order.keys() - rebuilt]
            entries = sorted(kept + entries, key=lambda e: order.get(_page_url(e), len(order)))
        internals.set_search_entries(search, entries)
        self.search = entries


def _remove(file: Path, site: Path) -> None:
    """A page's file, and the folders it leaves empty, as a clean build would not have them."""
    file.unlink(missing_ok=True)
    folder = file.parent
    while folder != site and folder.is_relative_to(site) and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def _page_url(entry: Mapping[str, Any]) -> str:
    return str(entry["location"]).split("#", 1)[0]


def _mtime(path: str | None) -> int | None:
    return os.stat(path).st_mtime_ns if path and os.path.exists(path) else None


def _tree_mtime(folder: str | None) -> int | None:
    if not folder or not os.path.isdir(folder):
        return None
    files = (path for path in Path(folder).rglob("*") if path.is_file())
    return max((path.stat().st_mtime_ns for path in files), default=0)
