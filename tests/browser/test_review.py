"""Self-checks that record, and review without an account, in Chromium on the built site: "I got
it" and "I missed it" under each answer, a concept known from its checks (and a track's
placement using it), the review page and its Leitner schedule on a fake clock (a day, and 40
days, later), "N concepts to review today" on the home and track pages, export, import and
reset, the migration of earlier formats, the layout at 390 and 1280 px, and an axe audit."""

from __future__ import annotations

import datetime as dt
import json
import re
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, FilePayload, Page, expect

from .conftest import (
    PROGRESS_KEY,
    V1_PROGRESS_KEY,
    Site,
    Watch,
    done_box,
    goto,
    open_context,
    reset_progress,
    set_storage,
    steps,
    stored_progress,
)

pytestmark = pytest.mark.browser

# Mid-morning, so that the learner's day is the same in every time zone the test runs in.
MONDAY = dt.datetime(2025, 1, 6, 10, 0)


def day(offset: int) -> str:
    return (MONDAY.date() + dt.timedelta(days=offset)).isoformat()


def on_day(page: Page, offset: int) -> None:
    """Move the page's clock (Date only: timers run as usual) to `offset` days after MONDAY."""
    page.clock.set_fixed_time(MONDAY + dt.timedelta(days=offset))


def checks_of(site: Site, concept: str) -> int:
    return next(len(c["checks"]) for c in site.catalogue["concepts"] if c["id"] == concept)


def with_checks(site: Site) -> list[str]:
    return [c["id"] for c in site.catalogue["concepts"] if c["checks"]]


def answer_checks(page: Page, concept: str, *got: bool) -> None:
    """On the concept's page, open each answer and press "I got it" or "I missed it"."""
    goto(page, f"concepts/{concept}/")
    checks = page.locator(".sg-check")
    expect(checks).to_have_count(len(got))
    for index, right in enumerate(got):
        answer_one(checks.nth(index), right)


def answer_one(check: Any, right: bool) -> None:
    if not check.locator("details.sg-check__answer").evaluate("d => d.open"):
        check.locator("details.sg-check__answer > summary").click()
    name = "I got it" if right else "I missed it"
    button = check.get_by_role("button", name=name, exact=True)
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(check.locator(".sg-check__status")).to_contain_text(
        "You got it" if right else "You missed it"
    )


def record(page: Page, concept: str) -> dict[str, Any]:
    found: dict[str, Any] = stored_progress(page)["checks"][concept]
    return found


def open_review(page: Page) -> None:
    goto(page, "review/")
    page.wait_for_selector(".sg-review[data-sg-ready]", state="attached")
    for section in page.locator(".sg-review__concept").all():
        expect(section).to_have_attribute("data-sg-loaded", "")


def reviewed(page: Page) -> list[str]:
    ids: list[str] = page.locator(".sg-review__concept").evaluate_all(
        "sections => sections.map(s => s.dataset.sgConcept)"
    )
    return ids


# ---- answering on a concept page ----


