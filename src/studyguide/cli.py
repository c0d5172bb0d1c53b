"""The `studyguide` command: check, build, schema, links, new.

Exit codes: 0 clean, 1 problems in the data (or the links), 2 usage, 70 an internal error
(a bug in studyguide: one line, and the trace with --debug).
"""

from __future__ import annotations

import datetime as dt
import sys
import traceback
from pathlib import Path
from typing import Any

import click

from . import __version__
from .data_options import CATALOG, CATALOG_MAYBE, TRACKS, TRACKS_MAYBE, require_data
from .errors import REPORT_FORMATS, Diagnostic, StudyGuideError, display_path, formatted
from .links.command import links
from .model import Catalogue
from .render import Generated, render_site
from .render.verify import page_titles, title_problems
from .scaffold import ScaffoldError, insert_entry, lock_for, write_atomically
from .schema import COSTS, FORMATS, LEVELS, RESOURCE, json_schema_text
from .site_config import config_problems
from .starter import StarterError, write_starter
from .validate import load_catalogue


def load_or_exit(catalog: Path, tracks: Path, form: str = "text") -> Catalogue:
    """Load the catalogue, or print every problem and exit 1: as FILE:LINE:COL lines on
    standard error, or in `form` (json, github) on standard output for machines."""
    try:
        return load_catalogue(catalog, tracks)
    except StudyGuideError as error:
        report(error.diagnostics, form)
        click.echo(f"studyguide: {error}", err=True)
        sys.exit(1)


def report(diagnostics: list[Diagnostic], form: str) -> None:
    """Print diagnostics: text for people on standard error, other forms on standard output."""
    click.echo(formatted(diagnostics, form), err=form == "text")


INTERNAL_ERROR = 70  # EX_SOFTWARE


class InternalError(Exception):
    """Something studyguide itself got wrong, found by its own checks."""


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="studyguide")
@click.option("--debug", is_flag=True, help="Show the full trace of an internal error.")
def cli(debug: bool) -> None:
    """Validate and render a study-guide catalogue."""


def main(argv: list[str] | None = None) -> None:
    """The boundary: every input ends in a result or in located messages; anything else is a
    bug, reported in one line with its own exit status."""
    args = sys.argv[1:] if argv is None else argv
    try:
        cli.main(args, prog_name="studyguide")
    except Exception as error:
        if "--debug" in args:
            traceback.print_exc()
        what = f"{type(error).__name__}: {error}".splitlines()[0][:300]
        click.echo(f"studyguide: internal error: {what}; please report it", err=True)
        if "--debug" not in args:
            click.echo("(run again with --debug to see the trace)", err=True)
        sys.exit(INTERNAL_ERROR)


@cli.command()
@CATALOG
@TRACKS
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The mkdocs.yml whose studyguide options must agree with the data (default: "
    "mkdocs.yml beside CATALOG, where there is one); checked when its plugin reads CATALOG.",
)
@click.option(
    "--format",
    "form",
    type=click.Choice(REPORT_FORMATS),
    default="text",
    show_default=True,
    help="text: FILE:LINE:COL lines; json: one array of {file, line, col, code, severity, "
    "message}; github: annotations for a GitHub Actions run.",
)
def check(catalog: Path, tracks: Path, config_file: Path | None, form: str) -> None:
    """Validate CATALOG (default resources.yaml) and the track files, check that every page
    title reads back from its page as meant, and that the plugin's options in mkdocs.yml
    name what the data holds."""
    catalogue = load_or_exit(catalog, tracks, form)
    found = title_problems(page_titles(catalogue))
    if found:
        raise InternalError("; ".join(found))
    beside = catalog.parent / "mkdocs.yml"
    if config_file is None and beside.is_file():
        config_file = beside
    if config_file is not None:
        if not config_file.is_file():
            raise click.BadParameter(f"{str(config_file)!r} is not a file", param_hint="--config")
        problems = config_problems(Path(display_path(config_file)), catalogue, catalog)
        if problems:
            report(problems, form)
            noun = "problem" if len(problems) == 1 else "problems"
            click.echo(f"studyguide: {len(problems)} {noun} in {config_file}", err=True)
            sys.exit(1)
    if form == "json":
        click.echo("[]")
    click.echo(
        f"{catalog}: ok: {len(catalogue.resources)} resources, {len(catalogue.topics)} topics, "
        f"{len(catalogue.tracks)} tracks, {len(catalogue.concepts)} concepts",
        err=True,
    )


