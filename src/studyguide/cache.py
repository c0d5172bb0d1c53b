"""The generated pages of the last build, kept on disk under the digest of everything they
come from: the catalogue, the track files, the link report, the plugin's options, and this
package's own code and the versions of what it depends on. A build whose inputs are all
unchanged (`make test` after `make check`, a deploy after the tests, `make site` twice) reads
the pages back instead of validating and rendering again. Any change to any input is a
different digest, and so a full validation and render.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import asdict
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from . import maths
from .model import Outline
from .render import Generated

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


def input_digest(files: Iterable[Path], options: Any) -> str:
    """The digest of the data files (missing ones count too) and the options, with the code."""
    digest = hashlib.sha256(code_digest().encode())
    digest.update(json.dumps(options, sort_keys=True, default=str).encode())
    for path in files:
        digest.update(str(path).encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except FileNotFoundError:
            digest.update(b"\0missing\0")
    return digest.hexdigest()


class PageCache:
    """One entry, the last build's: a cache of any size would only grow."""

    def __init__(self, folder: Path) -> None:
        self.file = folder / "pages.json"

    def load(self, key: str) -> tuple[dict[str, Generated], Outline] | None:
        try:
            with self.file.open(encoding="utf-8") as stream:
                data = json.load(stream)
            if data.get("key") != key:
                return None
            pages = {
                path: Generated(content, Path(source) if source else None, in_nav, title)
                for path, (content, source, in_nav, title) in data["pages"].items()
            }
            outline = data["outline"]
            return pages, Outline(
                tuple(outline["tracks"]),
                tuple(outline["topics"]),
                outline["concepts"],
                outline["next_steps"],
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None  # no entry, or one this version cannot read: build as if none

    def save(self, key: str, pages: dict[str, Generated], outline: Outline) -> None:
        data = {
            "key": key,
            "outline": asdict(outline),
            "pages": {
                path: [g.content, str(g.source) if g.source else None, g.in_nav, g.title]
                for path, g in pages.items()
            },
        }
        _write_json(self.file, data)


def _write_json(file: Path, data: Any) -> None:
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        # Written beside and renamed into place: a reader never sees half a file.
        fd, name = tempfile.mkstemp(dir=file.parent, prefix=f".{file.stem}.", suffix=".tmp")
    except OSError:
        return  # a cache that cannot be written only costs the next build its speed
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as stream:
            json.dump(data, stream, ensure_ascii=False)
        os.replace(name, file)
    except OSError:
        Path(name).unlink(missing_ok=True)


class FormulaCache:
    """The LaTeX-to-MathML conversions of the last build: most edits leave every formula as it
    was, and converting them again is a third of a build of this site's 62 concept pages."""

    def __init__(self, folder: Path) -> None:
        self.file = folder / "maths.json"
        self.loaded = 0

    def load(self) -> None:
        try:
            with self.file.open(encoding="utf-8") as stream:
                data = json.load(stream)
            if data.get("key") == code_digest():
                known = [(str(a), str(b), str(c)) for a, b, c in data["formulas"]]
                maths.seed(known)
                self.loaded = len(known)
        except (OSError, ValueError, KeyError, TypeError):
            pass  # none yet, or unreadable: convert afresh

    def save(self) -> None:
        known = maths.conversions()
        if len(known) != self.loaded:
            _write_json(self.file, {"key": code_digest(), "formulas": known})
