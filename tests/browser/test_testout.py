""" "Test out of <topic>" on the real site, in Chromium: the casual track's calculus test-out asks
every self-check of the concepts its core steps teach, one at a time; getting them all right
takes the 25-hour Khan Academy course (and the rest of the topic) out of the plan, with the
hours saved and a way to put each step back; a miss keeps the steps that teach the concept.
At a phone's width (all right) and a laptop's (a miss, and finishing early); expected figures
come from /catalogue.json."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from .conftest import (
    PROGRESS_KEY,
    Site,
    Watch,
    goto,
    open_context,
    progress_text,
    set_storage,
    stored_progress,
)

pytestmark = pytest.mark.browser

TRACK = "casual"
TOPIC = "calculus"
LONG_STEP = "khan-academy-calculus-1"


def num(x: float) -> str:
    return f"{round(x * 10) / 10:g}"


def section(site: Site) -> dict[str, Any]:
    track = next(t for t in site.catalogue["tracks"] if t["id"] == TRACK)
    found: dict[str, Any] = next(s for s in track["path"] if s["topic"] == TOPIC)
    return found


def taught(site: Site) -> list[str]:
    """The concepts the topic's core steps teach, each once, in order."""
    out: list[str] = []
    for step in section(site)["steps"]:
        out += [c for c in step["teaches"] if c not in out]
    return out


def checks_of(site: Site, concept: str) -> int:
    return next(len(c["checks"]) for c in site.catalogue["concepts"] if c["id"] == concept)


def title_of(site: Site, concept: str) -> str:
    found: str = next(c["title"] for c in site.catalogue["concepts"] if c["id"] == concept)
    return found


def start_test(page: Page) -> tuple[Locator, Locator]:
    goto(page, f"tracks/{TRACK}/")
    button = page.get_by_role("button", name="Test out of Calculus", exact=True)
    expect(button).to_have_attribute("aria-expanded", "false")
    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    panel = page.locator(f"#{button.get_attribute('aria-controls')}")
    expect(panel).to_be_visible()
    return button, panel


def answer_all(
    page: Page,
    panel: Locator,
    site: Site,
    missed: tuple[str, int] | None,
    shot: Path | None = None,
    concepts: list[str] | None = None,
) -> int:
    """Answer the test-out's questions as they come, one visible at a time: "I got it" to each,
    except question `missed` = (concept, number). Returns how many were asked. With `shot`,
    the panel is photographed at the first revealed answer."""
    concepts = taught(site) if concepts is None else concepts
    total = sum(checks_of(site, c) for c in concepts)
    progress = panel.locator(".sg-testout__progress")
    for index in range(total):
        expect(progress).to_contain_text(f"Question {index + 1} of {total}, on ")
        shown = panel.locator(".sg-check:visible")
        expect(shown).to_have_count(1)
        concept = shown.get_attribute("data-sg-concept")
        number = int(shown.get_attribute("data-sg-check") or 0)
        assert concept is not None
        expect(progress).to_contain_text(f"on {title_of(site, concept)}:")
        got = panel.get_by_role("button", name="I got it", exact=True)
        expect(got).to_be_hidden()  # the buttons come with the answer, shown on demand
        shown.locator("details.sg-check__answer > summary").click()
        expect(shown.locator(".sg-check__answer-text")).to_be_visible()
        if shot and index == 0:
            panel.screenshot(path=str(shot), animations="disabled")
        right = missed != (concept, number)
        panel.get_by_role("button", name="I got it" if right else "I missed it", exact=True).click()
    return total


def card(page: Page, resource: str) -> Locator:
    return page.locator(f"#res-{resource}")


def is_skipped(page: Page, resource: str) -> bool:
    return "sg-step--skipped" in (card(page, resource).get_attribute("class") or "")


def core_hours_left(page: Page) -> float:
    match = re.search(r"([\d.]+) of ([\d.]+) hours left", progress_text(page))
    assert match, progress_text(page)
    return float(match.group(1))


