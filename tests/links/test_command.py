"""`studyguide links` end to end: a small catalogue on disk pointing at the local server."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from studyguide.links.command import links
from studyguide.validate import load_catalogue

from .conftest import Site, redirect

FAST = ["--retries", "0", "--host-interval", "0", "--timeout", "5"]

TOPICS = """\
topics:
  - id: calculus
    title: "Calculus"
    summary: "How quantities change and add up."
    prerequisites: []
resources:
"""

TRACK = """\
id: casual
title: "Casual"
tagline: "For the curious."
audience: "Anyone."
before_you_start: "Nothing."
intro: "Start here."
topics: [calculus]
path:
  calculus:
    - resource: {first}
"""


def write_catalogue(root: Path, urls: dict[str, str]) -> dict[str, str]:
    """Write resources.yaml and tracks/; return each resource's url position as FILE:LINE:COL."""
    lines = TOPICS.splitlines()
    where = {}
    for rid, url in urls.items():
        lines += [f"  - id: {rid}", f'    title: "Resource {rid}"']
        where[rid] = f"resources.yaml:{len(lines) + 1}:10"  # after '    url: '
        lines += [
            f"    url: {url}",
            '    authors: ["A. Author"]',
            '    provider: "Local"',
            "    topics: [calculus]",
            "    goals: [casual]",
            "    format: video",
            "    cost: free",
            "    effort_hours: 2",
            "    level: intro",
            '    why: "It is here."',
        ]
    (root / "resources.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "tracks").mkdir(exist_ok=True)
    (root / "tracks" / "casual.yaml").write_text(
        TRACK.format(first=next(iter(urls))), encoding="utf-8"
    )
    return where


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str) -> Result:
    return CliRunner().invoke(links, list(args), catch_exceptions=False)


def test_the_test_catalogue_is_valid(workdir: Path) -> None:
    where = write_catalogue(workdir, {"a": "https://a.test/", "b": "https://b.test/x"})
    assert where == {"a": "resources.yaml:9:10", "b": "resources.yaml:21:10"}
    catalogue = load_catalogue("resources.yaml", "tracks")
    assert {r.id: str(r.locs["url"]) for r in catalogue.resources} == where


def test_broken_link_fails_with_its_location_and_a_json_report(workdir: Path, site: Site) -> None:
    site.route("/ok", 200)
    site.route("/gone", 404)
    site.route("/old", redirect("/ok", 301))
    urls = {"good": site.url("/ok"), "dead": site.url("/gone"), "moved": site.url("/old")}
    where = write_catalogue(workdir, urls)

    result = run("resources.yaml", "--no-cache", "--json", "out/links.json", *FAST)

    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert f"{where['dead']}: error: {urls['dead']}: broken (HTTP 404 Not Found)" in lines
    assert (
        f"{where['moved']}: warning: {urls['moved']}: redirected permanently to "
        f"{urls['good']}; update the URL"
    ) in lines
    assert not any(urls["good"] + ":" in line for line in lines)
    summary = next(line for line in lines if line.startswith("checked "))
    assert summary.startswith("checked 3 links: 1 ok, 1 redirected, 1 broken in ")
    assert "studyguide links: 1 error, 1 warning" in lines

    report = json.loads((workdir / "out" / "links.json").read_text())
    assert report["version"] == 1
    assert report["generated_at"].endswith("Z")
    by_id = {entry["id"]: entry for entry in report["results"]}
    assert list(by_id) == ["good", "dead", "moved"]
    assert by_id["dead"]["url"] == urls["dead"]
    assert by_id["dead"]["status"] == "broken"
    assert by_id["dead"]["code"] == 404
    assert by_id["dead"]["severity"] == "error"
    assert by_id["moved"]["permanent_redirect"] is True
    assert by_id["moved"]["final_url"] == urls["good"]
    assert by_id["good"]["status"] == "ok"
    assert by_id["good"]["from_cache"] is False
    assert set(by_id["good"]) >= {
        "id",
        "url",
        "status",
        "code",
        "final_url",
        "permanent_redirect",
        "message",
        "checked_at",
        "from_cache",
    }


