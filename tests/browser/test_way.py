""" "Plan my way here" on the real site: the way to `adam` through its prerequisites, less what
the learner knows, with the easiest place to learn each concept and the total hours; added to
the study plan of a track page and to its calendar file. The way is checked against an
independent reading of /catalogue.json in Python."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path
from typing import Any

import icalendar
import pytest
from playwright.sync_api import Browser, Page

from .conftest import (
    PROGRESS_KEY,
    Site,
    SiteServer,
    Watch,
    goto,
    open_context,
    open_plan,
    plan_rows,
    set_storage,
    stored_progress,
)

pytestmark = pytest.mark.browser

TARGET = "adam"
LEVEL_RANK = {"intro": 0, "intermediate": 1, "advanced": 2}


def num(x: float) -> str:
    """A number as the page writes it: to a tenth, halves up (Math.round)."""
    return f"{math.floor(x * 10 + 0.5) / 10:g}"


def concepts_of(site: Site) -> dict[str, dict[str, Any]]:
    return {c["id"]: c for c in site.catalogue["concepts"]}


def expected_way(site: Site, target: str, left_out: set[str]) -> list[str]:
    """The way to `target` as the issue states it: its prerequisites, transitively, and itself,
    less `left_out`; each after what it needs (directly or through others); ties by level,
    then catalogue order."""
    by_id = concepts_of(site)
    position = {cid: i for i, cid in enumerate(by_id)}

    def before(cid: str) -> set[str]:
        out: set[str] = set()
        for p in by_id[cid]["prerequisites"]:
            out |= {p} | before(p)
        return out

    left = ({target} | before(target)) - left_out
    order: list[str] = []
    while left:
        ready = [c for c in left if not (before(c) & left)]
        chosen = min(ready, key=lambda c: (LEVEL_RANK[by_id[c]["level"]], position[c]))
        order.append(chosen)
        left.remove(chosen)
    return order


def easiest_place(site: Site, cid: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The first of the concept page's "Where to learn it": lowest level, then fewest hours."""
    resources = {r["id"]: r for r in site.catalogue["resources"]}
    places = concepts_of(site)[cid]["learn_from"]
    place = min(places, key=lambda p: (LEVEL_RANK[resources[p["resource"]]["level"]], p["hours"]))
    return resources[place["resource"]], place


def taught_by(site: Site, track: str) -> set[str]:
    chosen = next(t for t in site.catalogue["tracks"] if t["id"] == track)
    return {c for section in chosen["path"] for step in section["steps"] for c in step["teaches"]}


def mark_known(page: Page, cid: str) -> None:
    goto(page, f"concepts/{cid}/")
    page.get_by_role("button", name="I know this").click()
    page.wait_for_selector('.sg-know__button[aria-pressed="true"]')


def open_way(page: Page) -> None:
    goto(page, f"concepts/{TARGET}/")
    button = page.get_by_role("button", name="Plan my way here")
    assert button.get_attribute("aria-expanded") == "false"
    button.click()
    page.wait_for_function(
        "(el => el && el.textContent && !/^Loading/.test(el.textContent))"
        "(document.querySelector('.sg-way__intro'))"
    )
    assert button.get_attribute("aria-expanded") == "true"
    region = page.locator(".sg-way__panel")
    assert region.get_attribute("id") == button.get_attribute("aria-controls")
    assert region.is_visible()


def shown_way(page: Page) -> list[str]:
    ids: list[str] = page.locator(".sg-way__list li").evaluate_all(
        "items => items.map(li => li.dataset.sgConcept)"
    )
    return ids


def the_track_without(site: Site, cid: str) -> str:
    """A track whose steps do not teach `cid`, so that its plan needs the way."""
    return next(t for t in site.track_ids() if cid not in taught_by(site, t))


@pytest.fixture(scope="module")
def known() -> list[str]:
    # A direct prerequisite of adam and one deep down the graph.
    return ["momentum", "derivative"]


