"""The concept map and concept pages in Chromium: MathML rendered at build time, filters in the
address, "I know this" marks that persist, placement on a track, and search that finds them."""

from __future__ import annotations

import contextlib
import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from .conftest import (
    PROGRESS_KEY,
    Site,
    goto,
    open_plan,
    plan_rows,
    set_storage,
    stored_progress,
)

pytestmark = pytest.mark.browser

ROWS = """() => [...document.querySelectorAll('.sg-concept-row')].map(span => ({
  id: span.dataset.sgConcept, topic: span.dataset.sgTopic, level: span.dataset.sgLevel,
  shown: !span.closest('tr').hidden}))"""


def rows(page: Page) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = page.evaluate(ROWS)
    return found


def test_the_map_lists_every_concept_and_filters_by_topic_and_level(page: Page, site: Site) -> None:
    goto(page, "concepts/")
    listed = rows(page)
    assert [r["id"] for r in listed] == [c["id"] for c in site.catalogue["concepts"]]
    page.get_by_label("Topic", exact=True).select_option("linear-algebra")
    shown = [r for r in rows(page) if r["shown"]]
    assert shown
    assert {r["topic"] for r in shown} == {"linear-algebra"}
    assert len(shown) == sum(r["topic"] == "linear-algebra" for r in listed)
    assert parse_qs(urlsplit(page.url).query) == {"topic": ["linear-algebra"]}
    goto(page, "concepts/?topic=probability-statistics&level=intermediate")
    shown = [r for r in rows(page) if r["shown"]]
    assert shown
    assert all(r["topic"] == "probability-statistics" for r in shown)
    assert all(r["level"] == "intermediate" for r in shown)
    status = page.locator(".sg-concept-panel .sg-filters__status").inner_text()
    assert status == f"Showing {len(shown)} of {len(listed)} concepts."


def test_formulas_are_mathml_that_chromium_lays_out(page: Page, site: Site) -> None:
    with_formula = [c for c in site.catalogue["concepts"] if c.get("formula")]
    assert len(with_formula) >= 20
    for concept in with_formula[:8]:
        goto(page, f"concepts/{concept['id']}/")
        math = page.locator(".sg-formula math")
        assert math.count() == 1
        box = math.bounding_box()
        assert box is not None
        assert box["height"] > 12, concept["id"]  # laid out as maths, not as a line of text
        assert box["width"] > 30, concept["id"]
        tex = page.locator(".sg-formula annotation").text_content()
        assert tex == concept["formula"]
        display = math.evaluate("el => getComputedStyle(el).display")
        assert display in ("block", "block math"), display
    scripts = page.evaluate("[...document.scripts].map(s => s.src + s.textContent).join(' ')")
    for maths_script in ("MathJax", "katex", "mathjax", "KaTeX"):
        assert maths_script not in scripts


def test_i_know_this_is_kept_and_exported(page: Page, site: Site) -> None:
    concept = site.catalogue["concepts"][0]
    goto(page, f"concepts/{concept['id']}/")
    button = page.get_by_role("button", name="I know this")
    assert button.get_attribute("aria-pressed") == "false"
    button.click()
    assert page.locator(".sg-know__button").get_attribute("aria-pressed") == "true"
    assert concept["id"] in stored_progress(page)["known"]
    page.reload()
    goto(page, f"concepts/{concept['id']}/")
    assert page.locator(".sg-know__button").get_attribute("aria-pressed") == "true"
    goto(page, "concepts/")
    known_row = page.locator(f'.sg-concept-row[data-sg-concept="{concept["id"]}"]')
    assert "sg-concept--known" in (
        known_row.locator("xpath=ancestor-or-self::tr").get_attribute("class") or ""
    )


@pytest.mark.engines
def test_a_step_whose_concepts_are_known_may_be_skipped_and_put_back(page: Page) -> None:
    goto(page, "tracks/research/")
    teaching = page.locator("article.sg-step[data-sg-teaches]").first
    step_id = teaching.get_attribute("data-sg-id")
    taught = (teaching.get_attribute("data-sg-teaches") or "").split()
    assert taught
    state = {"version": 2, "done": {}, "known": {c: "2026-01-01" for c in taught}}
    set_storage(page, PROGRESS_KEY, json.dumps(state))
    page.reload()
    goto(page, "tracks/research/")
    card = page.locator(f"#res-{step_id}")
    assert "sg-step--skipped" in (card.get_attribute("class") or "")
    assert card.locator(".sg-step__status").inner_text().startswith("You may skip this")
    open_plan(page, "10", "2025-01-06")
    assert step_id not in plan_rows(page)
    card.locator(".sg-skip").click()  # "Put back"
    assert step_id in plan_rows(page)
    assert step_id in stored_progress(page)["keep"]


def test_what_a_topic_teaches_can_be_marked_known_on_the_track(page: Page) -> None:
    goto(page, "tracks/casual/")
    first = page.locator(".sg-outcomes a[data-sg-concept]").first
    concept = first.get_attribute("data-sg-concept")
    box = page.get_by_role("checkbox", name=f"I know {first.inner_text().strip()}", exact=True)
    box.check()
    assert concept in stored_progress(page)["known"]
    box.uncheck()
    assert concept not in stored_progress(page)["known"]


@pytest.mark.parametrize(("query", "concept"), [("KL divergence", "kl-divergence"),
                                                ("Jacobian", "jacobian")])  # fmt: skip
def test_search_finds_the_concept_page_among_the_first_three(
    page: Page, query: str, concept: str
) -> None:
    goto(page, "")
    page.keyboard.press("/")
    # The search worker builds its index in the page first.
    expect(page.locator(".md-search-result__meta")).to_have_text(
        "Type to start searching", timeout=60_000
    )
    # Material searches on key events, as a person types, not on a programmatic fill.
    page.locator(".md-search__input").press_sequentially(query)
    expect(page.locator(".md-search-result__meta")).to_contain_text("matching document")
    # Results arrive as the worker answers each keystroke; the last answer is the one to judge.
    top = "[...document.querySelectorAll('.md-search-result__item > a')].slice(0, 3)"
    with contextlib.suppress(PlaywrightTimeout):  # the assertion below says what came instead
        page.wait_for_function(
            f"(c) => {top}.some((a) => a.getAttribute('href').includes(`concepts/${{c}}/`))",
            arg=concept,
        )
    hrefs = page.evaluate(f"() => {top}.map((a) => a.getAttribute('href'))")
    assert any(f"concepts/{concept}/" in href for href in hrefs), hrefs
