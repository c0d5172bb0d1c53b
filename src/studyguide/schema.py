"""The one declaration of the contributor data.

Validation (`Kind.check`), the JSON Schema (`Kind.json_schema`) and the field reference on the
contributing page (`Kind.describe`, `Field.doc`) are all derived from the records below.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Final, Generic, TypeVar

import yaml

from .errors import Diagnostics, Loc, did_you_mean
from .load import describe_char
from .markup import markdown_problems
from .maths import latex_problem
from .model import (
    DEFAULT_WEEKLY_HOURS,
    Check,
    Concept,
    NextStep,
    Place,
    Resource,
    Step,
    Topic,
    Track,
)

SLUG_RE = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
SLUG_MAX = 80
"""An id names a page's file and folder: file systems refuse names past 255 bytes."""
# Plain decimal numbers, with an exponent if need be; not YAML 1.1's 1:30 or 0x1A or 012.
DECIMAL_RE = re.compile(r"[+-]?(0|[1-9][0-9]*)(\.[0-9]*)?([eE][+-]?[0-9]+)?")
DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

# One pattern judges URLs for both the validator and the JSON Schema (ECMA-262 and Python
# regular expressions alike): lowercase http(s), a DNS host name, an optional port from 1 to
# 65535, then no spaces, quotes, angle brackets or control characters.
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_PORT = r"(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3})"
_REST = r"[^\s\"<>\\^`{|}\x00-\x1f\x7f-\x9f]"
# `(?![\s\S])`, not `$`: Python's `$` also matches before a final newline.
END = r"(?![\s\S])"
URL_PATTERN = rf"^https?://(?:{_LABEL}\.)*{_LABEL}(?::{_PORT})?(?:[/?#]{_REST}*)?{END}"
URL_RE = re.compile(URL_PATTERN)

# Characters refused in contributor text: controls (but tab and newline), and the invisible
# marks that reorder text, which could make a page say something other than its source.
_HIDDEN = r"\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
HIDDEN_RE = re.compile(f"[{_HIDDEN}]")
TEXT_PATTERN = rf"^(?=[\s\S]*\S)[^{_HIDDEN}]*{END}"

_TAG = "tag:yaml.org,2002:"
_YAML_READS_AS = {
    f"{_TAG}bool": "a boolean",
    f"{_TAG}int": "a number",
    f"{_TAG}float": "a number",
    f"{_TAG}timestamp": "a date",
    f"{_TAG}null": "null",
}


class Invalid(enum.Enum):
    """The value of a field that failed validation (its error is already reported)."""

    INVALID = "INVALID"

    def __repr__(self) -> str:
        return "INVALID"


INVALID: Final = Invalid.INVALID


T = TypeVar("T")
R = TypeVar("R")


class Items(list[T]):
    """A validated list that remembers where each item is, for cross-file messages."""

    def __init__(self, items: Iterable[tuple[T, Loc]] = ()) -> None:
        pairs = list(items)
        super().__init__(value for value, _ in pairs)
        self.locs = [loc for _, loc in pairs]


class Keyed(dict[str, T]):
    """A validated mapping that remembers where each key is."""

    def __init__(self) -> None:
        super().__init__()
        self.locs: dict[str, Loc] = {}
        self.written: set[str] = set()
        """Every valid key, including those whose value was invalid (and is left out)."""


@dataclass(frozen=True)
class PendingRef:
    """A reference to a topic, resource or goal, resolved once every file is read."""

    target: str
    value: str
    loc: Loc
    label: str


@dataclass
class Ctx:
    path: str
    diags: Diagnostics
    refs: list[PendingRef] = field(default_factory=list)

    def loc(self, node: yaml.Node) -> Loc:
        mark = node.start_mark
        return Loc(self.path, mark.line + 1, mark.column + 1)

    def error(self, node: yaml.Node, message: str, *, code: str) -> None:
        self.diags.error(self.loc(node), message, code=code)


def shown(node: yaml.Node) -> str:
    """The offending value as the contributor wrote it, for messages."""
    if isinstance(node, yaml.ScalarNode):
        text = node.value if len(node.value) <= 60 else node.value[:57] + "..."
        return repr(text)
    return "a list" if isinstance(node, yaml.SequenceNode) else "a mapping"