def test_the_way_to_adam_leaves_out_what_is_known(page: Page, site: Site, known: list[str]) -> None:
    assert set(known) <= set(expected_way(site, TARGET, set()))
    for cid in known:
        mark_known(page, cid)
    open_way(page)
    want = expected_way(site, TARGET, set(known))
    assert shown_way(page) == want
    assert want[-1] == TARGET
    assert len(want) > 3
    assert not set(known) & set(shown_way(page))
    # Each entry names the easiest place and its hours; the list ends with the total.
    by_id = concepts_of(site)
    items = page.locator(".sg-way__list li")
    total = 0.0
    for index, cid in enumerate(want):
        resource, place = easiest_place(site, cid)
        text = items.nth(index).inner_text()
        hours = num(place["hours"])
        assert text == f"{by_id[cid]['title']}: {resource['title']}, {place['where']} · ≈ {hours} h"
        link = items.nth(index).get_by_role("link", name=resource["title"], exact=True)
        assert (link.get_attribute("href") or "").endswith(f"/resources/{resource['id']}/")
        total += place["hours"]
    assert page.locator(".sg-way__total").inner_text() == f"Total: about {num(total)} hours."
    intro = page.locator(".sg-way__intro").inner_text()
    assert intro.startswith(f"Your way to {by_id[TARGET]['title']}: {len(want)} concepts")


def test_marking_a_concept_known_redraws_the_way(page: Page, site: Site) -> None:
    open_way(page)
    full = expected_way(site, TARGET, set())
    assert shown_way(page) == full
    page.get_by_role("button", name="I know this").click()
    page.wait_for_function("!document.querySelector('.sg-way__list li[data-sg-concept=adam]')")
    assert shown_way(page) == full[:-1]
    page.get_by_role("button", name="I know this ✓").click()
    page.wait_for_selector(".sg-way__list li[data-sg-concept=adam]")
    assert shown_way(page) == full


def test_with_everything_known_nothing_is_left_to_plan(page: Page, site: Site) -> None:
    open_way(page)
    everything = expected_way(site, TARGET, set())
    state = {"version": 2, "done": {}, "known": {cid: "2025-01-01" for cid in everything}}
    set_storage(page, PROGRESS_KEY, json.dumps(state))
    page.reload()
    open_way(page)
    assert shown_way(page) == []
    title = concepts_of(site)[TARGET]["title"]
    assert page.locator(".sg-way__intro").inner_text().startswith(f"You know {title} already")
    assert page.locator(".sg-way__add").is_hidden()


def test_the_way_joins_the_study_plan_and_its_calendar(
    page: Page, site: Site, known: list[str]
) -> None:
    for cid in known:
        mark_known(page, cid)
    open_way(page)
    add = page.get_by_role("button", name="Add to my plan")
    assert add.get_attribute("aria-pressed") == "false"
    add.click()
    remove = page.get_by_role("button", name="Remove from my plan")
    assert remove.get_attribute("aria-pressed") == "true"
    ways = stored_progress(page)["ways"]
    assert list(ways) == [TARGET]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", ways[TARGET])
    assert "In your study plan" in page.locator(".sg-way__status").inner_text()

    track = the_track_without(site, TARGET)
    goto(page, f"tracks/{track}/")
    open_plan(page, "5", "2025-09-01")
    page.wait_for_selector(f'.sg-plan__list li[data-sg-id="concept-{TARGET}"]')
    want = expected_way(site, TARGET, set(known) | taught_by(site, track))
    rows = plan_rows(page)
    # The track's steps first, then the way, less what the track teaches.
    steps = [r for r in rows if not r.startswith("concept-")]
    assert steps
    assert rows == steps + [f"concept-{cid}" for cid in want]
    by_id = concepts_of(site)
    last = page.locator(".sg-plan__list li").last
    assert last.locator("a").inner_text() == f"Concept: {by_id[TARGET]['title']}"
    assert (last.locator("a").get_attribute("href") or "").endswith(f"/concepts/{TARGET}/")

    with page.expect_download() as info:
        page.get_by_role("button", name="Download .ics").click()
    text = info.value.path().read_bytes().decode("utf-8")
    events = list(icalendar.Calendar.from_ical(text).walk("VEVENT"))
    summaries = [str(e["SUMMARY"]) for e in events]
    milestones = summaries[2:-1]
    assert milestones[-len(want) :] == [f"Finish: {by_id[cid]['title']}" for cid in want]
    adam = events[-2]
    resource, place = easiest_place(site, TARGET)
    description = str(adam["DESCRIPTION"])
    assert description.startswith("Target finish of concept")
    assert f"Learn it from: {resource['title']}, {place['where']}" in description
    assert str(adam["URL"]) == resource["url"]
    assert str(adam["UID"]).startswith(f"{track}.concept-{TARGET}.finish@")
    # The plan ends with the way: the last milestone is the plan's finish.
    assert adam.decoded("DTSTART") == events[-1].decoded("DTSTART")

    # Taken out again, the way leaves the plan.
    goto(page, f"concepts/{TARGET}/")
    page.get_by_role("button", name="Plan my way here").click()
    page.get_by_role("button", name="Remove from my plan").click()
    page.get_by_role("button", name="Add to my plan").wait_for()
    assert stored_progress(page)["ways"] == {}
    goto(page, f"tracks/{track}/")
    open_plan(page, "5", "2025-09-01")
    assert not any(r.startswith("concept-") for r in plan_rows(page))


