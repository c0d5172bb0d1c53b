"""The browser code's pure core (core.js), called directly in Chromium with no site build: the
calendar days, the learner's state and its migration, the learner's path, the study plan and
its calendar file, parsed by an independent iCalendar parser."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import icalendar
import pytest
from playwright.sync_api import Browser, Page

from .conftest import SiteServer, open_modules

pytestmark = pytest.mark.browser


@pytest.fixture
def core(browser: Browser, assets_server: SiteServer) -> Iterator[Page]:
    yield from open_modules(browser, assets_server)


def call(page: Page, name: str, *args: Any) -> Any:
    """core.js's `name` applied to `args`; the result crosses back as JSON."""
    return page.evaluate(
        """async ([name, args]) => {
             const core = await import('/core.js');
             const out = core[name](...args);
             return out === undefined ? null : JSON.parse(JSON.stringify(out));
           }""",
        [name, list(args)],
    )


def run(page: Page, body: str) -> Any:
    """Run `body` (an async function body with `core` in scope) in the page."""
    return page.evaluate(
        f"""async () => {{ const core = await import('/core.js');
              const out = await (async () => {{ {body} }})();
              return out === undefined ? null : JSON.parse(JSON.stringify(out)); }}"""
    )


# ---- calendar days ----


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("2025-01-06", True),
        ("2024-02-29", True),
        ("2025-02-29", False),
        ("0100-01-01", True),
        ("9999-12-31", True),
        ("0099-12-31", False),  # JavaScript would read year 99 as 1999
        ("0050-01-01", False),
        ("10000-01-01", False),
        ("2025-1-6", False),
        ("", False),
        (None, False),
    ],
)
def test_dates_are_days_from_year_100_to_9999(core: Page, text: Any, valid: bool) -> None:
    t = call(core, "parseDate", text)
    assert (t is not None) == valid
    if valid:
        assert call(core, "isoDate", t) == text


def test_english_dates_read_as_intl_writes_them(core: Page) -> None:
    # englishDate stands in for Intl's "en" short date, which is slow to build on a phone.
    mismatches = run(
        core,
        """const intl = new Intl.DateTimeFormat("en",
             { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
           const bad = [];
           const last = core.parseDate("9999-12-31");
           for (let t = core.parseDate("0100-01-01"); t <= last; t += 86400000 * 97) {
             const mine = core.englishDate(t);
             if (mine !== intl.format(new Date(t))) bad.push([core.isoDate(t), mine]);
           }
           bad.push(core.englishDate(core.parseDate("2026-12-07")));
           return bad;""",
    )
    assert mismatches == ["Dec 7, 2026"]


# ---- the learner's state ----


def test_version_1_done_marks_migrate_without_loss(core: Page) -> None:
    v1 = {"version": 1, "done": {"a": "2024-01-02", "b": "2024-03-04T10:00:00Z"}}
    state = call(core, "parseState", v1)
    assert state == {
        "version": 3,
        "done": {"a": "2024-01-02", "b": "2024-03-04"},
        "skipped": {},
        "known": {},
        "keep": {},
        "swaps": {},
        "added": {},
        "checks": {},
    }


def test_version_2_state_keeps_skips_swaps_additions_and_known_concepts(core: Page) -> None:
    v2 = {
        "version": 2,
        "done": {"a": "2024-01-02"},
        "skipped": {"b": "2024-01-03", "Bad Id": "2024-01-03"},
        "known": {"chain-rule": "2024-01-04", "x": "not a date"},
        "swaps": {"research": {"c": "d", "e": 5}, "Not A Track": {"c": "d"}},
        "added": {"research": {"f": "2024-01-05"}},
        "exported": "2024-01-06T00:00:00Z",
    }
    assert call(core, "parseState", v2) == {
        "version": 3,
        "done": {"a": "2024-01-02"},
        "skipped": {"b": "2024-01-03"},
        "known": {"chain-rule": "2024-01-04"},
        "keep": {},
        "swaps": {"research": {"c": "d"}},
        "added": {"research": {"f": "2024-01-05"}},
        "checks": {},
    }
    # Version 2 had no self-check results: anything under that name is not one.
    stray = {
        **v2,
        "checks": {
            "chain-rule": {
                "of": 1,
                "box": 2,
                "due": "2024-01-09",
                "answers": {"1": {"on": "2024-01-06", "got": True}},
            }
        },
    }
    assert call(core, "parseState", stray)["checks"] == {}


