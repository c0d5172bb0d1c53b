"""Rendering: golden files for a small catalogue, and the ordering and escaping rules."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from studyguide.markup import markdown_block, md_text
from studyguide.model import Catalogue
from studyguide.render import SiteText, duration, front_matter_string, render_site
from studyguide.render.verify import page_titles
from studyguide.validate import load_catalogue

CASE = Path(__file__).parent / "cases" / "render"
EXPECTED = CASE / "expected"


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(CASE / "resources.yaml", CASE / "tracks")


def test_generated_files_match_the_golden_copies(catalogue: Catalogue) -> None:
    generated = render_site(catalogue)
    if os.environ.get("UPDATE_GOLDEN"):
        for path, item in generated.items():
            (EXPECTED / path).parent.mkdir(parents=True, exist_ok=True)
            (EXPECTED / path).write_text(item.content, encoding="utf-8")
    on_disk = {p.relative_to(EXPECTED).as_posix() for p in EXPECTED.rglob("*") if p.is_file()}
    assert on_disk == set(generated)
    for path, item in generated.items():
        assert item.content == (EXPECTED / path).read_text(encoding="utf-8"), path


def ids(items: list) -> list[str]:  # type: ignore[type-arg]
    return [r.id for r in items]


def test_topic_pages_order_by_level_then_prerequisites(catalogue: Catalogue) -> None:
    # 'problems' is intermediate but needs the advanced 'proofs' book, so it comes after it.
    assert ids(catalogue.resources_for_topic("calculus")) == ["pictures", "proofs", "problems"]


def test_a_track_walks_its_path_and_shows_the_rest_as_going_further(catalogue: Catalogue) -> None:
    walk = catalogue.paths["research"]
    assert [
        (s.topic.id, [(p.number, p.resource.id) for p in s.steps], ids(list(s.further)))
        for s in walk.sections
    ] == [
        ("calculus", [(1, "pictures"), (2, "proofs")], ["problems"]),
        ("linear-algebra", [(3, "matrices")], []),
        ("optimisation", [(4, "descent")], []),
    ]
    # Core hours count only the steps; everything else is the optional second figure.
    assert (walk.core_hours, walk.all_hours) == (165.0, 195.0)
    assert walk.weeks == 17  # 165 hours at the track's 10 hours a week


def test_a_step_takes_its_sections_hours_and_its_alternatives(catalogue: Catalogue) -> None:
    walk = catalogue.paths["casual"]
    step = walk.sections[1].steps[0]
    assert (step.resource.id, step.hours, step.partial) == ("matrices", 20, True)
    assert ids(list(step.instead)) == ["vectors"]
    assert walk.sections[0].steps[0].hours == 3.5  # no hours given: the resource's own
    assert (walk.core_hours, walk.all_hours, walk.weeks) == (23.5, 45.5, 5)


def test_catalogue_json_gives_each_track_its_core_hours_and_path(catalogue: Catalogue) -> None:
    tracks = {t["id"]: t for t in catalogue.to_json()["tracks"]}
    assert tracks["casual"]["core_hours"] == 23.5
    assert tracks["casual"]["path"] == [
        {
            "topic": "calculus",
            "steps": [
                {
                    "resource": "pictures",
                    "hours": 3.5,
                    "sections": None,
                    "note": None,
                    "instead": [],
                    "teaches": ["derivative"],
                }
            ],
        },
        {
            "topic": "linear-algebra",
            "steps": [
                {
                    "resource": "matrices",
                    "hours": 20,
                    "sections": "Lectures 1-10 & the <first> problem set",
                    "note": "Do the *problem sets*; see [the notes](https://example.org/notes).",
                    "instead": ["vectors"],
                    "teaches": ["matrix-product"],
                }
            ],
        },
    ]
    assert "pinned" not in tracks["casual"]
    # A step's own `teaches` wins over what its resource's places teach.
    research = tracks["research"]["path"][-1]["steps"]
    assert [(s["resource"], s["teaches"]) for s in research] == [("descent", ["derivative"])]
    places = {c["id"]: c["learn_from"] for c in catalogue.to_json()["concepts"]}
    assert places["derivative"][0] == {"resource": "proofs", "where": "Chapter 2, Derivatives",
                                       "hours": 12}  # fmt: skip


@pytest.mark.parametrize(
    ("hours", "pace", "said"),
    [
        (18, 5, "about 4 weeks at 5 hours a week"),
        (4, 5, "about a week at 5 hours a week"),
        (479, 10, "about 48 weeks (about 11 months) at 10 hours a week"),
        (121.5, 5, "about 25 weeks at 5 hours a week"),
        (20, 2.5, "about 8 weeks at 2.5 hours a week"),
    ],
)
def test_durations_are_stated_at_a_pace(hours: float, pace: float, said: str) -> None:
    assert duration(hours, pace) == said


def test_track_page_states_the_core_hours_first(catalogue: Catalogue) -> None:
    page = render_site(catalogue)["tracks/research.md"].content
    assert "**The core path:** 4 steps in 3 topics, about **165 hours**" in page
    assert "about 17 weeks at 10 hours a week" in page
    assert "about 195 hours. They are optional." in page
    assert page.index("**Who it is for:**") < page.index("**The core path:**")
    assert page.index("**The core path:**") < page.index("About this track")


def test_resource_pages_stay_out_of_the_navigation(catalogue: Catalogue) -> None:
    generated = render_site(catalogue)
    assert {p for p, g in generated.items() if p.endswith(".md") and not g.in_nav} == {
        f"resources/{r.id}.md" for r in catalogue.resources
    } | {f"concepts/{c.id}.md" for c in catalogue.concepts}


def test_edit_sources_point_at_the_data_files(catalogue: Catalogue) -> None:
    generated = render_site(catalogue)
    assert generated["tracks/casual.md"].source == CASE / "tracks" / "casual.yaml"
    assert generated["resources/proofs.md"].source == CASE / "resources.yaml"
    assert generated["topics/calculus.md"].source == CASE / "resources.yaml"


def test_plain_text_cannot_become_markup() -> None:
    text = md_text("<script>alert(1)</script> [x](javascript:alert(2)) *em* `code`\n# h")
    assert "<" not in text
    assert "[" not in text
    assert "*" not in text
    assert "`" not in text
    assert "&#60;script&#62;" in text
    assert "\n" not in text


def test_markdown_fields_are_sanitised() -> None:
    html = markdown_block(
        "**ok** <script>alert(1)</script> <img src=x onerror=alert(2)>\n\n"
        "[bad](javascript:alert(3)) [good](https://example.org)"
    )
    assert "<strong>ok</strong>" in html
    assert "<script" not in html
    assert "onerror" not in html
    assert "<img" not in html
    assert "javascript:" not in html
    assert 'href="https://example.org"' in html


# Front matter lines: contributor text only ever as a JSON-quoted string.
FRONT_MATTER_LINE = re.compile(
    r'title: ".*"|tags:|  - ".*"|hide:|  - (navigation|toc)|search:|  exclude: true|  boost: [\d.]+'
)
FIXED_TITLES = {"Topics", "Concepts", "Review", "What next", "Contributing", SiteText().home_title}


def test_check_reads_back_every_title_a_page_shows_and_nothing_else_varies(
    catalogue: Catalogue,
) -> None:
    titles = set(page_titles(catalogue).values())
    for path, item in render_site(catalogue).items():
        if not path.endswith(".md"):
            continue
        assert item.content.startswith("---\n"), path
        front = item.content.split("---\n", 2)[1].splitlines()
        assert [line for line in front if not FRONT_MATTER_LINE.fullmatch(line)] == [], path
        assert f"title: {front_matter_string(item.title)}" in front, path
        assert item.title in titles | FIXED_TITLES, path