# At a phone's width; the tests below run at 1280 px.
@pytest.mark.parametrize("width", [390])
def test_testing_out_of_calculus_takes_the_25_hour_course_out_of_the_plan(
    browser: Browser, site: Site, watch: Watch, width: int, artifacts: Path
) -> None:
    context = open_context(browser, site, watch, viewport={"width": width, "height": 860})
    page = context.new_page()
    steps = section(site)["steps"]
    long_step = next(s for s in steps if s["resource"] == LONG_STEP)
    assert long_step["hours"] == 25
    goto(page, f"tracks/{TRACK}/")
    before = core_hours_left(page)

    _, panel = start_test(page)
    asked = answer_all(page, panel, site, None, artifacts / f"testout-question-{width}.png")

    result = panel.locator(".sg-testout__result")
    expect(result).to_be_focused()
    expect(result).to_contain_text("You tested out of Calculus.")
    saved = sum(s["hours"] for s in steps)
    expect(panel.locator(".sg-testout__saved")).to_have_text(
        f"Your plan now skips {len(steps)} steps, about {num(saved)} hours:"
    )
    listed = panel.locator(".sg-testout__skipped li")
    expect(listed).to_have_count(len(steps))
    khan = panel.locator(f".sg-testout__skipped li[data-sg-id='{LONG_STEP}']")
    expect(khan).to_contain_text("(≈ 25 h). You tested out of Calculus: you know ")
    expect(khan).to_contain_text(title_of(site, "chain-rule"))
    panel.screenshot(path=str(artifacts / f"testout-result-{width}.png"), animations="disabled")

    # Every answer is kept, with its day, and each concept is known from its checks alone.
    stored = stored_progress(page)
    assert stored["known"] == {}
    assert sum(len(r["answers"]) for r in stored["checks"].values()) == asked
    assert all(a["got"] for r in stored["checks"].values() for a in r["answers"].values())
    assert set(stored["checks"]) == set(taught(site))

    # The track page agrees: the step is out of the plan, and says why.
    assert is_skipped(page, LONG_STEP)
    expect(card(page, LONG_STEP).locator(".sg-step__status")).to_contain_text(
        "You tested out of Calculus: you got every self-check right"
    )
    assert core_hours_left(page) == pytest.approx(before - saved)
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    # Put back from the result, then skip it again.
    back = khan.locator(".sg-testout__back")
    expect(back).to_have_accessible_name(re.compile(rf"^Put back step {long_step_number(page)}: "))
    back.click()
    expect(back).to_have_text("Skip it again")
    expect(back).to_have_attribute("aria-pressed", "true")
    assert not is_skipped(page, LONG_STEP)
    assert LONG_STEP in stored_progress(page)["keep"]
    assert core_hours_left(page) == pytest.approx(before - saved + 25)
    back.click()
    expect(back).to_have_attribute("aria-pressed", "false")
    assert is_skipped(page, LONG_STEP)

    # Reloaded, the plan still skips it; a second test-out has nothing left to ask.
    page.reload()
    goto(page, f"tracks/{TRACK}/")
    assert is_skipped(page, LONG_STEP)
    _, panel = start_test(page)
    expect(panel.locator(".sg-testout__result")).to_contain_text(
        "You know every concept the core steps of Calculus teach."
    )
    context.close()


def long_step_number(page: Page) -> str:
    return card(page, LONG_STEP).get_attribute("data-sg-step") or ""


def test_a_miss_keeps_the_steps_that_teach_the_concept_and_brings_it_back_tomorrow(
    page: Page, site: Site
) -> None:
    # Every other concept is marked "I know this" already: the test asks chain rule alone.
    goto(page, f"tracks/{TRACK}/")
    others = [c for c in taught(site) if c != "chain-rule"]
    known = {"version": 3, "done": {}, "known": dict.fromkeys(others, "2026-01-05")}
    set_storage(page, PROGRESS_KEY, json.dumps(known))
    page.reload()
    goto(page, f"tracks/{TRACK}/")
    page.get_by_role("button", name=re.compile(r"^Skip step \d+: I know ")).first.click()
    _, panel = start_test(page)
    answer_all(page, panel, site, missed=("chain-rule", 1), concepts=["chain-rule"])
    result = panel.locator(".sg-testout__result")
    expect(result).to_contain_text("0 concepts of 1 known now.")
    expect(result).to_contain_text(
        f"Still to learn (a miss, or a question left unanswered): {title_of(site, 'chain-rule')}."
    )
    expect(result).to_contain_text(f"You knew {title_of(site, others[0])}, ")
    expect(result).to_contain_text(" already, so the test did not ask about them.")
    teaching = [s["resource"] for s in section(site)["steps"] if "chain-rule" in s["teaches"]]
    assert LONG_STEP in teaching
    staying = panel.locator(".sg-testout__staying li")
    expect(staying.locator(f"xpath=self::li[@data-sg-id='{LONG_STEP}']")).to_contain_text(
        f"for {title_of(site, 'chain-rule')}."
    )
    first = section(site)["steps"][0]["resource"]  # skipped by hand before the test
    for resource in teaching:
        assert is_skipped(page, resource) is (resource == first)
    stored = stored_progress(page)
    assert stored["checks"]["chain-rule"]["answers"]["1"]["got"] is False
    assert (
        stored["checks"]["chain-rule"]["due"] > stored["checks"]["chain-rule"]["answers"]["1"]["on"]
    )
    # The step skipped by hand before the test is not counted as saved by it.
    expect(panel.locator(f".sg-testout__skipped li[data-sg-id='{first}']")).to_have_count(0)


def test_finish_now_reports_what_was_answered_so_far(page: Page, site: Site, watch: Watch) -> None:
    page.route("**/concepts/chain-rule/", lambda route: route.fulfill(status=404, body="gone"))
    _, panel = start_test(page)
    rest = sum(checks_of(site, c) for c in taught(site) if c != "chain-rule")
    expect(panel.locator(".sg-testout__progress")).to_contain_text(f"Question 1 of {rest}, on ")
    expect(panel.locator(".sg-message--error")).to_have_text(
        f"Could not load the questions on {title_of(site, 'chain-rule')}:"
        " answer them on the concept's page."
    )
    assert "null" not in panel.inner_text()
    panel.get_by_role("button", name="Finish now").click()
    result = panel.locator(".sg-testout__result")
    expect(result).to_contain_text(f"0 concepts of {len(taught(site))} known now.")
    expect(panel.locator(".sg-testout__saved")).to_have_text("Your plan skips no more steps.")
    assert stored_progress(page) is None or stored_progress(page)["checks"] == {}
    # The one page made to fail is the one error the browser reports.
    assert [e for e in watch.errors if "404 (Not Found)" in e] == watch.errors
    assert len(watch.errors) == 1
    watch.errors.clear()
