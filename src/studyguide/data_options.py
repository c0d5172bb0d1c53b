"""The CATALOG argument and --tracks option every command that reads the data takes.

`CATALOG`/`TRACKS` make click check that the files exist. The `_MAYBE` forms leave that to the
command, for commands that can read their input from elsewhere (`links --url-file`,
`build --config`); they call `require_data` when they do read the catalogue.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def _catalog(exists: bool) -> Decorator:
    return click.argument(
        "catalog",
        default="resources.yaml",
        type=click.Path(exists=exists, dir_okay=False, path_type=Path),
    )


def _tracks(exists: bool) -> Decorator:
    return click.option(
        "--tracks",
        "tracks",
        default="tracks",
        show_default=True,
        type=click.Path(exists=exists, file_okay=False, path_type=Path),
        help="Folder of track files, one per learner goal.",
    )


CATALOG, TRACKS = _catalog(True), _tracks(True)
CATALOG_MAYBE, TRACKS_MAYBE = _catalog(False), _tracks(False)


def require_data(catalog: Path, tracks: Path) -> None:
    """What click checks for CATALOG and TRACKS, for the `_MAYBE` forms."""
    if not catalog.is_file():
        raise click.BadParameter(f"file {str(catalog)!r} does not exist.", param_hint="CATALOG")
    if not tracks.is_dir():
        raise click.BadParameter(f"folder {str(tracks)!r} does not exist.", param_hint="--tracks")
