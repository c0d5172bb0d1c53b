"""Rendering: golden files for a small catalogue, and the ordering and escaping rules."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from studyguide.markup import markdown_block, md_text
from studyguide.model import Catalogue
from studyguide.render import render_site
from studyguide.validate import load_catalogue

CASE = Path(__file__).parent / "cases" / "render"
EXPECTED = CASE / "expected"


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(CASE / "resources.yaml", CASE / "tracks", root=CASE)


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


def test_track_orders_by_level_then_prerequisites(catalogue: Catalogue) -> None:
    research = catalogue.track_by_id["research"]
    # 'problems' is intermediate but needs the advanced 'proofs' book, so it comes after it.
    assert ids(catalogue.track_topic_resources(research, "calculus")) == [
        "pictures",
        "proofs",
        "problems",
    ]


def test_pinned_resources_come_first(catalogue: Catalogue) -> None:
    casual = catalogue.track_by_id["casual"]
    assert ids(catalogue.track_topic_resources(casual, "linear-algebra")) == ["matrices", "vectors"]


def test_a_resource_on_two_topics_counts_once_per_track(catalogue: Catalogue) -> None:
    sections = catalogue.track_resources(catalogue.track_by_id["research"])
    assert [(s.topic.id, ids(s.resources), ids(s.listed_earlier)) for s in sections] == [
        ("calculus", ["pictures", "proofs", "problems"], []),
        ("linear-algebra", ["matrices"], []),
        ("optimisation", [], ["matrices"]),
    ]


def test_track_page_states_total_effort(catalogue: Catalogue) -> None:
    page = render_site(catalogue)["tracks/research.md"].content
    assert "about 193.5 hours across 4 resources in 3 topics" in page


def test_resource_pages_stay_out_of_the_navigation(catalogue: Catalogue) -> None:
    generated = render_site(catalogue)
    assert {p for p, g in generated.items() if p.endswith(".md") and not g.in_nav} == {
        f"resources/{r.id}.md" for r in catalogue.resources
    }


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
