"""Strict, safe reading of contributor YAML into a node tree that keeps line numbers.

One pass over LibYAML's event stream builds the nodes. On the way it refuses what a catalogue
never needs and what makes loading unsafe or ambiguous: tags, anchors and aliases (an alias bomb
never expands), keys that are not plain text, duplicate keys (which PyYAML accepts silently)
and nesting deeper than `MAX_DEPTH` (LibYAML's own composer recurses in C and crashes on deep
input, and its scanner slows with the square of the depth).
"""

from __future__ import annotations

import errno
import os
import stat
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from .errors import Diagnostics, Loc

# LibYAML's parser is several times faster than the pure-Python one.
Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# A catalogue nests five levels deep; a hundred leaves room and stops pathological input.
MAX_DEPTH = 100

_resolve: Any = yaml.resolver.Resolver().resolve
_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"


# Opening for reading never waits: not for a named pipe's writer (one that slips past the stat
# below), nor for a terminal or a serial line to become ready.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
REGULAR, FOLDER = "a regular file", "a folder"
_KINDS = (
    (stat.S_ISREG, REGULAR),
    (stat.S_ISDIR, FOLDER),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)
MISSING = "missing"
LOOP = "a symbolic link loop"


def kind_of(path: Path) -> str:
    """What `path` is, through any symbolic links: one of the kinds above, `MISSING` or
    `LOOP`. It only looks: nothing is opened."""
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        return LOOP if error.errno == errno.ELOOP else MISSING
    return _kind(mode)


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "a special file")


class UnreadableFile(Exception):
    """Why a data file cannot be read, in the words of a diagnostic."""


def read_regular_file(file: Path) -> bytes:
    """The bytes of `file` when it is a regular file, through any symbolic links. Anything
    else (a folder, a named pipe, a device, a symbolic link loop) raises UnreadableFile without
    being opened, so that it can neither block nor feed the reader forever."""
    try:
        kind = _kind(os.stat(file).st_mode)
        if kind == REGULAR:
            with open(os.open(file, _OPEN_FLAGS), "rb") as stream:
                # What the name stands for may have been replaced since the stat.
                kind = _kind(os.fstat(stream.fileno()).st_mode)
                if kind == REGULAR:
                    return stream.read()
    except FileNotFoundError:
        if os.path.islink(file):
            raise UnreadableFile(
                f"file not found: it is a symbolic link to {os.readlink(file)!r}, which does "
                "not exist"
            ) from None
        raise UnreadableFile("file not found") from None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise UnreadableFile(
                "cannot read the file: a symbolic link on its path leads round in a loop"
            ) from None
        raise UnreadableFile(f"cannot read the file: {error.strerror or error}") from None
    if os.path.islink(file):
        target = os.path.realpath(file)
        raise UnreadableFile(
            f"cannot read the file: it is a symbolic link to {kind} ({target!r}), not to a "
            "regular file"
        )
    raise UnreadableFile(f"cannot read the file: it is {kind}, not a regular file")


def _short_tag(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


def _mark_loc(path: str, mark: Any) -> Loc:  # yaml.Mark, or LibYAML's own
    return Loc(path, mark.line + 1, mark.column + 1) if mark is not None else Loc(path)


def _loc_of_byte(path: str, data: bytes, offset: int) -> Loc:
    """Line and column, in characters, of a byte offset into UTF-8 `data`."""
    offset = max(0, min(offset, len(data)))
    start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[start:offset].decode("utf-8", errors="replace")) + 1
    return Loc(path, data.count(b"\n", 0, offset) + 1, column)


def describe_char(char: str) -> str:
    """A character as a contributor can find it: itself where printable, and its name."""
    name = unicodedata.name(char, "") or f"U+{ord(char):04X}"
    shown = char if char.isprintable() and not char.isspace() else ascii(char)[1:-1]
    return f"'{shown}' ({name})" if name != shown else f"'{shown}'"


def _syntax_message(error: yaml.MarkedYAMLError, text: str) -> str:
    problem = error.problem or "invalid YAML"
    mark = error.problem_mark
    lines = text.splitlines()
    line = lines[mark.line] if mark is not None and mark.line < len(lines) else ""
    # LibYAML does not say which character it choked on; a tab in the indentation is typical.
    if "\\t" in problem or "tab" in problem or "\t" in line[: mark.column + 1 if mark else 0]:
        return "YAML syntax error: a tab character is not allowed here; indent with spaces"
    context = f" ({error.context})" if error.context else ""
    return f"YAML syntax error: {problem}{context}"