class Kind(Generic[T]):
    """A type of field value: `check` gives a T, or INVALID with the problem reported."""

    def check(self, node: yaml.Node, ctx: Ctx, label: str) -> T | Invalid:
        raise NotImplementedError

    def build(self, value: T) -> Any:
        """The model's value for a checked one (a record's dataclass, a list's tuple)."""
        return value

    def json_schema(self) -> dict[str, Any]:
        raise NotImplementedError

    def describe(self) -> str:
        raise NotImplementedError


def scalar_text(node: yaml.Node, ctx: Ctx, label: str, expected: str = "text") -> str | Invalid:
    """The raw text of a scalar that YAML reads as a string, or INVALID with a message."""
    if not isinstance(node, yaml.ScalarNode):
        ctx.error(node, f"{label}: expected {expected}, got {shown(node)}", code="type")
        return INVALID
    if node.tag == f"{_TAG}null":
        ctx.error(node, f"{label}: is empty; expected {expected}", code="empty")
        return INVALID
    if node.tag != f"{_TAG}str":
        reads_as = _YAML_READS_AS.get(node.tag, f"the tag {node.tag}")
        ctx.error(
            node,
            f"{label}: expected {expected}, but YAML reads the unquoted value {node.value!r} "
            f'as {reads_as}; put it in quotes: "{node.value}"',
            code="type",
        )
        return INVALID
    return str(node.value)


# Notes to ourselves that must not reach a learner: the first person singular, and remarks on
# what was or was not checked. Matched outside $maths$ and `code`.
EDITORIAL_RE = re.compile(
    r"\bI['\u2019](?:m|ve|d)\b"
    r"|\bI (?:could|couldn't|can|cannot|can't|did|didn't|do|don't|found|think|checked|verified"
    r"|confirmed|believe|am|have|had|will|would|was)\b"
    r"|(?i:\bmy(?:self)?\b|\bat the time of writing\b|\bnote to (?:self|ourselves)\b"
    r"|\b(?:could|can)(?:n't|not| not) (?:verify|confirm|find|check)\b"
    r"|\bnot (?:be(?:en)? )?(?:verified|confirmed)\b|\bunverified\b"
    r"|\b(?:checked|verified|confirmed) by (?:simulation|finite differences|hand)\b)"
    r"|\b(?:TODO|FIXME|TBD|XXX)\b"
)
_NOT_PROSE_RE = re.compile(r"\$[^$]*\$|`[^`]*`")


def editorial_notes(text: str) -> list[str]:
    """The words of `text` that read as notes to ourselves rather than to a learner."""
    found = (m.group() for m in EDITORIAL_RE.finditer(_NOT_PROSE_RE.sub(" ", text)))
    return list(dict.fromkeys(found))


@dataclass(frozen=True)
class Text(Kind[str]):
    markdown: bool = False
    prose: bool = False
    """Published prose, written for a learner: notes to ourselves are refused."""

    def check(self, node: yaml.Node, ctx: Ctx, label: str) -> str | Invalid:
        value = scalar_text(node, ctx, label)
        if value is not INVALID and not value.strip():
            ctx.error(node, f"{label}: is blank; expected text", code="empty")
            return INVALID
        hidden = HIDDEN_RE.search(value) if value is not INVALID else None
        if hidden:
            ctx.error(
                node,
                f"{label}: contains the invisible character {describe_char(hidden.group())}; "
                "remove it (a control character or a text-direction mark)",
                code="hidden-character",
            )
            return INVALID
        notes = editorial_notes(value) if value is not INVALID and self.prose else []
        if notes:
            ctx.error(
                node,
                f"{label}: {_and([repr(n) for n in notes])} read{'s' if len(notes) == 1 else ''} "
                "as a note to ourselves; write the text for a learner (no first person, no "
                "remarks on what was or was not checked)",
                code="editorial-note",
            )
            return INVALID
        if value is not INVALID and self.markdown:
            problems = markdown_problems(value)
            maths = [p for p in problems if p.startswith("the maths")]
            markup = [p for p in problems if p not in maths]
            if markup:
                ctx.error(
                    node,
                    f"{label}: found {_and(markup)}; use plain Markdown, with http(s) or mailto "
                    "links, no HTML and no images",
                    code="markup",
                )
            if maths:
                ctx.error(
                    node,
                    f"{label}: {_and(maths)}; the Contributing page lists the LaTeX the site "
                    "renders",
                    code="maths",
                )
            if problems:
                return INVALID
        return value

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": TEXT_PATTERN}

    def describe(self) -> str:
        return "Markdown text (no raw HTML)" if self.markdown else "text"


