"""The result cache: hits make no requests, failures are not kept, bad files never crash."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path

import pytest

from studyguide.links.cache import CACHE_FORMAT, LinkCache
from studyguide.links.result import LinkResult, LinkStatus

from .conftest import Checker, FakeTime, Site


@pytest.fixture
def cache_file(tmp_path: Path) -> Path:
    return tmp_path / "cache" / ".linkcache.json"


def test_cache_hit_makes_zero_requests(check: Checker, site: Site, cache_file: Path) -> None:
    site.route("/a", 200)
    site.route("/b", 200)
    urls = [site.url("/a"), site.url("/b")]
    first = check(urls, cache_path=cache_file)
    assert [r.from_cache for r in first] == [False, False]
    assert len(site.log) == 2

    site.server.clear_log()
    second = check(urls, cache_path=cache_file)
    assert site.log == []
    assert [(r.status, r.from_cache, r.attempts) for r in second] == [("ok", True, 0)] * 2
    assert [r.checked_at for r in second] == [r.checked_at for r in first]


def test_cache_file_shape(check: Checker, site: Site, cache_file: Path) -> None:
    site.route("/a", 200)
    check([site.url("/a")], cache_path=cache_file)
    data = json.loads(cache_file.read_text())
    assert data["format"] == CACHE_FORMAT
    assert data["version"] == 1
    entry = data["entries"][site.url("/a")]
    assert entry["status"] == "ok"
    assert entry["checked_at"] == "2026-01-01T00:00:00Z"
    # Written through a temporary file that is gone afterwards (the lock file stays).
    names = sorted(p.name for p in cache_file.parent.iterdir())
    assert names == [".linkcache.json", ".linkcache.json.lock"]


def test_failures_are_not_cached_by_default(check: Checker, site: Site, cache_file: Path) -> None:
    site.route("/ok", 200)
    site.route("/gone", 404)
    urls = [site.url("/ok"), site.url("/gone")]
    check(urls, cache_path=cache_file)
    assert list(json.loads(cache_file.read_text())["entries"]) == [site.url("/ok")]

    site.server.clear_log()
    second = check(urls, cache_path=cache_file)
    assert site.log == [("HEAD", "/gone"), ("GET", "/gone")]
    assert [(r.status, r.from_cache) for r in second] == [("ok", True), ("broken", False)]


def test_failures_are_cached_when_asked(check: Checker, site: Site, cache_file: Path) -> None:
    site.route("/gone", 404)
    check([site.url("/gone")], cache_path=cache_file, cache_failures=True)
    site.server.clear_log()
    [again] = check([site.url("/gone")], cache_path=cache_file, cache_failures=True)
    assert site.log == []
    assert (again.status, again.from_cache) == ("broken", True)


def test_entries_older_than_the_max_age_are_checked_again(
    check: Checker, site: Site, cache_file: Path, fake_time: FakeTime
) -> None:
    site.route("/a", 200)
    age = timedelta(hours=6)
    check([site.url("/a")], cache_path=cache_file, cache_max_age=age)
    fake_time.advance(5 * 3600)
    site.server.clear_log()
    [fresh] = check([site.url("/a")], cache_path=cache_file, cache_max_age=age)
    assert fresh.from_cache
    assert site.log == []

    fake_time.advance(2 * 3600)
    [stale] = check([site.url("/a")], cache_path=cache_file, cache_max_age=age)
    assert not stale.from_cache
    assert site.log == [("HEAD", "/a")]
    assert stale.checked_at == "2026-01-01T07:00:00Z"


def test_a_new_failure_evicts_the_old_success(
    check: Checker, site: Site, cache_file: Path, fake_time: FakeTime
) -> None:
    site.route("/a", 200)
    check([site.url("/a")], cache_path=cache_file)
    fake_time.advance(2 * 86400)
    site.reset()
    site.route("/a", 410)
    [result] = check([site.url("/a")], cache_path=cache_file)
    assert result.status == "broken"
    assert json.loads(cache_file.read_text())["entries"] == {}


@pytest.mark.parametrize(
    ("content", "warning"),
    [
        ("{not json", "not valid JSON"),
        ('["a list"]', "not a studyguide link cache"),
        ('{"format": "lychee", "entries": {}}', "not a studyguide link cache"),
        ("", "not valid JSON"),
    ],
)
def test_a_corrupt_cache_is_ignored_with_a_warning(
    check: Checker, site: Site, cache_file: Path, content: str, warning: str
) -> None:
    site.route("/a", 200)
    cache_file.parent.mkdir(parents=True)
    cache_file.write_text(content)
    [result] = check([site.url("/a")], cache_path=cache_file)
    assert result.status == "ok"
    assert not result.from_cache
    assert len(check.warnings) == 1
    assert warning in check.warnings[0]
    assert str(cache_file) in check.warnings[0]
    # Replaced by a good cache.
    assert site.url("/a") in json.loads(cache_file.read_text())["entries"]


def test_malformed_entries_are_dropped_one_by_one(
    check: Checker, site: Site, cache_file: Path
) -> None:
    site.route("/a", 200)
    site.route("/b", 200)
    check([site.url("/a"), site.url("/b")], cache_path=cache_file)
    data = json.loads(cache_file.read_text())
    data["entries"][site.url("/b")]["checked_at"] = "yesterday"
    cache_file.write_text(json.dumps(data))
    site.server.clear_log()
    results = check([site.url("/a"), site.url("/b")], cache_path=cache_file)
    assert [r.from_cache for r in results] == [True, False]
    assert site.log == [("HEAD", "/b")]
    assert check.warnings == [f"{cache_file}: ignored 1 malformed link cache entry"]


def test_an_unwritable_cache_warns_and_keeps_the_old_file(
    check: Checker, site: Site, cache_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.route("/a", 200)
    cache_file.parent.mkdir(parents=True)
    cache_file.write_text("{broken")

    def fail(src: str, dst: Path) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    [result] = check([site.url("/a")], cache_path=cache_file)
    assert result.status == "ok"
    assert any("cannot write the link cache (disk full)" in w for w in check.warnings)
    assert cache_file.read_text() == "{broken"
    names = sorted(p.name for p in cache_file.parent.iterdir())
    assert names == [".linkcache.json", ".linkcache.json.lock"]  # no temporary file left


def test_excluded_urls_are_neither_cached_nor_requested(
    check: Checker, site: Site, cache_file: Path
) -> None:
    site.route("/a", 200)
    check([site.url("/a")], cache_path=cache_file, exclude=("/a",))
    assert site.log == []
    assert json.loads(cache_file.read_text())["entries"] == {}


def result_at(url: str, status: str, when: str) -> LinkResult:
    return LinkResult(url, LinkStatus(status), code=200, checked_at=when)


def test_two_runs_sharing_a_cache_add_up(cache_file: Path) -> None:
    """Each save merges what another run wrote since it read: the last writer does not win."""
    first = LinkCache.load(cache_file, print)
    second = LinkCache.load(cache_file, print)
    second.update([result_at("https://b.test/", "ok", "2026-01-01T00:00:02Z")], False)
    second.save()
    first.update([result_at("https://a.test/", "ok", "2026-01-01T00:00:01Z")], False)
    first.save()
    merged = LinkCache.load(cache_file, print).entries
    assert sorted(merged) == ["https://a.test/", "https://b.test/"]


def test_merging_keeps_the_newer_result_and_honours_a_newer_failure(cache_file: Path) -> None:
    old = LinkCache.load(cache_file, print)
    old.update(
        [
            result_at("https://a.test/", "ok", "2026-01-01T00:00:01Z"),
            result_at("https://b.test/", "ok", "2026-01-01T00:00:01Z"),
        ],
        False,
    )
    old.save()
    mine = LinkCache.load(cache_file, print)  # has a and b from the first run
    theirs = LinkCache.load(cache_file, print)
    theirs.update([result_at("https://a.test/", "ok", "2026-01-01T00:00:09Z")], False)
    theirs.save()
    # This run found b broken after the other run's success: b must not come back.
    mine.update([result_at("https://b.test/", "broken", "2026-01-01T00:00:05Z")], False)
    mine.save()
    merged = LinkCache.load(cache_file, print).entries
    assert sorted(merged) == ["https://a.test/"]
    assert merged["https://a.test/"].checked_at == "2026-01-01T00:00:09Z"


@pytest.mark.parametrize(
    "text",
    [
        '{"format": "studyguide-linkcache", "version": 1, "entries": {"https://a.test/":'
        ' {"status": "ok", "checked_at": "2026-01-01T00:00:00Z", "code": 1e400}}}',
        '{"format": "studyguide-linkcache", "version": 1, "entries": {"https://a.test/":'
        ' {"status": "ok", "checked_at": "2026-01-01T00:00:00Z", "attempts": 1e400}}}',
        "[" * 100_000 + "]" * 100_000,
    ],
    ids=["code 1e400", "attempts 1e400", "deeply nested"],
)
def test_hostile_cache_files_are_ignored_with_a_warning(cache_file: Path, text: str) -> None:
    cache_file.parent.mkdir(parents=True, exist_ok=True)
    cache_file.write_text(text)
    warnings: list[str] = []
    assert LinkCache.load(cache_file, warnings.append).entries == {}
    assert len(warnings) == 1
    assert str(cache_file) in warnings[0]