def test_the_buttons_sit_under_each_revealed_answer_and_record_the_day(
    page: Page, site: Site
) -> None:
    concept = with_checks(site)[0]
    count = checks_of(site, concept)
    on_day(page, 0)
    goto(page, f"concepts/{concept}/")
    first = page.locator(".sg-check").first
    folded = first.locator(".sg-check__mark")
    expect(folded).to_have_count(2)
    assert not folded.first.is_visible()  # the answer is still folded
    first.locator("summary").click()
    got = first.get_by_role("button", name="I got it", exact=True)
    missed = first.get_by_role("button", name="I missed it", exact=True)
    expect(got).to_be_visible()
    expect(missed).to_be_visible()
    assert got.evaluate("b => b.closest('details').classList.contains('sg-check__answer')")
    assert page.locator(".sg-check__result").count() == count
    # Each button says which question it answers.
    described = got.get_attribute("aria-describedby") or ""
    assert (page.locator(f"[id='{described}']").text_content() or "").strip() == "Question 1"

    missed.click()
    expect(missed).to_have_attribute("aria-pressed", "true")
    expect(got).to_have_attribute("aria-pressed", "false")
    assert record(page, concept) == {
        "of": count,
        "box": 1,
        "due": day(1),
        "answers": {"1": {"on": day(0), "got": False}},
    }
    assert stored_progress(page)["version"] == 3
    # The latest answer is the one kept, and it is there after a reload.
    got.click()
    page.reload()
    goto(page, f"concepts/{concept}/")
    first = page.locator(".sg-check").first
    first.locator("summary").click()
    expect(first.get_by_role("button", name="I got it", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    assert record(page, concept)["answers"] == {"1": {"on": day(0), "got": True}}


def test_every_check_right_makes_the_concept_known_and_the_track_places_its_step(
    page: Page, site: Site
) -> None:
    checked = set(with_checks(site))
    candidates = [
        (track["id"], step)
        for track in site.catalogue["tracks"]
        for section in track["path"]
        for step in section["steps"]
        if step["teaches"] and set(step["teaches"]) <= checked
    ]
    assert candidates, "no step teaches only concepts with self-checks"
    track, step = min(candidates, key=lambda ts: len(ts[1]["teaches"]))
    goto(page, f"tracks/{track}/")
    card = page.locator(f"#res-{step['resource']}")
    assert "sg-step--skipped" not in (card.get_attribute("class") or "")

    for concept in step["teaches"]:
        count = checks_of(site, concept)
        answer_checks(page, concept, *([False] + [True] * (count - 1)))
        expect(page.locator(".sg-know__status")).to_have_text("")
        answer_one(page.locator(".sg-check").first, True)  # the latest try: all right
        expect(page.locator(".sg-know__status")).to_have_text(
            "Known: you got every self-check right on your latest try."
        )
        # "I know this" stays the learner's own mark, not pressed by the checks.
        expect(page.locator(".sg-know__button")).to_have_attribute("aria-pressed", "false")
        expect(page.locator(".sg-check__summary")).to_contain_text(
            f"{count} of {count} right on your latest try: you know this concept."
        )
    assert stored_progress(page)["known"] == {}

    goto(page, f"tracks/{track}/")
    card = page.locator(f"#res-{step['resource']}")
    assert "sg-step--skipped" in (card.get_attribute("class") or "")
    assert card.locator(".sg-step__status").inner_text().startswith("You tested out of ")
    outcome = page.locator(f".sg-outcomes a[data-sg-concept='{step['teaches'][0]}']").first
    if outcome.count():
        box = outcome.locator("xpath=preceding-sibling::label[1]//input")
        assert box.is_checked()
        assert box.is_disabled()  # known from the checks: not a mark to take away here
    goto(page, "concepts/")
    row = page.locator(f".sg-concept-row[data-sg-concept='{step['teaches'][0]}']")
    assert "sg-concept--known" in (
        row.locator("xpath=ancestor-or-self::tr").get_attribute("class") or ""
    )

    # A miss on the latest try puts the step back on the path.
    concept = step["teaches"][0]
    goto(page, f"concepts/{concept}/")
    answer_one(page.locator(".sg-check").last, False)
    expect(page.locator(".sg-know__status")).to_have_text("")
    goto(page, f"tracks/{track}/")
    assert "sg-step--skipped" not in (
        page.locator(f"#res-{step['resource']}").get_attribute("class") or ""
    )


# ---- review ----


def test_a_miss_comes_back_the_next_day_and_a_right_review_moves_it_up(
    page: Page, site: Site
) -> None:
    concept = with_checks(site)[1]
    count = checks_of(site, concept)
    title = next(c["title"] for c in site.catalogue["concepts"] if c["id"] == concept)
    on_day(page, 0)
    open_review(page)
    expect(page.locator(".sg-review__status")).to_have_text(
        "Nothing to review yet: answer the self-checks on a concept's page, and it comes back"
        " here when it is due."
    )
    answer_checks(page, concept, *([True] * (count - 1) + [False]))
    assert (record(page, concept)["box"], record(page, concept)["due"]) == (1, day(1))

    # The same day: nothing is due, and the home and track pages say nothing.
    goto(page, "")
    assert page.locator(".sg-review-due").is_hidden()
    open_review(page)
    assert reviewed(page) == []
    expect(page.locator(".sg-review__status")).to_contain_text(
        f"Nothing to review today. Next: {title}, on "
    )

    # The next day it is due, wherever the learner looks.
    on_day(page, 1)
    goto(page, "")
    due = page.locator(".sg-review-due")
    expect(due).to_be_visible()
    link = due.get_by_role("link", name="1 concept to review today", exact=True)
    expect(link).to_be_visible()
    goto(page, f"tracks/{site.track_ids()[0]}/")
    expect(page.locator(".sg-review-due")).to_be_visible()
    expect(page.locator(".sg-review-due a")).to_have_text("1 concept to review today")
    page.locator(".sg-review-due a").click()
    page.wait_for_url("**/review/")
    open_review(page)
    assert reviewed(page) == [concept]
    section = page.locator(".sg-review__concept")
    heading = section.get_by_role("heading", level=2)
    expect(heading).to_have_text(title)
    href = heading.get_by_role("link").get_attribute("href") or ""
    assert href.rstrip("/").endswith(f"concepts/{concept}")
    expect(page.locator(".sg-review__status")).to_have_text("1 concept to review today.")
    checks = section.locator(".sg-check")
    expect(checks).to_have_count(count)
    # The questions came from the concept page as it was built: the same text.
    question = checks.first.locator(".sg-check__question").inner_text()
    for index in range(count):
        answer_one(checks.nth(index), True)
    expect(page.locator(".sg-review__status")).to_have_text(
        "You have reviewed everything due today."
    )
    expect(section.locator(".sg-review__when")).to_contain_text("Next review: ")
    assert (record(page, concept)["box"], record(page, concept)["due"]) == (2, day(4))
    goto(page, f"concepts/{concept}/")
    assert page.locator(".sg-check__question").first.inner_text() == question
    goto(page, "")
    expect(page.locator(".sg-review-due")).to_be_hidden()

    # Three days on it is due again; a miss there brings it back the next day, in box 1.
    on_day(page, 4)
    open_review(page)
    assert reviewed(page) == [concept]
    answer_one(page.locator(".sg-review__concept .sg-check").first, False)
    assert (record(page, concept)["box"], record(page, concept)["due"]) == (1, day(5))


def test_forty_days_later_everything_answered_is_due_the_most_overdue_first(
    page: Page, site: Site
) -> None:
    right, slipped, untouched = with_checks(site)[2:5]
    on_day(page, 0)
    answer_checks(page, right, *[True] * checks_of(site, right))  # box 2: due on day 3
    answer_checks(page, slipped, *[False] * checks_of(site, slipped))  # box 1: due on day 1
    assert record(page, right)["due"] == day(3)
    assert record(page, slipped)["due"] == day(1)

    on_day(page, 40)
    goto(page, "")
    expect(page.locator(".sg-review-due a")).to_have_text("2 concepts to review today")
    open_review(page)
    assert reviewed(page) == [slipped, right]
    assert untouched not in reviewed(page)
    expect(page.locator(".sg-review__status")).to_have_text("2 concepts to review today.")
    section = page.locator(f".sg-review__concept[data-sg-concept='{right}']")
    expect(section.locator(".sg-review__when")).to_contain_text("Due for review today.")
    for check in section.locator(".sg-check").all():
        answer_one(check, True)
    # Up one box only, however late: box 3, back in 7 days.
    assert (record(page, right)["box"], record(page, right)["due"]) == (3, day(47))
    expect(page.locator(".sg-review__status")).to_have_text("1 concept to review today.")
    page.reload()
    open_review(page)
    assert reviewed(page) == [slipped]


def test_the_review_page_is_in_the_nav_and_lists_every_concept_with_checks(
    page: Page, site: Site
) -> None:
    goto(page, "")
    tabs = page.get_by_role("navigation", name="Tabs")
    expect(tabs.get_by_role("link", name="Review", exact=True)).to_have_count(1)
    goto(page, "review/")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Review\W*$"))
    lede = page.locator(".sg-lede").inner_text()
    assert "1, 3, 7, 16 and 35 days" in lede
    assert "comes back tomorrow" in lede
    listed = page.locator("a[data-sg-concept][data-sg-checks]").evaluate_all(
        "links => links.map(a => [a.dataset.sgConcept, +a.dataset.sgChecks])"
    )
    assert listed == [
        [c["id"], len(c["checks"])] for c in site.catalogue["concepts"] if c["checks"]
    ]


def test_review_code_loads_only_where_it_is_needed(page: Page, site: Site) -> None:
    loaded: list[str] = []
    page.on("request", lambda r: loaded.append(r.url.rsplit("/", 1)[-1]))
    for path in ("", f"tracks/{site.track_ids()[0]}/", "topics/"):
        goto(page, path)
    assert "review.js" not in loaded
    assert "leitner.js" not in loaded
    concept = with_checks(site)[0]
    goto(page, f"concepts/{concept}/")
    expect(page.locator(".sg-check__result").first).to_be_attached()
    assert "review.js" in loaded
    assert "leitner.js" in loaded


# ---- export, import, reset ----


def test_export_import_and_reset_carry_the_results(page: Page, site: Site) -> None:
    concept = with_checks(site)[0]
    count = checks_of(site, concept)
    on_day(page, 0)
    answer_checks(page, concept, *([True] * count))
    saved = record(page, concept)
    track = site.track_ids()[0]
    goto(page, f"tracks/{track}/")
    done_box(page, steps(page)[0]["id"]).check()
    page.locator(".sg-data > summary").click()
    with page.expect_download() as info:
        page.get_by_role("button", name="Export progress").click()
    exported = json.loads(info.value.path().read_text(encoding="utf-8"))
    assert exported["version"] == 3
    assert exported["checks"] == {concept: saved}
    expect(page.locator(".sg-message")).to_have_text(
        f"Exported 1 done mark and {count} self-check answers with their review dates."
    )

    page.evaluate("localStorage.clear()")
    page.reload()
    goto(page, f"tracks/{track}/")
    page.locator(".sg-data > summary").click()
    payload: FilePayload = {
        "name": "mine.json",
        "mimeType": "application/json",
        "buffer": info.value.path().read_bytes(),
    }
    page.get_by_label("Import progress…").set_input_files(files=[payload])
    expect(page.locator(".sg-message")).to_contain_text(
        f"Imported 1 done mark and {count} self-check answers with their review dates"
        " from “mine.json”"
    )
    assert record(page, concept) == saved

    assert reset_progress(page).startswith(
        f"Forget 1 done mark and {count} self-check answers with their review dates on this site?"
    )
    assert stored_progress(page)["checks"] == {}
    goto(page, f"concepts/{concept}/")
    page.locator(".sg-check summary").first.click()
    expect(page.get_by_role("button", name="I got it", exact=True).first).to_have_attribute(
        "aria-pressed", "false"
    )
    expect(page.locator(".sg-check__summary")).to_have_text("")


def test_only_self_check_answers_are_still_progress_to_reset(page: Page, site: Site) -> None:
    concept = with_checks(site)[0]
    on_day(page, 0)
    answer_checks(page, concept, *([False] * checks_of(site, concept)))
    goto(page, f"tracks/{site.track_ids()[0]}/")
    on_day(page, 1)
    page.reload()
    goto(page, f"tracks/{site.track_ids()[0]}/")
    expect(page.locator(".sg-review-due")).to_be_visible()
    page.locator(".sg-data > summary").click()
    assert reset_progress(page).startswith(f"Forget {checks_of(site, concept)} self-check answers")
    # The count of concepts due goes with them, at once.
    expect(page.locator(".sg-review-due")).to_be_hidden()


# ---- earlier formats ----


def test_version_2_progress_is_read_and_kept_when_checks_are_added(page: Page, site: Site) -> None:
    track = site.track_ids()[0]
    goto(page, f"tracks/{track}/")
    first = steps(page)[0]
    concept = with_checks(site)[0]
    v2 = {
        "version": 2,
        "done": {first["id"]: "2024-02-03"},
        "skipped": {steps(page)[1]["id"]: "2024-02-04"},
        "known": {"some-concept": "2024-02-05"},
        "swaps": {},
        "added": {},
    }
    set_storage(page, PROGRESS_KEY, json.dumps(v2))
    on_day(page, 0)
    answer_checks(page, concept, *([True] * checks_of(site, concept)))
    assert page.locator(".sg-notice").count() == 0
    stored = stored_progress(page)
    assert stored["version"] == 3
    for kind in ("done", "skipped", "known"):
        assert stored[kind] == v2[kind]
    assert record(page, concept)["box"] == 2
    goto(page, f"tracks/{track}/")
    assert done_box(page, first["id"]).is_checked()


def test_version_1_marks_carry_over_into_version_3(page: Page, site: Site) -> None:
    track = site.track_ids()[0]
    goto(page, f"tracks/{track}/")
    first = steps(page)[0]
    concept = with_checks(site)[0]
    set_storage(
        page, V1_PROGRESS_KEY, json.dumps({"version": 1, "done": {first["id"]: "2024-03-01"}})
    )
    answer_checks(page, concept, *([False] * checks_of(site, concept)))
    stored = stored_progress(page)
    assert stored["version"] == 3
    assert stored["done"] == {first["id"]: "2024-03-01"}
    assert set(stored["checks"]) == {concept}


def test_an_older_page_keeps_version_3_progress_it_cannot_read(page: Page) -> None:
    """What a version 2 page did with a newer format, this one does with version 4: keep it."""
    raw = '{"version": 4, "done": {}, "checks": {"x": {}}}'
    goto(page, "")
    set_storage(page, PROGRESS_KEY, raw)
    goto(page, "concepts/derivative/")
    page.locator(".sg-check summary").first.click()
    page.get_by_role("button", name="I got it", exact=True).first.click()
    expect(page.locator(".sg-check__status").first).to_contain_text("format this page cannot read")
    assert page.evaluate(f"localStorage.getItem('{PROGRESS_KEY}')") == raw


# ---- layout and accessibility ----


@pytest.mark.parametrize("width", [390, 1280])
def test_checks_and_review_fit_the_width(
    browser: Browser, site: Site, watch: Watch, width: int, artifacts: Path
) -> None:
    context = open_context(browser, site, watch, viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        concept = with_checks(site)[0]
        on_day(page, 0)
        answer_checks(page, concept, *([False] * checks_of(site, concept)))
        on_day(page, 1)
        for path in (f"concepts/{concept}/", "review/", ""):
            goto(page, path)
            if path == "review/":
                open_review(page)
                for summary in page.locator(".sg-review__concept summary").all():
                    summary.click()
            else:
                for summary in page.locator(".sg-check summary").all():
                    summary.click()
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, (path, overflow)
            name = {"": "home", "review/": "page"}.get(path, "concept")
            page.screenshot(path=str(artifacts / f"review-{name}-{width}.png"), full_page=True)
            for button in page.locator(".sg-check__mark").all():
                box = button.bounding_box()
                assert box is not None
                assert box["x"] >= 0
                assert box["x"] + box["width"] <= width, path
    finally:
        context.close()


@pytest.mark.parametrize("path", ["concept", "review", "home"])
def test_axe_finds_no_violations_in_checks_and_review(page: Page, site: Site, path: str) -> None:
    concept = with_checks(site)[0]
    on_day(page, 0)
    answer_checks(page, concept, True, *([False] * (checks_of(site, concept) - 1)))
    on_day(page, 1)
    goto(page, {"concept": f"concepts/{concept}/", "review": "review/", "home": ""}[path])
    if path == "review":
        open_review(page)
        page.locator(".sg-review__concept summary").first.click()
    if path == "home":
        expect(page.locator(".sg-review-due")).to_be_visible()
    source = (files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")
    page.add_script_tag(content=source)
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    assert result["violations"] == [], [v["id"] for v in result["violations"]]
