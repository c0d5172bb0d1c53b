"""Filters by cost, format and level: the visible resources, the totals, and the URL that
shares the filtered view. Without JavaScript every resource is listed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, Page

from .conftest import Site, Watch, cards, goto, open_context, track_with_most_variety

pytestmark = pytest.mark.browser

FREE = ("free", "free-audit")


@pytest.fixture
def track(site: Site) -> str:
    return track_with_most_variety(site)


def query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def visible_ids(page: Page) -> list[str]:
    """Cards the filters let through (a going-further card may still sit in a closed fold)."""
    return [c["id"] for c in cards(page) if not c["hidden"]]


def open_filters(page: Page) -> None:
    filters = page.locator("details.sg-filters")
    if not filters.evaluate("el => el.open"):
        filters.locator("summary").click()


def check_filter(
    page: Page, select: str, value: str, keep: Callable[[dict[str, Any]], bool]
) -> list[str]:
    open_filters(page)
    listed = cards(page)
    page.get_by_label(select, exact=True).select_option(value)
    expected = [c["id"] for c in listed if keep(c)]
    assert 0 < len(expected) < len(listed), f"the catalogue gives {select}={value} nothing to do"
    assert visible_ids(page) == expected
    status = page.locator(".sg-filters__status").inner_text()
    assert status == f"Showing {len(expected)} of {len(listed)} resources."
    return expected


def test_free_only_hides_paid_resources_and_keeps_free_to_audit(page: Page, track: str) -> None:
    goto(page, f"tracks/{track}/")
    check_filter(page, "Cost", "free", lambda c: c["cost"] in FREE)
    assert query(page) == {"cost": ["free"]}


def test_each_format_shows_only_that_format(page: Page, track: str) -> None:
    goto(page, f"tracks/{track}/")
    open_filters(page)
    formats = sorted({c["format"] for c in cards(page)})
    for value in formats:
        page.get_by_label("Format", exact=True).select_option(value)
        assert visible_ids(page) == [c["id"] for c in cards(page) if c["format"] == value]
        assert query(page) == {"format": [value]}
    check_filter(page, "Format", formats[0], lambda c: c["format"] == formats[0])


def test_each_level_shows_only_that_level(page: Page, track: str) -> None:
    goto(page, f"tracks/{track}/")
    open_filters(page)
    levels = {c["level"] for c in cards(page)}
    options = (
        page.get_by_label("Level", exact=True)
        .locator("option")
        .evaluate_all("options => options.map(o => o.value)")
    )
    assert options[0] == ""
    assert set(options[1:]) == levels
    known = [v for v in ("intro", "intermediate", "advanced") if v in levels]
    assert options[1 : len(known) + 1] == known  # easiest first
    for value in levels:
        page.get_by_label("Level", exact=True).select_option(value)
        assert visible_ids(page) == [c["id"] for c in cards(page) if c["level"] == value]
        assert query(page) == {"level": [value]}


@pytest.mark.engines
def test_filters_hide_core_steps_and_further_reading_alike_and_clear(
    page: Page, track: str
) -> None:
    goto(page, f"tracks/{track}/")
    listed = cards(page)
    original = page.locator(".sg-progress__text").inner_text()
    shown = check_filter(page, "Cost", "free", lambda c: c["cost"] in FREE)
    hidden_steps = [c for c in listed if c["kind"] == "step" and c["id"] not in shown]
    assert all(page.locator(f"#res-{c['id']}").is_hidden() for c in hidden_steps)
    # The learner's path and its totals do not depend on what the filters show.
    assert page.locator(".sg-progress__text").inner_text() == original

    page.get_by_role("button", name="Clear filters").click()
    assert visible_ids(page) == [c["id"] for c in listed]
    assert query(page) == {}
    assert page.get_by_role("button", name="Clear filters").is_disabled()
    assert page.locator(".sg-filters__status").inner_text() == ""


def test_a_shared_url_restores_the_filtered_view(page: Page, track: str) -> None:
    goto(page, f"tracks/{track}/")
    listed = cards(page)
    format_ = listed[0]["format"]
    goto(page, f"tracks/{track}/?cost=free&format={format_}#route")
    expected = [c["id"] for c in listed if c["cost"] in FREE and c["format"] == format_]
    assert visible_ids(page) == expected
    assert page.locator("details.sg-filters").evaluate("el => el.open")  # filtered: shown
    assert page.get_by_label("Cost", exact=True).input_value() == "free"
    assert page.get_by_label("Format", exact=True).input_value() == format_
    assert page.get_by_label("Level", exact=True).input_value() == ""
    page.get_by_label("Level", exact=True).select_option(listed[0]["level"])
    assert urlsplit(page.url).fragment == "route"  # the rest of the address is kept
    assert query(page) == {"cost": ["free"], "format": [format_], "level": [listed[0]["level"]]}


def test_unknown_filter_values_in_the_url_are_ignored(page: Page, track: str) -> None:
    goto(page, f"tracks/{track}/?format=hologram&level=%3Cscript%3E&cost=paid&other=1")
    assert len(visible_ids(page)) == len(cards(page))
    open_filters(page)
    assert page.get_by_label("Format", exact=True).input_value() == ""
    page.get_by_label("Cost", exact=True).select_option("free")
    assert query(page)["other"] == ["1"]


def test_filters_work_on_topic_pages_too(page: Page) -> None:
    goto(page, "topics/calculus/")
    listed = cards(page)
    level = listed[0]["level"]
    page.get_by_label("Level", exact=True).select_option(level)
    assert visible_ids(page) == [c["id"] for c in listed if c["level"] == level]
    assert query(page) == {"level": [level]}


def test_without_javascript_every_resource_is_listed(
    browser: Browser, site: Site, watch: Watch, track: str
) -> None:
    context = open_context(browser, site, watch, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"tracks/{track}/?cost=free")
        listed = cards(page)
        catalogue_ids = [r["id"] for r in site.catalogue["resources"] if track in r["goals"]]
        path = next(t for t in site.catalogue["tracks"] if t["id"] == track)["path"]
        alternatives = {a for topic in path for s in topic["steps"] for a in s["instead"]}
        assert sorted(c["id"] for c in listed) == sorted(set(catalogue_ids) - alternatives)
        assert not any(c["hidden"] for c in listed)
        assert all(c["visible"] for c in listed if c["kind"] == "step")
        assert page.locator(".sg-panel, .sg-done").count() == 0
    finally:
        context.close()
