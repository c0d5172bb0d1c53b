"""Diagnostic lines, the summary line and the JSON report that the site reads."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from studyguide.links.report import (
    build_report,
    format_problem,
    load_report,
    summary_line,
    write_report,
)
from studyguide.links.result import LinkResult, LinkStatus, Redirect

URL = "https://example.test/page"
MOMENT = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)


def result(status: str, **fields: Any) -> LinkResult:
    return LinkResult(URL, LinkStatus(status), checked_at="2026-03-04T05:06:07Z", **fields)


def test_problem_lines() -> None:
    where = "resources.yaml:12:10"
    broken = result("broken", code=404, message="HTTP 404 Not Found")
    assert format_problem(where, broken) == (
        f"resources.yaml:12:10: error: {URL}: broken (HTTP 404 Not Found)"
    )
    moved = result(
        "redirected",
        code=200,
        permanent_redirect=True,
        suggested_url="https://example.test/new",
        redirects=(Redirect(301, "https://example.test/new"),),
    )
    assert format_problem(where, moved) == (
        f"resources.yaml:12:10: warning: {URL}: redirected permanently to "
        "https://example.test/new; update the URL"
    )
    slow = result("timeout", message="no response within 20s; gave up after 4 tries")
    assert format_problem(where, slow) == (
        f"resources.yaml:12:10: warning: {URL}: timeout (no response within 20s; gave up "
        "after 4 tries)"
    )
    strict = format_problem(where, slow, warnings_fail=True)
    assert strict is not None
    assert strict.startswith("resources.yaml:12:10: error: ")
    assert format_problem(where, result("ok", code=200)) is None
    assert format_problem(where, result("skipped")) is None


def test_summary_line() -> None:
    results = [
        *[result("ok")] * 28,
        *[result("ok", from_cache=True)] * 2,
        *[result("redirected")] * 2,
        result("broken"),
        result("skipped"),
    ]
    assert summary_line(results, 3.21) == (
        "checked 34 links: 30 ok, 2 redirected, 1 broken, 1 skipped (2 from cache) in 3.2s"
    )
    assert summary_line([result("ok")], 0.04) == "checked 1 link: 1 ok in 0.0s"
    assert summary_line([], 0) == "checked 0 links in 0.0s"


def test_report_round_trip(tmp_path: Path) -> None:
    entries = [
        ("good", result("ok", code=200, final_url=URL)),
        (
            "moved",
            LinkResult(
                "https://example.test/old",
                LinkStatus.REDIRECTED,
                code=200,
                final_url="https://example.test/new",
                permanent_redirect=True,
                suggested_url="https://example.test/new",
                message="HTTP 301 to https://example.test/new",
                checked_at="2026-03-01T00:00:00Z",
                from_cache=True,
            ),
        ),
    ]
    path = tmp_path / "out" / "links.json"
    write_report(path, build_report(entries, MOMENT))
    data = json.loads(path.read_text())
    assert data["version"] == 1
    assert data["generated_at"] == "2026-03-04T05:06:07Z"
    assert data["results"][1] == {
        "id": "moved",
        "url": "https://example.test/old",
        "status": "redirected",
        "code": 200,
        "final_url": "https://example.test/new",
        "permanent_redirect": True,
        "suggested_url": "https://example.test/new",
        "severity": "warning",
        "message": "HTTP 301 to https://example.test/new",
        "checked_at": "2026-03-01T00:00:00Z",
        "from_cache": True,
    }
    loaded = load_report(path)
    assert list(loaded) == [URL, "https://example.test/old"]
    assert loaded[URL].status is LinkStatus.OK
    assert loaded["https://example.test/old"] == entries[1][1]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read the link report"),
        ("{oops", "not valid JSON"),
        ('{"version": 2, "results": []}', "not a studyguide link report"),
        ("[]", "not a studyguide link report"),
        ('{"version": 1}', "no 'results' list"),
        ('{"version": 1, "results": [{"url": "x", "status": "fine"}]}', r"results\[0\]"),
        ('{"version": 1, "results": [{"status": "ok"}]}', r"results\[0\]"),
        (
            '{"version": 1, "results": [{"url": "https://a.test/", "status": "broken",'
            ' "checked_at": "2026-01-01T00:00:00Z", "message": ["<script>alert(1)</script>"]}]}',
            r"results\[0\] is not a link result: 'message' must be text, got list",
        ),
        (
            '{"version": 1, "results": [{"url": "https://a.test/", "status": "ok",'
            ' "checked_at": "2026-01-01T00:00:00Z", "code": 1e400}]}',
            r"'code' must be a whole number",
        ),
        ('{"version": 1, "results": [' * 1 + "[" * 100_000 + "]" * 100_000 + "]}", "nests too"),
        ('{"version": 1, "results": [{"url": "https://a.test/", "status": "ok"}]}', "checked_at"),
    ],
)
def test_load_report_rejects_bad_files_clearly(
    tmp_path: Path, content: str | None, message: str
) -> None:
    path = tmp_path / "links.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(ValueError, match=message) as error:
        load_report(path)
    assert str(path) in str(error.value)
