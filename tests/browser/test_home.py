"""The home page helps someone choose: audience, prerequisites and honest hours per track, a
suggestion for the unsure, and, once there is progress, a way back to the next step."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from .conftest import Site, done_box, goto, steps

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
    assert box.is_visible()
    link = box.get_by_role("link")
    assert link.inner_text() == f"Go deep and do research, step 2: {path[1]['title']}"
    link.click()
    page.wait_for_url(f"**/tracks/research/#res-{path[1]['id']}")


def test_continue_follows_the_track_used_last(page: Page) -> None:
    goto(page, "tracks/research/")
    done_box(page, steps(page)[0]["id"]).check()
    goto(page, "tracks/casual/")
    casual = steps(page)
    page.get_by_role("button", name=f"Skip step 1: I know {casual[0]['title']}").click()
    goto(page, "")
    text = page.locator(".sg-continue").inner_text()
    assert f"Do deep learning casually, step 2: {casual[1]['title']}" in text
