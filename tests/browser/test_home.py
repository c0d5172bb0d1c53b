"""The home page helps someone choose: audience, prerequisites and honest hours per track, a
suggestion for the unsure, and, once there is progress, a way back to the next step."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Browser, Page, expect

from .conftest import (
    PROGRESS_KEY,
    Site,
    Watch,
    done_box,
    goto,
    open_context,
    set_storage,
    steps,
    stored_progress,
)

pytestmark = pytest.mark.browser


def test_each_card_states_who_it_is_for_what_it_needs_and_its_core_hours(
    page: Page, site: Site
) -> None:
    goto(page, "")
    for track in site.catalogue["tracks"]:
        card = page.locator(f'.sg-card[data-sg-track="{track["id"]}"]')
        text = card.inner_text()
        assert "For:" in text
        assert "Before you start:" in text
        assert f"Core path: about {track['core_hours']:g} hours" in text
        assert f"at {track['weekly_hours']:g} hours a week" in text
        card.locator("summary").click()
        listed = card.locator("li a").evaluate_all("links => links.map(a => a.dataset.sgId)")
        assert listed == [s["resource"] for t in track["path"] for s in t["steps"]]
    assert page.locator(".sg-suggest").inner_text().startswith("Not sure? Start with")


def test_continue_where_you_left_off_appears_once_there_is_progress(page: Page) -> None:
    goto(page, "")
    assert page.locator(".sg-continue").is_hidden()
    goto(page, "tracks/research/")
    path = steps(page)
    done_box(page, path[0]["id"]).check()
    goto(page, "")
    box = page.locator(".sg-continue")
    expect(box).to_be_visible()
    link = box.get_by_role("link")
    expect(link).to_have_text(f"Go deep and do research, step 2: {path[1]['title']}")
    link.click()
    page.wait_for_url(f"**/tracks/research/#res-{path[1]['id']}")


def test_continue_follows_the_track_used_last(page: Page) -> None:
    goto(page, "tracks/research/")
    done_box(page, steps(page)[0]["id"]).check()
    goto(page, "tracks/casual/")
    casual = steps(page)
    page.get_by_role("button", name=f"Skip step 1: I know {casual[0]['title']}").click()
    goto(page, "")
    expect(page.locator(".sg-continue")).to_contain_text(
        f"Do deep learning casually, step 2: {casual[1]['title']}"
    )


def next_up(page: Page) -> str:
    """The id the track page's "Next up" links to."""
    href = page.locator(".sg-next-up a").get_attribute("href") or ""
    return href.split("#res-")[-1]


def test_continue_names_the_tracks_next_up_after_a_swap_and_after_placement(
    page: Page, site: Site
) -> None:
    goto(page, "tracks/casual/")
    path = steps(page)
    index = next(i for i, s in enumerate(path) if s["instead"])
    for step in path[:index]:
        done_box(page, step["id"]).check()
    swapped, alternative = path[index], path[index]["instead"][0]
    page.locator(f"#res-{swapped['id']} select.sg-swap").select_option(alternative)
    title = next(r["title"] for r in site.catalogue["resources"] if r["id"] == alternative)
    assert next_up(page) == swapped["id"]
    goto(page, "")
    link = page.locator(".sg-continue").get_by_role("link")
    expect(link).to_have_text(f"Do deep learning casually, step {index + 1}: {title}")
    assert (link.get_attribute("href") or "").endswith(f"/tracks/casual/#res-{swapped['id']}")

    # Placement: the learner knows everything the step teaches, so the track moves past it.
    track = next(t for t in site.catalogue["tracks"] if t["id"] == "casual")
    teaches = [s for sec in track["path"] for s in sec["steps"]][index]["teaches"]
    state = stored_progress(page)
    state["known"] = {c: "2026-01-05" for c in teaches}
    set_storage(page, PROGRESS_KEY, json.dumps(state))
    goto(page, "tracks/casual/")
    after = next_up(page)
    assert after != swapped["id"]
    goto(page, "")
    expect(page.locator(".sg-continue").get_by_role("link")).to_have_attribute(
        "href", f"{site.origin}/tracks/casual/#res-{after}"
    )


def test_a_phones_first_screen_shows_the_hours_and_the_suggestion_and_each_card_a_way_in(
    browser: Browser, site: Site, watch: Watch
) -> None:
    context = open_context(browser, site, watch, viewport={"width": 390, "height": 844})
    page = context.new_page()
    goto(page, "")
    first = site.catalogue["tracks"][0]["id"]
    for selector in (".sg-suggest", f'.sg-card[data-sg-track="{first}"] .sg-card__hours'):
        box = page.locator(selector).bounding_box()
        assert box is not None
        assert box["y"] + box["height"] <= 844, selector
    for track in site.catalogue["tracks"]:
        start = page.get_by_role("link", name=f"Start: {track['title']}", exact=True)
        assert start.is_visible()
        assert (start.get_attribute("href") or "").endswith(f"tracks/{track['id']}/")
    context.close()