def test_the_code_and_the_catalogue_load_only_when_asked(page: Page, site: Site) -> None:
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    goto(page, f"concepts/{TARGET}/")
    track = the_track_without(site, TARGET)
    goto(page, f"tracks/{track}/")
    goto(page, f"concepts/{TARGET}/")
    assert not [u for u in asked if re.search(r"/(way|way-core)\.js|/catalogue\.json", u)]
    page.get_by_role("button", name="Plan my way here").click()
    page.wait_for_selector(".sg-way__list li")
    assert any(u.endswith("/assets/studyguide/way.js") for u in asked)
    assert any(u.endswith("/catalogue.json") for u in asked)


@pytest.mark.parametrize("width", [390, 1280])
def test_the_way_fits_the_screen(
    browser: Browser, site: Site, watch: Watch, artifacts: Path, width: int
) -> None:
    context = open_context(browser, site, watch, viewport={"width": width, "height": 800})
    try:
        page = context.new_page()
        open_way(page)
        page.get_by_role("button", name="Add to my plan").click()
        page.get_by_role("button", name="Remove from my plan").wait_for()
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0
        for selector in (".sg-way__list", ".sg-way__add", ".sg-way__total"):
            box = page.locator(selector).bounding_box()
            assert box is not None
            assert box["x"] >= 0
            assert box["x"] + box["width"] <= width
        page.locator(".sg-way").screenshot(path=str(artifacts / f"way-{width}.png"))
    finally:
        context.close()


def test_axe_finds_no_violations_with_the_way_open(page: Page) -> None:
    open_way(page)
    page.get_by_role("button", name="Add to my plan").click()
    page.get_by_role("button", name="Remove from my plan").wait_for()
    page.add_script_tag(
        content=(files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")
    )
    result = page.evaluate(
        "() => axe.run(document.querySelector('.sg-way'), {resultTypes: ['violations']})"
    )
    assert result["violations"] == [], result["violations"]


@pytest.fixture
def under_a_base_path(site: Site, tmp_path: Path) -> Iterator[str]:
    """The same site served under /guide/, as on a project's GitHub Pages."""
    served = SiteServer()
    served.root = tmp_path
    (tmp_path / "guide").symlink_to(site.folder, target_is_directory=True)
    served.start()
    yield f"{served.origin}/guide/"
    served.stop()


def test_the_catalogue_is_found_under_a_base_path(
    browser: Browser, site: Site, under_a_base_path: str
) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        asked: list[str] = []
        page.on("request", lambda request: asked.append(request.url))
        page.goto(f"{under_a_base_path}concepts/{TARGET}/")
        page.get_by_role("button", name="Plan my way here").click()
        page.wait_for_selector(f'.sg-way__list li[data-sg-concept="{TARGET}"]')
        assert f"{under_a_base_path}catalogue.json" in asked
        assert shown_way(page) == expected_way(site, TARGET, set())
        assert errors == []
    finally:
        context.close()