def _and(items: list[str]) -> str:
    return ", ".join(items[:-1]) + (" and " if len(items) > 1 else "") + items[-1]


@dataclass(frozen=True)
class Latex(Kind[str]):
    """A formula in LaTeX (no $ signs), rendered to MathML at build time."""

    def check(self, node: yaml.Node, ctx: Ctx, label: str) -> str | Invalid:
        value = Text().check(node, ctx, label)
        if value is INVALID:
            return value
        problem = latex_problem(value)
        if problem:
            ctx.error(
                node, f"{label}: the LaTeX `{value}` cannot be rendered: {problem}", code="maths"
            )
            return INVALID
        return value

    def json_schema(self) -> dict[str, Any]:
        return Text().json_schema()

    def describe(self) -> str:
        return "LaTeX formula, without `$` signs"


@dataclass(frozen=True)
class Slug(Kind[str]):
    """`reserved` ids are the site's own: page names and anchors; one ending in a hyphen
    reserves every id that starts with it."""

    reserved: tuple[str, ...] = ()

    def check(self, node: yaml.Node, ctx: Ctx, label: str) -> str | Invalid:
        value = scalar_text(node, ctx, label, "a slug")
        if value is INVALID:
            return value
        if not SLUG_RE.fullmatch(value):
            ctx.error(
                node,
                f"{label}: {value!r} is not a slug; use lowercase letters, digits and single "
                f"hyphens, like 'mit-18-06'",
                code="id",
            )
            return INVALID
        if len(value) > SLUG_MAX:
            ctx.error(
                node,
                f"{label}: {value[:20] + '...'!r} is {len(value)} characters long; an id names "
                f"a page's file, so keep it to {SLUG_MAX}",
                code="id",
            )
            return INVALID
        taken = next((r for r in self.reserved if self._takes(r, value)), None)
        if taken is not None:
            what = f"ids starting with {taken!r} are" if taken.endswith("-") else f"{taken!r} is"
            ctx.error(
                node,
                f"{label}: {value!r} cannot be used: {what} reserved for the site's own pages "
                "and anchors; choose another id",
                code="id",
            )
            return INVALID
        return value

    @staticmethod
    def _takes(reserved: str, value: str) -> bool:
        return value.startswith(reserved) if reserved.endswith("-") else value == reserved

    def json_schema(self) -> dict[str, Any]:
        # Slugs hold only a-z, 0-9 and hyphens: nothing to escape in a pattern.
        prefixes = "".join(f"(?!{r})" for r in self.reserved if r.endswith("-"))
        schema: dict[str, Any] = {
            "type": "string",
            "pattern": f"^{prefixes}{SLUG_RE.pattern}{END}",
            "maxLength": SLUG_MAX,
        }
        exact = [r for r in self.reserved if not r.endswith("-")]
        if exact:
            schema["not"] = {"enum": exact}
        return schema

    def describe(self) -> str:
        if not self.reserved:
            return f"slug (`a-z`, `0-9`, single hyphens; at most {SLUG_MAX} characters)"
        names = ", ".join(f"`{r}*`" if r.endswith("-") else f"`{r}`" for r in self.reserved)
        return f"slug (`a-z`, `0-9`, single hyphens; at most {SLUG_MAX} characters), not {names}"


@dataclass(frozen=True)
class Ref(Kind[str]):
    """A slug naming a topic, resource or goal; checked once everything is loaded."""

    target: str

    def check(self, node: yaml.Node, ctx: Ctx, label: str) -> str | Invalid:
        value = Slug().check(node, ctx, label)
        if value is not INVALID:
            ctx.refs.append(PendingRef(self.target, value, ctx.loc(node), label))
        return value

    def json_schema(self) -> dict[str, Any]:
        return Slug().json_schema()

    def describe(self) -> str:
        return f"{self.target} id"


