"""The plugin options in mkdocs.yml that name contributor data, read with their positions.

A track renamed in `tracks/` leaves `home.suggest` naming nothing: `mkdocs build` then fails,
so `studyguide check` reports it too, as FILE:LINE:COL, with the build's words."""

from __future__ import annotations

import os
from pathlib import Path

import yaml

from .errors import Diagnostic, Loc, did_you_mean
from .load import read_regular_file
from .model import Catalogue

PLUGIN = "studyguide"


def suggest_problem(suggest: str | None, catalogue: Catalogue) -> str | None:
    """Why the home page cannot suggest `suggest`, or None."""
    if suggest is None or suggest in catalogue.track_by_id:
        return None
    tracks = [t.id for t in catalogue.tracks_in_order]
    return (
        f"option 'home.suggest': {suggest!r} is not a track "
        f"({', '.join(tracks)}){did_you_mean(suggest, tracks)}"
    )


def _get(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key and isinstance(v, yaml.Node):
                return v
    return None


def _plugin_options(root: yaml.Node) -> yaml.Node | None:
    plugins = _get(root, "plugins")
    entries = plugins.value if isinstance(plugins, yaml.SequenceNode) else []
    if isinstance(plugins, yaml.MappingNode):  # MkDocs also takes plugins as a mapping
        entries = [yaml.MappingNode("tag:yaml.org,2002:map", [pair]) for pair in plugins.value]
    for entry in entries:
        found = _get(entry, PLUGIN)
        if found is not None:
            return found
    return None


def config_problems(
    config_file: Path, catalogue: Catalogue, catalogue_file: Path
) -> list[Diagnostic]:
    """What in `config_file`'s studyguide options would stop the build of `catalogue`, when
    the plugin there reads `catalogue_file`. A file MkDocs cannot read is MkDocs' to report:
    this finds nothing in it."""
    try:
        text = read_regular_file(config_file).decode("utf-8")
        # Composing builds nodes without constructing values: MkDocs' own tags (!ENV,
        # !!python/name) need no constructor here.
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError, ValueError):
        return []
    options = _plugin_options(root) if root is not None else None
    named = _get(options, "catalogue")
    reads = named.value if isinstance(named, yaml.ScalarNode) else "resources.yaml"
    if options is None or not _same_file(config_file.parent / reads, catalogue_file):
        return []
    found = []
    for node in (_get(_get(options, "home"), "suggest"), _get(options, "suggest")):
        if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":str"):
            problem = suggest_problem(node.value, catalogue)
            if problem:
                mark = node.start_mark
                found.append(
                    Diagnostic(
                        Loc(str(config_file), mark.line + 1, mark.column + 1),
                        problem,
                        code="plugin-options",
                    )
                )
    return found


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False
