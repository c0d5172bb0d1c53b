"""What `studyguide check` asks of the generated files before MkDocs ever sees them: each
page's front matter, read the way MkDocs reads it, gives back the title that was meant, and
each JSON file is strict JSON. A catalogue that passes builds as it should."""

from __future__ import annotations

import json
from typing import Any

from mkdocs.utils.meta import get_data

from ..markup import html_text
from . import Generated


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
