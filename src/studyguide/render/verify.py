"""What the generated files must give MkDocs: each page's front matter, read the way MkDocs
reads it, gives back the title that was meant, and each JSON file is strict JSON.

`studyguide check` runs `title_problems`: the one part of a page's front matter that comes
from contributor text is its title, so reading every title back checks all of it without
rendering the pages. That every valid catalogue renders, with `problems` finding nothing, is
held by the tests (`tests/fuzzing.py`, `tests/test_render.py`)."""

from __future__ import annotations

import json
from typing import Any

from mkdocs.utils.meta import get_data

from ..markup import html_text
from ..model import Catalogue
from . import PAGE_SIZE, Generated, front_matter_string, topic_page


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def problems(generated: dict[str, Generated]) -> list[str]:
    """One line per generated file that would not build as meant."""
    found = []
    for path, item in generated.items():
        if path.endswith(".md"):
            body, meta = get_data(item.content)
            if not item.content.startswith("---") or body.startswith("---"):
                found.append(f"{path}: its front matter does not parse, so MkDocs would show it")
            elif item.title is not None and meta.get("title") != html_text(item.title):
                found.append(
                    f"{path}: its front matter gives the title {meta.get('title')!r}, "
                    f"not {html_text(item.title)!r}"
                )
        elif path.endswith(".json"):
            try:
                json.loads(item.content, parse_constant=_no_constant)
            except ValueError as error:
                found.append(f"{path}: not valid JSON ({error})")
    return found


def page_titles(catalogue: Catalogue) -> dict[str, str]:
    """Each title a page of the catalogue shows in its front matter, with what it titles."""
    titles = {f"track {t.id!r}": t.title for t in catalogue.tracks_in_order}
    for topic in catalogue.topics:
        titles[f"topic {topic.id!r}"] = topic.title
        pages = -(-len(catalogue.resources_for_topic(topic.id)) // PAGE_SIZE)
        for number in range(2, pages + 1):
            titles[f"topic {topic.id!r}, page {number}"] = topic_page(topic, number)[1]
    titles |= {f"resource {r.id!r}": r.title for r in catalogue.resources}
    titles |= {f"concept {c.id!r}": c.title for c in catalogue.concepts}
    return titles


def title_problems(titles: dict[str, str]) -> list[str]:
    """One line per title that its page's front matter would not give back."""
    keys = list(titles)
    # One document for all: thousands of one-line documents would take longer to read.
    lines = "".join(f"t{n}: {front_matter_string(titles[k])}\n" for n, k in enumerate(keys))
    body, meta = get_data(f"---\n{lines}---\n")
    if not body.startswith("---") and all(
        meta.get(f"t{n}") == html_text(titles[k]) for n, k in enumerate(keys)
    ):
        return []
    found = []
    for key in keys:  # which ones: each on its own
        title = titles[key]
        body, meta = get_data(f"---\ntitle: {front_matter_string(title)}\n---\n")
        if body.startswith("---") or meta.get("title") != html_text(title):
            found.append(f"{key}: its title {title!r} would not read back from its page")
    return found