def test_clean_run_exits_0_and_a_second_run_makes_no_requests(workdir: Path, site: Site) -> None:
    site.route("/a", 200)
    site.route("/b", 200)
    write_catalogue(workdir, {"a": site.url("/a"), "b": site.url("/b")})

    first = run(*FAST)
    assert first.exit_code == 0, first.output
    assert "checked 2 links: 2 ok in " in first.stderr
    assert (workdir / ".linkcache.json").is_file()
    assert len(site.log) == 2

    site.server.clear_log()
    second = run(*FAST)
    assert second.exit_code == 0
    assert "checked 2 links: 2 ok (2 from cache) in " in second.stderr
    assert site.log == []


def test_warnings_fail_on_request(workdir: Path, site: Site) -> None:
    site.route("/old", redirect("/new", 308))
    site.route("/new", 200)
    where = write_catalogue(workdir, {"moved": site.url("/old")})
    assert run("--no-cache", *FAST).exit_code == 0
    strict = run("--no-cache", "--warnings-fail", *FAST)
    assert strict.exit_code == 1
    assert f"{where['moved']}: error: {site.url('/old')}: redirected permanently" in (strict.stderr)


def test_unreachable_host_fails_and_excluded_links_are_skipped(
    workdir: Path, site: Site, refused_url: str
) -> None:
    site.route("/a", 200)
    where = write_catalogue(
        workdir, {"down": refused_url, "skip": "https://skip.test/", "a": site.url("/a")}
    )
    result = run("--no-cache", "--exclude", r"^https://skip\.test/", *FAST)
    assert result.exit_code == 1
    assert f"{where['down']}: error: {refused_url}: unreachable (connection refused)" in (
        result.stderr.splitlines()
    )
    assert "checked 3 links: 1 ok, 1 unreachable, 1 skipped in " in result.stderr


def test_invalid_catalogue_prints_its_diagnostics(workdir: Path, site: Site) -> None:
    where = write_catalogue(workdir, {"bad": "ftp://files.test/x"})
    result = run("--no-cache", *FAST)
    assert result.exit_code == 1
    assert f"{where['bad']}: error: resource 'bad': field 'url'" in result.stderr
    assert site.log == []


@pytest.mark.parametrize(
    "args",
    [
        ["--exclude", "("],
        ["--cache-max-age", "soon"],
        ["--per-host", "0"],
        ["--timeout", "0"],
        ["missing.yaml"],
        ["--tracks", "nowhere"],
        ["--no-such-option"],
    ],
)
def test_usage_errors_exit_2(workdir: Path, args: list[str]) -> None:
    write_catalogue(workdir, {"a": "https://a.test/"})
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert "Error" in result.stderr


def test_url_file_mode_and_plain_progress_in_ci(
    workdir: Path, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", "true")
    site.route("/gone", 404)
    for i in range(20):
        site.route(f"/p{i}", 200)
    lines = ["# links to check", ""]
    lines += [site.url(f"/p{i}") for i in range(20)]
    lines.insert(2, "  " + site.url("/gone"))
    (workdir / "links.txt").write_text("\n".join(lines) + "\n")

    result = run("--url-file", "links.txt", "--no-cache", "--json", "r.json", *FAST)

    assert result.exit_code == 1
    err = result.stderr.splitlines()
    assert f"links.txt:3:3: error: {site.url('/gone')}: broken (HTTP 404 Not Found)" in err
    assert "links: 21/21 checked" in err
    assert "checked 21 links: 20 ok, 1 broken in " in result.stderr
    report = json.loads((workdir / "r.json").read_text())
    assert {entry["id"] for entry in report["results"]} == {None}
    assert len(report["results"]) == 21


def test_command_import_is_cheap() -> None:
    code = (
        "import sys\n"
        "from studyguide.links.command import links\n"
        "from studyguide.links.report import load_report\n"
        "heavy = [m for m in ('httpx', 'rich', 'asyncio') if m in sys.modules]\n"
        "assert links.name == 'links'\n"
        "print(heavy)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "[]"
