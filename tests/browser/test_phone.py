"""Every generated page fits a phone: at 390 px, in the widest state a learner can reach (every
`<details>` open, every self-check answer shown, every step swapped to its longest
alternative), no page is wider than the viewport. Every page of the built site is walked, not a
sample; the pages are split by kind so that the walk runs in parallel."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from .conftest import Site, Watch, goto, open_context

pytestmark = pytest.mark.browser

WIDTH = 390
KINDS = ["concepts", "resources", "tracks", "topics", "other"]

# Open everything, swap every step to its longest alternative, and report what sticks out.
WIDEST_STATE = """() => {
  for (const d of document.querySelectorAll('details')) d.open = true;
  for (const select of document.querySelectorAll('select.sg-swap')) {
    const options = [...select.options];
    const longest = options.reduce((a, b) => (b.text.length > a.text.length ? b : a));
    select.value = longest.value;
    select.dispatchEvent(new Event('change', { bubbles: true }));
  }
  for (const d of document.querySelectorAll('details')) d.open = true;
}"""

OVERFLOW = """(width) => {
  const root = document.documentElement;
  if (root.scrollWidth <= root.clientWidth) return null;
  // The deepest elements whose right edge passes the viewport: the cause, not its ancestors.
  const past = (el) => el.getBoundingClientRect().right > width + 0.5;
  const out = [...document.querySelectorAll('body *')].filter(
    (el) => el.getBoundingClientRect().width > 0 && past(el) && ![...el.children].some(past),
  );
  const name = (el) => [el.tagName.toLowerCase(), ...el.classList].join('.') + ' '
    + Math.round(el.getBoundingClientRect().right);
  return {
    scrollWidth: root.scrollWidth,
    culprits: out.slice(0, 5).map(name),
  };
}"""


def pages_of(site: Site, kind: str) -> list[str]:
    """The site's pages of one kind, as paths under its root."""
    found = []
    for index in sorted(site.folder.rglob("index.html")):
        path = index.parent.relative_to(site.folder).as_posix()
        path = "" if path == "." else f"{path}/"
        first = path.split("/", 1)[0]
        if (first if first in KINDS else "other") == kind:
            found.append(path)
    return found


# A click on a link of the site, as a learner follows one: Material's instant navigation swaps
# the page in without loading its scripts again (a few times faster than a fresh load).
FOLLOW = """(href) => {
  const a = document.createElement('a');
  a.href = href;
  document.body.append(a);
  a.click();
}"""


def visit(page: Page, site: Site, path: str) -> None:
    """Go to `path` the way a learner does, and wait until studyguide has set the page up."""
    if page.url == site.url(path):
        return
    ready = page.evaluate("document.documentElement.dataset.sgReady")
    page.evaluate(FOLLOW, site.url(path))
    page.wait_for_function(
        """([ready, path]) => location.pathname === path
             && document.documentElement.dataset.sgReady !== ready""",
        arg=[ready, f"/{path}"],
    )


@pytest.fixture
def phone(browser: Browser, site: Site, watch: Watch) -> Iterator[Page]:
    context = open_context(browser, site, watch, viewport={"width": WIDTH, "height": 800})
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("kind", KINDS)
def test_no_page_is_wider_than_a_phone_with_everything_open(
    phone: Page, site: Site, kind: str, artifacts: Path
) -> None:
    paths = pages_of(site, kind)
    assert paths, kind
    if kind == "concepts":
        assert len(paths) == len(site.catalogue["concepts"]) + 1  # and the concepts map
    too_wide = {}
    goto(phone, paths[0])
    headings = []
    for path in paths:
        visit(phone, site, path)
        headings.append(phone.locator(".md-content h1").first.inner_text())
        phone.evaluate(WIDEST_STATE)
        found = phone.evaluate(OVERFLOW, WIDTH)
        if found:
            too_wide[path] = found
            name = path.strip("/").replace("/", "-") or "home"
            phone.screenshot(path=str(artifacts / f"too-wide-{name}.png"), full_page=True)
    assert too_wide == {}
    assert len(set(headings)) == len(paths), "a page was not swapped in"


def test_each_route_diagram_fits_a_phone_without_scrolling(
    phone: Page, site: Site, artifacts: Path
) -> None:
    """The route scrolls sideways inside its box when it must; at 390 px no shipped track's
    route needs to."""
    for track in site.track_ids():
        goto(phone, f"tracks/{track}/")
        phone.locator("details.sg-route").evaluate("d => { d.open = true; }")
        scroller = phone.locator(".sg-route__scroll")
        overflow = scroller.evaluate("el => el.scrollWidth - el.clientWidth")
        assert overflow <= 0, (track, overflow)
        for box in phone.locator("a.sg-route__box").all():
            assert box.is_visible()
            # The label fits its box: no line is cut at the side.
            assert box.evaluate("a => a.scrollWidth <= a.clientWidth"), box.inner_text()
        scroller.screenshot(path=str(artifacts / f"route-{track}-390.png"))


def test_what_scrolls_sideways_shows_a_shadow_at_the_edge_with_more(
    phone: Page, site: Site
) -> None:
    """A formula wider than a phone scrolls inside its box; the box shows that it does."""
    with_formula = [c["id"] for c in site.catalogue["concepts"] if c.get("formula")]
    assert with_formula
    widest = None
    for concept in with_formula:
        goto(phone, f"concepts/{concept}/")
        overflow = phone.locator(".sg-formula").evaluate("el => el.scrollWidth - el.clientWidth")
        if overflow > 0:
            widest = concept
            break
    assert widest, "no formula is wider than a phone: nothing to check"
    style = phone.locator(".sg-formula").evaluate(
        "el => [getComputedStyle(el).backgroundImage, getComputedStyle(el).backgroundAttachment]"
    )
    assert style[0].count("radial-gradient") == 2, style
    assert style[1].split(", ")[:2] == ["local", "local"], style
