"""Where the guide's pages go in a site's nav (`layout.site_nav`), on synthetic sites: no nav of
the site's own, a nav that names the guide's folder, one that does not, and `home: false`."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from studyguide.layout import Layout, guide_pages, site_nav
from studyguide.model import Outline
from studyguide.render import Generated

OUTLINE = Outline(tracks=("casual",), topics=("calculus",), concepts=True, next_steps=False)
RENDERED = {
    "index.md": Generated("home"),
    "tracks/casual.md": Generated("track"),
    "topics/index.md": Generated("topics"),
    "topics/calculus.md": Generated("topic"),
    "concepts/index.md": Generated("concepts"),
    "concepts/derivative.md": Generated("concept", in_nav=False),
    "contributing.md": Generated("contributing"),
}


def nav(layout: Layout, host: str | None) -> tuple[Any, str]:
    pages = guide_pages(RENDERED, layout)
    hand_written = ["index.md", "about.md"] if layout.prefix else ["about.md"]
    return site_nav(OUTLINE, layout, yaml.safe_load(host) if host else None, hand_written, pages)


GUIDE = """
- Home: guide/index.md
- Tracks: [guide/tracks/casual.md]
- Topics: [guide/topics/index.md, guide/topics/calculus.md]
- Concepts: guide/concepts/index.md
- Contributing: guide/contributing.md
"""


@pytest.mark.parametrize(
    ("layout", "host", "expected", "said"),
    [
        pytest.param(
            Layout(),
            None,
            """
            - Home: index.md
            - Tracks: [tracks/casual.md]
            - Topics: [topics/index.md, topics/calculus.md]
            - Concepts: concepts/index.md
            - about.md
            - Contributing: contributing.md
            """,
            "",
            id="no-host-nav",
        ),
        pytest.param(
            Layout(prefix="guide/", heading="Maths"),
            None,
            f"[index.md, about.md, {{Maths: {yaml.safe_load(GUIDE)}}}]",
            "",
            id="no-host-nav-prefix",
        ),
        pytest.param(
            Layout(prefix="guide/", heading="Maths"),
            "[index.md, {Study guide: guide/}, about.md]",
            f"[index.md, {{Study guide: {yaml.safe_load(GUIDE)}}}, about.md]",
            "the guide's pages are in the nav where it names 'guide/'",
            id="host-names-the-folder",
        ),
        pytest.param(
            Layout(prefix="guide/", heading="Maths"),
            "[index.md, {Learn: [{Books: books.md}, /guide]}]",
            ["index.md", {"Learn": [{"Books": "books.md"}, *yaml.safe_load(GUIDE)]}],
            "the guide's pages are in the nav where it names 'guide/'",
            id="host-names-the-folder-bare-in-a-section",
        ),
        pytest.param(
            Layout(prefix="guide/", heading="Maths"),
            "[index.md, about.md]",
            f"[index.md, about.md, {{Maths: {yaml.safe_load(GUIDE)}}}]",
            "the guide is a section at the end: the site's nav names no folder 'guide/'",
            id="host-without-a-guide-entry",
        ),
        pytest.param(
            Layout(prefix="guide/", heading="Maths", home=False, contributing=False),
            "[index.md, {Study guide: guide/}]",
            """
            - index.md
            - Study guide:
              - Tracks: [guide/tracks/casual.md]
              - Topics: [guide/topics/index.md, guide/topics/calculus.md]
              - Concepts: guide/concepts/index.md
            """,
            "the guide's pages are in the nav where it names 'guide/'",
            id="home-false",
        ),
        pytest.param(
            Layout(prefix="guide/"),
            "[index.md, {Tracks: guide/tracks/casual.md}]",
            "[index.md, {Tracks: guide/tracks/casual.md}]",
            "the site's nav lists 1 of the guide's pages itself, so the guide adds none (set "
            "`nav: false` to say so and silence this)",
            id="host-lists-guide-pages-itself",
        ),
        pytest.param(
            Layout(prefix="guide/", nav=False),
            "[index.md]",
            "[index.md]",
            "",
            id="nav-false",
        ),
    ],
)
def test_the_guide_joins_the_sites_nav(
    layout: Layout, host: str | None, expected: Any, said: str
) -> None:
    got, message = nav(layout, host)
    if isinstance(expected, str):
        expected = yaml.safe_load(expected.replace("\n            ", "\n"))
    assert got == expected
    assert message == said


def test_a_page_left_out_of_the_nav_does_not_count_as_listed() -> None:
    # concepts/derivative.md is a page of the guide, but not one its nav lists.
    got, message = nav(Layout(prefix="guide/"), "[index.md, guide/concepts/derivative.md]")
    assert got[-1] == {"Study guide": yaml.safe_load(GUIDE)}
    assert message.startswith("the guide is a section at the end")
