"""The study plan on a track page: it walks the learner's path (core steps not done or skipped,
with swaps and additions), states the hours left and the finish, and downloads a calendar that
an independent parser reads back."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import icalendar
import pytest
from playwright.sync_api import Page

from .conftest import (
    PREFS_KEY,
    done_box,
    goto,
    open_plan,
    plan_rows,
    set_storage,
    steps,
)

pytestmark = pytest.mark.browser


def test_the_plan_lists_exactly_the_core_steps_not_done(page: Page) -> None:
    goto(page, "tracks/research/")
    path = steps(page)
    done_box(page, path[1]["id"]).check()
    open_plan(page, "10", "2025-01-06")
    assert plan_rows(page) == [s["id"] for s in path if s["id"] != path[1]["id"]]
    left = sum(s["hours"] for s in path) - path[1]["hours"]
    summary = page.locator(".sg-plan__summary").inner_text()
    assert f"{len(path) - 1} steps left, about {left:g} hours" in summary
    assert "at your pace of 10 hours a week from Jan 6, 2025" in summary
    first = page.locator(".sg-plan__list li").first
    assert first.locator("a").inner_text() == f"Step 1: {path[0]['title']}"
    assert first.locator("a").get_attribute("href") == f"#res-{path[0]['id']}"
    assert "week 1" in first.inner_text()


def test_the_plan_ignores_the_filters_and_walks_the_path(page: Page) -> None:
    goto(page, "tracks/research/?level=advanced")
    open_plan(page, "5", "2025-01-06")
    assert plan_rows(page) == [s["id"] for s in steps(page)]


def test_the_plan_starts_at_the_track_pace(page: Page) -> None:
    goto(page, "tracks/research/")
    page.locator(".sg-plan > summary").click()
    pace = page.locator(".sg-track").get_attribute("data-sg-weekly-hours")
    assert page.get_by_label("Hours per week").input_value() == pace == "10"


@pytest.mark.parametrize(
    ("hours", "message"),
    [("0", "more than 0"), ("-2", "more than 0"), ("200", "at most 168"), ("", "Enter how")],
)
def test_the_plan_rejects_unusable_hours(page: Page, hours: str, message: str) -> None:
    goto(page, "tracks/casual/")
    open_plan(page, hours, "2025-01-06")
    assert message in page.locator(".sg-plan__summary").inner_text()
    assert page.get_by_label("Hours per week").get_attribute("aria-invalid") == "true"
    assert page.locator(".sg-plan__list li").count() == 0
    assert page.get_by_role("button", name="Download .ics").is_disabled()
    page.get_by_label("Hours per week").fill("6")
    assert page.get_by_label("Hours per week").get_attribute("aria-invalid") is None
    assert page.locator(".sg-plan__list li").count() == len(steps(page))


def test_a_start_date_past_9999_is_refused_not_wrapped(page: Page) -> None:
    goto(page, "tracks/casual/")
    open_plan(page, "5", "2025-01-06")
    page.get_by_label("Start date").evaluate("el => { el.type = 'text'; }")
    page.get_by_label("Start date").fill("10000-01-01")
    assert "between the years 100 and 9999" in page.locator(".sg-plan__summary").inner_text()
    assert page.get_by_label("Start date").get_attribute("aria-invalid") == "true"
    assert "1970" not in page.locator(".sg-plan").inner_text()


def test_the_plan_says_when_everything_is_done(page: Page) -> None:
    goto(page, "tracks/integrate/")
    for step in steps(page):
        done_box(page, step["id"]).check()
    open_plan(page, "5", "2025-01-06")
    assert "Nothing left to plan" in page.locator(".sg-plan__summary").inner_text()
    assert page.get_by_role("button", name="Download .ics").is_disabled()


def test_each_track_keeps_its_own_pace_and_start_date(page: Page) -> None:
    goto(page, "tracks/casual/")
    open_plan(page, "3", "2025-03-09")
    goto(page, "tracks/research/")
    # Research's own pace, not the 3 hours a week typed on casual.
    assert page.get_by_label("Hours per week").input_value() == "10"
    open_plan(page, "12", "2025-03-03")
    summary = page.locator(".sg-plan__summary").inner_text()
    assert "at your pace of 12 hours a week from Mar 3, 2025" in summary
    goto(page, "tracks/casual/")
    page.locator(".sg-plan > summary").click()
    assert page.get_by_label("Hours per week").input_value() == "3"
    assert page.get_by_label("Start date").input_value() == "2025-03-09"


def test_a_start_date_that_has_passed_plans_from_today_and_says_so(page: Page) -> None:
    page.clock.set_fixed_time(dt.datetime(2026, 3, 2, 10, 0))
    goto(page, "tracks/casual/")
    plans = {"casual": {"hours": "5", "start": "2025-01-06"}}
    set_storage(page, PREFS_KEY, json.dumps({"plans": plans}))
    page.reload()
    goto(page, "tracks/casual/")
    page.locator(".sg-plan > summary").click()
    assert page.get_by_label("Start date").input_value() == "2026-03-02"
    summary = page.locator(".sg-plan__summary").inner_text()
    assert "from Mar 2, 2026 (Jan 6, 2025 has passed, so the plan starts today)" in summary
    # A past date typed in plans from today too.
    page.get_by_label("Start date").fill("2025-06-01")
    summary = page.locator(".sg-plan__summary").inner_text()
    assert "from Mar 2, 2026 (Jun 1, 2025 has passed, so the plan starts today)" in summary
    finish = page.locator(".sg-plan__list li").last.locator(".sg-plan__when").inner_text()
    assert "2026" in finish or "2027" in finish


def test_the_plan_list_numbers_each_step_once(page: Page) -> None:
    goto(page, "tracks/casual/")
    open_plan(page, "5", "2025-01-06")
    first = page.locator(".sg-plan__list li").first
    assert page.locator(".sg-plan__list").evaluate("el => el.tagName") == "UL"
    assert first.evaluate("li => getComputedStyle(li).listStyleType") == "none"
    assert first.locator(".sg-plan__when").inner_text().startswith("week")


def test_a_corrupt_saved_plan_falls_back_to_the_track_pace(page: Page) -> None:
    goto(page, "tracks/casual/")
    set_storage(page, PREFS_KEY, '{"hours": "lots", "start": "yesterday"')
    page.reload()
    goto(page, "tracks/casual/")
    assert page.get_by_label("Hours per week").input_value() == "5"
    assert page.get_by_label("Start date").input_value() != ""


@pytest.mark.engines
def test_the_downloaded_ics_follows_the_plan(page: Page) -> None:
    goto(page, "tracks/casual/")
    path = steps(page)
    done_box(page, path[0]["id"]).check()
    open_plan(page, "4", "2025-09-01")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download .ics").click()
    download = info.value
    assert download.suggested_filename == "study-plan-casual.ics"
    text = download.path().read_bytes().decode("utf-8")
    events = list(icalendar.Calendar.from_ical(text).walk("VEVENT"))
    remaining = path[1:]
    milestones = [e for e in events if str(e["SUMMARY"]).startswith("Finish: ")][:-1]
    assert [str(e["SUMMARY"]) for e in milestones] == [f"Finish: {s['title']}" for s in remaining]
    shown: list[dict[str, Any]] = page.locator(".sg-plan__list li").evaluate_all(
        "items => items.map(li => ({id: li.dataset.sgId, text: li.innerText}))"
    )
    assert [s["id"] for s in shown] == [s["id"] for s in remaining]
    start = events[0]
    assert str(start["SUMMARY"]) == "Start: Do deep learning casually"
    assert start.decoded("DTSTART") == dt.date(2025, 9, 1)
    rule: Any = events[1]["RRULE"]
    assert rule["COUNT"][0] >= 1
    finish = events[-1].decoded("DTSTART")
    assert milestones[-1].decoded("DTSTART") == finish
    for event in events:
        assert event.decoded("DTEND") - event.decoded("DTSTART") == dt.timedelta(days=1)
    for event, step in zip(milestones, remaining, strict=True):
        assert str(event["UID"]).startswith(f"casual.{step['id']}.finish@")
        assert str(event["URL"]).startswith("http")