@cli.command()
@CATALOG_MAYBE
@TRACKS_MAYBE
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the generated Markdown and JSON into.",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Take the data, the home page's words and the options from the studyguide plugin "
    "in this mkdocs.yml, and export what the plugin would add: pages and assets.",
)
def build(catalog: Path, tracks: Path, out: Path, config_file: Path | None) -> None:
    """Export the generated pages as files, for engines without plugins."""
    files: dict[str, str]
    if config_file is None:
        require_data(catalog, tracks)
        files = {
            path: g.exported() for path, g in render_site(load_or_exit(catalog, tracks)).items()
        }
    else:
        files = _plugin_files(config_file)
    root = out.resolve()
    for path, content in files.items():
        target = (root / path).resolve()
        if not target.is_relative_to(root):  # ids are slugs, but never write outside --out
            raise click.ClickException(f"refusing to write outside {out}: {path}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    click.echo(f"wrote {len(files)} files into {out}", err=True)


def _plugin_files(config_file: Path) -> dict[str, str]:
    """What the studyguide plugin in `config_file` adds to the site, by path in docs/."""
    from .shipped import shipped_assets

    _, _, _, generated = _plugin_pages(config_file)
    return {**dict(shipped_assets()), **{p: g.exported() for p, g in generated.items()}}


def _plugin_pages(config_file: Path) -> tuple[Any, Any, Catalogue, dict[str, Generated]]:
    """The MkDocs config in `config_file`, its studyguide plugin, and the pages the plugin
    generates, checked against the site's own files."""
    from mkdocs.config import load_config  # only these commands need MkDocs
    from mkdocs.exceptions import MkDocsException
    from mkdocs.structure.files import get_files

    from .plugin import StudyGuidePlugin

    try:
        config = load_config(str(config_file))
    except MkDocsException as error:
        raise click.ClickException(f"{config_file}: {error}") from None
    plugin = config.plugins.get("studyguide")
    if not isinstance(plugin, StudyGuidePlugin):
        raise click.ClickException(f"{config_file}: the studyguide plugin is not in its plugins")
    catalogue = load_or_exit(Path(plugin.config.catalogue), Path(plugin.config.tracks))
    try:
        generated = plugin.pages(catalogue)
    except MkDocsException as error:
        raise click.ClickException(str(error)) from None
    clashes = plugin.clashes(generated, get_files(config), config)
    if clashes:
        click.echo("\n".join(clashes), err=True)
        raise click.ClickException(f"{len(clashes)} generated page(s) clash with docs/")
    return config, plugin, catalogue, generated


@cli.command()
@click.argument("folder", metavar="DIR", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--config",
    "config_file",
    default="mkdocs.yml",
    show_default=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The site's mkdocs.yml, with the studyguide plugin in its plugins.",
)
@click.option(
    "--watch",
    is_flag=True,
    help="Stay running and export again whenever the data, docs/ or mkdocs.yml change.",
)
def export(folder: Path, config_file: Path, watch: bool) -> None:
    """Write the site as a project that needs no plugin: DIR/docs and DIR/mkdocs.yml, which
    `mkdocs build` or `zensical build` builds in DIR. Exporting again rewrites what changed."""
    watched = _export_once(folder, config_file)
    if watch:
        _watch(folder, config_file, watched)


def _export_once(folder: Path, config_file: Path) -> list[Path]:
    """Export, and say what was done; the files and folders the export is made from."""
    from .export import ExportError
    from .export import export as write_export

    config, plugin, catalogue, generated = _plugin_pages(config_file)
    try:
        done = write_export(
            catalogue.outline,
            generated,
            plugin.layout,
            config_file,
            Path(config.docs_dir),
            config.nav,
            folder,
        )
    except ExportError as error:
        raise click.ClickException(str(error)) from None
    for note in done.notes:
        click.echo(f"studyguide: {note}", err=True)
    click.echo(
        f"exported into {folder}: {done.written} files written, {done.removed} removed, "
        f"{done.unchanged} unchanged; build it there with `mkdocs build` or `zensical build`",
        err=True,
    )
    sources = [config_file, Path(plugin.config.catalogue), Path(plugin.config.tracks)]
    return [*sources, Path(config.docs_dir), Path(plugin.config.link_report)]


def _watch(folder: Path, config_file: Path, sources: list[Path]) -> None:
    """Export again after each change to `sources`. A change that fails to export is reported
    and leaves the last good export as it was."""
    import threading
    import time

    from watchdog.events import FileSystemEvent, FileSystemEventHandler
    from watchdog.observers import Observer

    changed = threading.Event()
    out = folder.resolve()

    def matters(path: str) -> bool:
        where = Path(path).resolve()
        if where.is_relative_to(out):
            return False
        return any(where == s.resolve() or where.is_relative_to(s.resolve()) for s in sources)

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event: FileSystemEvent) -> None:
            paths = [event.src_path, getattr(event, "dest_path", "")]
            if event.event_type in ("created", "modified", "deleted", "moved") and any(
                p and matters(str(p)) for p in paths
            ):
                changed.set()

    observer = Observer()
    # Folders (tracks/, docs/) whole; a file through its folder alone, not the whole project.
    seen: set[tuple[Path, bool]] = set()
    for source in sources:
        where = source.resolve()
        key = (where, True) if where.is_dir() else (where.parent, False)
        if key not in seen and key[0].is_dir():
            seen.add(key)
            observer.schedule(Handler(), str(key[0]), recursive=key[1])
    observer.start()
    click.echo(f"watching {', '.join(str(s) for s in sources)}; Ctrl-C stops", err=True)
    try:
        while True:
            changed.wait()
            time.sleep(0.2)  # an editor's save is often several events
            changed.clear()
            try:
                sources = _export_once(folder, config_file)
            except click.ClickException as error:
                error.show()
            except SystemExit:
                pass  # the problems are printed; the last good export stays
    except KeyboardInterrupt:
        pass
    finally:
        observer.stop()
        observer.join()


