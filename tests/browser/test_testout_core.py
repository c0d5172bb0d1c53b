""" "Test out of a topic", pure (testout-core.js), called directly in Chromium with no site
build: which concepts a test-out asks about, what it changed in the learner's path (the steps
it skips, the hours saved, the steps that stay and why), and the put-back marks it lifts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from .conftest import SiteServer, open_modules

pytestmark = pytest.mark.browser

DAY = "2026-03-02"


@pytest.fixture
def js(browser: Browser, assets_server: SiteServer) -> Iterator[Page]:
    yield from open_modules(browser, assets_server)


def step(id: str, number: int, hours: float, teaches: list[str], instead: Any = ()) -> Any:
    return {
        "id": id,
        "number": number,
        "title": id.title(),
        "hours": hours,
        "url": f"https://example.org/{id}",
        "teaches": teaches,
        "instead": [
            {"id": a, "title": a.title(), "hours": h, "url": f"https://example.org/{a}"}
            for a, h in instead
        ],
    }


# Calculus: a 25-hour course teaching a and b, a 6-hour series teaching b and c, and a step
# the learner has done. Algebra: one step on d.
PATH = [
    {
        "topic": "calculus",
        "steps": [
            step("course", 1, 25, ["a", "b"], instead=[("book", 40)]),
            step("series", 2, 6, ["b", "c"]),
            step("done-already", 3, 3, ["a"]),
        ],
        "further": [],
    },
    {"topic": "algebra", "steps": [step("matrices", 4, 10, ["d"])], "further": []},
]


def checks(**got: list[bool]) -> dict[str, Any]:
    """Self-check records: each concept's answers, right or missed, all given on DAY."""
    return {
        c: {
            "of": len(answers),
            "box": 1,
            "due": DAY,
            "answers": {str(n): {"on": DAY, "got": g} for n, g in enumerate(answers, 1)},
        }
        for c, answers in got.items()
    }


def state(**fields: Any) -> dict[str, Any]:
    out = {"version": 3, "done": {}, "skipped": {}, "known": {}, "keep": {}, "swaps": {}}
    out.update({"added": {}, "checks": {}})
    out.update(fields)
    return out


def outcome(page: Page, before: dict[str, Any], after: dict[str, Any], asked: list[str]) -> Any:
    return page.evaluate(
        """async ([path, before, after, asked]) => {
             const core = await import('/core.js');
             const m = await import('/testout-core.js');
             const out = m.outcome(path, core.parseState(before), core.parseState(after),
                                   'casual', 'calculus', asked);
             return JSON.parse(JSON.stringify(out));
           }""",
        [PATH, before, after, asked],
    )


def test_a_test_out_that_gets_a_and_b_skips_the_course_and_keeps_the_series_for_c(
    js: Page,
) -> None:
    before = state(done={"done-already": DAY})
    after = state(done={"done-already": DAY}, checks=checks(a=[True, True], b=[True], c=[False]))
    result = outcome(js, before, after, ["a", "b", "c"])
    assert result["known"] == ["a", "b"]
    assert result["missed"] == ["c"]
    assert [(s["step"], s["hours"], s["teaches"]) for s in result["skipped"]] == [
        ("course", 25, ["a", "b"])
    ]
    assert result["hours"] == 25
    # The series stays for c alone; the step done before the test is neither skipped nor staying.
    assert [(s["step"], s["missing"]) for s in result["staying"]] == [("series", ["c"])]


def test_one_missed_question_of_two_leaves_the_concept_unknown(js: Page) -> None:
    after = state(checks=checks(a=[True, False], b=[True], c=[True]))
    result = outcome(js, state(), after, ["a", "b", "c"])
    assert result["known"] == ["b", "c"]
    assert result["missed"] == ["a"]
    assert [s["step"] for s in result["skipped"]] == ["series"]
    assert result["hours"] == 6
    assert [(s["step"], s["missing"]) for s in result["staying"]] == [
        ("course", ["a"]),
        ("done-already", ["a"]),
    ]


def test_the_hours_saved_are_those_of_the_resource_the_learner_swapped_in(js: Page) -> None:
    swaps = {"casual": {"course": "book"}}
    after = state(swaps=swaps, checks=checks(a=[True], b=[True], c=[True]))
    result = outcome(js, state(swaps=swaps), after, ["a", "b", "c"])
    assert [(s["id"], s["hours"]) for s in result["skipped"]] == [
        ("book", 40),
        ("series", 6),
        ("done-already", 3),
    ]
    assert result["hours"] == 49


def test_steps_skipped_or_placed_out_before_the_test_do_not_count_as_saved(js: Page) -> None:
    before = state(skipped={"series": DAY}, known={"a": DAY, "b": DAY})
    after = state(skipped={"series": DAY}, known={"a": DAY, "b": DAY}, checks=checks(c=[True]))
    result = outcome(js, before, after, ["c"])
    assert result["known"] == ["c"]
    assert result["skipped"] == []
    assert result["hours"] == 0
    assert result["staying"] == []


def test_only_concepts_the_learner_does_not_know_yet_are_asked(js: Page) -> None:
    known = state(known={"a": DAY}, checks=checks(b=[True, True], c=[True, False]))
    asked = js.evaluate(
        """async (s) => {
             const core = await import('/core.js');
             const m = await import('/testout-core.js');
             return m.toAsk(['a', 'b', 'c', 'd'], core.parseState(s));
           }""",
        known,
    )
    assert asked == ["c", "d"]


def test_a_test_out_lifts_the_put_back_marks_of_the_steps_it_shows_known(js: Page) -> None:
    put_back = state(
        keep={"course": DAY, "series": DAY, "matrices": DAY},
        checks=checks(a=[True], b=[True], d=[True]),
    )
    keep = js.evaluate(
        """async ([path, s]) => {
             const core = await import('/core.js');
             const m = await import('/testout-core.js');
             const state = core.parseState(s);
             m.liftPutBacks(state, path, 'calculus');
             return Object.keys(state.keep).sort();
           }""",
        [PATH, put_back],
    )
    # The course (a, b) leaves the plan again; the series waits on c; algebra is another topic.
    assert keep == ["matrices", "series"]