RIGHT = {"on": "2024-01-06", "got": True}
RESULT: dict[str, Any] = {
    "of": 2,
    "box": 2,
    "due": "2024-01-09",
    "answers": {"1": RIGHT, "2": RIGHT},
}


def test_version_3_keeps_self_check_results_and_drops_bad_ones(core: Page) -> None:
    v3 = {
        "version": 3,
        "done": {"a": "2024-01-02"},
        "known": {"derivative": "2024-01-04"},
        "checks": {
            "chain-rule": {**RESULT, "answers": {**RESULT["answers"],
                                                "0": {"on": "2024-01-06", "got": True},
                                                "3": {"on": "someday", "got": True},
                                                "4": {"on": "2024-01-06", "got": "yes"}}},
            "no-due": {**RESULT, "due": "soon"},
            "no-count": {**RESULT, "of": 0},
            "Bad Id": RESULT,
            "box-out-of-range": {**RESULT, "box": 9},
            "not-a-record": [1, 2],
        },
    }  # fmt: skip
    state = call(core, "parseState", v3)
    assert state["version"] == 3
    assert state["done"] == {"a": "2024-01-02"}
    assert state["known"] == {"derivative": "2024-01-04"}
    assert state["checks"] == {"chain-rule": RESULT, "box-out-of-range": {**RESULT, "box": 5}}
    read = call(core, "readProgress", json.dumps(v3))
    assert read["problem"] is None
    assert read["state"]["checks"]["chain-rule"] == RESULT


def known(core: Page, state: dict[str, Any], concept: str) -> list[bool]:
    result: list[bool] = run(
        core,
        f"""const s = core.parseState({json.dumps(state)}), c = {json.dumps(concept)};
            return [core.isKnown(s, c), core.checked(s, c)];""",
    )
    return result


def test_a_concept_is_known_when_every_check_was_right_on_the_latest_try(core: Page) -> None:
    def answers(*got: bool) -> dict[str, Any]:
        return {str(n): {"on": "2024-01-06", "got": g} for n, g in enumerate(got, start=1)}

    def state(of: int, *got: bool) -> dict[str, Any]:
        record = {"of": of, "box": 1, "due": "2024-01-07", "answers": answers(*got)}
        return {"version": 3, "done": {}, "checks": {"chain-rule": record}}

    assert known(core, state(2, True, True), "chain-rule") == [True, True]
    assert known(core, state(2, True, False), "chain-rule") == [False, False]
    assert known(core, state(2, True), "chain-rule") == [False, False]  # one not answered
    assert known(core, state(3, True, True), "chain-rule") == [False, False]  # a check was added
    assert known(core, state(2, True, True), "derivative") == [False, False]
    marked = {"version": 3, "done": {}, "known": {"derivative": "2024-01-01"}}
    assert known(core, marked, "derivative") == [True, False]


def test_placement_counts_concepts_known_from_their_checks(core: Page) -> None:
    right = {"of": 1, "box": 2, "due": "2025-01-04",
             "answers": {"1": {"on": "2025-01-01", "got": True}}}  # fmt: skip
    state = {"version": 3, "done": {}, "known": {"derivative": "2025-01-01"},
             "checks": {"chain-rule": right}}  # fmt: skip
    assert placed(core, state)["status"] == ["known", "todo", "todo"]
    wrong = {**right, "answers": {"1": {"on": "2025-01-02", "got": False}}}
    assert placed(core, {**state, "checks": {"chain-rule": wrong}})["status"] == ["todo"] * 3


