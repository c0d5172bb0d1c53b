"""The `studyguide` command: check, build, schema, links, new.

Exit codes: 0 clean, 1 problems in the data (or the links), 2 usage.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import __version__
from .errors import StudyGuideError
from .model import Catalogue
from .render import render_site
from .schema import catalogue_json_schema
from .validate import load_catalogue

CATALOG = click.argument(
    "catalog",
    default="resources.yaml",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
TRACKS = click.option(
    "--tracks",
    "tracks",
    default="tracks",
    show_default=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder of track files, one per learner goal.",
)


def load_or_exit(catalog: Path, tracks: Path) -> Catalogue:
    """Load the catalogue, or print every problem as FILE:LINE:COL and exit 1."""
    try:
        return load_catalogue(catalog, tracks)
    except StudyGuideError as error:
        click.echo(error.report(), err=True)
        click.echo(f"studyguide: {error}", err=True)
        sys.exit(1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="studyguide")
def main() -> None:
    """Validate and render a study-guide catalogue."""


@main.command()
@CATALOG
@TRACKS
def check(catalog: Path, tracks: Path) -> None:
    """Validate CATALOG (default resources.yaml) and the track files."""
    catalogue = load_or_exit(catalog, tracks)
    click.echo(
        f"{catalog}: ok: {len(catalogue.resources)} resources, {len(catalogue.topics)} topics, "
        f"{len(catalogue.tracks)} tracks",
        err=True,
    )


@main.command()
@CATALOG
@TRACKS
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the generated Markdown and JSON into.",
)
def build(catalog: Path, tracks: Path, out: Path) -> None:
    """Export the generated pages as files, for engines without plugins."""
    generated = render_site(load_or_exit(catalog, tracks))
    root = out.resolve()
    for path, item in generated.items():
        target = (root / path).resolve()
        if not target.is_relative_to(root):  # ids are slugs, but never write outside --out
            raise click.ClickException(f"refusing to write outside {out}: {path}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(item.content, encoding="utf-8")
    click.echo(f"wrote {len(generated)} files into {out}", err=True)


@main.command()
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the schema here instead of standard output.",
)
def schema(out: Path | None) -> None:
    """Print the JSON Schema of resources.yaml."""
    text = json.dumps(catalogue_json_schema(), indent=2, ensure_ascii=False) + "\n"
    if out is None:
        click.echo(text, nl=False)
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")


def _register_optional_commands() -> None:
    from .links.command import links

    main.add_command(links)


if Path(__file__).with_name("links").joinpath("command.py").exists():
    _register_optional_commands()
