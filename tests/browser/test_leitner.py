"""Self-check scheduling (leitner.js), called directly in Chromium with no site build: Leitner
boxes with intervals of 1, 3, 7, 16 and 35 days, on days given to it (and once on a fake
clock), as written and as shipped."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import Page

from .test_core import core  # noqa: F401  (the modules, served)

pytestmark = pytest.mark.browser

START = dt.date(2025, 1, 6)


def day(offset: int) -> str:
    return (START + dt.timedelta(days=offset)).isoformat()


def answer(page: Page, record: Any, n: int, of: int, got: bool, on: str) -> dict[str, Any]:
    result: dict[str, Any] = page.evaluate(
        """async ([record, n, of, got, on]) => {
             const leitner = await import('/leitner.js');
             return JSON.parse(JSON.stringify(leitner.answer(record, n, of, got, on)));
           }""",
        [record, n, of, got, on],
    )
    return result


def review(page: Page, record: Any, of: int, on: str, *got: bool) -> dict[str, Any]:
    """Answer questions 1, 2, ... of a concept on one day."""
    result: dict[str, Any] = record
    for n, right in enumerate(got, start=1):
        result = answer(page, result, n, of, right, on)
    return result


def test_intervals_are_1_3_7_16_and_35_days(core: Page) -> None:  # noqa: F811
    assert core.evaluate("import('/leitner.js').then(m => m.INTERVALS)") == [1, 3, 7, 16, 35]


def test_a_first_try_all_right_moves_up_to_box_2(core: Page) -> None:  # noqa: F811
    record = answer(core, None, 1, 3, True, day(0))
    # A try half done leaves the concept due, in box 1.
    assert record == {"of": 3, "box": 1, "due": day(0),
                      "answers": {"1": {"on": day(0), "got": True}}}  # fmt: skip
    record = answer(core, record, 2, 3, True, day(0))
    assert (record["box"], record["due"]) == (1, day(0))
    record = answer(core, record, 3, 3, True, day(0))
    assert (record["box"], record["due"]) == (2, day(3))
    assert record["answers"] == {str(n): {"on": day(0), "got": True} for n in (1, 2, 3)}


def test_right_each_time_it_is_due_it_comes_back_less_often(core: Page) -> None:  # noqa: F811
    record = review(core, None, 2, day(0), True, True)
    on, seen = 0, []
    for _ in range(6):
        seen.append((record["box"], (dt.date.fromisoformat(record["due"]) - START).days - on))
        on = (dt.date.fromisoformat(record["due"]) - START).days
        record = review(core, record, 2, day(on), True, True)
    # box 2 after the first try; the gap grows to 35 days and stays there.
    assert seen == [(2, 3), (3, 7), (4, 16), (5, 35), (5, 35), (5, 35)]


def test_a_miss_brings_it_back_tomorrow_from_any_box(core: Page) -> None:  # noqa: F811
    record = {"of": 2, "box": 4, "due": day(16), "answers": {}}
    missed = review(core, record, 2, day(16), True, False)
    assert (missed["box"], missed["due"]) == (1, day(17))
    # Even before it was due: a slip counts on any day.
    early = answer(core, record, 1, 2, False, day(2))
    assert (early["box"], early["due"]) == (1, day(3))
    assert record == {"of": 2, "box": 4, "due": day(16), "answers": {}}  # not changed in place


def test_answers_before_it_is_due_do_not_move_it(core: Page) -> None:  # noqa: F811
    record = review(core, None, 1, day(0), True)
    assert (record["box"], record["due"]) == (2, day(3))
    again = review(core, record, 1, day(1), True)
    assert (again["box"], again["due"]) == (2, day(3))
    assert again["answers"] == {"1": {"on": day(1), "got": True}}


def test_after_a_miss_the_next_review_needs_every_answer_again(core: Page) -> None:  # noqa: F811
    record = review(core, None, 2, day(0), True, False)
    assert (record["box"], record["due"]) == (1, day(1))
    record = answer(core, record, 2, 2, True, day(0))  # right on second thoughts, same day
    assert (record["box"], record["due"]) == (1, day(1))
    record = answer(core, record, 2, 2, True, day(1))  # question 1's answer is from before
    assert (record["box"], record["due"]) == (1, day(1))
    record = answer(core, record, 1, 2, True, day(1))
    assert (record["box"], record["due"]) == (2, day(4))


def test_a_review_long_overdue_moves_up_one_box_only(core: Page) -> None:  # noqa: F811
    record = review(core, None, 1, day(0), True)  # box 2, due on day 3
    later = review(core, record, 1, day(40), True)
    assert (later["box"], later["due"]) == (3, day(47))


def test_due_lists_the_concepts_due_longest_overdue_first(core: Page) -> None:  # noqa: F811
    def rec(due: str) -> dict[str, Any]:
        return {"of": 1, "box": 1, "due": due, "answers": {}}

    checks = {"a": rec(day(2)), "b": rec(day(0)), "c": rec(day(5)), "d": rec(day(2)),
              "gone": rec(day(0))}  # fmt: skip
    ids = ["a", "b", "c", "d", "never-answered"]  # "gone": no longer on the site
    due = core.evaluate(
        """([checks, ids, days]) => import('/leitner.js').then(m =>
             days.map(on => m.due(checks, ids, on)))""",
        [checks, ids, [day(n) for n in (0, 1, 2, 5, 40)]],
    )
    assert due == [["b"], ["b"], ["b", "a", "d"], ["b", "a", "d", "c"], ["b", "a", "d", "c"]]


def test_days_cross_months_years_and_leap_days(core: Page) -> None:  # noqa: F811
    record = {"of": 1, "box": 4, "due": "2024-02-20", "answers": {}}
    assert answer(core, record, 1, 1, True, "2024-02-20")["due"] == "2024-03-26"  # +35, leap
    assert answer(core, record, 1, 1, False, "2024-12-31")["due"] == "2025-01-01"


def test_on_a_fake_clock_today_is_the_day_answered(core: Page) -> None:  # noqa: F811
    # Late in the evening, local time: the day is the learner's, not UTC's.
    core.clock.set_fixed_time(dt.datetime(2025, 3, 30, 23, 30))
    record = core.evaluate(
        """Promise.all([import('/leitner.js'), import('/core.js')]).then(([l, c]) =>
             l.answer(null, 1, 1, true, c.today()))"""
    )
    assert record["answers"]["1"]["on"] == "2025-03-30"
    assert (record["box"], record["due"]) == (2, "2025-04-02")
