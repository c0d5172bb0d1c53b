"""Progress: done marks, totals, persistence across reloads and pages, edits of the catalogue,
storage that is corrupt or foreign, and export, import and reset."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import FilePayload, Page, expect

from ..helpers import copy_project
from .conftest import (
    PROGRESS_KEY,
    V1_PROGRESS_KEY,
    Site,
    SiteServer,
    build_site,
    cards,
    done_box,
    goto,
    progress_text,
    reload,
    reset_progress,
    set_storage,
    steps,
    stored_progress,
)

pytestmark = pytest.mark.browser


def today(page: Page) -> str:
    iso: str = page.evaluate(
        "(() => { const n = new Date(); return new Date(Date.UTC(n.getFullYear(), n.getMonth(),"
        " n.getDate())).toISOString().slice(0, 10); })()"
    )
    return iso


@pytest.mark.engines
def test_marking_done_updates_the_totals_and_is_stored(page: Page) -> None:
    goto(page, "tracks/casual/")
    path = steps(page)
    total = sum(s["hours"] for s in path)
    assert progress_text(page) == (
        f"0 of {len(path)} steps done: about {total:g} of {total:g} hours left."
    )
    first, last = path[0], path[-1]
    done_box(page, first["id"]).check()
    done_box(page, last["id"]).check()
    left = total - first["hours"] - last["hours"]
    assert progress_text(page) == (
        f"2 of {len(path)} steps done: about {left:g} of {total:g} hours left."
    )
    bar = page.locator("progress.sg-progress__bar")
    assert (bar.get_attribute("value"), bar.get_attribute("max")) == ("2", str(len(path)))
    assert "sg-resource--done" in (page.locator(f"#res-{first['id']}").get_attribute("class") or "")
    in_first_topic = [s for s in path if s["topic"] == first["topic"]]
    topic_done = page.locator(f'.sg-topic-meta[data-sg-topic="{first["topic"]}"] .sg-topic-done')
    assert topic_done.inner_text() == f"1 of {len(in_first_topic)} done"
    stored = stored_progress(page)
    assert stored["version"] == 3
    assert stored["done"] == {first["id"]: today(page), last["id"]: today(page)}

    done_box(page, last["id"]).uncheck()
    assert progress_text(page).startswith(f"1 of {len(path)} steps done")
    assert list(stored_progress(page)["done"]) == [first["id"]]


def test_the_done_control_is_a_labelled_checkbox_usable_by_keyboard(page: Page) -> None:
    goto(page, "tracks/casual/")
    first = steps(page)[0]
    box = page.get_by_role("checkbox", name=f"Done: {first['title']}")
    assert box.count() == 1
    box.focus()
    page.keyboard.press("Space")
    assert box.is_checked()
    outline = box.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline != "none"  # the focus is visible
    assert page.locator(".sg-progress__text").get_attribute("aria-live") == "polite"


def test_progress_survives_a_reload(page: Page) -> None:
    goto(page, "tracks/casual/")
    first = steps(page)[0]
    done_box(page, first["id"]).check()
    page.reload()
    goto(page, "tracks/casual/")
    assert done_box(page, first["id"]).is_checked()
    assert progress_text(page).startswith("1 of ")
    assert page.locator(f"#res-{first['id']} .sg-done__when").inner_text().startswith("on ")


def test_the_same_done_state_shows_on_topic_and_resource_pages(page: Page) -> None:
    goto(page, "tracks/casual/")
    first = steps(page)[0]
    done_box(page, first["id"]).check()

    goto(page, f"topics/{first['topic']}/")
    assert done_box(page, first["id"]).is_checked()
    assert progress_text(page).startswith("1 of ")
    assert progress_text(page).endswith("resources done.")

    goto(page, f"resources/{first['id']}/")
    box = page.get_by_role("checkbox", name=f"I have done this: {first['title']}")
    assert box.is_checked()
    box.uncheck()
    goto(page, "tracks/casual/")
    assert not done_box(page, first["id"]).is_checked()


def test_ids_that_are_not_in_the_catalogue_are_kept_but_not_counted(page: Page) -> None:
    goto(page, "tracks/casual/")
    first = steps(page)[0]
    progress = {"version": 2, "done": {"removed-resource": "2024-01-01", first["id"]: "2024-01-02"}}
    set_storage(page, PROGRESS_KEY, json.dumps(progress))
    page.reload()
    goto(page, "tracks/casual/")
    assert progress_text(page).startswith(f"1 of {len(steps(page))} steps done")
    done_box(page, first["id"]).uncheck()
    # The unknown id is kept (it may be back in a later edition) but never counted.
    assert stored_progress(page)["done"] == {"removed-resource": "2024-01-01"}


# Nothing studyguide ever wrote (every format is a JSON object with a version): nothing can
# read it, so the page starts afresh.
CORRUPT = {
    "not JSON": "{not json",
    "a list": "[1, 2, 3]",
    "a string": '"done"',
    "null": "null",
}


@pytest.mark.parametrize("raw", CORRUPT.values(), ids=CORRUPT.keys())
def test_storage_that_is_not_a_json_object_starts_afresh(page: Page, raw: str) -> None:
    goto(page, "tracks/casual/")
    set_storage(page, PROGRESS_KEY, raw)
    page.reload()
    goto(page, "tracks/casual/")
    path = steps(page)
    assert progress_text(page).startswith(f"0 of {len(path)} steps done")
    assert all(s["visible"] for s in path)
    assert page.locator(".sg-notice").count() == 0
    done_box(page, path[0]["id"]).check()
    assert stored_progress(page)["done"] == {path[0]["id"]: today(page)}


NEWER_NOTICE = (
    "Your saved progress is in a format this page cannot read (maybe saved by a newer version);"
    " nothing was changed. Reload to get the newest page."
)
DAMAGED_NOTICE = "Your saved progress is damaged and this page cannot read it; nothing was changed"
# Progress in a format this page cannot read: perhaps a newer page saved it, and this is an
# older copy from the browser's cache. Spacing and key order are kept too: byte for byte.
UNREADABLE = {
    "version 4": (
        '{"version":4,  "done": {"x": "2024-01-01"}, "marks": [{"id": "y"}]}',
        NEWER_NOTICE,
    ),
    "version as a string": ('{"version": "2", "done": {"x": "2024-01-01"}}', NEWER_NOTICE),
    "no version": ('{"done": {"x": "2024-01-01"}}', NEWER_NOTICE),
    "done is a list": ('{"version": 2, "done": ["a"]}', DAMAGED_NOTICE),
    "no done": ('{"version": 2}', DAMAGED_NOTICE),
}


@pytest.mark.parametrize(("raw", "notice"), UNREADABLE.values(), ids=UNREADABLE.keys())
def test_progress_this_page_cannot_read_is_kept_and_never_written_over(
    page: Page, raw: str, notice: str
) -> None:
    goto(page, "tracks/casual/")
    set_storage(page, PROGRESS_KEY, raw)
    page.reload()
    goto(page, "tracks/casual/")
    path = steps(page)
    shown = page.locator(".sg-notice")
    assert notice in shown.inner_text()
    assert shown.is_visible()
    assert progress_text(page).startswith(f"0 of {len(path)} steps done")

    # A mark still works for the visit, says it is not saved, and writes nothing.
    done_box(page, path[0]["id"]).check()
    page.locator(f"#res-{path[1]['id']} .sg-skip").click()
    assert done_box(page, path[0]["id"]).is_checked()
    assert progress_text(page).startswith(f"1 of {len(path)} steps done, 1 skipped")
    assert notice in page.locator(".sg-message").inner_text()
    assert stored_text(page) == raw

    # Nor do the concept marks, another page, or a reload.
    goto(page, f"topics/{path[0]['topic']}/")
    assert notice in page.locator(".sg-notice").inner_text()
    page.reload()
    goto(page, "tracks/casual/")
    assert not done_box(page, path[0]["id"]).is_checked()
    assert stored_text(page) == raw


def stored_text(page: Page) -> str | None:
    raw: str | None = page.evaluate(f"localStorage.getItem('{PROGRESS_KEY}')")
    return raw


def test_an_import_does_not_replace_progress_this_page_cannot_read(page: Page) -> None:
    raw = '{"version": 4, "done": {"x": "2024-01-01"}}'
    goto(page, "tracks/casual/")
    first = steps(page)[0]
    set_storage(page, PROGRESS_KEY, raw)
    page.reload()
    goto(page, "tracks/casual/")
    open_data(page)
    payload = {"version": 2, "done": {first["id"]: "2024-02-03"}}
    message = import_file(page, "mine.json", json.dumps(payload).encode())
    assert message.startswith("Could not import “mine.json”: your saved progress is in a form")
    assert "Nothing was changed." in message
    assert not done_box(page, first["id"]).is_checked()
    assert stored_text(page) == raw

    # Export saves it as it is stored; a confirmed reset is the one way to replace it.
    with page.expect_download() as info:
        page.get_by_role("button", name="Export progress").click()
    assert info.value.path().read_text(encoding="utf-8") == raw
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Reset progress…").click()
    assert stored_progress(page)["done"] == {}  # an empty state, in this page's own format
    assert page.locator(".sg-notice").count() == 0
    done_box(page, first["id"]).check()
    assert stored_progress(page)["done"] == {first["id"]: today(page)}


def test_an_old_format_stored_under_the_current_key_is_read_and_upgraded(page: Page) -> None:
    goto(page, "tracks/casual/")
    first, second = steps(page)[:2]
    set_storage(page, PROGRESS_KEY, json.dumps({"version": 1, "done": {first["id"]: "2024-02-03"}}))
    page.reload()
    goto(page, "tracks/casual/")
    assert page.locator(".sg-notice").count() == 0
    assert done_box(page, first["id"]).is_checked()
    done_box(page, second["id"]).check()
    stored = stored_progress(page)
    assert stored["version"] == 3
    assert stored["done"] == {first["id"]: "2024-02-03", second["id"]: today(page)}


def test_bad_entries_are_dropped_and_good_ones_kept(page: Page) -> None:
    goto(page, "tracks/casual/")
    first, second = steps(page)[:2]
    raw = {
        "version": 2,
        "done": {
            first["id"]: "2024-05-06T10:00:00Z",
            second["id"]: "not a date",
            "Not An Id": "2024-01-01",
            "__proto__": "2024-01-01",
        },
    }
    set_storage(page, PROGRESS_KEY, json.dumps(raw))
    page.reload()
    goto(page, "tracks/casual/")
    assert done_box(page, first["id"]).is_checked()
    assert not done_box(page, second["id"]).is_checked()
    assert progress_text(page).startswith("1 of ")


def test_a_browser_that_refuses_storage_still_marks_done_for_the_visit(page: Page) -> None:
    page.add_init_script(
        "Storage.prototype.setItem = () => { throw new DOMException('no', 'QuotaExceededError'); };"
    )
    goto(page, "tracks/casual/")
    first = steps(page)[0]
    done_box(page, first["id"]).check()
    assert done_box(page, first["id"]).is_checked()
    assert progress_text(page).startswith("1 of ")
    assert "does not let the site store" in page.locator(".sg-message").inner_text()


# ---- export, import, reset ----


def open_data(page: Page) -> None:
    page.locator(".sg-data > summary").click()


def test_export_carries_done_skips_swaps_and_additions(page: Page) -> None:
    goto(page, "tracks/research/")
    path = steps(page)
    done_box(page, path[0]["id"]).check()
    page.locator(f"#res-{path[1]['id']} .sg-skip").click()
    swapped = next(s for s in path if s["instead"])
    page.locator(f"#res-{swapped['id']} select.sg-swap").select_option(swapped["instead"][0])
    open_data(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Export progress").click()
    download = info.value
    assert download.suggested_filename.startswith("studyguide-progress-")
    exported = json.loads(download.path().read_text(encoding="utf-8"))
    assert exported["version"] == 3
    assert exported["done"] == {path[0]["id"]: today(page)}
    assert exported["skipped"] == {path[1]["id"]: today(page)}
    assert exported["swaps"] == {"research": {swapped["id"]: swapped["instead"][0]}}
    expect(page.locator(".sg-message")).to_have_text(
        "Exported 1 done mark, 1 skipped step and 1 swapped step."
    )

    # ... and a fresh browser that imports the file has the same path.
    page.evaluate("localStorage.clear()")
    page.reload()
    goto(page, "tracks/research/")
    open_data(page)
    import_file(page, "mine.json", download.path().read_bytes())
    assert done_box(page, path[0]["id"]).is_checked()
    assert "sg-step--skipped" in (
        page.locator(f"#res-{path[1]['id']}").get_attribute("class") or ""
    )
    select = page.locator(f"#res-{swapped['id']} select.sg-swap")
    assert select.input_value() == swapped["instead"][0]


def import_file(page: Page, name: str, content: bytes) -> str:
    payload: FilePayload = {"name": name, "mimeType": "application/json", "buffer": content}
    page.get_by_label("Import progress…").set_input_files(files=[payload])
    message = page.locator(".sg-message")
    message.wait_for()
    text: str = message.inner_text()
    return text


def test_import_merges_a_valid_file_even_a_version_1_one(page: Page) -> None:
    goto(page, "tracks/casual/")
    first, second = steps(page)[:2]
    done_box(page, first["id"]).check()
    open_data(page)
    payload = {"version": 1, "done": {second["id"]: "2024-02-03", "elsewhere": "2024-02-04"}}
    message = import_file(page, "mine.json", json.dumps(payload).encode())
    assert message == "Imported 2 done marks from “mine.json” (1 done on this page)."
    assert done_box(page, first["id"]).is_checked()
    assert done_box(page, second["id"]).is_checked()
    assert stored_progress(page)["done"] == {
        first["id"]: today(page),
        second["id"]: "2024-02-03",
        "elsewhere": "2024-02-04",
    }
    assert progress_text(page).startswith("2 of ")


@pytest.mark.parametrize(
    "content",
    [b"{oops", b'{"version": 1, "done": []}', b'["a"]', b"", "\u00e9t\u00e9".encode("latin-1")],
    ids=["not JSON", "wrong shape", "a list", "empty", "not UTF-8"],
)
def test_import_refuses_a_bad_file_and_changes_nothing(page: Page, content: bytes) -> None:
    goto(page, "tracks/casual/")
    first = steps(page)[0]
    done_box(page, first["id"]).check()
    before = stored_progress(page)
    open_data(page)
    message = import_file(page, "bad.json", content)
    assert message.startswith("Could not import “bad.json”: it is not a studyguide progress file")
    assert "sg-message--error" in (page.locator(".sg-message").get_attribute("class") or "")
    assert page.locator(".sg-message").get_attribute("role") == "status"
    assert stored_progress(page) == before


@pytest.mark.parametrize("accept", [True, False], ids=["confirmed", "cancelled"])
def test_reset_asks_first(page: Page, accept: bool) -> None:
    goto(page, "tracks/casual/")
    first = steps(page)[0]
    done_box(page, first["id"]).check()
    swapped = next(s for s in steps(page) if s["instead"])
    page.locator(f"#res-{swapped['id']} select.sg-swap").select_option(swapped["instead"][0])
    page.locator("details.sg-further > summary").first.click()
    page.locator("[data-sg-further] .sg-add").first.click()
    open_data(page)
    assert reset_progress(page, accept) == (
        "Forget 1 done mark, 1 swapped step and 1 resource added to a path on this site? This"
        " cannot be undone; export your progress first to keep a copy."
    )
    if accept:
        stored = stored_progress(page)
        kinds = ("done", "skipped", "known", "swaps", "added")
        assert not any(stored[kind] for kind in kinds), stored
        assert not done_box(page, first["id"]).is_checked()
        assert progress_text(page).startswith("0 of ")
        assert page.locator(".sg-message").inner_text() == (
            "Progress reset: nothing is marked done or skipped."
        )
    else:
        assert done_box(page, first["id"]).is_checked()
        assert list(stored_progress(page)["done"]) == [first["id"]]


def test_a_reset_stays_reset_where_version_1_marks_are_stored(page: Page) -> None:
    goto(page, "tracks/casual/")
    first = steps(page)[0]
    set_storage(
        page, V1_PROGRESS_KEY, json.dumps({"version": 1, "done": {first["id"]: "2024-03-01"}})
    )
    reload(page)
    assert done_box(page, first["id"]).is_checked()  # carried over once
    open_data(page)
    reset_progress(page)
    reload(page)
    assert not done_box(page, first["id"]).is_checked()
    assert progress_text(page).startswith("0 of ")


# ---- an edit to resources.yaml between two visits ----

INSERTED = """\
  - id: inserted-by-the-browser-tests
    title: "Inserted before a done resource"
    url: https://example.org/inserted
    authors: ["Test Author"]
    provider: "Test"
    topics: [{topic}]
    goals: [{track}]
    format: article
    cost: free
    effort_hours: 2
    level: intro
    why: >-
      A resource the browser tests insert ahead of one the learner already marked done.