def test_answers_are_counted_for_export_import_and_reset(core: Page) -> None:
    state = {"version": 3, "done": {"a": "2024-01-02"},
             "checks": {"chain-rule": RESULT, "derivative": {**RESULT, "answers": {}}}}  # fmt: skip
    assert run(core, f"return core.answered(core.parseState({json.dumps(state)}));") == 2
    assert run(core, f"return core.marks(core.parseState({json.dumps(state)}));") == 1


@pytest.mark.parametrize(
    "data",
    [None, [], "x", {}, {"version": 4, "done": {}}, {"version": 1}, {"version": 2, "done": []}],
    ids=["null", "list", "string", "empty", "version 4", "no done", "done is a list"],
)
def test_anything_else_is_not_a_state(core: Page, data: Any) -> None:
    assert call(core, "parseState", data) is None


NEWER_FORMAT = (
    "Your saved progress is in a format this page cannot read (maybe saved by a newer"
    " version); nothing was changed. Reload to get the newest page. Until then, marks you make"
    " here are not saved."
)
DAMAGED = (
    "Your saved progress is damaged and this page cannot read it; nothing was changed, and"
    " marks you make here are not saved. Export it to keep a copy, or reset your progress to"
    " start afresh."
)


def test_stored_progress_in_a_known_format_is_read(core: Page) -> None:
    v1 = '{"version": 1, "done": {"a": "2024-01-02"}}'
    v2 = '{"version": 2, "done": {"a": "2024-01-02"}, "skipped": {"b": "2024-01-03"}}'
    v3 = '{"version": 3, "done": {"a": "2024-01-02"}, "skipped": {"b": "2024-01-03"}}'
    for raw, skipped in ((v1, {}), (v2, {"b": "2024-01-03"}), (v3, {"b": "2024-01-03"})):
        read = call(core, "readProgress", raw)
        assert read["problem"] is None
        assert read["state"]["version"] == 3
        assert read["state"]["done"] == {"a": "2024-01-02"}
        assert read["state"]["skipped"] == skipped


@pytest.mark.parametrize(
    "raw",
    [None, "", "{not json", '{"version": 2, "done": {}', "[1, 2, 3]", '"done"', "null", "42"],
    ids=["nothing", "empty", "not JSON", "cut short", "a list", "a string", "null", "a number"],
)
def test_what_studyguide_never_writes_may_start_afresh(core: Page, raw: str | None) -> None:
    # Every format is a JSON object with a version: nothing can read these, so nothing is lost.
    assert call(core, "readProgress", raw) == {"state": None, "problem": None}


UNKNOWN_FORMATS = {
    "version 4": '{"version": 4, "done": {"a": "2024-01-02"}}',
    "version as a string": '{"version": "2", "done": {"a": "2024-01-02"}}',
    "no version": '{"done": {"a": "2024-01-02"}}',
    "version 0": '{"version": 0, "done": {}}',
    "version 2.5": '{"version": 2.5, "done": {}}',
    "an empty object": "{}",
}


@pytest.mark.parametrize("raw", UNKNOWN_FORMATS.values(), ids=UNKNOWN_FORMATS.keys())
def test_an_unknown_format_is_kept_with_a_notice(core: Page, raw: str) -> None:
    assert call(core, "readProgress", raw) == {"state": None, "problem": NEWER_FORMAT}


@pytest.mark.parametrize(
    "raw",
    [
        '{"version": 2, "done": ["a"]}',
        '{"version": 2}',
        '{"version": 1, "done": "a"}',
        '{"version": 3, "checks": {}}',
    ],
    ids=["done is a list", "no done", "version 1 done is a string", "version 3 with no done"],
)
def test_a_known_version_that_cannot_be_read_is_kept_as_damaged(core: Page, raw: str) -> None:
    assert call(core, "readProgress", raw) == {"state": None, "problem": DAMAGED}