def url_problem(value: str) -> str | None:
    """Why `value` is not a URL the site accepts, or None. `URL_RE` alone decides; the rest
    only finds words for the contributor."""
    if URL_RE.fullmatch(value):
        return None
    lowered = value[:8].lower() + value[8:]
    if URL_RE.fullmatch(lowered):
        return "write the scheme in lowercase: 'http://' or 'https://'"
    if not lowered.startswith(("http://", "https://")):
        return "it must start with 'http://' or 'https://'"
    host = re.split(r"[/?#]", lowered.split("://", 1)[1], maxsplit=1)[0]
    port = re.fullmatch(r"[^:@\[\]]*:([0-9]*)", host)
    if port and port.group(1) and not re.fullmatch(_PORT, port.group(1)):
        return f"the port {port.group(1)} is outside 1 to 65535"
    if "@" in host:
        return "a user name before '@' is not allowed"
    if "[" in host or "]" in host:
        return "IP-v6 addresses are not allowed; use a host name"
    if re.search(r"\s", value):
        return "it contains a space; write it as %20"
    bad = re.search(r'["<>\\^`{|}\x00-\x1f\x7f-\x9f]', value)
    if bad:
        return f"it contains {describe_char(bad.group())}; percent-encode it"
    return "the host must be a DNS name such as 'example.org'"


@dataclass(frozen=True)
class Url(Kind[str]):
    def check(self, node: yaml.Node, ctx: Ctx, label: str) -> str | Invalid:
        value = scalar_text(node, ctx, label, "an http(s) URL")
        if value is INVALID:
            return value
        problem = url_problem(value)
        if problem:
            ctx.error(node, f"{label}: {value!r} is not an http(s) URL: {problem}", code="url")
            return INVALID
        return value

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": URL_PATTERN}

    def describe(self) -> str:
        return "`http://` or `https://` URL"


@dataclass(frozen=True)
class Number(Kind[float]):
    """A positive number, at most `maximum`: no value reaches a page as inf or overflows."""

    integer: bool = False
    maximum: int = 10_000

    def check(self, node: yaml.Node, ctx: Ctx, label: str) -> float | Invalid:
        expected = "a positive whole number" if self.integer else "a positive number"
        expected += f" up to {self.maximum:,}"
        if not isinstance(node, yaml.ScalarNode) or node.tag == f"{_TAG}null":
            ctx.error(node, f"{label}: expected {expected}, got {shown(node)}", code="type")
            return INVALID
        # Only plain decimals: YAML 1.1 also reads 1:30 (sexagesimal) and 0x1A as integers.
        if node.tag not in (f"{_TAG}int", f"{_TAG}float") or not DECIMAL_RE.fullmatch(node.value):
            ctx.error(node, f"{label}: expected {expected}, got {shown(node)}", code="type")
            return INVALID
        value = float(node.value)
        if (
            not math.isfinite(value)
            or not 0 < value <= self.maximum
            or (self.integer and not value.is_integer())
        ):
            ctx.error(node, f"{label}: expected {expected}, got {shown(node)}", code="type")
            return INVALID
        return int(value) if value.is_integer() else value

    def json_schema(self) -> dict[str, Any]:
        return {
            "type": "integer" if self.integer else "number",
            "exclusiveMinimum": 0,
            "maximum": self.maximum,
        }

    def describe(self) -> str:
        number = "positive whole number" if self.integer else "positive number"
        return f"{number}, at most {self.maximum:,}"


@dataclass(frozen=True)
class Date(Kind[dt.date]):
    def check(self, node: yaml.Node, ctx: Ctx, label: str) -> dt.date | Invalid:
        if (
            isinstance(node, yaml.ScalarNode)
            and node.tag in (f"{_TAG}timestamp", f"{_TAG}str")
            and DATE_RE.fullmatch(node.value)
        ):
            try:
                return dt.date.fromisoformat(node.value)
            except ValueError:
                pass
        ctx.error(
            node, f"{label}: {shown(node)} is not a valid date; expected YYYY-MM-DD", code="date"
        )
        return INVALID

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "format": "date", "pattern": f"^{DATE_RE.pattern}{END}"}

    def describe(self) -> str:
        return "date, `YYYY-MM-DD`"


