"""`mkdocs serve --dirty` (what `make serve` runs) rewrites only the pages an edit changes, and
what it serves is, file for file, what a clean build of the same data gives."""

from __future__ import annotations

import os
import queue
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from studyguide.validate import load_catalogue

from .helpers import guide_project, mkdocs_build, site_files, studyguide

# Builds in a subprocess or runs long: `make quick` leaves it out.
pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """A real `mkdocs serve --dirty` of project, building into a folder under tmp."""

    def __init__(self, project: Path, tmp: Path, url: str, prelude: str = "") -> None:
        """`prelude` is Python run in the server's process before MkDocs starts."""
        port = url.rsplit(":", 1)[1].strip("/")
        env = {**os.environ, "TMPDIR": str(tmp), "SITE_URL": url, "NO_MKDOCS_2_WARNING": "1"}
        run = f"{prelude}\nimport sys\nfrom mkdocs.__main__ import cli\nsys.exit(cli())"
        command = [sys.executable, "-c", run, "serve", "--dirty"]
        command += ["-f", str(project / "mkdocs.yml"), "-a", f"127.0.0.1:{port}"]
        self.process = subprocess.Popen(
            command, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.log: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.wait("Documentation built in")
        self.wait("Serving on")
        # The watcher's first look at the files happens on its own thread just after this:
        # an edit before it would be part of what it sees as unchanged.
        time.sleep(1)
        (self.site,) = tmp.glob("mkdocs_*")

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.put(line)

    def wait(self, text: str) -> str:
        """The server's log up to the next line containing text."""
        seen: list[str] = []
        while True:
            try:
                line = self.lines.get(timeout=300)
            except queue.Empty:
                raise AssertionError(f"no {text!r} in:\n{''.join(self.log + seen)}") from None
            seen.append(line)
            if text in line:
                self.log += seen
                return "".join(seen)

    def rebuilt(self) -> str:
        """The log up to the end of the next successful rebuild. Not "Documentation built in":
        MkDocs' DuplicateFilter drops that line when a rebuild takes as long as an earlier one
        (0.14 s twice, say), so waiting for it could wait for ever."""
        return self.wait("Reloading browsers")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(30)
        self.reader.join(30)
        assert self.process.stderr is not None
        self.process.stderr.close()


def _assert_same_as_clean(
    server: Server, project: Path, tmp: Path, name: str, where: str = "after the edit"
) -> None:
    built = mkdocs_build(project, tmp / name)
    assert built.returncode == 0, built.output
    served, clean = site_files(server.site), site_files(built.site)
    assert sorted(served) == sorted(clean), where
    differ = [path for path in clean if served[path] != clean[path]]
    assert differ == [], f"{len(differ)} files differ from a clean build {where}, e.g. {differ[:5]}"


def _page_html(markdown_path: str) -> str:
    path = markdown_path.removesuffix(".md")
    if path == "index" or path.endswith("/index"):
        return path + ".html"
    return path + "/index.html"


def _export(project: Path, out: Path) -> dict[str, bytes]:
    done = studyguide("build", "--config", "mkdocs.yml", "--out", str(out), cwd=project)
    assert done.returncode == 0, done.stderr
    return {p: data for p, data in site_files(out).items() if p.endswith(".md")}


def _mtimes(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_mtime_ns for p in site.rglob("*.html")}


@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Server, Path]]:
    project = guide_project(tmp_path / "project")
    url = f"http://127.0.0.1:{_free_port()}/"
    monkeypatch.setenv("SITE_URL", url)  # the clean builds use the served address too
    (tmp_path / "serve").mkdir()
    server = Server(project, tmp_path / "serve", url)
    try:
        yield server, project
    finally:
        server.stop()


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_edit_rewrites_only_the_pages_it_changes_and_equals_a_clean_build(
    served: tuple[Server, Path], tmp_path: Path
) -> None:
    server, project = served
    catalogue_file = project / "resources.yaml"
    resources = load_catalogue(catalogue_file, project / "tracks").resources
    # The first, a middle and the last entry: a page rebuilt ahead of the pages a live reload
    # skips must not change the order of anything built from all of them (tags.json, say).
    chosen = [resources[0], resources[len(resources) // 2], resources[-1]]
    assert len({r.id for r in chosen}) == 3
    before = _export(project, tmp_path / "export-0")
    for n, resource in enumerate(chosen, 1):
        entry = resources.index(resource) + 1
        where = f"after editing {resource.id!r} (entry {entry} of {len(resources)})"
        times = _mtimes(server.site)
        _edit(catalogue_file, f"title: {resource.title}\n", f"title: {resource.title} (edited)\n")
        server.rebuilt()
        after = _export(project, tmp_path / f"export-{n}")
        changed = {_page_html(p) for p in after if before.get(p) != after[p]}
        rewritten = {p for p, t in _mtimes(server.site).items() if times.get(p) != t}
        assert f"resources/{resource.id}/index.html" in changed, where
        assert "about/index.html" not in changed, where
        assert any(p.startswith("resources/") for p in times.keys() - changed), where
        # 404.html is a theme template, written on every build.
        assert rewritten - {"404.html"} == changed, where
        assert not (project / ".cache").exists(), where  # serving leaves the build cache alone
        _assert_same_as_clean(server, project, tmp_path, f"clean-{n}", where)
        shutil.rmtree(project / ".cache")  # the clean build's: serving must not make one
        served_page = (server.site / "resources" / resource.id / "index.html").read_text("utf-8")
        assert f"{resource.title} (edited)" in served_page, where
        before = after


def test_nav_changes_errors_and_removals_end_in_a_clean_builds_output(
    served: tuple[Server, Path], tmp_path: Path
) -> None:
    server, project = served
    catalogue_file = project / "resources.yaml"
    catalogue = load_catalogue(catalogue_file, project / "tracks")
    topic = catalogue.topics[0]
    first = catalogue.resources[0]
    # A new topic title changes the nav of every page; a new resource adds a page.
    text = catalogue_file.read_text(encoding="utf-8")
    entry = re.search(r"\n  - id: " + re.escape(first.id) + r"\n(?:    .*\n)+", text)
    assert entry is not None
    copy = entry.group(0).replace(f"id: {first.id}", "id: added-for-the-test", 1)
    copy = copy.replace("url: https://", "url: https://example.org/added?", 1)
    text = text.replace(entry.group(0), entry.group(0) + copy.lstrip("\n"), 1)
    text = text.replace(f"title: {topic.title}\n", f"title: {topic.title} renamed\n", 1)
    catalogue_file.write_text(text, encoding="utf-8")
    server.rebuilt()
    assert (server.site / "resources" / "added-for-the-test" / "index.html").is_file()
    _assert_same_as_clean(server, project, tmp_path, "clean-1")

    # Removing a page that is in no nav is no full build: its file and search entries go.
    removed = text.replace(copy.lstrip("\n"), "", 1)
    catalogue_file.write_text(removed, encoding="utf-8")
    server.rebuilt()
    assert not (server.site / "resources" / "added-for-the-test").exists()
    _assert_same_as_clean(server, project, tmp_path, "clean-2")

    # A broken catalogue fails the build; the fix after it builds right.
    _edit(catalogue_file, f"id: {first.id}\n", f"id: {first.id}\n    bogus: 1\n")
    failed = server.wait("Aborted")
    assert "bogus" in failed
    catalogue_file.write_text(removed.replace(first.title, f"{first.title}, fixed"), "utf-8")
    server.rebuilt()
    _assert_same_as_clean(server, project, tmp_path, "clean-3")


def test_when_an_internal_is_not_as_expected_every_build_is_full_and_the_log_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = guide_project(tmp_path / "project")
    url = f"http://127.0.0.1:{_free_port()}/"
    monkeypatch.setenv("SITE_URL", url)
    (tmp_path / "serve").mkdir()
    # A MkDocs whose dirty-build warning reads otherwise, as after a rename upstream.
    broken = "import studyguide.mkdocs_internals as m; m.DIRTY_WARNING = 'A warning of old'"
    server = Server(project, tmp_path / "serve", url, prelude=broken)
    try:
        said = (
            "studyguide: live reload rebuilds every page: MkDocs' dirty-build warning has changed"
        )
        assert said in "".join(server.log)
        times = _mtimes(server.site)
        catalogue = load_catalogue(project / "resources.yaml", project / "tracks")
        first = catalogue.resources[0]
        _edit(project / "resources.yaml", f"title: {first.title}\n", f"title: {first.title}!\n")
        server.rebuilt()
        rewritten = {p for p, t in _mtimes(server.site).items() if times.get(p) != t}
        assert "about/index.html" in rewritten  # a page the edit does not touch: a full build
        assert rewritten == set(times)
        _assert_same_as_clean(server, project, tmp_path, "clean")
    finally:
        server.stop()


def test_the_installed_mkdocs_and_material_are_as_live_reload_expects() -> None:
    from studyguide import mkdocs_internals

    assert mkdocs_internals.check() is None