def test_ids_like_constructor_and_proto_are_plain_data(core: Page) -> None:
    result = run(
        core,
        """
        const state = core.parseState(JSON.parse(
          '{"version": 2, "done": {"__proto__": "2024-01-01", "toString": "2024-01-01"},' +
          ' "swaps": {"__proto__": {"constructor": "x"}}}'));
        const empty = core.emptyState();
        const path = [{topic: "t", steps: [
          {id: "constructor", number: 1, title: "C", hours: 2, url: "", instead: []},
          {id: "hasOwnProperty", number: 2, title: "H", hours: 3, url: "", instead: []}],
          further: [{id: "valueOf", title: "V", hours: 1, url: ""}]}];
        const before = core.walk(path, empty, "research").map(i => i.status);
        const marked = core.update(empty, (s) =>
          core.setDate(s.done, "constructor", true, "2024-05-06"));
        const after = core.walk(path, marked, "research").map(i => [i.status, i.done]);
        return {
          before, after,
          proto: Object.getPrototypeOf(state.done), doneKeys: Object.keys(state.done),
          swap: core.swapOf(empty, "research", "constructor"),
          added: core.isAdded(empty, "constructor", "valueOf"),
          polluted: ({}).constructor === Object && !("x" in {}),
        };
        """,
    )
    assert result == {
        "before": ["todo", "todo"],
        "after": [["done", "2024-05-06"], ["todo", None]],
        "proto": None,
        "doneKeys": [],  # neither is a valid id: dropped, and the prototype is untouched
        "swap": None,
        "added": False,
        "polluted": True,
    }


def test_merging_an_import_keeps_the_earlier_date_and_every_choice(core: Page) -> None:
    mine = {"version": 2, "done": {"a": "2024-05-01"}, "swaps": {"research": {"s": "t"}}}
    theirs = {
        "version": 2,
        "done": {"a": "2024-04-01", "b": "2024-06-01"},
        "skipped": {"c": "2024-06-02"},
        "added": {"casual": {"d": "2024-06-03"}},
        "swaps": {"research": {"u": "v"}},
    }
    merged = run(
        core,
        f"return core.mergeStates(core.parseState({json.dumps(mine)}),"
        f" core.parseState({json.dumps(theirs)}));",
    )
    assert merged["done"] == {"a": "2024-04-01", "b": "2024-06-01"}
    assert merged["skipped"] == {"c": "2024-06-02"}
    assert merged["added"] == {"casual": {"d": "2024-06-03"}}
    assert merged["swaps"] == {"research": {"s": "t", "u": "v"}}


def test_merging_keeps_the_self_check_record_answered_last(core: Page) -> None:
    def record(on: str, got: bool) -> dict[str, Any]:
        return {"of": 1, "box": 1, "due": "2024-07-01", "answers": {"1": {"on": on, "got": got}}}

    mine = {"version": 3, "done": {},
            "checks": {"a": record("2024-06-01", True), "b": record("2024-06-05", True),
                       "c": record("2024-06-03", True)}}  # fmt: skip
    theirs = {"version": 3, "done": {},
              "checks": {"a": record("2024-06-02", False), "b": record("2024-06-04", False),
                         "c": record("2024-06-03", False),
                         "d": record("2024-06-01", True)}}  # fmt: skip
    merged = run(
        core,
        f"return core.mergeStates(core.parseState({json.dumps(mine)}),"
        f" core.parseState({json.dumps(theirs)}));",
    )
    assert merged["checks"] == {
        "a": record("2024-06-02", False),  # theirs is later
        "b": record("2024-06-05", True),  # mine is later
        "c": record("2024-06-03", True),  # a tie: mine stays
        "d": record("2024-06-01", True),  # only theirs
    }