@cli.command()
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the schema here instead of standard output.",
)
@click.option(
    "--track",
    is_flag=True,
    help="The schema of a track file (tracks/<id>.yaml) instead of resources.yaml.",
)
def schema(out: Path | None, track: bool) -> None:
    """Print the JSON Schema of resources.yaml, or of a track file."""
    text = json_schema_text(track)
    if out is None:
        click.echo(text, nl=False)
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")


# Fields whose option name differs from the field name.
OPTION_OF = {
    "authors": "--author",
    "topics": "--topic",
    "goals": "--goal",
    "effort_hours": "--effort-hours",
}


@cli.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--title", help="The guide's name, shown on every page.")
@click.option("--topic", "topics", multiple=True, help="A topic's name; repeat for several.")
@click.option("--force", is_flag=True, help="Add the files to a folder that is not empty.")
@click.option(
    "--interactive/--no-interactive",
    default=None,
    help="Ask for the title and topics. Default: ask when standard input is a terminal.",
)
def init(
    folder: Path, title: str | None, topics: tuple[str, ...], force: bool, interactive: bool | None
) -> None:
    """Start a new guide in FOLDER: mkdocs.yml, a small catalogue and two tracks."""
    if interactive is None:
        interactive = sys.stdin.isatty()
    if interactive and title is None:
        title = click.prompt("Title of the guide", default="Study guide")
    if interactive and not topics:
        names = click.prompt("Topics, separated by commas", default="Basics, Next steps")
        topics = tuple(names.split(","))
    topic_titles = _split(topics) or ["Basics", "Next steps"]
    try:
        title = "Study guide" if title is None else title
        written = write_starter(folder, title, topic_titles, force=force)
    except StarterError as error:
        raise click.ClickException(str(error)) from None
    for path in written:
        click.echo(f"wrote {path}", err=True)
    click.echo(
        f"next: cd {folder} && studyguide check && mkdocs serve --dirty "
        "(replace everything marked EXAMPLE)",
        err=True,
    )


