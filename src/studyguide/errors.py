"""Diagnostics: every problem in contributor data, with where it is and what it is."""

from __future__ import annotations

import difflib
import json
import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

# Characters that could hide text or forge a line in a terminal: controls, format characters
# (bidirectional overrides among them) and line or paragraph separators.
_UNSEEN = frozenset({"Cc", "Cf", "Zl", "Zp"})


def printable(text: str) -> str:
    """`text` with every control or invisible formatting character written as an escape, so
    that one diagnostic is always one honest line."""
    if text.isprintable():
        return text
    return "".join(ascii(c)[1:-1] if unicodedata.category(c) in _UNSEEN else c for c in text)


# A drive letter is the one ':' a path shown in a message may keep as it is.
_DRIVE = re.compile(r"[A-Za-z]:[\\/]")


def shown_path(path: str) -> str:
    """`path` as the FILE of a FILE:LINE:COL line: printable, and with every ':' escaped, so that
    a file named `a:1:2: error: x.yaml` cannot pass for a location of its own."""
    drive = path[:2] if _DRIVE.match(path) else ""
    return drive + printable(path[len(drive) :]).replace(":", "\\x3a")


@dataclass(frozen=True, order=True)
class Loc:
    """A 1-based position in a contributor file."""

    path: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{shown_path(self.path)}:{self.line}:{self.col}"


@dataclass(frozen=True, order=True)
class Diagnostic:
    loc: Loc
    message: str
    severity: str = "error"
    code: str = field(kw_only=True, compare=False)
    """A short rule name, as yamllint gives one: what kind of problem this is."""

    def __str__(self) -> str:
        return f"{self.loc}: {self.severity}: {printable(self.message)}"


@dataclass
class Diagnostics:
    """Collects problems so that one typo never hides the next twenty."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, loc: Loc, message: str, *, code: str) -> None:
        self.items.append(Diagnostic(loc, message, code=code))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "error"]

    def __bool__(self) -> bool:
        return bool(self.items)


class StudyGuideError(Exception):
    """The one exception root: bad contributor data, carrying every diagnostic."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = sorted(set(diagnostics))
        count = len(self.diagnostics)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in the catalogue")

    def report(self) -> str:
        return "\n".join(str(d) for d in self.diagnostics)


REPORT_FORMATS = ("text", "json", "github")


def _github_escape(text: str, *, property: bool = False) -> str:
    """As GitHub's workflow commands want a message (and, with `property`, a parameter)."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if property else text


def formatted(diagnostics: Iterable[Diagnostic], form: str) -> str:
    """Diagnostics as `text` (FILE:LINE:COL: error: MESSAGE, one a line), `json` (one array of
    {file, line, col, code, severity, message}) or `github` (workflow commands that annotate
    a pull request)."""
    items = list(diagnostics)
    if form == "json":
        return json.dumps(
            [
                {
                    "file": d.loc.path,
                    "line": d.loc.line,
                    "col": d.loc.col,
                    "code": d.code,
                    "severity": d.severity,
                    "message": d.message,
                }
                for d in items
            ],
            ensure_ascii=False,
            indent=1,
        )
    if form == "github":
        return "\n".join(
            f"::{d.severity} file={_github_escape(d.loc.path, property=True)},line={d.loc.line},"
            f"col={d.loc.col},title={_github_escape(f'studyguide ({d.code})', property=True)}"
            f"::{_github_escape(printable(d.message))}"
            for d in items
        )
    return "\n".join(str(d) for d in items)


def did_you_mean(value: object, choices: Iterable[str]) -> str:
    """A '; did you mean ...?' suffix when a close match exists, else ''."""
    if not isinstance(value, str):
        return ""
    matches = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{matches[0]}'?" if matches else ""


def display_path(path: Path, base: Path | None = None) -> str:
    """Paths in messages are relative to the working directory when possible."""
    base = base or Path.cwd()
    # The file by the name it was given, not what a symbolic link makes of it (a loop, a pipe):
    # only its folder is resolved. realpath, unlike Path.resolve, never raises on a loop.
    resolved = Path(os.path.realpath(path.parent), path.name)
    try:
        return str(resolved.relative_to(os.path.realpath(base)))
    except ValueError:
        return str(path)
