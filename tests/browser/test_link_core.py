"""Progress in a link, the pure part (link.js), called directly in Chromium with no site build:
the encoding (checked against Python's own raw deflate and base64url), every way a link can be
bad, and what a merge would add or replace, in words."""

from __future__ import annotations

import base64
import json
import re
import zlib
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from .conftest import SiteServer

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser: Browser, assets_server: SiteServer) -> Iterator[Page]:
    context = browser.new_context()
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda e: errors.append(str(e)))
    opened.on(
        "console",
        lambda m: errors.append(m.text) if m.type == "error" and "404" not in m.text else None,
    )
    opened.goto(f"{assets_server.origin}/")
    yield opened
    context.close()
    assert errors == []


def run(page: Page, body: str, *args: Any) -> Any:
    """Run `body` (an async function body with `link`, `core` and `args` in scope)."""
    return page.evaluate(
        f"""async (args) => {{
              const link = await import('/link.js');
              const core = await import('/core.js');
              const out = await (async () => {{ {body} }})();
              return out === undefined ? null : JSON.parse(JSON.stringify(out)); }}""",
        list(args),
    )


def deflated(raw: bytes) -> str:
    """`raw` as a link carries it, made with Python's zlib: raw deflate, then base64url."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = packer.compress(raw) + packer.flush()
    return base64.urlsafe_b64encode(packed).decode().rstrip("=")


def decode(page: Page, text: str) -> dict[str, Any]:
    result: dict[str, Any] = run(page, "return link.decodeState(args[0]);", text)
    return result


def message(page: Page, name: str) -> str:
    text: str = run(page, "return link[args[0]];", name)
    return text


STATE = {
    "version": 2,
    "done": {"vectors": "2025-01-06", "matrices": "2025-02-01"},
    "skipped": {"proofs": "2025-01-07"},
    "known": {"derivative": "2025-01-08"},
    "keep": {},
    "swaps": {"research": {"vectors": "pictures"}},
    "added": {"casual": {"extra-reading": "2025-03-01"}},
}


# ---- the encoding ----


def test_a_state_is_raw_deflated_json_in_base64url_and_decodes_to_itself(page: Page) -> None:
    state = run(page, "return core.parseState(args[0]);", STATE)  # in the current version
    text: str = run(page, "return link.encodeState(args[0]);", state)
    assert re.fullmatch(r"[A-Za-z0-9_-]+", text)
    # Python's own inflate reads it: deflate-raw, base64url with no padding.
    raw = zlib.decompress(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)), -15)
    assert json.loads(raw) == state
    assert decode(page, text) == {"state": state}
    assert all(state[k] == v for k, v in STATE.items() if k != "version")


def test_a_link_python_made_decodes_and_non_ascii_survives(page: Page) -> None:
    state = {**STATE, "done": {"vectors": "2025-01-06"}, "note": "é ✓"}
    result = decode(page, deflated(json.dumps(state).encode()))
    assert result["state"]["done"] == {"vectors": "2025-01-06"}
    assert result["state"]["swaps"] == STATE["swaps"]


def test_a_version_1_link_is_read_as_the_import_reads_it(page: Page) -> None:
    result = decode(page, deflated(b'{"version": 1, "done": {"vectors": "2024-02-03"}}'))
    assert result["state"]["version"] == run(page, "return core.VERSION;")
    assert result["state"]["done"] == {"vectors": "2024-02-03"}


BOMB = b'{"version": 2, "done": {}, "pad": "' + b" " * (2 << 20) + b'"}'


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", "EMPTY"),
        ("not*base64!", "BAD_TEXT"),
        ("abc%3D", "BAD_TEXT"),
        ("abcde", "BAD_TEXT"),  # a length no base64 has: cut short
        (base64.urlsafe_b64encode(b"\xff" * 24).decode(), "BAD_DATA"),  # not deflate
        (deflated(json.dumps(STATE).encode())[:-8], "BAD_DATA"),  # deflate cut short
        (deflated(json.dumps(STATE).encode()) + "AAAA", "BAD_DATA"),  # junk after the end
        (deflated(b"{oops"), "BAD_DATA"),
        (deflated("été".encode("latin-1")), "BAD_DATA"),  # not UTF-8
        (deflated(BOMB), "BAD_DATA"),  # 2 MB once inflated
        (deflated(b'["a"]'), "NOT_PROGRESS"),
        (deflated(b'{"done": {"vectors": "2025-01-06"}}'), "NOT_PROGRESS"),
        (deflated(b'{"version": 2, "done": []}'), "NOT_PROGRESS"),
        (deflated(b'{"version": "2", "done": {}}'), "NOT_PROGRESS"),
        (deflated(b'{"version": 99, "done": {}}'), "NEWER"),
        ("A" * 200_004, "TOO_LONG"),
    ],
    ids=[
        "empty",
        "not base64url",
        "percent-encoded",
        "impossible length",
        "not deflate",
        "deflate cut short",
        "junk after the end",
        "not JSON",
        "not UTF-8",
        "deflate bomb",
        "a list",
        "no version",
        "done is a list",
        "version a string",
        "a newer version",
        "too long",
    ],
)
def test_a_bad_or_tampered_link_gives_its_message(page: Page, text: str, error: str) -> None:
    result = decode(page, text)
    assert result == {"error": message(page, error)}
    assert result["error"].endswith("Nothing was changed.")


# ---- what a merge would do ----

HERE = {
    "version": 2,
    "done": {"vectors": "2025-01-02", "series": "2025-01-03"},
    "skipped": {"proofs": "2025-01-07"},
    "known": {},
    "keep": {},
    "swaps": {"research": {"vectors": "matrices"}},
    "added": {},
}


def compare(page: Page, current: Any, incoming: Any) -> dict[str, Any]:
    result: dict[str, Any] = run(
        page,
        """const [a, b] = [core.parseState(args[0]), core.parseState(args[1])];
           const out = link.compare(a, b);
           return { ...out, sameAsImport: JSON.stringify(out.merged) ===
                    JSON.stringify(core.mergeStates(a, b)), text: link.describe(out),
                    done: link.merged(out) };""",
        current,
        incoming,
    )
    return result


def test_compare_counts_what_the_import_merge_adds_replaces_and_already_has(page: Page) -> None:
    result = compare(page, HERE, STATE)
    assert result["sameAsImport"]
    # matrices, derivative and the added resource are new; the swap of vectors is another
    # choice, which replaces ours; vectors (a later date in the link) and proofs are here.
    assert result["added"] == {"done": 1, "known": 1, "added": 1}
    assert result["replaced"] == {"swaps": 1}
    assert (result["total"], result["same"]) == (6, 2)
    assert result["merged"]["done"] == {
        "vectors": "2025-01-02",
        "series": "2025-01-03",
        "matrices": "2025-02-01",
    }
    assert result["merged"]["swaps"] == {"research": {"vectors": "pictures"}}
    assert result["text"] == (
        "This link holds 6 marks of progress from another browser. Merging it into your "
        "progress here would add 3 marks (1 done mark, 1 known concept, 1 resource added to a "
        "path) and replace 1 swapped step. 2 marks are already here. Replacing keeps the "
        "earlier date of a mark and takes the swap chosen in the link. Nothing is removed."
    )


def test_an_earlier_date_in_the_link_replaces_a_later_one_here(page: Page) -> None:
    here = {"version": 2, "done": {"vectors": "2025-03-01"}}
    there = {"version": 2, "done": {"vectors": "2025-01-01", "series": "2025-01-02"}}
    result = compare(page, here, there)
    assert (result["added"], result["replaced"], result["same"]) == ({"done": 1}, {"done": 1}, 0)
    assert result["merged"]["done"] == {"vectors": "2025-01-01", "series": "2025-01-02"}
    assert result["text"] == (
        "This link holds 2 marks of progress from another browser. Merging it into your "
        "progress here would add 1 done mark and replace 1 done mark. Replacing keeps the "
        "earlier date of a mark and takes the swap chosen in the link. Nothing is removed."
    )
    assert result["done"] == (
        "Merged the progress link into your progress here: added 1 done mark and replaced "
        "1 done mark."
    )


def test_a_link_with_nothing_new_says_so(page: Page) -> None:
    older = {"version": 2, "done": {"vectors": "2025-03-01"}, "skipped": {"proofs": "2025-01-07"}}
    here = {**older, "done": {"vectors": "2025-01-01"}}
    result = compare(page, here, older)
    assert (result["added"], result["replaced"], result["same"], result["total"]) == ({}, {}, 2, 2)
    assert result["text"] == (
        "Everything in this progress link is already in your progress here: there is nothing "
        "to merge."
    )


def test_into_an_empty_browser_everything_is_added(page: Page) -> None:
    result = compare(page, {"version": 2, "done": {}}, STATE)
    assert result["added"] == {
        "done": 2,
        "skipped": 1,
        "known": 1,
        "swaps": 1,
        "added": 1,
    }
    assert result["text"].startswith(
        "This link holds 6 marks of progress from another browser. Merging it into your progress"
        " here would add 6 marks (2 done marks, 1 skipped step, 1 known concept, 1 swapped "
        "step, 1 resource added to a path). Nothing is removed."
    )


def test_kinds_of_records_this_page_does_not_name_are_counted_as_other_marks(page: Page) -> None:
    counted = run(
        page,
        "return [link.counted({quiz: 2, done: 1}), link.counted({quiz: 1}), link.counted({})];",
    )
    assert counted == ["3 marks (1 done mark, 2 other marks)", "1 other mark", "nothing"]
    records = run(
        page,
        "return link.countRecords({version: 9, done: {a: '2025-01-01'}, quiz: {c: {q: 1, r: 0}}});",
    )
    assert records == 2  # a record of an unknown kind is one mark however deep it is
