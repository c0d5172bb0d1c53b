"""What a build keeps on disk for the next one: the LaTeX-to-MathML conversions it made
(`FormulaCache`), under the digest of this package's code and the versions of what it depends
on. Most edits leave every formula as it was, and converting them again is a third of a build.

A cache is data that anyone who can write the project folder can change (a CI cache restored
from another branch, a stray edit), so nothing read back may put on a page anything the build
would not put there itself:

- Every entry of maths.json must be `[LaTeX, "inline" or "block", MathML]`, the MathML one
  `<math>` element, and each LaTeX must parse (`maths.seed`): a conversion in the cache is
  never taken as proof that LaTeX the site cannot render is fine. MathML read back goes
  through the same sanitiser as MathML converted afresh (`maths.mathml`): MathML elements and
  harmless attributes only, whatever the file held. A file that fails any check is ignored as
  a whole, with one line that says why.
- There is no cache of the generated pages. A page is Markdown that MkDocs renders with raw
  HTML, attribute lists and links passed through as written: short of rendering it again, no
  check can tell a page read back from one with a script, an event handler or a `javascript:`
  link added, and a digest kept beside the pages is rewritten as easily as they are. Every
  build validates the data and renders every page; the `pages.json` of earlier versions is
  never read.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from . import maths
from .atomic import write_atomic

PACKAGE = Path(__file__).resolve().parent
_AFTER_NAME = re.compile(r"[^A-Za-z0-9._-]")  # what ends the distribution name of a requirement
FORMAT = 1


@cache
def code_digest() -> str:
    """This package's files and the versions of its dependencies (which shape the output)."""
    digest = hashlib.sha256(f"format {FORMAT}".encode())
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    try:
        requires = metadata.requires("studyguide") or []
    except metadata.PackageNotFoundError:
        requires = []
    for name in sorted(
        {_AFTER_NAME.split(r, maxsplit=1)[0] for r in requires if "extra ==" not in r}
    ):
        try:
            digest.update(f"{name}=={metadata.version(name)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name} missing\0".encode())
    return digest.hexdigest()


def _write_json(file: Path, data: Any) -> None:
    # A cache that cannot be written only costs the next build its speed.
    with contextlib.suppress(OSError):
        write_atomic(file, json.dumps(data, ensure_ascii=False))


DISPLAYS = ("inline", "block")


class Unsound(ValueError):
    """Why a cache file is ignored, in a few words."""


class FormulaCache:
    """The LaTeX-to-MathML conversions of the last build: most edits leave every formula as it
    was, and converting them again is a third of a build of this site's 62 concept pages."""

    def __init__(self, folder: Path) -> None:
        self.file = folder / "maths.json"
        self.loaded = 0
        self.problem: str | None = None
        """Why the file was ignored (what `load` returned), or None."""

    def load(self) -> str | None:
        """Seed `maths` with the file's conversions when it is this code's and every entry is
        sound; otherwise seed none. Why a file was ignored, or None when it was read, is
        missing, or is another version's (the usual reasons for a miss, not problems)."""
        try:
            known = self._read()
            if known is not None:
                maths.seed(known)  # ValueError if an entry's LaTeX does not parse
        except ValueError as error:  # Unsound among them
            self.problem = str(error)
            return self.problem
        self.loaded = len(known or ())
        return None

    def _read(self) -> list[tuple[str, str, str]] | None:
        try:
            text = self.file.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except UnicodeDecodeError:
            raise Unsound("it is not UTF-8 text") from None
        except OSError as error:
            raise Unsound(f"it cannot be read ({error.strerror or error})") from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise Unsound(
                f"it is not valid JSON ({error.msg} at line {error.lineno}, column {error.colno})"
            ) from None
        except RecursionError:
            raise Unsound("it nests too deeply to be one") from None
        if not (
            isinstance(data, dict)
            and isinstance(data.get("key"), str)
            and isinstance(data.get("formulas"), list)
        ):
            raise Unsound('it is not an object with a "key" and a list of "formulas"')
        if data["key"] != code_digest():
            return None  # another version's: converted afresh, then replaced
        known: dict[tuple[str, str], str] = {}
        for number, entry in enumerate(data["formulas"], 1):
            latex, display, out = _entry(number, entry)
            if (latex, display) in known:
                raise Unsound(f"formula {number} repeats an earlier one")
            known[latex, display] = out
        return [(latex, display, out) for (latex, display), out in known.items()]

    def save(self) -> None:
        known = maths.conversions()
        if len(known) != self.loaded or self.problem is not None:
            _write_json(self.file, {"key": code_digest(), "formulas": known})


def _entry(number: int, entry: object) -> tuple[str, str, str]:
    """One formula of maths.json, checked: `[LaTeX, "inline" or "block", <math>...</math>]`."""
    if not (
        isinstance(entry, list)
        and len(entry) == 3
        and all(isinstance(item, str) for item in entry)
        and entry[1] in DISPLAYS
    ):
        raise Unsound(f'formula {number} is not [LaTeX, "inline" or "block", MathML]')
    latex, display, out = entry
    if not (out.startswith(("<math ", "<math>")) and out.endswith("</math>")):
        raise Unsound(f"formula {number}: its MathML is not a <math> element")
    return latex, display, out
