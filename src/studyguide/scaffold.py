"""`studyguide new`: a resource entry as YAML text, inserted without touching any other byte."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from filelock import FileLock

from .atomic import write_atomic
from .load import Loader
from .schema import RESOURCE


class _EntryDumper(yaml.SafeDumper):
    """Block mappings, with lists of ids and names inline, as the catalogue is written."""

    def represent_inline_list(self, data: list[Any]) -> yaml.SequenceNode:
        if any(isinstance(item, dict) for item in data):
            return self.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=False)
        return self.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


_EntryDumper.add_representer(list, _EntryDumper.represent_inline_list)


# A line break as YAML reads one: CRLF, LF, or a lone CR.
_LINE_END = re.compile(r"\r\n|\r|\n")


class ScaffoldError(Exception):
    """The catalogue's layout does not allow a safe insertion."""


def entry_text(values: dict[str, Any], indent: int) -> str:
    """One resource as a block-sequence item, fields in schema order, strings quoted where YAML
    would otherwise read them as something else."""
    ordered = {
        f.name: values[f.name] for f in RESOURCE.fields if values.get(f.name) not in (None, [])
    }
    body = yaml.dump([ordered], Dumper=_EntryDumper, sort_keys=False, allow_unicode=True, width=88)
    pad = " " * indent
    return "".join(pad + line if line.strip() else line for line in body.splitlines(True))


def insert_entry(text: str, values: dict[str, Any]) -> str:
    """`text` with the new entry after the last item of `resources:`; nothing else changes,
    and the entry's lines end as the file's do (LF, CRLF or CR: as its first line does)."""
    first = _LINE_END.search(text)
    nl = first.group() if first else "\n"
    root = yaml.compose(text, Loader=Loader)
    resources = None
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if key.value == "resources":
                resources = value
    if not isinstance(resources, yaml.SequenceNode) or resources.flow_style or not resources.value:
        raise ScaffoldError("resources: must be a non-empty block list to append to")
    # After the last item's last value: a collection's own end mark reaches past any comments
    # that follow, and those belong to what comes next.
    last: yaml.Node = resources.value[-1]
    while isinstance(last, yaml.MappingNode | yaml.SequenceNode) and last.value:
        last = last.value[-1][1] if isinstance(last, yaml.MappingNode) else last.value[-1]
    cut = last.end_mark.index
    if cut > 0 and text[cut - 1] not in "\r\n":
        line_end = _LINE_END.search(text, cut)
        cut = len(text) if line_end is None else line_end.end()
    before = text[:cut] if cut == 0 or text[cut - 1] in "\r\n" else text[:cut] + nl
    entry = entry_text(values, resources.start_mark.column).replace("\n", nl)
    return before + entry + text[cut:]


def lock_for(path: Path) -> FileLock:
    """A lock beside `path` for a read-change-write of it: two writers never lose an update.
    (The file itself is replaced on each write, so it cannot carry the lock.)"""
    return FileLock(path.with_name(f".{path.name}.lock"), timeout=60)


def write_atomically(path: Path, text: str) -> None:
    """Replace path's content in one step, so a crash never leaves half a catalogue."""
    write_atomic(path, text)