@dataclass(frozen=True)
class Choice(Kind[str]):
    """One of a fixed set; `values` maps each allowed value to what it means."""

    values: tuple[tuple[str, str], ...]

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.values]

    def check(self, node: yaml.Node, ctx: Ctx, label: str) -> str | Invalid:
        value = scalar_text(node, ctx, label, "one of " + ", ".join(self.names))
        if value is not INVALID and value not in self.names:
            ctx.error(
                node,
                f"{label}: {value!r} is not one of {', '.join(self.names)}"
                + did_you_mean(value, self.names),
                code="choice",
            )
            return INVALID
        return value

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "enum": self.names}

    def describe(self) -> str:
        return "one of " + ", ".join(f"`{n}`" for n in self.names)


@dataclass(frozen=True)
class ListOf(Kind[Items[T]]):
    item: Kind[T]
    min_items: int = 0

    def build(self, value: Items[T]) -> tuple[Any, ...]:
        return tuple(self.item.build(v) for v in value)

    def check(self, node: yaml.Node, ctx: Ctx, label: str) -> Items[T] | Invalid:
        if not isinstance(node, yaml.SequenceNode):
            if isinstance(node, yaml.ScalarNode) and node.tag == f"{_TAG}null":
                if self.min_items == 0:
                    ctx.error(node, f"{label}: is empty; write [] for an empty list", code="empty")
                    return INVALID
                ctx.error(
                    node,
                    f"{label}: is empty; expected a list of {self.item.describe()}",
                    code="empty",
                )
                return INVALID
            ctx.error(
                node,
                f"{label}: expected a list of {self.item.describe()}, got {shown(node)}",
                code="type",
            )
            return INVALID
        if len(node.value) < self.min_items:
            wanted = "one item" if self.min_items == 1 else f"{self.min_items} items"
            ctx.error(node, f"{label}: needs at least {wanted}, got an empty list", code="empty")
            return INVALID
        values = [self.item.check(item, ctx, f"{label}[{i}]") for i, item in enumerate(node.value)]
        seen: set[Any] = set()
        for item_node, value in zip(node.value, values, strict=True):
            if isinstance(value, str | int | float):
                if value in seen:
                    ctx.error(item_node, f"{label}: {value!r} is listed twice", code="listed-twice")
                seen.add(value)
        return Items(
            (v, ctx.loc(n)) for v, n in zip(values, node.value, strict=True) if v is not INVALID
        )

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "array", "items": self.item.json_schema()}
        if self.min_items:
            schema["minItems"] = self.min_items
        if not isinstance(self.item, Record):
            schema["uniqueItems"] = True
        return schema

    def describe(self) -> str:
        at_least = f", at least {self.min_items}" if self.min_items else ""
        return f"list of {self.item.describe()}{at_least}"


@dataclass(frozen=True)
class MapOf(Kind[Keyed[T]]):
    """A mapping whose keys are ids (checked as references) and whose values share a kind."""

    key: Ref
    value: Kind[T]

    def build(self, value: Keyed[T]) -> dict[str, Any]:
        return {k: self.value.build(v) for k, v in value.items()}

    def check(self, node: yaml.Node, ctx: Ctx, label: str) -> Keyed[T] | Invalid:
        if not isinstance(node, yaml.MappingNode):
            ctx.error(node, f"{label}: expected a mapping, got {shown(node)}", code="type")
            return INVALID
        result: Keyed[T] = Keyed()
        for key_node, value_node in node.value:
            key = self.key.check(key_node, ctx, f"{label} key")
            value = self.value.check(value_node, ctx, f"{label}[{key_node.value!r}]")
            if key is not INVALID:
                result.written.add(key)
            if key is not INVALID and value is not INVALID:
                result[key] = value
                result.locs[key] = ctx.loc(key_node)
        return result

    def json_schema(self) -> dict[str, Any]:
        return {
            "type": "object",
            "propertyNames": self.key.json_schema(),
            "additionalProperties": self.value.json_schema(),
        }

    def describe(self) -> str:
        return f"mapping from {self.key.describe()} to {self.value.describe()}"


@dataclass(frozen=True)
class Field:
    name: str
    kind: Kind[Any]
    doc: str
    required: bool = True
    example: str = ""


@dataclass(frozen=True)
class Checked(Generic[R]):
    """A validated record of a `Record[R]`: its values, where it starts and where each
    field's value is. Cross-file checks read it; `Record.build` makes the R."""

    values: dict[str, Any]
    loc: Loc
    locs: dict[str, Loc]