"""


def test_progress_survives_an_edit_that_inserts_a_resource_before_a_done_one(
    page: Page, site: Site, server: SiteServer, tmp_path: Path
) -> None:
    goto(page, "tracks/casual/")
    before = cards(page)
    first_topic = before[0]["topic"]
    done = [c for c in before if c["topic"] == first_topic][-1]
    if done["kind"] != "step":  # a going-further card: open its fold first
        page.locator(f"#res-{done['id']}").evaluate("c => { c.closest('details').open = true; }")
    done_box(page, done["id"]).check()

    project = copy_project(tmp_path / "edited")
    catalogue = project / "resources.yaml"
    text = catalogue.read_text(encoding="utf-8")
    head, marker, rest = text.partition("\nresources:\n")
    assert marker, "resources.yaml has no top-level resources: key"
    entry = INSERTED.format(topic=first_topic, track="casual")
    catalogue.write_text(head + marker + entry + rest, encoding="utf-8")
    edited = build_site(project, site.origin)

    server.root = edited.folder
    try:
        page.reload()
        goto(page, "tracks/casual/")
        after = cards(page)
    finally:
        server.root = site.folder
    ids = [c["id"] for c in after]
    assert len(after) == len(before) + 1
    assert ids.index("inserted-by-the-browser-tests") < ids.index(done["id"])
    assert [c["id"] for c in after if c["done"]] == [done["id"]]
    if done["kind"] != "step":
        page.locator(f"#res-{done['id']}").evaluate("c => { c.closest('details').open = true; }")
    assert page.locator(f"#res-{done['id']} .sg-done__box").is_checked()