# ---- the learner's path ----

PATH = [
    {
        "topic": "calculus",
        "steps": [
            {"id": "videos", "number": 1, "title": "Videos", "hours": 6, "url": "", "instead": []},
            {
                "id": "course",
                "number": 2,
                "title": "Course",
                "hours": 40,
                "url": "https://example.org/course",
                "instead": [
                    {"id": "book", "title": "Book", "hours": 80, "url": "https://example.org/b"}
                ],
            },
        ],
        "further": [{"id": "extra", "title": "Extra", "hours": 3, "url": ""}],
    },
    {
        "topic": "linear-algebra",
        "steps": [
            {"id": "matrices", "number": 3, "title": "M", "hours": 20, "url": "", "instead": []}
        ],
        "further": [{"id": "proofs", "title": "Proofs", "hours": 100, "url": ""}],
    },
]


def walked(core: Page, state: dict[str, Any], track: str = "research") -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = run(
        core,
        f"return core.walk({json.dumps(PATH)}, core.parseState({json.dumps(state)}), "
        f"{json.dumps(track)});",
    )
    return result


def test_the_path_walks_the_core_steps_in_order(core: Page) -> None:
    items = walked(core, {"version": 2, "done": {}})
    assert [(i["number"], i["id"], i["status"], i["hours"]) for i in items] == [
        (1, "videos", "todo", 6),
        (2, "course", "todo", 40),
        (3, "matrices", "todo", 20),
    ]


def test_done_skipped_swapped_and_added_steps(core: Page) -> None:
    state = {
        "version": 2,
        "done": {"videos": "2024-01-01", "proofs": "2024-01-03"},
        "skipped": {"matrices": "2024-01-02"},
        "swaps": {"research": {"course": "book"}},
        "added": {"research": {"extra": "2024-01-04", "proofs": "2024-01-04"}},
    }
    items = walked(core, state)
    assert [(i["kind"], i["id"], i["step"], i["status"], i["hours"]) for i in items] == [
        ("step", "videos", "videos", "done", 6),
        ("step", "book", "course", "todo", 80),  # swapped: the alternative's own hours
        ("added", "extra", "extra", "todo", 3),  # after its topic's steps
        ("step", "matrices", "matrices", "skipped", 20),
        ("added", "proofs", "proofs", "done", 100),
    ]
    assert items[1]["swapped"] is True
    assert items[1]["url"] == "https://example.org/b"
    # Swaps and additions belong to one track; done and skipped marks to the learner.
    other = walked(core, state, track="casual")
    assert [(i["id"], i["status"]) for i in other] == [
        ("videos", "done"),
        ("course", "todo"),
        ("matrices", "skipped"),
    ]


def test_next_step_and_progress_follow_the_learners_path(core: Page) -> None:
    state = {
        "version": 2,
        "done": {"videos": "2024-01-01"},
        "skipped": {"course": "2024-01-02"},
        "added": {"research": {"extra": "2024-01-04"}},
    }
    result = run(
        core,
        f"""const items = core.walk({json.dumps(PATH)}, core.parseState({json.dumps(state)}),
              "research");
            return {{next: core.nextStep(items).id, progress: core.progress(items),
                     todo: core.todo(items).map(i => i.id)}};""",
    )
    assert result["next"] == "extra"
    assert result["todo"] == ["extra", "matrices"]
    assert result["progress"] == {
        "steps": 4,
        "done": 1,
        "skipped": 1,
        "left": 2,
        "hours": 29,  # skipped steps leave the learner's total
        "hoursDone": 6,
        "hoursLeft": 23,
    }


def test_a_finished_path_has_no_next_step(core: Page) -> None:
    done = {s: "2024-01-01" for s in ("videos", "course", "matrices")}
    items = walked(core, {"version": 2, "done": done})
    assert all(i["status"] == "done" for i in items)
    assert run(core, f"return core.nextStep(core.walk({json.dumps(PATH)}, core.parseState("
               f"{json.dumps({'version': 2, 'done': done})}), 'research'));") is None  # fmt: skip


