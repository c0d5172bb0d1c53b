"""Progress that travels with no server, on the built site: "Copy a link to your progress" in one
browser, opened in another (a fresh context: fresh storage), merged only once the learner
confirms; declined; bad or tampered links; the QR code, whose library loads only when asked."""

from __future__ import annotations

import base64
import json
import re
import zlib
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from studyguide.shipped import ASSETS_DIR

from .conftest import Site, Watch, done_box, goto, open_context, steps

pytestmark = pytest.mark.browser

PREFIX = "#sg-progress="
DATA = "Save, move or reset your progress"


def stored(page: Page) -> str | None:
    """The stored progress, raw, under the key the page's own storage module uses."""
    raw: str | None = page.evaluate(
        "import('/assets/studyguide/storage.js').then(s => localStorage.getItem(s.KEY))"
    )
    return raw


def store(page: Page, state: dict[str, Any]) -> None:
    """Store `state` (version 2, which every later version reads) as the page would."""
    page.evaluate(
        """async (state) => {
             const [s, core] = await Promise.all([import('/assets/studyguide/storage.js'),
                                                  import('/assets/studyguide/core.js')]);
             s.save(core.parseState(state)); }""",
        state,
    )


def link_to(site: Site, state: Any, path: str = "") -> str:
    """A progress link made independently of the page: raw deflate, then base64url."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = packer.compress(json.dumps(state).encode()) + packer.flush()
    return site.url(path) + PREFIX + base64.urlsafe_b64encode(packed).decode().rstrip("=")


def open_data(page: Page) -> None:
    page.get_by_text(DATA).click()


def offer_text(page: Page) -> str:
    text = page.locator(".sg-offer .sg-offer__text")
    text.wait_for()
    page.wait_for_function(
        "() => document.querySelector('.sg-offer__text').textContent.trim() !== ''"
    )
    found: str = text.inner_text()
    return found


def message(page: Page) -> str:
    page.wait_for_function("() => document.querySelector('.sg-message').textContent !== ''")
    text: str = page.locator(".sg-message").inner_text()
    return text


def test_a_copied_link_merges_into_a_fresh_browser_once_confirmed(
    browser: Browser, site: Site, watch: Watch
) -> None:
    clipboard = ["clipboard-read", "clipboard-write"]
    mine = open_context(browser, site, watch, permissions=clipboard)
    page = mine.new_page()
    goto(page, "tracks/research/")
    path = steps(page)
    swapped = next(s for s in path[3:] if s["instead"])
    done_box(page, path[0]["id"]).check()
    done_box(page, path[1]["id"]).check()
    page.locator(f"#res-{path[2]['id']} .sg-skip").click()
    page.locator(f"#res-{swapped['id']} select.sg-swap").select_option(swapped["instead"][0])
    mine_stored = json.loads(stored(page) or "{}")
    open_data(page)
    page.get_by_role("button", name="Copy a link to your progress").click()
    assert message(page) == (
        "Copied a link to your progress (4 marks). Open it in another browser to merge it there."
    )
    link: str = page.evaluate("navigator.clipboard.readText()")
    assert link == page.get_by_label("Link to your progress").input_value()
    assert link.startswith(site.url("") + PREFIX)
    assert re.fullmatch(r"[A-Za-z0-9_-]+", link.split(PREFIX)[1])
    mine.close()

    # A fresh browser that already has one of those steps done, on a later day.
    theirs = open_context(browser, site, watch)
    page = theirs.new_page()
    goto(page, "tracks/casual/")
    store(page, {"version": 2, "done": {path[0]["id"]: "9999-12-30"}})
    before = stored(page)
    goto(page, link)
    assert offer_text(page) == (
        "This link holds 4 marks of progress from another browser. Merging it into your "
        "progress here would add 3 marks (1 done mark, 1 skipped step, 1 swapped step) and "
        "replace 1 done mark. Replacing keeps the earlier date of a mark and takes the swap "
        "chosen in the link. Nothing is removed."
    )
    assert stored(page) == before  # nothing merged before the learner confirms
    assert page.url.endswith(PREFIX + link.split(PREFIX)[1])
    page.get_by_role("button", name="Merge into my progress").click()
    assert offer_text(page).startswith(
        "Merged the progress link into your progress here: added 3 marks (1 done mark, 1 skipped"
        " step, 1 swapped step) and replaced 1 done mark."
    )
    assert page.url == site.url("")  # the fragment is gone from the address bar
    merged = json.loads(stored(page) or "{}")
    for kind in ("done", "skipped", "swaps"):
        assert merged[kind] == mine_stored[kind]
    page.reload()
    page.wait_for_selector("html[data-sg-ready]", state="attached")
    assert page.locator(".sg-offer").count() == 0  # not offered again

    goto(page, "tracks/research/")
    assert done_box(page, path[0]["id"]).is_checked()
    assert done_box(page, path[1]["id"]).is_checked()
    classes = page.locator(f"#res-{path[2]['id']}").get_attribute("class") or ""
    assert "sg-step--skipped" in classes
    select = page.locator(f"#res-{swapped['id']} select.sg-swap")
    assert select.input_value() == swapped["instead"][0]
    theirs.close()


def test_a_declined_link_changes_nothing_and_leaves_the_address(page: Page, site: Site) -> None:
    goto(page, "tracks/casual/")
    path = steps(page)
    done_box(page, path[0]["id"]).check()
    before = stored(page)
    link = link_to(site, {"version": 2, "done": {path[1]["id"]: "2025-01-06"}}, "tracks/casual/")
    # Pasted into the address bar of an open page: only the fragment changes.
    page.evaluate("(hash) => { location.hash = hash; }", link[link.index(PREFIX) :])
    assert offer_text(page) == (
        "This link holds 1 mark of progress from another browser. Merging it into your progress "
        "here would add 1 done mark. Nothing is removed."
    )
    page.get_by_role("button", name="Don't merge").click()
    assert offer_text(page) == (
        "Nothing was merged: your progress here is as it was, and the link is gone from the "
        "address bar."
    )
    assert page.url == site.url("tracks/casual/")
    assert stored(page) == before
    assert done_box(page, path[0]["id"]).is_checked()
    assert not done_box(page, path[1]["id"]).is_checked()
    page.reload()
    goto(page, "tracks/casual/")
    assert page.locator(".sg-offer").count() == 0
    assert not done_box(page, path[1]["id"]).is_checked()


def test_a_link_with_nothing_new_asks_nothing(page: Page, site: Site) -> None:
    goto(page, "tracks/casual/")
    first = steps(page)[0]
    store(page, {"version": 2, "done": {first["id"]: "2025-01-06"}})
    before = stored(page)
    goto(page, link_to(site, {"version": 2, "done": {first["id"]: "2025-02-01"}}))
    assert offer_text(page) == (
        "Everything in this progress link is already in your progress here: there is nothing "
        "to merge."
    )
    assert page.get_by_role("button", name="Merge into my progress").count() == 0
    assert page.url == site.url("")
    assert stored(page) == before


def packed(raw: bytes) -> str:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return base64.urlsafe_b64encode(packer.compress(raw) + packer.flush()).decode().rstrip("=")


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ("not*base64!", "This progress link is damaged: it has characters"),
        (base64.urlsafe_b64encode(b"\xff" * 30).decode(), "This progress link is damaged: the"),
        (packed(b'{"version": 2, "done": {"x": "2025-01-06"}}')[:-4], "This progress link is"),
        (packed(b'{"version": 2, "done": ["x"]}'), "This link does not hold studyguide progress"),
        (packed(b'{"hello": "world"}'), "This link does not hold studyguide progress"),
        ("", "This progress link is empty"),
    ],
    ids=["bad base64", "bad deflate", "deflate cut short", "wrong shape", "not progress", "empty"],
)
def test_a_bad_or_tampered_link_says_so_and_changes_nothing(
    page: Page, site: Site, fragment: str, expected: str
) -> None:
    goto(page, "tracks/casual/")
    first = steps(page)[0]
    done_box(page, first["id"]).check()
    before = stored(page)
    goto(page, "")
    goto(page, site.url("tracks/casual/") + PREFIX + fragment)
    text = offer_text(page)
    assert text.startswith(expected)
    assert text.endswith("Nothing was changed.")
    assert "sg-message--error" in (page.locator(".sg-offer__text").get_attribute("class") or "")
    assert page.locator(".sg-offer button").count() == 0
    assert stored(page) == before
    assert done_box(page, first["id"]).is_checked()
    assert page.url == site.url("tracks/casual/")


def test_with_no_progress_there_is_no_link_to_copy(page: Page) -> None:
    goto(page, "tracks/casual/")
    open_data(page)
    page.get_by_role("button", name="Copy a link to your progress").click()
    assert message(page).startswith("There is no progress to put in a link yet")
    assert page.get_by_label("Link to your progress").count() == 0


def finder_at(dark: set[tuple[int, int]], left: int, top: int) -> bool:
    """A QR finder pattern at (left, top): a dark ring, a light ring and a dark 3x3 centre."""
    return all(
        ((left + dx, top + dy) in dark) == (max(abs(dx - 3), abs(dy - 3)) != 2)
        for dx in range(7)
        for dy in range(7)
    )


@pytest.mark.parametrize("width", [390, 1280])
def test_the_qr_code_draws_and_its_library_loads_only_when_asked(
    browser: Browser, site: Site, watch: Watch, width: int, artifacts: Path
) -> None:
    context = open_context(browser, site, watch, viewport={"width": width, "height": 900})
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url.rsplit("/", 1)[-1]))
    goto(page, "tracks/casual/")
    for step in steps(page)[:3]:
        done_box(page, step["id"]).check()
    open_data(page)
    assert not {"share.js", "link.js", "lean-qr-nano.js"} & set(requested)

    page.get_by_role("button", name="Copy a link to your progress").click()
    page.get_by_label("Link to your progress").wait_for()
    assert {"share.js", "link.js"} <= set(requested)
    assert "lean-qr-nano.js" not in requested

    page.get_by_role("button", name="Show the link as a QR code").click()
    code = page.get_by_role("img", name="QR code of the link to your progress")
    code.wait_for()
    assert requested.count("lean-qr-nano.js") == 1
    assert message(page).startswith("Scan the QR code")
    box, d = code.evaluate(
        "svg => [svg.getAttribute('viewBox'), svg.querySelector('path').getAttribute('d')]"
    )
    size = int(box.split()[2]) - 8
    assert size >= 21  # the side of a QR code of version (size - 17) / 4
    assert size % 4 == 1
    dark = {(int(x), int(y)) for x, y in re.findall(r"M(\d+) (\d+)h1v1h-1z", d)}
    assert len(dark) == d.count("M") > size
    assert finder_at(dark, 0, 0)
    assert finder_at(dark, size - 7, 0)
    assert finder_at(dark, 0, size - 7)
    assert not finder_at(dark, size - 7, size - 7)
    shown = code.bounding_box()
    assert shown
    assert shown["width"] >= 150
    assert shown["x"] + shown["width"] <= width
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    page.locator(".sg-data").screenshot(path=str(artifacts / f"progress-link-qr-{width}.png"))
    context.close()


def test_opening_a_link_does_not_load_the_qr_library(page: Page, site: Site) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url.rsplit("/", 1)[-1]))
    goto(page, link_to(site, {"version": 2, "done": {"vectors": "2025-01-06"}}))
    offer_text(page)
    assert "share.js" in requested
    assert "lean-qr-nano.js" not in requested
    requested.clear()
    goto(page, "")
    assert "share.js" not in requested  # pages opened without a link do not load it


@pytest.mark.parametrize("width", [390, 1280])
def test_the_offer_fits_a_phone_and_a_desktop(
    browser: Browser, site: Site, watch: Watch, width: int
) -> None:
    context = open_context(browser, site, watch, viewport={"width": width, "height": 900})
    page = context.new_page()
    state = {"version": 2, "done": {"vectors": "2025-01-06"}, "skipped": {"matrices": "2025-01-06"}}
    goto(page, link_to(site, state, "tracks/casual/"))
    offer_text(page)
    merge = page.get_by_role("button", name="Merge into my progress")
    assert merge.is_visible()
    assert page.evaluate("document.activeElement.textContent") == "Merge into my progress"
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    region = page.get_by_role("region", name="Progress from a link")
    shown = region.bounding_box()
    assert shown
    assert shown["x"] >= 0
    assert shown["x"] + shown["width"] <= width
    context.close()


def test_the_qr_library_ships_unchanged_with_its_licence(site: Site) -> None:
    vendor = site.folder / "assets" / "studyguide" / "vendor"
    source = ASSETS_DIR / "vendor"
    assert (vendor / "lean-qr-nano.js").read_bytes() == (source / "lean-qr-nano.js").read_bytes()
    assert "Copyright (c) 2021-2025 David Evans" in (vendor / "lean-qr.LICENSE.txt").read_text()


def test_a_link_never_writes_over_progress_this_page_cannot_read(page: Page, site: Site) -> None:
    goto(page, "tracks/casual/")
    page.evaluate(
        """import('/assets/studyguide/storage.js')
             .then(s => localStorage.setItem(s.KEY, '{"version": 99, "done": {}}'))"""
    )
    goto(page, link_to(site, {"version": 2, "done": {"vectors": "2025-01-06"}}))
    assert offer_text(page).startswith(
        "Could not merge the progress link: your saved progress is in a form this page cannot read."
    )
    assert page.locator(".sg-offer button").count() == 0
    assert stored(page) == '{"version": 99, "done": {}}'