class _Composer:
    """Nodes from events, with every refusal reported in the same pass."""

    def __init__(self, path: str, diags: Diagnostics) -> None:
        self.path = path
        self.diags = diags
        self.refused = False
        self.first_reuse: Loc | None = None
        self.reuses = 0
        self.documents = 0

    def refuse(self, mark: Any, message: str) -> None:
        self.diags.error(_mark_loc(self.path, mark), message, code="yaml")
        self.refused = True

    def node_event(self, event: Any) -> None:
        if isinstance(event, yaml.AliasEvent) or event.anchor is not None:
            self.reuses += 1
            self.first_reuse = self.first_reuse or _mark_loc(self.path, event.start_mark)
        tag = getattr(event, "tag", None)
        if tag is not None and tag != "!":
            self.refuse(event.start_mark, f"YAML tags are not allowed: {_short_tag(tag)}")

    def compose(self, text: str) -> yaml.Node | None:
        root: yaml.Node | None = None
        # Open collections: each a node, whether it is a mapping, and the key awaiting its
        # value. The loop runs once per event of the file, so it keeps to plain operations.
        stack: list[tuple[yaml.CollectionNode, bool, list[yaml.Node]]] = []
        resolved: dict[str, str] = {}  # plain scalars repeat (ids, enums): resolve each once
        scalar, mapping_start, sequence_start = (
            yaml.ScalarEvent,
            yaml.MappingStartEvent,
            yaml.SequenceStartEvent,
        )
        mapping_end, sequence_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
        events: Iterable[Any] = yaml.parse(text, Loader=Loader)
        for event in events:
            kind = type(event)
            node: yaml.Node
            if kind is scalar:
                if event.anchor is not None or event.tag is not None:
                    self.node_event(event)
                value = event.value
                if not event.style and event.implicit[0]:  # plain ("" from LibYAML)
                    tag = resolved.get(value)
                    if tag is None:
                        tag = resolved[value] = _resolve(yaml.ScalarNode, value, (True, False))
                else:
                    tag = _STR
                node = yaml.ScalarNode(tag, value, event.start_mark, event.end_mark, event.style)
            elif kind is mapping_start or kind is sequence_start:
                if event.anchor is not None or event.tag is not None:
                    self.node_event(event)
                if len(stack) >= MAX_DEPTH:
                    self.refuse(
                        event.start_mark,
                        f"the data nests more than {MAX_DEPTH} levels deep; a catalogue needs "
                        "only a few",
                    )
                    return None
                is_map = kind is mapping_start
                cls = yaml.MappingNode if is_map else yaml.SequenceNode
                node = cls(_MAP if is_map else _SEQ, [], event.start_mark, None, event.flow_style)
            elif kind is mapping_end or kind is sequence_end:
                done, is_map, _ = stack.pop()
                done.end_mark = event.end_mark
                if is_map:
                    self.check_keys(done)  # type: ignore[arg-type]
                continue
            elif kind is yaml.AliasEvent:
                self.node_event(event)
                node = yaml.ScalarNode("tag:yaml.org,2002:null", "", event.start_mark)
            elif kind is yaml.DocumentStartEvent:
                self.documents += 1
                if self.documents > 1:
                    self.refuse(
                        event.start_mark,
                        "a second YAML document (after ---); the file must hold exactly one",
                    )
                    return None
                continue
            else:  # stream start and end, document end
                continue
            if stack:
                parent, parent_is_map, pending = stack[-1]
                if not parent_is_map:
                    parent.value.append(node)
                elif pending:
                    parent.value.append((pending.pop(), node))
                else:
                    pending.append(node)
            else:
                root = node
            if kind is not scalar and kind is not yaml.AliasEvent:
                stack.append((node, kind is mapping_start, []))  # type: ignore[arg-type]
        if self.first_reuse is not None:
            more = f" ({self.reuses - 1} more in this file)" if self.reuses > 1 else ""
            self.diags.error(
                self.first_reuse,
                f"YAML anchors and aliases (&name, *name) are not allowed{more}; write values out",
                code="yaml",
            )
            self.refused = True
        return root

    def check_keys(self, mapping: yaml.MappingNode) -> None:
        first: dict[str, int] = {}
        for key, _ in mapping.value:
            if not isinstance(key, yaml.ScalarNode):
                kind = "a list" if isinstance(key, yaml.SequenceNode) else "a mapping"
                self.refuse(
                    key.start_mark, f"a key must be plain text, not {kind} (a YAML complex key)"
                )
            elif key.value in first:
                self.diags.error(
                    _mark_loc(self.path, key.start_mark),
                    f"duplicate key {key.value!r} (first defined on line "
                    f"{first[key.value]}); YAML would silently keep only the last one",
                    code="yaml",
                )
            else:
                first[key.value] = key.start_mark.line + 1


def read_yaml(
    file: Path, path: str, diags: Diagnostics, data: bytes | None = None
) -> yaml.MappingNode | None:
    """Read one contributor file (or `data`, its would-be content); report every problem found
    and return its root mapping."""
    if data is None:
        try:
            data = read_regular_file(file)
        except UnreadableFile as error:
            diags.error(Loc(path), str(error), code="file")
            return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        bad = data[error.start : error.start + 1].hex()
        diags.error(
            _loc_of_byte(path, data, error.start),
            f"the file is not valid UTF-8 (byte 0x{bad}); save it as UTF-8",
            code="encoding",
        )
        return None
    composer = _Composer(path, diags)
    try:
        root = composer.compose(text)
    except yaml.MarkedYAMLError as error:
        diags.error(
            _mark_loc(path, error.problem_mark or error.context_mark),
            _syntax_message(error, text),
            code="yaml",
        )
        return None
    except yaml.reader.ReaderError as error:
        # LibYAML counts bytes of UTF-8 and names the character by its code.
        char = chr(error.character) if isinstance(error.character, int) else error.character
        offset = error.position
        if not isinstance(error.character, int):  # the pure-Python reader counts characters
            offset = len(text[:offset].encode("utf-8"))
        diags.error(
            _loc_of_byte(path, data, offset),
            f"the file contains a character YAML does not allow: {describe_char(char)}",
            code="yaml",
        )
        return None
    except yaml.YAMLError as error:  # any other parser complaint still gets a location
        diags.error(Loc(path), f"YAML error: {error}", code="yaml")
        return None
    if composer.refused:
        return None
    if root is None:
        diags.error(Loc(path), "the file is empty; expected a mapping of fields", code="empty")
        return None
    if not isinstance(root, yaml.MappingNode):
        kind = "a list" if isinstance(root, yaml.SequenceNode) else f"the value {root.value!r}"
        diags.error(
            _mark_loc(path, root.start_mark),
            f"the top level must be a mapping of fields, got {kind}",
            code="type",
        )
        return None
    return root
