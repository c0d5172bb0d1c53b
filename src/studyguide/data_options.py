"""The CATALOG argument and --tracks option every command that reads the data takes.

`CATALOG`/`TRACKS` make click check that the files exist. The `_MAYBE` forms leave that to the
command, for commands that can read their input from elsewhere (`links --url-file`,
`build --config`); they call `require_data` when they do read the catalogue.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


class _DataPath(click.Path):
    """click's check that a path exists, for a name with nothing at all behind it. A name that
    stands for the wrong thing (a folder, a named pipe, a symbolic link loop) is left to
    `load_catalogue`, which reports it as FILE:LINE:COL with every other problem."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str | os.PathLike) and os.path.lexists(value):
            return self.coerce_path_result(value)
        return super().convert(value, param, ctx)


def _catalog(exists: bool) -> Decorator:
    return click.argument(
        "catalog",
        default="resources.yaml",
        type=_DataPath(exists=exists, dir_okay=False, path_type=Path),
    )


def _tracks(exists: bool) -> Decorator:
    return click.option(
        "--tracks",
        "tracks",
        default="tracks",
        show_default=True,
        type=_DataPath(exists=exists, file_okay=False, path_type=Path),
        help="Folder of track files, one per learner goal.",
    )


CATALOG, TRACKS = _catalog(True), _tracks(True)
CATALOG_MAYBE, TRACKS_MAYBE = _catalog(False), _tracks(False)


def require_data(catalog: Path, tracks: Path) -> None:
    """What click checks for CATALOG and TRACKS, for the `_MAYBE` forms."""
    if not os.path.lexists(catalog):
        raise click.BadParameter(f"file {str(catalog)!r} does not exist.", param_hint="CATALOG")
    if not os.path.lexists(tracks):
        raise click.BadParameter(f"folder {str(tracks)!r} does not exist.", param_hint="--tracks")
