"""Strict, safe reading of contributor YAML into a node tree that keeps line numbers.

Only the safe loader is used, tags and anchors/aliases are refused before anything is
composed (so an alias bomb never expands), and duplicate keys, which PyYAML accepts
silently, are errors.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import Diagnostics, Loc

# LibYAML's parser is several times faster than the pure-Python one.
Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _short_tag(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


def _mark_loc(path: str, mark: Any) -> Loc:  # yaml.Mark, or LibYAML's own
    return Loc(path, mark.line + 1, mark.column + 1) if mark is not None else Loc(path)


def _loc_of_offset(path: str, data: bytes | str, offset: int) -> Loc:
    newline = b"\n" if isinstance(data, bytes) else "\n"
    line = data.count(newline, 0, offset) + 1  # type: ignore[arg-type]
    col = offset - (data.rfind(newline, 0, offset) + 1) + 1  # type: ignore[arg-type]
    return Loc(path, line, col)


def _syntax_message(error: yaml.MarkedYAMLError, text: str) -> str:
    problem = error.problem or "invalid YAML"
    mark = error.problem_mark
    line = (
        text.splitlines()[mark.line]
        if mark is not None and mark.line < len(text.splitlines())
        else ""
    )
    # LibYAML does not say which character it choked on; a tab in the indentation is typical.
    if "\\t" in problem or "tab" in problem or "\t" in line[: mark.column + 1 if mark else 0]:
        return "YAML syntax error: a tab character is not allowed here; indent with spaces"
    context = f" ({error.context})" if error.context else ""
    return f"YAML syntax error: {problem}{context}"


def _refuse_tags_and_aliases(text: str, path: str, diags: Diagnostics) -> bool:
    """Scan the event stream once; True when no tag, anchor or alias was found.

    Anchors and aliases are reported once per file (first place, and how many more), so
    that an alias bomb yields one message, not thousands.
    """
    clean = True
    first_reuse: Loc | None = None
    reuses = 0
    for event in yaml.parse(text, Loader=Loader):
        if not isinstance(event, yaml.NodeEvent):
            continue
        loc = _mark_loc(path, event.start_mark)
        if isinstance(event, yaml.AliasEvent) or event.anchor is not None:
            reuses += 1
            first_reuse = first_reuse or loc
        tag = getattr(event, "tag", None)
        if tag is not None and tag != "!":
            diags.error(loc, f"YAML tags are not allowed: {_short_tag(tag)}")
            clean = False
    if first_reuse is not None:
        more = f" ({reuses - 1} more in this file)" if reuses > 1 else ""
        diags.error(
            first_reuse,
            f"YAML anchors and aliases (&name, *name) are not allowed{more}; write values out",
        )
        clean = False
    return clean


def _check_duplicate_keys(root: yaml.Node, path: str, diags: Diagnostics) -> None:
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            first: dict[str, int] = {}
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.value in first:
                        diags.error(
                            _mark_loc(path, key.start_mark),
                            f"duplicate key {key.value!r} (first defined on line "
                            f"{first[key.value]}); YAML would silently keep only the last one",
                        )
                    else:
                        first[key.value] = key.start_mark.line + 1
                stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def read_yaml(
    file: Path, path: str, diags: Diagnostics, data: bytes | None = None
) -> yaml.MappingNode | None:
    """Read one contributor file (or `data`, its would-be content); report every problem found
    and return its root mapping."""
    if data is None:
        try:
            data = file.read_bytes()
        except FileNotFoundError:
            diags.error(Loc(path), "file not found")
            return None
        except OSError as error:
            diags.error(Loc(path), f"cannot read the file: {error.strerror}")
            return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        bad = data[error.start : error.start + 1].hex()
        diags.error(
            _loc_of_offset(path, data, error.start),
            f"the file is not valid UTF-8 (byte 0x{bad}); save it as UTF-8",
        )
        return None
    try:
        if not _refuse_tags_and_aliases(text, path, diags):
            return None
        root = yaml.compose(text, Loader=Loader)
    except yaml.MarkedYAMLError as error:
        diags.error(
            _mark_loc(path, error.problem_mark or error.context_mark), _syntax_message(error, text)
        )
        return None
    except yaml.reader.ReaderError as error:
        diags.error(
            _loc_of_offset(path, text, error.position),
            f"the file contains a character YAML does not allow ({error.character!r})",
        )
        return None
    except yaml.YAMLError as error:  # any other parser complaint still gets a location
        diags.error(Loc(path), f"YAML error: {error}")
        return None
    if root is None:
        diags.error(Loc(path), "the file is empty; expected a mapping of fields")
        return None
    if not isinstance(root, yaml.MappingNode):
        kind = "a list" if isinstance(root, yaml.SequenceNode) else f"the value {root.value!r}"
        diags.error(
            _mark_loc(path, root.start_mark),
            f"the top level must be a mapping of fields, got {kind}",
        )
        return None
    _check_duplicate_keys(root, path, diags)
    return root