@dataclass(frozen=True)
class Record(Kind[Checked[R]]):
    name: str
    fields: tuple[Field, ...]
    target: Callable[..., R] | None = field(default=None, kw_only=True)
    """The model's dataclass for it: one attribute per field, plus `loc` and `locs`."""
    doc: str = ""
    id_field: str = "id"
    """The field that names an entry in messages ("resource 'x': ...")."""

    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def build(self, value: Checked[R]) -> R:
        assert self.target is not None, f"{self.name} records are read, not built"
        kinds = {f.name: f.kind for f in self.fields}
        values = {name: kinds[name].build(v) for name, v in value.values.items()}
        return self.target(**values, loc=value.loc, locs=value.locs)

    def check(self, node: yaml.Node, ctx: Ctx, label: str) -> Checked[R] | Invalid:
        if not isinstance(node, yaml.MappingNode):
            ctx.error(
                node, f"{label}: expected a mapping of fields, got {shown(node)}", code="type"
            )
            return INVALID
        by_name = {f.name: f for f in self.fields}
        # Name the record by its id in every message, when the id is readable.
        for key_node, value_node in node.value:
            if key_node.value == self.id_field and isinstance(value_node, yaml.ScalarNode):
                label = f"{self.name} {value_node.value!r}"
        values: dict[str, Any] = {}
        locs: dict[str, Loc] = {}
        for key_node, value_node in node.value:
            key = scalar_text(key_node, ctx, f"{label}: field name")
            if key is INVALID:
                continue
            spec = by_name.get(key)
            if spec is None:
                ctx.error(
                    key_node,
                    f"{label}: unknown field {key!r}"
                    + (did_you_mean(key, by_name) or f"; known fields: {', '.join(by_name)}"),
                    code="unknown-field",
                )
                continue
            locs[key] = ctx.loc(value_node)
            value = spec.kind.check(value_node, ctx, f"{label}: field {key!r}")
            if value is not INVALID:
                values[key] = value
        present = {k.value for k, _ in node.value}
        for spec in self.fields:
            if spec.required and spec.name not in present:
                ctx.error(
                    node, f"{label}: missing required field {spec.name!r}", code="missing-field"
                )
        return Checked(values, ctx.loc(node), locs)

    def json_schema(self) -> dict[str, Any]:
        return {
            "type": "object",
            "description": self.doc,
            "additionalProperties": False,
            "required": [f.name for f in self.fields if f.required],
            "properties": {
                f.name: {**f.kind.json_schema(), "description": f.doc} for f in self.fields
            },
        }

    def describe(self) -> str:
        return f"{self.name} entries"


FORMATS = Choice(
    (
        ("video", "a lecture or video series"),
        ("course", "a structured course: lectures with exercises or problem sets"),
        ("book", "a textbook, printed or online"),
        ("article", "a single article, paper or interactive explainer"),
        ("exercises", "mostly practice problems"),
        ("notes", "lecture notes or a review sheet"),
    )
)
COSTS = Choice(
    (
        ("free", "free to use in full"),
        ("free-audit", "free to follow; certificates or graded work cost money"),
        ("paid", "must be bought"),
    )
)
# Costs a learner can follow without paying; the "free only" filter keeps these.
FREE_COSTS = ("free", "free-audit")
LEVELS = Choice(
    (
        ("intro", "assumes only school maths"),
        ("intermediate", "assumes a first course in the topic or its prerequisites"),
        ("advanced", "graduate-level or proof-heavy"),
    )
)

TOPIC = Record(
    "topic",
    (
        Field(
            "id",
            Slug(reserved=("index", "route", "res-")),
            "Stable identifier; the topic page lives at `/topics/<id>/`.",
        ),
        Field("title", Text(), "Name shown on pages and in the navigation."),
        Field(
            "summary",
            Text(prose=True),
            "Two or three sentences: what it is and why deep learning uses it.",
        ),
        Field("prerequisites", ListOf(Ref("topic")), "Topics to learn first; may be `[]`."),
    ),
    "A subject area of the catalogue.",
    target=Topic,
)