# ---- placement: what the learner knows ----

TAUGHT = [
    {
        "topic": "calculus",
        "steps": [
            {"id": "intro", "number": 1, "title": "Intro", "hours": 5, "url": "", "instead": [],
             "teaches": ["derivative", "chain-rule"]},
            {"id": "course", "number": 2, "title": "Course", "hours": 40, "url": "", "instead": [],
             "teaches": ["derivative", "integral"]},
            {"id": "project", "number": 3, "title": "Project", "hours": 8, "url": "", "instead": [],
             "teaches": []},
        ],
        "further": [],
    }
]  # fmt: skip


def placed(core: Page, state: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = run(
        core,
        f"""const state = core.parseState({json.dumps(state)});
            const items = core.walk({json.dumps(TAUGHT)}, state, "casual");
            return {{status: items.map(i => i.status), todo: core.todo(items).map(i => i.id),
                     may: {json.dumps(TAUGHT)}[0].steps.map(s => core.maySkip(s, state))}};""",
    )
    return result


def test_a_step_teaching_only_known_concepts_may_be_skipped_and_put_back(core: Page) -> None:
    nothing = placed(core, {"version": 2, "done": {}})
    assert nothing["status"] == ["todo", "todo", "todo"]
    known = {
        "version": 2,
        "done": {},
        "known": {"derivative": "2025-01-01", "chain-rule": "2025-01-01"},
    }
    some = placed(core, known)
    # Step 1 teaches only known concepts; step 2 also teaches the integral; step 3 teaches
    # nothing listed, so knowing things never places it out.
    assert some["status"] == ["known", "todo", "todo"]
    assert some["todo"] == ["course", "project"]
    assert some["may"] == [True, False, False]
    kept = placed(core, {**known, "keep": {"intro": "2025-01-02"}})
    assert kept["status"] == ["todo", "todo", "todo"]
    done = placed(core, {**known, "done": {"intro": "2025-01-03"}})
    assert done["status"] == ["done", "todo", "todo"]  # done wins over placement


# ---- the plan ----

ITEMS = [
    {"id": "short", "title": "Short", "hours": 5},
    {"id": "shorter", "title": "Shorter", "hours": 2.5},
    {"id": "long", "title": "Longer than a week", "hours": 12},
]


def spans(result: dict[str, Any]) -> list[tuple[str, int, int, str, str]]:
    return [(i["id"], i["week"], i["endWeek"], i["start"], i["end"]) for i in result["items"]]


def test_plan_walks_the_items_in_order_and_spreads_hours_over_the_week(core: Page) -> None:
    result = call(core, "plan", ITEMS, 5, "2025-01-06")
    # 5 h a week: the first item fills week 1; 2.5 h is half a week (3.5 days); the 12 h item
    # starts on the day the previous one ends and runs into week 4.
    assert spans(result) == [
        ("short", 1, 1, "2025-01-06", "2025-01-12"),
        ("shorter", 2, 2, "2025-01-13", "2025-01-16"),
        ("long", 2, 4, "2025-01-16", "2025-02-02"),
    ]
    assert (result["finish"], result["weeks"], result["hours"]) == ("2025-02-02", 4, 19.5)


def test_a_resource_longer_than_a_week_spans_whole_weeks(core: Page) -> None:
    result = call(core, "plan", [{"id": "book", "title": "Book", "hours": 40}], 10, "2025-03-27")
    assert spans(result) == [("book", 1, 4, "2025-03-27", "2025-04-23")]


@pytest.mark.parametrize(
    ("hours", "start", "message"),
    [
        (0, "2025-01-06", "more than 0"),
        (-3, "2025-01-06", "more than 0"),
        (168.5, "2025-01-06", "at most 168"),
        ("", "2025-01-06", "Enter how many hours"),
        ("abc", "2025-01-06", "Enter how many hours"),
        (0.0001, "2025-01-06", "over 100 years"),
        (5, "2025-02-30", "Enter a valid start date."),
        (5, "", "Enter a valid start date."),
        (5, "0050-06-01", "between the years 100 and 9999"),
        (5, "10000-01-01", "between the years 100 and 9999"),
        (1, "9999-10-01", "would end after the year 9999"),
    ],
)
def test_unusable_plans_give_a_message_not_a_wrapped_date(
    core: Page, hours: Any, start: str, message: str
) -> None:
    result = call(core, "plan", ITEMS, hours, start)
    assert message in result["error"]
    assert "items" not in result


def test_the_last_possible_plan_ends_in_9999(core: Page) -> None:
    result = call(core, "plan", [{"id": "a", "title": "A", "hours": 1}], 7, "9999-12-31")
    assert result["finish"] == "9999-12-31"


# ---- the calendar file ----


def ics_of(core: Page, items: list[dict[str, Any]], options: dict[str, Any]) -> str:
    the_plan = call(core, "plan", items, 5, "2025-01-06")
    text: str = call(core, "ics", the_plan, options)
    return text


def test_ics_has_milestones_not_long_bars_and_a_weekly_reminder_that_ends(core: Page) -> None:
    items = [{**ITEMS[0], "number": 1, "url": "https://example.org/a?b=1,2"}, *ITEMS[1:]]
    text = ics_of(
        core, items, {"name": "Study plan: test", "title": "Test", "uid": "casual", "now": 0}
    )
    calendar = icalendar.Calendar.from_ical(text)
    events = list(calendar.walk("VEVENT"))
    summaries = [str(e["SUMMARY"]) for e in events]
    assert summaries == [
        "Start: Test",
        "Study week: Test",
        "Finish: Short",
        "Finish: Shorter",
        "Finish: Longer than a week",
        "Finish: Test",
    ]
    for event in events:  # every event is one day: no month-long all-day bars
        assert event.decoded("DTEND") - event.decoded("DTSTART") == dt.timedelta(days=1)
    finishes = [e.decoded("DTSTART") for e in events[2:5]]
    assert finishes == [dt.date(2025, 1, 12), dt.date(2025, 1, 16), dt.date(2025, 2, 2)]
    assert events[0].decoded("DTSTART") == dt.date(2025, 1, 6)
    assert events[-1].decoded("DTSTART") == dt.date(2025, 2, 2)
    weekly = events[1]
    rule: Any = weekly["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"]
    assert rule["COUNT"] == [4]  # the plan's four weeks, and no more
    assert "UNTIL" in rule or "COUNT" in rule
    assert [e for e in events if "RRULE" in e] == [weekly]
    assert len({str(e["UID"]) for e in events}) == len(events)
    assert str(events[2]["UID"]) == "casual.short.finish@studyguide.invalid"
    assert str(events[2]["URL"]) == "https://example.org/a?b=1,2"
    assert "step 1" in str(events[2]["DESCRIPTION"])
    assert events[0].decoded("DTSTAMP") == dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    assert str(calendar["X-WR-CALNAME"]) == "Study plan: test"


def test_ics_is_rfc5545_text(core: Page) -> None:
    title = "Ünïcode, commas; back\\slashes\nand a newline, in a title long enough to fold " * 2
    text = ics_of(core, [{**ITEMS[0], "title": title}], {"now": 0})
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
    events = list(icalendar.Calendar.from_ical(text).walk("VEVENT"))
    assert str(events[2]["SUMMARY"]) == f"Finish: {title}"


def test_ics_of_an_empty_plan_is_an_empty_calendar(core: Page) -> None:
    text = ics_of(core, [], {"now": 0})
    assert icalendar.Calendar.from_ical(text).walk("VEVENT") == []
