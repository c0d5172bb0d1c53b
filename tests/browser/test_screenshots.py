"""A full-page screenshot of each kind of page at 1280 and 375 px, light and dark, written to
$STUDYGUIDE_ARTIFACTS/screenshots/ for people to look at, with the layout checks a machine can
make: nothing wider than the screen, no control on top of another, no "Done" on a title."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from .conftest import Site, Watch, goto, key_pages, open_context, show_the_widgets

pytestmark = pytest.mark.browser

OVERLAPS = """() => {
  const boxes = (selector) => [...document.querySelectorAll(selector)]
    .filter(el => el.offsetParent !== null)
    .map(el => [el, el.getBoundingClientRect()]);
  const cross = (a, b) => a.left < b.right - 1 && b.left < a.right - 1
    && a.top < b.bottom - 1 && b.top < a.bottom - 1;
  const name = (el) => el.outerHTML.slice(0, 80);
  const found = [];
  const controls = boxes('.sg-panel :is(select, input:not(.sg-file), button, label.sg-button,'
    + ' summary, progress)');
  for (let i = 0; i < controls.length; i++)
    for (let j = i + 1; j < controls.length; j++)
      if (cross(controls[i][1], controls[j][1]))
        found.push(name(controls[i][0]) + ' / ' + name(controls[j][0]));
  for (const card of document.querySelectorAll('article.sg-resource:not([hidden])')) {
    const done = card.querySelector('.sg-done__label').getBoundingClientRect();
    for (const el of card.querySelectorAll('.sg-resource__title, .sg-badge'))
      if (cross(done, el.getBoundingClientRect())) found.push(card.id + ': Done on ' + name(el));
  }
  return found;
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 375])
def test_screenshots_of_the_key_pages(
    browser: Browser, site: Site, watch: Watch, artifacts: Path, width: int, scheme: str
) -> None:
    context = open_context(
        browser, site, watch, viewport={"width": width, "height": 900}, color_scheme=scheme
    )
    problems: dict[str, Any] = {}
    try:
        page: Page = context.new_page()
        for kind, path in key_pages(site).items():
            goto(page, path)
            show_the_widgets(page)
            page.evaluate("window.scrollTo(0, 0)")
            shot = artifacts / f"{kind}-{width}-{scheme}.png"
            page.screenshot(path=shot, full_page=True, animations="disabled")
            assert shot.stat().st_size > 10_000
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            overlaps = page.evaluate(OVERLAPS)
            if overflow > 0 or overlaps:
                problems[kind] = {"overflow px": overflow, "overlaps": overlaps}
    finally:
        context.close()
    assert problems == {}


PHONE = {"width": 390, "height": 844}


def test_each_track_top_on_a_phone_reaches_the_first_step_within_two_screens(
    browser: Browser, site: Site, watch: Watch, artifacts: Path
) -> None:
    context = open_context(browser, site, watch, viewport=PHONE)
    far: dict[str, float] = {}
    try:
        page = context.new_page()
        for track in site.track_ids():
            goto(page, f"tracks/{track}/")
            page.screenshot(path=artifacts / f"track-top-{track}-390.png", animations="disabled")
            title = page.locator("h1").bounding_box()
            first = page.locator("article.sg-step").first.bounding_box()
            assert title is not None
            assert first is not None
            if first["y"] - title["y"] > 2 * PHONE["height"]:
                far[track] = first["y"] - title["y"]
    finally:
        context.close()
    assert far == {}, "first core step further than two screens below the title (px)"


LABELS = """() => [...document.querySelectorAll('a.sg-route__box')].map(box => {
  const r = box.getBoundingClientRect();
  return {text: box.textContent, left: r.left, right: r.right,
          font: parseFloat(getComputedStyle(box).fontSize),
          clipped: box.scrollWidth > box.clientWidth + 1
            || box.scrollHeight > box.clientHeight + 1};
})"""


def test_the_route_stays_legible_on_a_phone(browser: Browser, site: Site, watch: Watch) -> None:
    context = open_context(browser, site, watch, viewport=PHONE)
    try:
        page = context.new_page()
        for track in site.track_ids():
            goto(page, f"tracks/{track}/")
            route = page.locator("details.sg-route")
            assert not route.evaluate("el => el.open")  # folded on a phone, one tap away
            route.locator("summary").click()
            labels = page.evaluate(LABELS)
            assert len(labels) == len(
                next(t for t in site.catalogue["tracks"] if t["id"] == track)["topics"]
            )
            for label in labels:
                assert label["left"] >= 0, (track, label)
                assert label["right"] <= PHONE["width"], (track, label)
                assert label["font"] >= 12, (track, label)
                assert not label["clipped"], (track, label)
    finally:
        context.close()
