"""The study plan: the pure scheduling function and the calendar file, run in the page's own
JavaScript, then the plan on a track page and the .ics it downloads, parsed with icalendar."""

from __future__ import annotations

import datetime as dt
from typing import Any

import icalendar
import pytest
from playwright.sync_api import Page

from .conftest import PLAN_KEY, cards, done_box, goto, set_storage

pytestmark = pytest.mark.browser

ITEMS = [
    {"id": "short", "title": "Short", "hours": 5},
    {"id": "shorter", "title": "Shorter", "hours": 2.5},
    {"id": "long", "title": "Longer than a week", "hours": 12},
]


def plan(page: Page, items: list[dict[str, Any]], hours: Any, start: Any) -> dict[str, Any]:
    result: dict[str, Any] = page.evaluate(
        "([items, hours, start]) => window.studyguide.plan(items, hours, start)",
        [items, hours, start],
    )
    return result


def ics(page: Page, the_plan: dict[str, Any], options: dict[str, Any]) -> str:
    text: str = page.evaluate(
        "([p, options]) => window.studyguide.ics(p, options)", [the_plan, options]
    )
    return text


def spans(result: dict[str, Any]) -> list[tuple[str, int, int, str, str]]:
    return [(i["id"], i["week"], i["endWeek"], i["start"], i["end"]) for i in result["items"]]


@pytest.fixture
def home(page: Page) -> Page:
    goto(page, "")
    return page


def test_plan_walks_the_items_in_order_and_spreads_hours_over_the_week(home: Page) -> None:
    result = plan(home, ITEMS, 5, "2025-01-06")
    assert "error" not in result
    # 5 h a week: the first item fills week 1; 2.5 h is half a week (3.5 days); the 12 h item
    # starts on the day the previous one ends and runs into week 4.
    assert spans(result) == [
        ("short", 1, 1, "2025-01-06", "2025-01-12"),
        ("shorter", 2, 2, "2025-01-13", "2025-01-16"),
        ("long", 2, 4, "2025-01-16", "2025-02-02"),
    ]
    assert (result["finish"], result["weeks"], result["hours"]) == ("2025-02-02", 4, 19.5)
    assert result["items"][0]["title"] == "Short"


def test_a_resource_longer_than_a_week_spans_whole_weeks(home: Page) -> None:
    result = plan(home, [{"id": "book", "title": "Book", "hours": 40}], 10, "2025-03-27")
    # Four weeks of 7 days exactly, across a daylight-saving change in most of Europe.
    assert spans(result) == [("book", 1, 4, "2025-03-27", "2025-04-23")]


def test_the_plan_accepts_the_form_values_as_text(home: Page) -> None:
    assert spans(plan(home, ITEMS[:1], "7", "2024-02-28")) == [
        ("short", 1, 1, "2024-02-28", "2024-03-03")  # through 29 February
    ]


def test_168_hours_a_week_is_the_most_a_week_holds(home: Page) -> None:
    result = plan(home, [{"id": "x", "title": "X", "hours": 168}], 168, "2025-01-06")
    assert spans(result) == [("x", 1, 1, "2025-01-06", "2025-01-12")]


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        (0, "more than 0"),
        (-3, "more than 0"),
        (168.5, "at most 168"),
        (1000, "at most 168"),
        ("", "Enter how many hours"),
        ("abc", "Enter how many hours"),
        (None, "more than 0"),
        (0.0001, "over 100 years"),
    ],
)
def test_unusable_hours_per_week_give_a_message_and_no_plan(
    home: Page, hours: Any, message: str
) -> None:
    result = plan(home, ITEMS, hours, "2025-01-06")
    assert message in result["error"]
    assert "items" not in result


@pytest.mark.parametrize("start", ["", "2025-02-30", "06/01/2025", "2025-1-6", None])
def test_an_invalid_start_date_gives_a_message(home: Page, start: Any) -> None:
    assert plan(home, ITEMS, 5, start) == {"error": "Enter a valid start date."}


