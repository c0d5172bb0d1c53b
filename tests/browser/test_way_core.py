""" "Plan my way here", pure (way-core.js), called directly in Chromium with no site build: the
order of the way to a concept on small graphs, the easiest place to learn each concept, and
the `ways` field that core.js keeps in the learner's state and puts in the calendar file."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import icalendar
import pytest
from playwright.sync_api import Browser, Page

from .conftest import SiteServer, open_modules

pytestmark = pytest.mark.browser

LEVELS = ["intro", "intermediate", "advanced"]


@pytest.fixture
def js(browser: Browser, assets_server: SiteServer) -> Iterator[Page]:
    yield from open_modules(browser, assets_server)


def call(page: Page, module: str, name: str, *args: Any) -> Any:
    """`name` of the module applied to `args`; the result crosses back as JSON."""
    return page.evaluate(
        """async ([module, name, args]) => {
             const m = await import('/' + module);
             const out = m[name](...args);
             return out === undefined ? null : JSON.parse(JSON.stringify(out));
           }""",
        [module, name, list(args)],
    )


def concept(
    id: str, level: str = "intro", prerequisites: tuple[str, ...] = (), places: Any = ()
) -> dict[str, Any]:
    return {
        "id": id,
        "title": id.title(),
        "level": level,
        "prerequisites": list(prerequisites),
        "learn_from": [{"resource": r, "where": w, "hours": h} for r, w, h in places],
    }


def way(page: Page, concepts: list[dict[str, Any]], targets: list[str], known: list[str]) -> Any:
    """The ids on the way to `targets`, with `known` marked known."""
    return page.evaluate(
        """async ([concepts, targets, known, levels]) => {
             const m = await import('/way-core.js');
             return m.wayTo(concepts, targets, (id) => known.includes(id), levels).map((c) => c.id);
           }""",
        [concepts, targets, known, LEVELS],
    )


# ---- the order of the way ----

# A diamond: top needs left and right, which both need base. Right comes first in the
# catalogue, and both are of one level: catalogue order breaks the tie.
DIAMOND = [
    concept("top", "advanced", ("left", "right")),
    concept("right", "intermediate", ("base",)),
    concept("left", "intermediate", ("base",)),
    concept("base", "intro"),
]
# A chain: d needs c needs b needs a. The level of `a` (advanced) would put it last if levels
# alone decided: prerequisites come first all the same.
CHAIN = [
    concept("d", "intro", ("c",)),
    concept("c", "intro", ("b",)),
    concept("b", "intro", ("a",)),
    concept("a", "advanced"),
]


def test_a_diamond_puts_the_shared_prerequisite_first_and_the_concept_last(js: Page) -> None:
    assert way(js, DIAMOND, ["top"], []) == ["base", "right", "left", "top"]
    assert way(js, DIAMOND, ["left"], []) == ["base", "left"]


def test_ties_are_broken_by_level_before_catalogue_order(js: Page) -> None:
    graph = [
        concept("goal", "advanced", ("hard", "easy")),
        concept("hard", "advanced"),
        concept("middle", "intermediate"),
        concept("easy", "intro"),
    ]
    assert way(js, graph, ["goal"], []) == ["easy", "hard", "goal"]
    graph[0]["prerequisites"] = ["hard", "middle", "easy"]
    assert way(js, graph, ["goal"], []) == ["easy", "middle", "hard", "goal"]


def test_a_chain_keeps_its_order_against_levels(js: Page) -> None:
    assert way(js, CHAIN, ["d"], []) == ["a", "b", "c", "d"]


def test_known_concepts_leave_the_way_and_the_rest_keep_their_order(js: Page) -> None:
    # b and c are known: a still comes before d, which needs it through them.
    assert way(js, CHAIN, ["d"], ["b", "c"]) == ["a", "d"]
    assert way(js, DIAMOND, ["top"], ["left"]) == ["base", "right", "top"]


def test_when_everything_is_known_the_way_is_empty(js: Page) -> None:
    assert way(js, DIAMOND, ["top"], ["top", "left", "right", "base"]) == []
    # Every prerequisite known: the concept itself is left.
    assert way(js, DIAMOND, ["top"], ["left", "right", "base"]) == ["top"]


def test_a_concept_with_no_prerequisites_is_its_own_way(js: Page) -> None:
    assert way(js, DIAMOND, ["base"], []) == ["base"]


def test_unknown_ids_are_ignored(js: Page) -> None:
    graph = [concept("x", "intro", ("ghost", "y")), concept("y", "intro", ("phantom",))]
    assert way(js, graph, ["x"], ["nobody"]) == ["y", "x"]
    assert way(js, graph, ["ghost"], []) == []
    assert way(js, graph, ["ghost", "y"], []) == ["y"]


def test_ways_to_several_concepts_share_what_they_have_in_common(js: Page) -> None:
    assert way(js, DIAMOND, ["left", "right"], []) == ["base", "right", "left"]
    # Top (advanced) is ready before a (advanced), and first in the catalogue; b waits for a.
    assert way(js, DIAMOND + CHAIN, ["d", "top"], ["c"]) == [
        "base",
        "right",
        "left",
        "top",
        "a",
        "b",
        "d",
    ]


def test_a_cycle_does_not_stop_the_way(js: Page) -> None:
    # Validation forbids cycles; the function still ends, with each concept once.
    graph = [
        concept("p", "intro", ("q",)),
        concept("q", "intro", ("p",)),
        concept("r", "intro", ("p",)),
    ]
    result = way(js, graph, ["r"], [])
    assert sorted(result) == ["p", "q", "r"]
    assert result[-1] == "r"


# ---- the easiest place to learn each concept ----

RESOURCES = [
    {"id": "book", "title": "A book", "level": "advanced", "url": "https://example.org/book"},
    {"id": "video", "title": "A video", "level": "intro", "url": "https://example.org/video"},
    {"id": "notes", "title": "Notes", "level": "intro", "url": "https://example.org/notes"},
    {"id": "course", "title": "A course", "level": "intermediate", "url": "https://example.org/c"},
]


def easiest(js: Page, places: Any) -> Any:
    return js.evaluate(
        """async ([concept, resources, levels]) => {
             const m = await import('/way-core.js');
             const best = m.easiest(concept, new Map(resources.map((r) => [r.id, r])), levels);
             return best && {resource: best.resource.id, where: best.where, hours: best.hours};
           }""",
        [concept("c", places=places), RESOURCES, LEVELS],
    )


def test_the_easiest_place_has_the_lowest_level_then_the_fewest_hours(js: Page) -> None:
    places = [
        ("book", "ch. 1", 0.5),
        ("course", "week 2", 1),
        ("video", "ep. 3", 2),
        ("notes", "§4", 1.5),
    ]
    assert easiest(js, places) == {"resource": "notes", "where": "§4", "hours": 1.5}
    # Of two easiest places, the catalogue's first.
    places = [("video", "ep. 3", 1), ("notes", "§4", 1), ("book", "ch. 1", 0.5)]
    assert easiest(js, places) == {"resource": "video", "where": "ep. 3", "hours": 1}


def test_a_place_in_an_unknown_resource_is_passed_over(js: Page) -> None:
    assert easiest(js, [("gone", "ch. 1", 0.1), ("course", "week 2", 3)]) == {
        "resource": "course",
        "where": "week 2",
        "hours": 3,
    }
    assert easiest(js, [("gone", "ch. 1", 0.1)]) is None
    assert easiest(js, []) is None


def test_the_way_as_a_list_names_each_place_and_totals_the_hours(js: Page) -> None:
    catalogue = {
        "resources": RESOURCES,
        "concepts": [
            concept("goal", "intermediate", ("base",), [("course", "week 2", 1.25)]),
            concept("base", "intro", (), [("book", "ch. 1", 0.5), ("video", "ep. 3", 2)]),
            concept("skip", "intro", (), [("video", "ep. 9", 9)]),
        ],
    }
    result = call(js, "way-core.js", "wayPlan", catalogue, ["goal"], None, LEVELS)
    assert [
        (i["id"], i["title"], i["resource"]["id"], i["where"], i["hours"]) for i in result["items"]
    ] == [
        ("base", "Base", "video", "ep. 3", 2),
        ("goal", "Goal", "course", "week 2", 1.25),
    ]
    assert result["hours"] == 3.3  # 3.25, to a tenth of an hour
    catalogue["concepts"][1]["learn_from"] = []
    result = call(js, "way-core.js", "wayPlan", catalogue, ["goal"], None, LEVELS)
    assert result["items"][0]["resource"] is None
    assert result["items"][0]["hours"] == 0
    assert result["hours"] == 1.3


# ---- the ways kept in the learner's state (core.js) ----


def test_the_state_keeps_the_ways_with_valid_ids_and_dates(js: Page) -> None:
    for version in (2, 3):
        data = {
            "version": version,
            "done": {},
            "ways": {"adam": "2025-03-01", "Bad Id": "2025-03-01", "sgd": "soon"},
        }
        state = call(js, "core.js", "parseState", data)
        assert state["ways"] == {"adam": "2025-03-01"}
    # An older state has none, and gets none: the field is optional.
    assert "ways" not in call(js, "core.js", "parseState", {"version": 2, "done": {}})
    assert "ways" not in call(js, "core.js", "parseState", {"version": 2, "done": {}, "ways": [1]})


def test_a_change_of_the_state_keeps_the_ways(js: Page) -> None:
    state = js.evaluate(
        """async () => {
             const core = await import('/core.js');
             const state = core.parseState({version: 2, done: {}, ways: {adam: '2025-03-01'}});
             return core.update(state, (s) => core.setDate(s.known, 'sgd', true, '2025-03-02'));
           }"""
    )
    assert state["ways"] == {"adam": "2025-03-01"}
    assert state["known"] == {"sgd": "2025-03-02"}


def test_merging_states_keeps_every_way_at_its_earliest_date(js: Page) -> None:
    def merge(a: dict[str, Any], b: dict[str, Any]) -> Any:
        return js.evaluate(
            """async ([a, b]) => {
                 const core = await import('/core.js');
                 return core.mergeStates(core.parseState(a), core.parseState(b));
               }""",
            [a, b],
        )

    mine = {"version": 2, "done": {}, "ways": {"adam": "2025-03-05"}}
    theirs = {"version": 2, "done": {}, "ways": {"adam": "2025-03-01", "sgd": "2025-03-09"}}
    assert merge(mine, theirs)["ways"] == {"adam": "2025-03-01", "sgd": "2025-03-09"}
    none = {"version": 2, "done": {}}
    assert merge(none, theirs)["ways"] == {"adam": "2025-03-01", "sgd": "2025-03-09"}


def test_a_concept_in_the_plan_is_a_milestone_of_the_calendar(js: Page) -> None:
    items = [
        {"id": "step", "number": 1, "title": "A step", "hours": 2, "url": "https://example.org/s"},
        {
            "id": "concept-adam",
            "number": None,
            "label": "concept",
            "title": "Adam",
            "hours": 1.5,
            "url": "https://example.org/adam",
            "page": "http://127.0.0.1/concepts/adam/",
            "from": "Adam: a method, Section 2",
        },
    ]
    the_plan = call(js, "core.js", "plan", items, 5, "2025-01-06")
    text = call(js, "core.js", "ics", the_plan, {"uid": "research", "now": 0})
    events = list(icalendar.Calendar.from_ical(text).walk("VEVENT"))
    adam = next(e for e in events if str(e["SUMMARY"]) == "Finish: Adam")
    description = str(adam["DESCRIPTION"])
    assert description.startswith("Target finish of concept (about 1.5 hours")
    assert "Learn it from: Adam: a method, Section 2" in description
    assert "Notes: http://127.0.0.1/concepts/adam/" in description
    assert str(adam["URL"]) == "https://example.org/adam"
    assert str(adam["UID"]) == "research.concept-adam.finish@studyguide.invalid"
    step = next(e for e in events if str(e["SUMMARY"]) == "Finish: A step")
    assert "step 1" in str(step["DESCRIPTION"])
