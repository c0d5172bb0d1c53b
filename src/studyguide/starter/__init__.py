"""`studyguide init`: a new guide that builds and passes `studyguide check` at once.

The files are Jinja2 templates beside this module; the guide's title and topic names are the
only input. Every value a template puts into YAML is written by the YAML emitter (the `yaml`
and `yaml_flow` filters), never pasted in as YAML syntax; in Markdown and in MkDocs' HTML the
title is only ever escaped text. The guide is checked as `studyguide check` checks it before
anything is written, and only new, real files inside the folder are created: never through a
symbolic link, never over a file.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import sys
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import jinja2
import yaml

from ..errors import StudyGuideError
from ..load import describe_char
from ..markup import html_text, md_text
from ..render.verify import page_titles, title_problems
from ..schema import HIDDEN_RE, TOPIC, Slug, json_schema_text
from ..validate import load_catalogue

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("studyguide", "starter"),
    autoescape=False,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
    undefined=jinja2.StrictUndefined,
)
_TEMPLATES = (
    "mkdocs.yml", "resources.yaml", "tracks/start.yaml", "tracks/deep.yaml", "README.md",
    "docs/about.md",
)  # fmt: skip
# What a title or a topic's name may not hold: what the catalogue refuses in any text (control
# characters, text-direction marks), line breaks of every kind, and what YAML cannot hold.
_NOT_IN_A_NAME = re.compile(
    "|".join((HIDDEN_RE.pattern, r"[\t\n\u2028\u2029]", yaml.reader.Reader.NON_PRINTABLE.pattern))
)


def _reserved_topic_ids() -> tuple[str, ...]:
    kind = next(f.kind for f in TOPIC.fields if f.name == "id")
    if not isinstance(kind, Slug):
        raise TypeError(f"a topic's id is a {type(kind).__name__}, not a Slug")
    return kind.reserved


_RESERVED_TOPIC_IDS = _reserved_topic_ids()  # the schema's: `index`, and the like
_MAX_ID = 40  # a topic's id names folders and files, with a suffix: keep it well short of 255
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


class StarterError(ValueError):
    """Input the new guide cannot be made from; the message says which and why."""


class StarterBug(RuntimeError):
    """The guide made from valid input would not pass `studyguide check`: a bug in init."""


def _emit(value: object, style: str | None) -> str:
    dumped = yaml.dump(
        value,
        Dumper=yaml.SafeDumper,
        default_style=style,
        default_flow_style=True,
        allow_unicode=True,
        width=sys.maxsize,  # never folded onto a second line
    )
    text = dumped.removesuffix("\n...\n").removesuffix("\n")  # a lone plain scalar ends "..."
    if not text or "\n" in text:
        raise StarterBug(f"{value!r} does not fit on one line of YAML")
    return text


def yaml_text(value: object) -> str:
    """Text as one double-quoted YAML scalar, by the emitter: whatever YAML would read as
    syntax or as a line break is escaped."""
    return _emit(str(value), '"')


def yaml_flow(value: object) -> str:
    """An id, a URL or a list of them, on one line in the emitter's own style: plain where
    that reads back as the same string, quoted where YAML would read `no` or `2024` as a
    boolean or a number."""
    text = _emit(value, None)
    if not (text.isascii() and text.isprintable()):
        raise StarterBug(f"{value!r} is not an id or a URL")
    return text


_ENV.filters["yaml"] = yaml_text
_ENV.filters["yaml_flow"] = yaml_flow
_ENV.globals["html_text"] = html_text
_ENV.globals["md_text"] = md_text


@dataclass(frozen=True)
class StarterTopic:
    id: str
    title: str


def _one_line(what: str, value: str) -> str:
    """`value` without surrounding spaces, or StarterError naming it and what it may not hold."""
    value = value.strip()
    refused = _NOT_IN_A_NAME.search(value)
    if refused:
        raise StarterError(
            f"{what} {value!r}: contains {describe_char(refused.group())}; write it on one "
            "line, without control characters or text-direction marks"
        )
    return value


def slug(title: str) -> str:
    """The ASCII letters and digits of `title`, lowercase, joined by single hyphens: accents
    dropped, `ß` as `ss`; at most `_MAX_ID` characters."""
    letters = unicodedata.normalize("NFKD", title.casefold()).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", letters).strip("-")[:_MAX_ID].rstrip("-")


def topic_id(title: str, position: int) -> str:
    """A valid topic id for `title`, the `position`th topic (from 1): its slug; `topic-N` for
    a name in letters that have no ASCII form; `topic-` before an id the site keeps for its
    own pages (`index`). Empty for a name with no letters or digits at all."""
    found = slug(title)
    if not found and any(char.isalnum() for char in title):
        found = f"topic-{position}"
    if found and any(
        found.startswith(r) if r.endswith("-") else found == r for r in _RESERVED_TOPIC_IDS
    ):
        found = f"topic-{found}"
    return found


def starter_topics(titles: list[str]) -> list[StarterTopic]:
    topics = []
    for position, name in enumerate(titles, start=1):
        title = _one_line("topic", name)
        tid = topic_id(title, position)
        if not tid:
            raise StarterError(f"topic {title!r}: use letters or digits, on one line")
        topics.append(StarterTopic(tid, title))
    ids = [t.id for t in topics]
    for topic in topics:
        if ids.count(topic.id) > 1:
            raise StarterError(f"topics {[t.title for t in topics]}: two have the id {topic.id!r}")
    return topics


def write_starter(
    folder: Path, title: str, topic_titles: list[str], force: bool = False
) -> list[Path]:
    """Write a new guide into `folder`; return the files written. Refuses a non-empty folder
    unless `force`, and then only adds files that are not there yet."""
    title = _one_line("title", title)
    if not title:
        raise StarterError(f"title {title!r}: give the guide a name, on one line")
    if not topic_titles:
        raise StarterError("give at least one topic")
    topics = starter_topics(topic_titles)
    files = {
        name: _ENV.get_template(f"{name}.j2").render(title=title, topics=topics)
        for name in _TEMPLATES
    }
    # The JSON Schemas the data files name in their first line, so that editors complete and
    # check them (`studyguide schema --out` writes them again after an upgrade).
    files["schema/resources.schema.json"] = json_schema_text()
    files["schema/track.schema.json"] = json_schema_text(track=True)
    _verify(files, title)
    try:
        return _write_new_files(folder, files, force)
    except OSError as error:  # no permission, a read-only disk, a name too long...
        where = error.filename if error.filename is not None else folder
        raise StarterError(f"{where}: cannot write: {error.strerror or error}") from None


def _so_far(written: list[Path]) -> str:
    return f"init stopped after writing {', '.join(map(str, written)) or 'nothing'}"


def _verify(files: dict[str, str], title: str) -> None:
    """Read the new guide as MkDocs and `studyguide check` will: the title comes back from
    mkdocs.yml as written, and the catalogue and tracks pass the check."""
    config = yaml.safe_load(files["mkdocs.yml"])
    plugin = next(
        p["studyguide"] for p in config["plugins"] if isinstance(p, dict) and "studyguide" in p
    )
    if config["site_name"] != html_text(title) or plugin["home"]["heading"] != title:
        raise StarterBug(f"mkdocs.yml does not give back the title {title!r}")
    with tempfile.TemporaryDirectory(prefix="studyguide-init-") as tmp:
        root = Path(tmp)
        (root / "tracks").mkdir()
        for name, text in files.items():
            if name.endswith(".yaml"):
                (root / name).write_text(text, encoding="utf-8")
        try:
            catalogue = load_catalogue(root / "resources.yaml", root / "tracks")
        except StudyGuideError as error:
            raise StarterBug(f"the new guide fails its check: {error.report()}") from error
    problems = title_problems(page_titles(catalogue))
    if problems:
        raise StarterBug(f"the new guide fails its check: {'; '.join(problems)}")


def _write_new_files(folder: Path, files: dict[str, str], force: bool) -> list[Path]:
    """Create each file inside `folder`, after checking that none is there yet and that no
    path on the way is a symbolic link: one could lead the writing anywhere."""
    if folder.exists() and not folder.is_dir():
        raise StarterError(f"{folder}: is a file, not a folder")
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise StarterError(f"{folder}: is not empty; use --force to add the guide's files to it")
    links: dict[Path, None] = {}
    clashes = []
    for name in files:
        parts = name.split("/")
        for depth in range(1, len(parts) + 1):
            path = folder.joinpath(*parts[:depth])
            if path.is_symlink():
                links[path] = None
                break
            if depth < len(parts) and path.exists() and not path.is_dir():
                raise StarterError(f"{path}: is a file, not a folder; nothing was written")
            if depth == len(parts) and path.exists():
                clashes.append(str(path))
    if links:
        what = "is a symbolic link" if len(links) == 1 else "are symbolic links"
        raise StarterError(
            f"{', '.join(map(str, links))}: {what}; init writes only real files inside "
            f"{folder}, never through a link; nothing was written"
        )
    if clashes:
        raise StarterError(f"would overwrite {', '.join(clashes)}; nothing was written")
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name, text in files.items():
        path = folder
        for part in name.split("/")[:-1]:
            path = path / part
            with contextlib.suppress(FileExistsError):
                path.mkdir()
            if not stat.S_ISDIR(path.lstat().st_mode):  # made a link since the check above
                raise StarterError(f"{path}: not a real folder; {_so_far(written)}")
        path = path / name.split("/")[-1]
        try:  # a new file only: O_EXCL fails on anything there, a dangling link included
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o666)
        except FileExistsError:
            raise StarterError(f"{path}: appeared meanwhile; {_so_far(written)}") from None
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        written.append(path)
    return written