def test_an_empty_list_plans_nothing_and_has_no_finish(home: Page) -> None:
    result = plan(home, [], 5, "2025-01-06")
    assert (result["items"], result["weeks"], result["finish"]) == ([], 0, None)


def test_a_resource_without_hours_takes_its_start_day(home: Page) -> None:
    result = plan(home, [*ITEMS[:1], {"id": "z", "title": "Z", "hours": 0}], 5, "2025-01-06")
    assert spans(result)[1] == ("z", 2, 2, "2025-01-13", "2025-01-13")


def test_ics_is_rfc5545_text_that_icalendar_parses(home: Page) -> None:
    title = "Ünïcode, commas; back\\slashes\nand a newline, in a title long enough to fold " * 2
    items = [{**ITEMS[0], "title": title, "url": "https://example.org/a?b=1,2"}, *ITEMS[1:]]
    the_plan = plan(home, items, 5, "2025-01-06")
    text = ics(home, the_plan, {"name": "Study plan: test", "uid": "casual", "now": 0})

    raw = text.encode("utf-8")
    assert raw.endswith(b"\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")  # every line ends in CRLF
    lines = raw.split(b"\r\n")[:-1]
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # the long title was folded
    for line in lines:
        line.decode("utf-8")  # folding never splits a multi-byte character
    for needed in ("BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:", "END:VCALENDAR"):
        assert any(line.decode().startswith(needed) for line in lines), needed

    calendar = icalendar.Calendar.from_ical(text)
    events = list(calendar.walk("VEVENT"))
    assert [str(e["SUMMARY"]) for e in events] == [f"Study: {i['title']}" for i in items]
    assert len({str(e["UID"]) for e in events}) == 3
    assert str(events[0]["UID"]) == "casual.short@studyguide.invalid"
    assert events[0].decoded("DTSTAMP") == dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    dates = [(e.decoded("DTSTART"), e.decoded("DTEND")) for e in events]
    assert dates == [
        (dt.date(2025, 1, 6), dt.date(2025, 1, 13)),  # DTEND is the day after, exclusive
        (dt.date(2025, 1, 13), dt.date(2025, 1, 17)),
        (dt.date(2025, 1, 16), dt.date(2025, 2, 3)),
    ]
    assert str(events[0]["URL"]) == "https://example.org/a?b=1,2"
    assert "weeks 2\u20134 of your plan" in str(events[2]["DESCRIPTION"])
    assert str(calendar["X-WR-CALNAME"]) == "Study plan: test"


def test_ics_of_an_empty_plan_is_an_empty_calendar(home: Page) -> None:
    text = ics(home, plan(home, [], 5, "2025-01-06"), {"now": 0})
    assert icalendar.Calendar.from_ical(text).walk("VEVENT") == []


# ---- the plan on a track page ----


def open_plan(page: Page, hours: str, start: str) -> None:
    page.locator(".sg-plan > summary").click()
    page.get_by_label("Hours per week").fill(hours)
    page.get_by_label("Start date").fill(start)


def plan_rows(page: Page) -> list[str]:
    ids: list[str] = page.locator(".sg-plan__list li").evaluate_all(
        "items => items.map(li => li.dataset.sgId)"
    )
    return ids


def test_track_plan_lists_the_remaining_resources_in_page_order(page: Page) -> None:
    goto(page, "tracks/casual/")
    listed = cards(page)
    done_box(page, listed[1]["id"]).check()
    open_plan(page, "10", "2025-01-06")
    assert plan_rows(page) == [c["id"] for c in listed if c["id"] != listed[1]["id"]]
    summary = page.locator(".sg-plan__summary").inner_text()
    assert f"{len(listed) - 1} resources left" in summary
    assert "at 10 hours a week" in summary
    assert "Jan 6, 2025" in summary
    first = page.locator(".sg-plan__list li").first.locator(".sg-plan__when").inner_text()
    assert first.startswith(("Week 1 \u00b7", "Weeks 1\u2013"))
    assert "Jan 6, 2025" in first