RESOURCE = Record(
    "resource",
    (
        Field(
            "id",
            Slug(reserved=("index",)),
            "Stable identifier, unique; the page lives at `/resources/<id>/`.",
        ),
        Field("title", Text(), "The resource's own title."),
        Field("url", Url(), "Canonical link to the resource; unique across the catalogue."),
        Field("authors", ListOf(Text(), 1), "People who wrote or teach it."),
        Field("provider", Text(), "Publisher, platform or institution."),
        Field("topics", ListOf(Ref("topic"), 1), "Topics it covers."),
        Field("goals", ListOf(Ref("goal"), 1), "Learner goals (tracks) it suits."),
        Field("format", FORMATS, "What kind of material it is."),
        Field("cost", COSTS, "What it costs; label paid material honestly."),
        Field(
            "effort_hours",
            Number(),
            "Honest total hours to work through it, from its own length.",
            example="12",
        ),
        Field("level", LEVELS, "How much it assumes."),
        Field(
            "why",
            Text(prose=True),
            "The curator's note, in our own words: what it gives and to whom.",
        ),
        Field(
            "prerequisites",
            ListOf(Ref("resource")),
            "Resources to do first; orders the track.",
            required=False,
        ),
        Field(
            "alternatives",
            ListOf(Ref("resource")),
            "Resources that cover similar ground.",
            required=False,
        ),
        Field("added", Date(), "When it entered the catalogue.", required=False),
    ),
    "A learning resource.",
    target=Resource,
)

PLACE = Record(
    "place",
    (
        Field("resource", Ref("resource"), "The resource that teaches the concept."),
        Field(
            "where",
            Text(),
            "The exact place in it: chapter, section or lecture, with its number and title.",
        ),
        Field(
            "hours",
            Number(),
            "Honest hours for this place alone, from its own length (pages, minutes); at most "
            "the resource's `effort_hours`.",
        ),
    ),
    "Where a resource teaches a concept.",
    id_field="resource",
    target=Place,
)

CHECK = Record(
    "check",
    (
        Field(
            "question", Text(markdown=True, prose=True), "A self-check question; `$...$` for maths."
        ),
        Field(
            "answer",
            Text(markdown=True, prose=True),
            "The answer, worked and explained; shown on demand. Check it twice.",
        ),
    ),
    "A self-check question and its worked answer.",
    target=Check,
)

CONCEPT = Record(
    "concept",
    (
        Field(
            "id",
            Slug(reserved=("index",)),
            "Stable identifier; the page lives at `/concepts/<id>/`.",
        ),
        Field("title", Text(), "Name of the concept."),
        Field(
            "also",
            ListOf(Text()),
            "Other names and abbreviations it goes by (MLE, say); search finds it by them.",
            required=False,
        ),
        Field("topic", Ref("topic"), "The topic it belongs to."),
        Field("level", LEVELS, "How much it assumes."),
        Field(
            "used_in",
            Text(markdown=True, prose=True),
            "Where deep learning uses it, in our own words. The first sentence, a short label "
            "of the idea, heads the concept map; `$...$` for maths.",
        ),
        Field("formula", Latex(), "The defining formula.", required=False),
        Field(
            "prerequisites",
            ListOf(Ref("concept")),
            "Concepts to know first.",
            required=False,
        ),
        Field(
            "learn_from",
            ListOf(PLACE, 1),
            "Where to learn it: each a resource and the exact place in it.",
        ),
        Field("checks", ListOf(CHECK), "Self-check questions.", required=False),
    ),
    "A concept of the maths deep learning uses.",
    target=Concept,
)

NEXT_STEP = Record(
    "next step",
    (
        Field("id", Slug(), "Stable identifier, unique among the next steps."),
        Field("title", Text(), "The course or book's own title."),
        Field("url", Url(), "Canonical link to it."),
        Field("authors", ListOf(Text(), 1), "People who wrote or teach it."),
        Field("provider", Text(), "Publisher, platform or institution."),
        Field("goals", ListOf(Ref("goal"), 1), "Learner goals it suits."),
        Field("format", FORMATS, "What kind of material it is."),
        Field("cost", COSTS, "What it costs; label paid material honestly."),
        Field("effort_hours", Number(), "Honest total hours, from its own length."),
        Field("level", LEVELS, "How much it assumes."),
        Field("assumes", Text(prose=True), "The maths and programming it takes for granted."),
        Field("why", Text(prose=True), "The curator's note, in our own words."),
        Field("added", Date(), "When it entered the catalogue.", required=False),
    ),
    "A deep-learning course or book to go on with once the maths is in place.",
    target=NextStep,
)

