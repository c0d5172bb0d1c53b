"""Instant navigation: the page is not reloaded, and each new page view is set up once; other
tabs of the site follow along; track pages run without a script error."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Page

from .conftest import Site, Watch, cards, done_box, goto, progress_text, steps

pytestmark = pytest.mark.browser


def test_another_tab_of_the_site_follows_along(context: BrowserContext) -> None:
    first_tab, second_tab = context.new_page(), context.new_page()
    goto(first_tab, "tracks/casual/")
    goto(second_tab, "tracks/casual/")
    first = cards(first_tab)[0]
    done_box(first_tab, first["id"]).check()
    second_tab.wait_for_function(
        f"document.querySelector('#res-{first['id']} .sg-done__box').checked"
    )
    assert progress_text(second_tab).startswith("1 of ")


def test_instant_navigation_keeps_the_page_and_sets_up_the_next_one(page: Page) -> None:
    goto(page, "topics/linear-algebra/")
    first = cards(page)[0]
    page.evaluate("window.__stillHere = true")

    page.locator(f"#res-{first['id']} a.sg-resource__more").click()
    page.wait_for_url(f"**/resources/{first['id']}/")
    page.wait_for_selector(".sg-resource--page[data-sg-ready]")
    assert page.evaluate("window.__stillHere") is True  # no full reload
    box = page.locator(".sg-done--page .sg-done__box")
    assert not box.is_checked()
    box.check()

    page.go_back()
    page.wait_for_url("**/topics/linear-algebra/")
    page.wait_for_selector(f"#res-{first['id']}[data-sg-ready]")
    assert page.evaluate("window.__stillHere") is True
    assert done_box(page, first["id"]).is_checked()
    # Set up once per view: one control per card, one panel.
    assert page.locator(".sg-done").count() == len(cards(page))
    assert page.locator(".sg-panel").count() == 1


def test_instant_navigation_into_a_track_page_sets_up_its_panel(page: Page) -> None:
    goto(page, "tracks/casual/")
    goto(page, f"resources/{steps(page)[0]['id']}/")
    page.evaluate("window.__stillHere = true")
    page.locator("td a[href*='/tracks/']").first.click()
    page.wait_for_url("**/tracks/**")
    page.wait_for_selector(".sg-track[data-sg-ready] .sg-panel")
    assert page.evaluate("window.__stillHere") is True
    assert page.locator(".sg-panel").count() == 1
    first = steps(page)[0]
    done_box(page, first["id"]).check()
    assert progress_text(page).startswith("1 of ")
    # ... and out again, through the route diagram and a topic link.
    page.locator("a.sg-route__box").first.click()
    page.locator(".sg-topic-meta[data-sg-topic] a").first.click()
    page.wait_for_url("**/topics/**")
    page.wait_for_selector(".sg-resource[data-sg-ready]")
    assert page.evaluate("window.__stillHere") is True


def test_track_pages_raise_no_script_error(page: Page, site: Site, watch: Watch) -> None:
    for track in site.track_ids():
        goto(page, f"tracks/{track}/")
    page.wait_for_timeout(200)  # Material reports the error asynchronously
    errors, watch.errors[:] = list(watch.errors), []
    assert errors == []