def test_track_plan_follows_the_filters(page: Page) -> None:
    goto(page, "tracks/casual/?level=intro")
    open_plan(page, "5", "2025-01-06")
    intro = [c["id"] for c in cards(page) if c["level"] == "intro"]
    assert plan_rows(page) == intro


@pytest.mark.parametrize(
    ("hours", "message"),
    [("0", "more than 0"), ("-2", "more than 0"), ("200", "at most 168"), ("", "Enter how")],
)
def test_track_plan_rejects_unusable_hours(page: Page, hours: str, message: str) -> None:
    goto(page, "tracks/casual/")
    open_plan(page, hours, "2025-01-06")
    assert message in page.locator(".sg-plan__summary").inner_text()
    assert page.get_by_label("Hours per week").get_attribute("aria-invalid") == "true"
    assert page.locator(".sg-plan__list li").count() == 0
    assert page.get_by_role("button", name="Download .ics").is_disabled()
    page.get_by_label("Hours per week").fill("6")
    assert page.get_by_label("Hours per week").get_attribute("aria-invalid") is None
    assert page.locator(".sg-plan__list li").count() == len(cards(page))


def test_track_plan_says_when_everything_is_done(page: Page) -> None:
    goto(page, "tracks/integrate/")
    for card in cards(page):
        done_box(page, card["id"]).check()
    open_plan(page, "5", "2025-01-06")
    assert "Nothing left to plan" in page.locator(".sg-plan__summary").inner_text()
    assert page.get_by_role("button", name="Download .ics").is_disabled()


def test_plan_inputs_are_remembered(page: Page) -> None:
    goto(page, "tracks/casual/")
    open_plan(page, "7.5", "2025-03-01")
    goto(page, "tracks/research/")
    assert page.get_by_label("Hours per week").input_value() == "7.5"
    assert page.get_by_label("Start date").input_value() == "2025-03-01"


def test_a_corrupt_saved_plan_falls_back_to_defaults(page: Page) -> None:
    goto(page, "tracks/casual/")
    set_storage(page, PLAN_KEY, '{"hours": "lots", "start": "yesterday"')
    page.reload()
    goto(page, "tracks/casual/")
    assert page.get_by_label("Hours per week").input_value() == "5"
    assert page.get_by_label("Start date").input_value() != ""


def test_downloaded_ics_follows_the_plan(page: Page) -> None:
    goto(page, "tracks/casual/")
    listed = cards(page)
    done_box(page, listed[0]["id"]).check()
    open_plan(page, "4", "2025-09-01")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download .ics").click()
    download = info.value
    assert download.suggested_filename == "study-plan-casual.ics"
    text = download.path().read_bytes().decode("utf-8")
    events = list(icalendar.Calendar.from_ical(text).walk("VEVENT"))

    remaining = [c for c in listed if c["id"] != listed[0]["id"]]
    assert [str(e["SUMMARY"]) for e in events] == [f"Study: {c['title']}" for c in remaining]
    assert events[0].decoded("DTSTART") == dt.date(2025, 9, 1)
    expected: list[dict[str, Any]] = page.evaluate(
        """([start]) => window.studyguide.plan(
            [...document.querySelectorAll('.sg-plan__list li')].map(li => {
              const card = document.getElementById('res-' + li.dataset.sgId);
              return {id: li.dataset.sgId, hours: Number(card.dataset.sgHours)};
            }), 4, start).items""",
        ["2025-09-01"],
    )
    for event, item in zip(events, expected, strict=True):
        assert event.decoded("DTSTART") == dt.date.fromisoformat(item["start"])
        assert event.decoded("DTEND") == dt.date.fromisoformat(item["end"]) + dt.timedelta(days=1)
        assert str(event["UID"]).startswith(f"casual.{item['id']}@")
        assert str(event["URL"]).startswith("http")
    assert "4 hours a week from 2025-09-01" in str(events[0]["DESCRIPTION"])