CATALOGUE: Record[Any] = Record(
    "catalogue",
    (
        Field("topics", ListOf(TOPIC, 1), "The topics, in the order the site lists them."),
        Field("resources", ListOf(RESOURCE, 1), "The learning resources."),
        Field(
            "concepts",
            ListOf(CONCEPT),
            "The concepts of the maths, each tied to where deep learning uses it and where "
            "to learn it.",
            required=False,
        ),
        Field(
            "next_steps",
            ListOf(NEXT_STEP),
            "Deep-learning courses to go on with once the maths is in place.",
            required=False,
        ),
    ),
    "resources.yaml: the topics, resources and concepts of the study guide.",
)

STEP = Record(
    "step",
    (
        Field(
            "resource",
            Ref("resource"),
            "The resource to work through; tagged with this track's goal and with the topic.",
        ),
        Field(
            "sections",
            Text(prose=True),
            "The part that matters for this goal, e.g. `Lectures 1-29 with problem sets 1-8`.",
            required=False,
        ),
        Field(
            "hours",
            Number(),
            "Hours for those sections; at most the resource's `effort_hours`, the default.",
            required=False,
        ),
        Field(
            "teaches",
            ListOf(Ref("concept"), 1),
            "The concepts its `sections` teach, where they are only part of the resource; "
            "without it, the step teaches every concept whose `learn_from` names the resource. "
            "Once the catalogue has concepts, every core step teaches at least one.",
            required=False,
        ),
        Field(
            "note",
            Text(markdown=True, prose=True),
            "Why this step, for this goal, in our own words.",
            required=False,
        ),
        Field(
            "instead",
            ListOf(Ref("resource")),
            "Resources a learner may take in its place (same goal and topic).",
            required=False,
        ),
    ),
    "One core step of a track's path.",
    id_field="resource",
    target=Step,
)


TRACK = Record(
    "track",
    (
        Field(
            "id",
            Slug(reserved=("index",)),
            "The learner goal; must equal the file name `tracks/<id>.yaml`.",
        ),
        Field("title", Text(), "Name of the track."),
        Field("tagline", Text(prose=True), "One line shown on the home page card."),
        Field(
            "audience", Text(prose=True), "Who the track is for; shown first on its page and card."
        ),
        Field(
            "before_you_start",
            Text(prose=True),
            "What a learner needs before starting; shown next to the audience.",
        ),
        Field(
            "intro",
            Text(markdown=True, prose=True),
            "Longer introduction, folded on the track page.",
        ),
        Field("topics", ListOf(Ref("topic"), 1), "Topic ids in the order the track walks them."),
        Field(
            "path",
            MapOf(Ref("topic"), ListOf(STEP, 1)),
            "For each of `topics`, in the same order, the core steps: the sequence a learner "
            "follows. Other resources of the goal are shown as going further.",
        ),
        Field(
            "topic_notes",
            MapOf(Ref("topic"), Text(prose=True)),
            "Per-topic note shown under the topic's heading on this track.",
            required=False,
        ),
        Field(
            "weekly_hours",
            Number(maximum=168),
            f"The pace durations are stated at, in hours a week (default {DEFAULT_WEEKLY_HOURS}); "
            "also the study plan's starting pace.",
            required=False,
        ),
        Field(
            "order",
            Number(integer=True, maximum=1_000_000),
            "Position of the card on the home page.",
            required=False,
        ),
    ),
    "tracks/<id>.yaml: one learner goal.",
    target=Track,
)


def catalogue_json_schema() -> dict[str, Any]:
    """The JSON Schema of resources.yaml, for editors and for the published site."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "resources.schema.json",
        "title": "studyguide catalogue (resources.yaml)",
        **CATALOGUE.json_schema(),
    }


def track_json_schema() -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "track.schema.json",
        "title": "studyguide track (tracks/<id>.yaml)",
        **TRACK.json_schema(),
    }


def json_schema_text(track: bool = False) -> str:
    """The JSON Schema of resources.yaml (or of a track file) as the editor copies hold it."""
    data = track_json_schema() if track else catalogue_json_schema()
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
