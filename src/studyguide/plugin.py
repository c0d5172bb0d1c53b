"""The MkDocs plugin: event wiring only. The work is done by `load_catalogue` and `render_site`."""

from __future__ import annotations

import logging
import os
import posixpath
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from . import mkdocs_internals
from .cache import FormulaCache
from .errors import StudyGuideError
from .incremental import GeneratedFile, Incremental, QuietDirtyWarning
from .layout import Layout, clashes, guide_pages, site_nav
from .links.result import LinkResult
from .load import FOLDER, MISSING, REGULAR, kind_of
from .model import Catalogue, Outline
from .render import Generated, RenderOptions, SiteText, fill_fragments, render_site
from .schema import SLUG_RE
from .shipped import ENTRY_SCRIPT, REQUIRED_EXTENSIONS, shipped_assets, stylesheets
from .site_config import suggest_problem
from .validate import load_catalogue

log = logging.getLogger("mkdocs.plugins.studyguide")


class HomeConfig(base.Config):
    """The guide's home page: whether it is written, and its words."""

    enabled = c.Type(bool, default=True)
    title = c.Type(str, default="Home")
    """Its title, in the nav and the browser tab."""
    heading = c.Type(str, default="Study guide")
    """The big heading; with a prefix, also the guide's section in the site's nav."""
    question = c.Type(str, default="What do you want to get out of it?")
    """The question above the track cards."""
    lede = c.Type(str, default="")
    """A paragraph under the heading (Markdown)."""
    suggest = c.Optional(c.Type(str))
    """The track the home page suggests to someone unsure which to take."""


class HomeOption(c.SubConfig[HomeConfig]):
    """`home: false` leaves the home page to the site; a mapping sets its words."""

    def run_validation(self, value: object) -> HomeConfig:
        if isinstance(value, bool):
            value = {"enabled": value}
        return super().run_validation(value)


class DataPath(c.FilesystemObject):
    """A data file or folder. It may be missing (the checks of the data say so where it
    matters), but what is there must be of its kind: a folder named as the catalogue, or a
    named pipe, would otherwise fail the build with no word of the option."""

    def __init__(self, kind: str, default: str) -> None:
        super().__init__(exists=False, default=default)
        self.kind = kind

    def run_validation(self, value: object) -> str:
        path = super().run_validation(value)
        found = kind_of(Path(path))
        if found not in (MISSING, self.kind):
            wanted = "a file" if self.kind == REGULAR else self.kind
            raise base.ValidationError(f"{value!r} is {found}, not {wanted}: {path}")
        return path


class PrefixOption(c.Type[str]):
    """`prefix`, checked when MkDocs reads the config: see `_prefix`."""

    def __init__(self) -> None:
        super().__init__(str, default="")

    def run_validation(self, value: object) -> str:
        text = super().run_validation(value)
        try:
            _prefix(text)
        except ValueError as error:
            raise base.ValidationError(str(error)) from None
        return text


class StudyGuideConfig(base.Config):
    # MkDocs resolves these against the folder of mkdocs.yml (or the working directory when
    # the config has no file), so the plugin never works paths out by itself.
    catalogue = DataPath(REGULAR, default="resources.yaml")
    """The catalogue file, relative to mkdocs.yml."""
    tracks = DataPath(FOLDER, default="tracks")
    """The folder of track files, relative to mkdocs.yml."""
    link_report = DataPath(REGULAR, default="link-report.json")
    """A `studyguide links --json` report; link status is shown when it exists."""
    prefix = PrefixOption()
    """The folder of the site that the guide is written into, e.g. `guide/`; default the root."""
    home = HomeOption(HomeConfig)
    """The guide's home page (`index.md` in the prefix folder): `false`, or its words."""
    contributing = c.Type(bool, default=True)
    """Write the Contributing page with the field reference."""
    nav = c.Type(bool, default=True)
    """Write the site's nav when mkdocs.yml has none; with a prefix, the guide is one section."""
    cache = c.Type(bool, default=True)
    """Keep the LaTeX-to-MathML conversions on disk, so that a build converts only new formulas."""
    cache_dir = c.Dir(exists=False, default=".cache/studyguide")
    """Where the cache lives, relative to mkdocs.yml."""
    # Before the home page's words had a section of their own.
    home_title = c.Deprecated(moved_to="home.title")
    heading = c.Deprecated(moved_to="home.heading")
    question = c.Deprecated(moved_to="home.question")
    lede = c.Deprecated(moved_to="home.lede")
    suggest = c.Deprecated(moved_to="home.suggest")


