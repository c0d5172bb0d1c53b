"""`studyguide init`: a new guide that builds and passes `studyguide check` at once.

The files are Jinja2 templates beside this module; the guide's title and topic names are the
only input, and every text in them is written as a YAML string, never as YAML syntax.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import jinja2

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("studyguide", "starter"),
    autoescape=False,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
    undefined=jinja2.StrictUndefined,
)
_ENV.filters["yaml"] = lambda value: json.dumps(str(value), ensure_ascii=False)
_TEMPLATES = (
    "mkdocs.yml", "resources.yaml", "tracks/start.yaml", "tracks/deep.yaml", "README.md",
    "docs/about.md",
)  # fmt: skip
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f]")


class StarterError(ValueError):
    """Input the new guide cannot be made from; the message says which and why."""


@dataclass(frozen=True)
class StarterTopic:
    id: str
    title: str


def slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def starter_topics(titles: list[str]) -> list[StarterTopic]:
    topics = [StarterTopic(slug(t), t.strip()) for t in titles]
    for title, topic in zip(titles, topics, strict=True):
        if not topic.id or _UNPRINTABLE.search(title):
            raise StarterError(f"topic {title!r}: use letters or digits, on one line")
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
    title = title.strip()
    if not title or _UNPRINTABLE.search(title):
        raise StarterError(f"title {title!r}: give the guide a name, on one line")
    if not topic_titles:
        raise StarterError("give at least one topic")
    topics = starter_topics(topic_titles)
    if folder.exists() and not folder.is_dir():
        raise StarterError(f"{folder}: is a file, not a folder")
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise StarterError(f"{folder}: is not empty; use --force to add the guide's files to it")
    planned = [(folder / name, name) for name in _TEMPLATES]
    clashes = [str(path) for path, _ in planned if path.exists()]
    if clashes:
        raise StarterError(f"would overwrite {', '.join(clashes)}; nothing was written")
    for path, name in planned:
        path.parent.mkdir(parents=True, exist_ok=True)
        text = _ENV.get_template(f"{name}.j2").render(title=title, topics=topics)
        path.write_text(text, encoding="utf-8")
    return [path for path, _ in planned]
