"""Where the guide sits in a site: which pages a configuration writes, the nav, and the clashes
with the site's own files. Pure: the MkDocs plugin and `studyguide export` both call it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .model import Outline
from .render import Generated

Nav = list[Any]
"""A MkDocs nav: paths, {title: path} and {title: [entries]}."""


@dataclass(frozen=True)
class Layout:
    """The plugin options that decide where the guide's pages go."""

    prefix: str = ""
    """The folder the guide is written into: "" or a path ending in "/"."""
    home: bool = True
    heading: str = "Study guide"
    """The home page's heading; with a prefix, the guide's section in the site's nav."""
    contributing: bool = True
    nav: bool = True


def guide_pages(rendered: Mapping[str, Generated], layout: Layout) -> dict[str, Generated]:
    """The rendered pages this layout writes, keyed by their path in the docs folder."""
    left_out = {"index.md": layout.home, "contributing.md": layout.contributing}
    return {
        layout.prefix + path: item for path, item in rendered.items() if left_out.get(path, True)
    }


def guide_nav(outline: Outline, layout: Layout) -> tuple[Nav, Nav]:
    """The guide's nav entries, and its Contributing entry (which a site without a prefix lists
    after its own pages)."""
    p = layout.prefix
    guide: Nav = [{"Home": f"{p}index.md"}] if layout.home else []
    guide += [
        {"Tracks": [f"{p}tracks/{t}.md" for t in outline.tracks]},
        {"Topics": [f"{p}topics/index.md", *(f"{p}topics/{t}.md" for t in outline.topics)]},
    ]
    if outline.concepts:
        guide.append({"Concepts": f"{p}concepts/index.md"})
    if outline.review:
        guide.append({"Review": f"{p}review.md"})
    if outline.next_steps:
        guide.append({"What next": f"{p}next.md"})
    contributing: Nav = [{"Contributing": f"{p}contributing.md"}] if layout.contributing else []
    return guide, contributing


def site_nav(
    outline: Outline,
    layout: Layout,
    host: Nav | None,
    hand_written: list[str],
    pages: Mapping[str, Generated],
) -> tuple[Nav | None, str]:
    """The site's nav with the guide in it, and a sentence saying what was done ("" when
    nothing was). `host` is the site's own nav (None when mkdocs.yml has none);
    `hand_written` lists the site's own pages, for a nav written from nothing: there they
    come in order of path, the site's home page first."""
    hand_written = sorted(hand_written, key=lambda uri: (uri != "index.md", uri))
    if not layout.nav:
        return host, ""
    guide, contributing = guide_nav(outline, layout)
    if host is None:
        if layout.prefix:  # the site's own pages first, the guide as one section of it
            return [*hand_written, {layout.heading: guide + contributing}], ""
        return [*guide, *hand_written, *contributing], ""
    section = guide + contributing
    if layout.prefix:
        placed, count = _replace_folder(host, layout.prefix, section)
        if count:
            return placed, (f"the guide's pages are in the nav where it names {layout.prefix!r}")
    listed = _paths(host) & {path for path, item in pages.items() if item.in_nav}
    if listed:
        return host, (
            f"the site's nav lists {len(listed)} of the guide's pages itself, so the guide adds "
            "none (set `nav: false` to say so and silence this)"
        )
    name = (
        "the site's nav names no folder " + repr(layout.prefix)
        if layout.prefix
        else ("the site's nav lists none of its pages")
    )
    return [*host, {layout.heading: section}], f"the guide is a section at the end: {name}"


def _replace_folder(nav: Nav, prefix: str, section: Nav) -> tuple[Nav, int]:
    """`nav` with each entry naming the folder `prefix` (`guide/`, `guide` or `/guide/`) turned
    into a section of the guide's pages, keeping the entry's title; and how many there were."""
    folder = prefix.strip("/")
    count = 0

    def names_folder(value: Any) -> bool:
        return isinstance(value, str) and value.strip("/") == folder

    def walk(entries: Nav) -> Nav:
        nonlocal count
        out: Nav = []
        for entry in entries:
            if names_folder(entry):
                count += 1
                out.extend(section)
            elif isinstance(entry, dict) and len(entry) == 1:
                ((title, value),) = entry.items()
                if names_folder(value):
                    count += 1
                    out.append({title: list(section)})
                elif isinstance(value, list):
                    out.append({title: walk(value)})
                else:
                    out.append(entry)
            else:
                out.append(entry)
        return out

    return walk(nav), count


def _paths(nav: Any) -> set[str]:
    """Every path a nav names."""
    if isinstance(nav, str):
        return {nav.lstrip("/")}
    if isinstance(nav, list):
        return set().union(*(_paths(entry) for entry in nav)) if nav else set()
    if isinstance(nav, dict):
        return set().union(*(_paths(value) for value in nav.values())) if nav else set()
    return set()


def clashes(
    generated: Mapping[str, Generated],
    site: Mapping[str, str],
    written_to: Callable[[str], str],
    docs_dir: str,
) -> list[str]:
    """A message for each generated page that a file of the site is written to already.
    `site` maps where each of the site's files is written to its path in the docs folder, and
    `written_to` gives where a docs path is written: with directory URLs, `topics.md` and
    `topics/index.md` are both `topics/index.html`."""
    found = []
    for path, item in generated.items():
        dest = written_to(path)
        other = site.get(dest)
        if other is None:
            continue
        same = "" if other == path else f" (both are written to {dest})"
        origin = f" from {item.source}" if item.source else ""
        found.append(
            f"{Path(docs_dir, other)}: the hand-written file clashes with the page "
            f"studyguide generates at {path}{origin}{same}; rename or remove the hand-written file"
        )
    return found