def _split(values: tuple[str, ...]) -> list[str]:
    """Repeated options, each of which may also hold a comma-separated list."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


@cli.command()
@CATALOG
@TRACKS
@click.option("--id", "rid", help="Slug, unique: e.g. mit-18-06-linear-algebra.")
@click.option("--title")
@click.option("--url")
@click.option("--author", "authors", multiple=True, help="Repeat, or separate with commas.")
@click.option("--provider")
@click.option("--topic", "topics", multiple=True, help="Topic id; repeat for several.")
@click.option("--goal", "goals", multiple=True, help="Track id; repeat for several.")
@click.option("--format", "format_", type=click.Choice(FORMATS.names))
@click.option("--cost", type=click.Choice(COSTS.names))
@click.option("--effort-hours", type=float)
@click.option("--level", type=click.Choice(LEVELS.names))
@click.option("--why", help="The curator's note, in our own words.")
@click.option("--prerequisite", "prerequisites", multiple=True, help="Resource id to do first.")
@click.option("--alternative", "alternatives", multiple=True, help="Resource id of a similar one.")
@click.option("--added", type=click.DateTime(["%Y-%m-%d"]), help="Default: today.")
@click.option(
    "--interactive/--no-interactive",
    default=None,
    help="Ask for missing fields. Default: ask when standard input is a terminal.",
)
def new(catalog: Path, tracks: Path, interactive: bool | None, **options: Any) -> None:
    """Add a resource to CATALOG: from the options, or by asking on a terminal."""
    catalogue = load_or_exit(catalog, tracks)
    values: dict[str, Any] = {
        "id": options["rid"],
        "title": options["title"],
        "url": options["url"],
        "authors": _split(options["authors"]),
        "provider": options["provider"],
        "topics": _split(options["topics"]),
        "goals": _split(options["goals"]),
        "format": options["format_"],
        "cost": options["cost"],
        "effort_hours": options["effort_hours"],
        "level": options["level"],
        "why": options["why"],
        "prerequisites": _split(options["prerequisites"]),
        "alternatives": _split(options["alternatives"]),
        "added": (options["added"].date() if options["added"] else dt.date.today()),
    }
    choices = {
        "topics": [t.id for t in catalogue.topics],
        "goals": [t.id for t in catalogue.tracks_in_order],
        "format": FORMATS.names,
        "cost": COSTS.names,
        "level": LEVELS.names,
    }
    required = [f for f in RESOURCE.fields if f.required and values.get(f.name) in (None, [])]
    if interactive is None:
        interactive = sys.stdin.isatty()
    if required and not interactive:
        names = ", ".join(OPTION_OF.get(f.name, "--" + f.name) for f in required)
        raise click.UsageError(f"missing {names} (or run it on a terminal to be asked)")
    for field in required:
        values[field.name] = _ask(field.name, field.doc, choices.get(field.name))
    if isinstance(values["effort_hours"], float) and values["effort_hours"].is_integer():
        values["effort_hours"] = int(values["effort_hours"])
    # Read, check and write under one lock, reading afresh: a concurrent run's entry stays.
    with lock_for(catalog):
        text = catalog.read_bytes().decode("utf-8")  # bytes: CRLF line ends stay as they are
        try:
            updated = insert_entry(text, values)
        except ScaffoldError as error:
            raise click.ClickException(f"{catalog}: {error}") from None
        try:
            load_catalogue(catalog, tracks, catalogue_data=updated.encode("utf-8"))
        except StudyGuideError as error:
            click.echo(error.report(), err=True)
            click.echo(f"studyguide: not added; {error}", err=True)
            sys.exit(1)
        write_atomically(catalog, updated)
    click.echo(f"{catalog}: added resource {values['id']!r}", err=True)


def _ask(name: str, doc: str, choices: list[str] | None) -> Any:
    label = f"{name} ({doc.rstrip('.')})"
    if name in ("authors", "topics", "goals"):
        hint = f" [{', '.join(choices)}]" if choices else ""
        answer = click.prompt(f"{label}, comma-separated{hint}")
        return _split((answer,))
    if choices:
        return click.prompt(label, type=click.Choice(choices))
    if name == "effort_hours":
        return click.prompt(label, type=click.FloatRange(min=0, min_open=True))
    return click.prompt(label)


cli.add_command(links)