class StudyGuidePlugin(BasePlugin[StudyGuideConfig]):
    incremental: Incremental | None = None
    """Set under `mkdocs serve --dirty`: rebuild only the pages an edit changes."""
    serving = False
    """Under `mkdocs serve` the disk cache is left alone: every edit would rewrite it."""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup also keeps this instance, and its state, across rebuilds.
        self.serving = command == "serve"
        if command == "serve" and dirty:
            self.incremental = Incremental(mkdocs_internals.check())
            if self.incremental.disabled:
                self._say_full()
            logging.getLogger("mkdocs.commands.build").addFilter(QuietDirtyWarning())

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if config.theme.name != "material":
            log.warning(
                f"studyguide: the guide's pages are made for the Material theme (theme: name: "
                f"material); with the {config.theme.name!r} theme their layout and scripts "
                "will not work as meant"
            )
        for name in REQUIRED_EXTENSIONS:
            if name not in config.markdown_extensions:
                config.markdown_extensions.append(name)
        for uri in stylesheets():
            if uri not in config.extra_css:
                config.extra_css.append(uri)
        if ENTRY_SCRIPT not in [str(script) for script in config.extra_javascript]:
            script = c.ExtraScriptValue(ENTRY_SCRIPT)
            script.type = "module"
            config.extra_javascript.append(script)
        self.generated: set[str] = set()
        self.fragments: dict[str, Mapping[str, str]] = {}
        return config

    def _link_report(self) -> dict[str, LinkResult]:
        path = Path(self.config.link_report)
        if not path.is_file():
            return {}
        from .links.report import load_report  # only builds with a report need it

        try:
            return load_report(path)
        except ValueError as error:
            raise PluginError(f"studyguide: {error}; run `make links` again or delete it") from None

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        try:
            return self._files(files, config)
        except (StudyGuideError, PluginError):
            raise
        except Exception as error:  # a bug: one clear line, the trace only with --verbose
            log.debug("studyguide: internal error", exc_info=True)
            raise PluginError(
                f"studyguide: internal error: {type(error).__name__}: {error}; please report "
                "it (mkdocs build --verbose shows the trace)"
            ) from None

    def _files(self, files: Files, config: MkDocsConfig) -> Files:
        generated, outline = self._generate()
        clashes = self.clashes(generated, files, config)
        if clashes:
            for message in clashes:
                log.error(message)
            raise PluginError(f"studyguide: {len(clashes)} generated page(s) clash with docs/")
        for uri, content in shipped_assets():
            files.append(GeneratedFile.generated(config, uri, content=content))
        docs = Path(config.docs_dir)
        for path, item in generated.items():
            inclusion = InclusionLevel.UNDEFINED if item.in_nav else InclusionLevel.NOT_IN_NAV
            file = GeneratedFile.generated(config, path, content=item.content, inclusion=inclusion)
            # "Edit this page" opens the data file the page comes from: MkDocs joins this,
            # relative to docs_dir, with edit_uri or edit_uri_template as for any page.
            if item.source is not None:
                file.edit_uri = Path(os.path.relpath(item.source, docs)).as_posix()
            files.append(file)
            self.generated.add(path)
            self.fragments[path] = item.fragments
        self._nav(outline, files, config, generated)
        if self.incremental is not None:
            titles = {path: item.title for path, item in generated.items() if item.in_nav}
            before = self.incremental.disabled
            self.incremental.plan(files, config, titles)
            if self.incremental.disabled != before:
                self._say_full()
        return files

    @event_priority(110)  # before Material's tags plugin reads what pages it has seen
    def on_env(self, env: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
        if self.incremental is not None:
            env.bytecode_cache = self.incremental.templates
            try:
                self.incremental.restore(files, config)
            except Exception as error:  # pages were skipped: only the next build can be full
                self._surprised(error)
                raise PluginError(
                    "studyguide: live reload could not restore the pages it skipped; save "
                    "again for a full build"
                ) from None
        return env

    def _surprised(self, error: Exception) -> None:
        assert self.incremental is not None
        self.incremental.disabled = f"{type(error).__name__}: {error}"
        self._say_full()

    def _say_full(self) -> None:
        reason = self.incremental.disabled if self.incremental else None
        log.info(f"studyguide: live reload rebuilds every page: {reason}")

    @event_priority(50)  # before the search plugin writes its index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.incremental is not None:
            try:
                self.incremental.finish(config)
            except Exception as error:  # the search index may miss skipped pages until then
                self._surprised(error)

    def on_build_error(self, *, error: Exception) -> None:
        if self.incremental is not None:
            self.incremental.reset()

    def _generate(self) -> tuple[dict[str, Generated], Outline]:
        """The generated files, always validated and rendered (pages are never read back: see
        `cache`); formulas the last build converted are read back from the cache."""
        if not self.config.cache or self.serving:
            return self._render()
        formulas = FormulaCache(Path(self.config.cache_dir))
        problem = formulas.load()
        if problem:  # not a warning: a cache set aside must not fail a --strict build
            log.info(
                f"studyguide: ignoring the formula cache {formulas.file}: {problem}; "
                "converting every formula afresh"
            )
        elif formulas.loaded:
            log.debug(f"studyguide: {formulas.loaded} formulas read back from {formulas.file}")
        generated, outline = self._render()
        formulas.save()
        return generated, outline

    def _render(self) -> tuple[dict[str, Generated], Outline]:
        """Validate the data and render its pages; every problem is logged, then raised."""
        try:
            catalogue = load_catalogue(self.config.catalogue, self.config.tracks)
        except StudyGuideError as error:
            for diagnostic in error.diagnostics:
                log.error(str(diagnostic))
            raise PluginError(f"studyguide: {error}; see the messages above") from None
        return self.pages(catalogue), catalogue.outline

    @staticmethod
    def clashes(generated: dict[str, Generated], files: Files, config: MkDocsConfig) -> list[str]:
        """A message for each generated page that a file of the site is written to already."""

        def written_to(path: str) -> str:
            return File(path, config.docs_dir, config.site_dir, config.use_directory_urls).dest_uri

        site = {file.dest_uri: file.src_uri for file in files}
        return clashes(generated, site, written_to, config.docs_dir)

    @property
    def prefix(self) -> str:
        """The folder of the site the guide is written into: "" or a path ending in "/"."""
        return _prefix(self.config.prefix)

    def pages(self, catalogue: Catalogue) -> dict[str, Generated]:
        """The generated files as this configuration writes them, keyed by their path in the
        docs folder: `studyguide build --config` exports exactly these."""
        home = self.config.home
        site = SiteText(home.title, home.heading, home.question, home.lede)
        suggest = home.suggest
        problem = suggest_problem(suggest, catalogue)
        if problem:
            raise PluginError(f"studyguide: {problem}")
        rendered = render_site(catalogue, RenderOptions(site, self._link_report(), suggest))
        return guide_pages(rendered, self.layout)

    @property
    def layout(self) -> Layout:
        home = self.config.home
        return Layout(
            self.prefix, home.enabled, home.heading, self.config.contributing, self.config.nav
        )

    def _nav(
        self, outline: Outline, files: Files, config: MkDocsConfig, pages: dict[str, Generated]
    ) -> None:
        # Paths without titles: MkDocs then takes each page's own (escaped) title.
        hand_written = [
            f.src_uri
            for f in files.documentation_pages()
            if f.src_uri not in self.generated and f.inclusion.is_in_nav()
        ]
        nav, said = site_nav(outline, self.layout, config.nav, hand_written, pages)
        config.nav = nav
        if said:
            log.info(f"studyguide: {said}")

    @event_priority(100)  # before any other plugin reads the page's HTML (search, tags)
    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        fragments = self.fragments.get(page.file.src_uri)
        if not fragments:
            return html
        try:
            return fill_fragments(html, fragments)
        except ValueError as error:
            raise PluginError(f"studyguide: {page.file.src_uri}: {error}") from None

    def on_page_context(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        if page.edit_url and page.file.src_uri in self.generated:
            page.edit_url = _without_dot_segments(page.edit_url)
        return context

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        server.watch(self.config.catalogue)
        server.watch(self.config.tracks)
        if Path(self.config.link_report).exists():
            server.watch(self.config.link_report)
        return server


# Each folder name of a prefix, and the whole of it, within what every file system takes, with
# room for the guide's own paths under it.
PREFIX_NAME_MAX, PREFIX_MAX = 100, 200


def _prefix(value: str) -> str:
    """The `prefix` option as a folder path ending in `/`, or "" for the site root. ValueError
    says what is wrong with any other."""
    folder = value.strip("/")
    if not folder:
        return ""
    parts = folder.split("/")
    if any(part in {"", ".", ".."} or not SLUG_RE.fullmatch(part) for part in parts):
        raise ValueError(
            f"{_shorten(value)} is not a folder such as 'guide/' (lowercase letters, digits and "
            "hyphens, separated by '/')"
        )
    longest = max(len(part) for part in parts)
    if longest > PREFIX_NAME_MAX or len(folder) > PREFIX_MAX:
        raise ValueError(
            f"{_shorten(value)} is too long: a folder name in it may have at most "
            f"{PREFIX_NAME_MAX} characters (the longest has {longest}), and the whole prefix at "
            f"most {PREFIX_MAX} (it has {len(folder)})"
        )
    return folder + "/"


def _shorten(value: str, limit: int = 40) -> str:
    """A long value, quoted in a message by its start and its length."""
    if len(value) <= limit:
        return repr(value)
    return f"{value[:limit]!r}... ({len(value)} characters)"


def _without_dot_segments(url: str) -> str:
    """An edit URL made from a path such as `../tracks/x.yaml`, with the `..` resolved."""
    parts = urlsplit(url)
    path = posixpath.normpath(parts.path) if parts.path else parts.path
    return urlunsplit(parts._replace(path=path))
