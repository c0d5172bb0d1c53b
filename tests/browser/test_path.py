"""The learner's own path on a track page: done, skip, swap and add; "next up"; hiding and
folding what is finished; version 1 marks carried over; storage scoped to the site."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from .conftest import (
    PROGRESS_KEY,
    V1_PROGRESS_KEY,
    Site,
    SiteServer,
    Watch,
    done_box,
    goto,
    open_context,
    open_plan,
    plan_rows,
    progress_text,
    set_storage,
    steps,
    stored_progress,
)

pytestmark = pytest.mark.browser


def skip_button(page: Page, step_id: str) -> object:
    return page.locator(f"#res-{step_id} .sg-skip")


def next_up(page: Page) -> list[str]:
    found: list[str] = page.locator("article.sg-step.sg-step--next").evaluate_all(
        "cards => cards.map(c => c.dataset.sgId)"
    )
    return found


def test_version_1_done_marks_still_show_on_the_research_track(page: Page) -> None:
    goto(page, "tracks/research/")
    path = steps(page)
    v1 = {"version": 1, "done": {path[0]["id"]: "2024-03-01", path[2]["id"]: "2024-03-02"}}
    set_storage(page, V1_PROGRESS_KEY, json.dumps(v1))
    page.reload()
    goto(page, "tracks/research/")
    assert [s["id"] for s in steps(page) if s["done"]] == [path[0]["id"], path[2]["id"]]
    assert progress_text(page).startswith(f"2 of {len(path)} steps done")
    stored = stored_progress(page)
    assert stored["version"] == 3
    assert stored["done"] == v1["done"]
    open_plan(page, "10", "2025-01-06")
    assert plan_rows(page) == [s["id"] for i, s in enumerate(path) if i not in (0, 2)]


@pytest.mark.engines
def test_skipping_a_step_takes_it_out_of_the_plan_and_survives_a_reload(page: Page) -> None:
    goto(page, "tracks/research/")
    path = steps(page)
    target = path[1]
    button = page.get_by_role("button", name=f"Skip step 2: I know {target['title']}")
    assert button.count() == 1
    button.click()
    assert "sg-step--skipped" in (page.locator(f"#res-{target['id']}").get_attribute("class") or "")
    status = page.locator(f"#res-{target['id']} .sg-step__status").inner_text()
    assert "Skipped" in status
    open_plan(page, "10", "2025-01-06")
    assert plan_rows(page) == [s["id"] for s in path if s["id"] != target["id"]]
    assert progress_text(page).startswith(f"0 of {len(path)} steps done, 1 skipped")

    page.reload()
    goto(page, "tracks/research/")
    assert stored_progress(page)["skipped"] == {
        target["id"]: stored_progress(page)["skipped"][target["id"]]
    }
    open_plan(page, "10", "2025-01-06")
    assert target["id"] not in plan_rows(page)
    put_back = page.get_by_role("button", name=f"Put back step 2: {target['title']}")
    put_back.click()
    assert target["id"] in plan_rows(page)
    assert stored_progress(page)["skipped"] == {}


def test_next_up_points_at_the_first_step_not_done_or_skipped(page: Page) -> None:
    goto(page, "tracks/casual/")
    path = steps(page)
    assert next_up(page) == [path[0]["id"]]
    done_box(page, path[0]["id"]).check()
    page.get_by_role("button", name=f"Skip step 2: I know {path[1]['title']}").click()
    assert next_up(page) == [path[2]["id"]]
    link = page.locator(".sg-next-up a")
    assert link.inner_text() == f"Step 3: {path[2]['title']}"
    assert link.get_attribute("href") == f"#res-{path[2]['id']}"
    assert page.locator(f"#res-{path[2]['id']} .sg-next").is_visible()


@pytest.mark.engines
def test_swapping_a_step_for_an_alternative_changes_the_plan(page: Page) -> None:
    goto(page, "tracks/research/")
    path = steps(page)
    step = next(s for s in path if s["instead"])
    alternative = step["instead"][0]
    select = page.locator(f"#res-{step['id']} select.sg-swap")
    select.select_option(alternative)
    card = page.locator(f"#res-{step['id']}")
    status = card.locator(".sg-step__status").inner_text()
    assert status.startswith(f"Your choice: this replaces “{step['title']}” (≈ ")
    # The card shows the resource taken, not the one swapped out.
    chosen = card.locator(f"a[data-sg-swap='{alternative}']")
    title = card.locator(".sg-resource__title")
    assert title.inner_text() == chosen.inner_text()
    assert title.get_attribute("href") == chosen.get_attribute("data-sg-url")
    hours = chosen.get_attribute("data-sg-hours")
    assert card.locator(".sg-badge--hours").inner_text() == f"≈ {hours} h"
    for part in card.locator(".sg-step__sections, .sg-resource__by").all():
        assert part.is_hidden()
    meta = page.locator(f".sg-topic-meta[data-sg-topic='{step['topic']}'] .sg-topic-hours")
    assert meta.inner_text().endswith("hours with your choices")
    open_plan(page, "10", "2025-01-06")
    rows = plan_rows(page)
    assert alternative in rows
    assert step["id"] not in rows
    assert rows.index(alternative) == [s["id"] for s in path].index(step["id"])
    # Done now marks the alternative the learner took.
    done_box(page, step["id"]).check()
    assert alternative in stored_progress(page)["done"]
    assert stored_progress(page)["swaps"] == {"research": {step["id"]: alternative}}
    page.reload()
    goto(page, "tracks/research/")
    assert page.locator(f"#res-{step['id']} select.sg-swap").input_value() == alternative
    # Swapped back, the card is the original again.
    page.locator(f"#res-{step['id']} select.sg-swap").select_option("")
    assert page.locator(f"#res-{step['id']} .sg-resource__title").inner_text() == step["title"]


def test_adding_a_going_further_resource_puts_it_on_the_path(page: Page) -> None:
    goto(page, "tracks/research/")
    further = page.locator("details.sg-further").first
    further.locator("summary").click()
    card = further.locator("article.sg-resource").first
    rid = card.get_attribute("data-sg-id")
    card.get_by_role("button", name="Add to my path").click()
    assert (
        card.get_by_role("button", name="Remove from my path").get_attribute("aria-pressed")
        == "true"
    )
    open_plan(page, "10", "2025-01-06")
    rows = plan_rows(page)
    assert rid in rows
    topic = card.evaluate("c => c.closest('.sg-resources').dataset.sgTopic")
    topic_steps = [s["id"] for s in steps(page) if s["topic"] == topic]
    # After its topic's core steps, before the next topic's.
    assert rows.index(rid) == rows.index(topic_steps[-1]) + 1
    assert page.locator(".sg-plan__list li", has_text="Added:").count() == 1


def test_done_steps_fold_to_one_line_and_can_be_hidden(page: Page) -> None:
    goto(page, "tracks/casual/")
    first = steps(page)[0]
    card = page.locator(f"#res-{first['id']}")
    tall = card.bounding_box()
    done_box(page, first["id"]).check()
    short = card.bounding_box()
    assert tall is not None
    assert short is not None
    assert short["height"] < tall["height"] * 0.6
    assert not card.locator(".sg-resource__why, .sg-step__note").first.is_visible()
    assert card.locator(".sg-resource__title").is_visible()
    page.get_by_label("Hide done and skipped steps").check()
    assert not card.is_visible()
    page.reload()
    goto(page, "tracks/casual/")
    assert page.get_by_label("Hide done and skipped steps").is_checked()
    assert not page.locator(f"#res-{first['id']}").is_visible()
    page.get_by_label("Hide done and skipped steps").uncheck()
    assert page.locator(f"#res-{first['id']}").is_visible()


def test_a_link_into_going_further_opens_it(page: Page) -> None:
    goto(page, "tracks/research/")
    rid = page.locator("details.sg-further article").first.get_attribute("data-sg-id")
    goto(page, f"tracks/research/#res-{rid}")
    assert page.locator(f"#res-{rid}").is_visible()


def test_two_guides_on_one_origin_keep_their_marks_apart(
    browser: Browser, site: Site, server: SiteServer, watch: Watch, tmp_path: Path
) -> None:
    both = tmp_path / "origin"
    for name in ("one", "two"):
        shutil.copytree(site.folder, both / name)
    server.root = both
    context = open_context(browser, site, watch)
    try:
        page = context.new_page()
        goto(page, "one/tracks/casual/")
        first = steps(page)[0]
        done_box(page, first["id"]).check()
        keys = page.evaluate("Object.keys(localStorage)")
        assert "studyguide:v2:progress:/one/" in keys
        goto(page, "two/tracks/casual/")
        assert not done_box(page, first["id"]).is_checked()
        goto(page, "one/tracks/casual/")
        assert done_box(page, first["id"]).is_checked()
    finally:
        context.close()
        server.root = site.folder


def test_corrupt_storage_starts_afresh(page: Page) -> None:
    goto(page, "tracks/casual/")
    set_storage(page, PROGRESS_KEY, "{not json")
    set_storage(page, V1_PROGRESS_KEY, '{"version": 1, "done": ["a"]}')
    page.reload()
    goto(page, "tracks/casual/")
    path = steps(page)
    assert progress_text(page).startswith(f"0 of {len(path)} steps done")
    done_box(page, path[0]["id"]).check()
    assert list(stored_progress(page)["done"]) == [path[0]["id"]]
