"""The tool end to end: real `mkdocs build --strict` runs of a small fixture guide, for edit
links, link reports, clashes, located errors, and `make site`'s swap."""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from .helpers import ROOT, guide_project, mkdocs_build

# Builds in a subprocess or runs long: `make quick` leaves it out.
pytestmark = pytest.mark.slow


def test_edit_links_point_at_the_data_files(tmp_path: Path) -> None:
    project = guide_project(tmp_path / "project")
    config = project / "mkdocs.yml"
    config.write_text(
        "repo_url: https://github.com/example/studyguide\nedit_uri: edit/main/docs/\n"
        + config.read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    result = mkdocs_build(project)
    assert result.returncode == 0, result.output
    base = "https://github.com/example/studyguide/edit/main/"
    expected = {
        "tracks/casual/index.html": base + "tracks/casual.yaml",
        "topics/calculus/index.html": base + "resources.yaml",
        "resources/vectors/index.html": base + "resources.yaml",
        "concepts/derivative/index.html": base + "resources.yaml",
        "about/index.html": base + "docs/about.md",
    }
    for page, url in expected.items():
        assert f'href="{url}"' in (result.site / page).read_text(encoding="utf-8"), page
    home = (result.site / "index.html").read_text(encoding="utf-8")
    assert base + "tracks" not in home  # no edit link to a folder


def test_edit_links_follow_edit_uri_template_and_data_outside_the_project(tmp_path: Path) -> None:
    project = guide_project(tmp_path / "site", "{catalogue: ../data/resources.yaml}")
    data = tmp_path / "data"
    data.mkdir()
    shutil.move(project / "resources.yaml", data / "resources.yaml")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        "repo_url: https://git.example/me/guide\n"
        "edit_uri_template: https://git.example/me/guide/-/edit/main/site/docs/{path}?ref=x\n"
        + text,
        encoding="utf-8",
    )
    result = mkdocs_build(project)
    assert result.returncode == 0, result.output
    topic = (result.site / "topics" / "calculus" / "index.html").read_text(encoding="utf-8")
    assert 'href="https://git.example/me/guide/-/edit/main/data/resources.yaml?ref=x"' in topic
    track = (result.site / "tracks" / "casual" / "index.html").read_text(encoding="utf-8")
    assert 'href="https://git.example/me/guide/-/edit/main/site/tracks/casual.yaml?ref=x"' in track


def test_a_link_report_with_a_wrong_type_fails_the_build_clearly(tmp_path: Path) -> None:
    project = guide_project(tmp_path / "project")
    report = {
        "version": 1,
        "results": [
            {"url": "https://example.org/proofs", "status": "broken",
             "checked_at": "2026-11-20T05:17:03Z", "message": ["<script>alert(1)</script>"]},
        ],
    }  # fmt: skip
    (project / "link-report.json").write_text(json.dumps(report), encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode == 1
    assert "results[0] is not a link result: 'message' must be text, got list" in result.output
    assert "Traceback" not in result.output


def test_a_clash_with_a_hand_written_page_names_both(tmp_path: Path) -> None:
    project = guide_project(tmp_path / "project")
    (project / "docs" / "tracks").mkdir()
    (project / "docs" / "tracks" / "casual.md").write_text("# Mine\n", encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode != 0
    assert "docs/tracks/casual.md: the hand-written file clashes with the page" in result.output
    assert (
        f"generates at tracks/casual.md from {project / 'tracks' / 'casual.yaml'}" in result.output
    )
    assert (project / "docs" / "tracks" / "casual.md").read_text(encoding="utf-8") == "# Mine\n"


def test_bad_data_fails_the_build_with_located_messages(tmp_path: Path) -> None:
    project = guide_project(tmp_path / "project")
    catalogue = project / "resources.yaml"
    text = catalogue.read_text(encoding="utf-8")
    catalogue.write_text(text.replace("format: video", "format: vidoe", 1), encoding="utf-8")
    line = text[: text.index("format: video")].count("\n") + 1
    result = mkdocs_build(project)
    assert result.returncode != 0
    assert f"resources.yaml:{line}:13: error: resource " in result.output
    assert "'vidoe' is not one of video, course" in result.output
    assert "did you mean 'video'?" in result.output
    assert "Traceback" not in result.output


def test_make_site_keeps_the_old_site_when_a_build_fails(tmp_path: Path) -> None:
    project = guide_project(tmp_path / "project")
    for name in ("Makefile", "pyproject.toml", "constraints.txt", "scripts/swap_site.py"):
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, project / name)
    venv = f"VENV={ROOT / '.venv'}"
    make = ["make", "--no-print-directory", "-C", str(project), "site", venv, "BOOTSTRAP="]
    first = subprocess.run(make, capture_output=True, text=True, check=False)
    assert first.returncode == 0, first.stdout + first.stderr
    assert (project / "site").is_symlink()
    good = (project / "site" / "index.html").read_text(encoding="utf-8")
    (project / "resources.yaml").write_text("topics: [\n", encoding="utf-8")
    second = subprocess.run(make, capture_output=True, text=True, check=False)
    assert second.returncode != 0
    assert "resources.yaml:2:1: error: YAML syntax error" in second.stdout + second.stderr
    assert (project / "site" / "index.html").read_text(encoding="utf-8") == good


def _swap_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("swap_site", ROOT / "scripts" / "swap_site.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _build(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True)
    (folder / "index.html").write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize("stop_at", [1, 2, 3, 4, 5])
@pytest.mark.parametrize("first_time", [False, True], ids=["linked", "a plain folder"])
def test_an_interrupted_swap_leaves_the_old_site_or_the_new(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stop_at: int, first_time: bool
) -> None:
    """Kill the swap after each of its file-system steps: site/ is always a whole site."""
    swap = _swap_module()
    site = tmp_path / "site"
    if first_time:
        _build(site, "old")
    else:
        swap.swap(_build(tmp_path / "b0", "old"), site)
    steps = 0

    def counted(real: Callable[..., Any]) -> Callable[..., Any]:
        def step(*args: Any, **kwargs: Any) -> Any:
            nonlocal steps
            steps += 1
            if steps == stop_at:
                raise KeyboardInterrupt  # as if the process were killed here
            return real(*args, **kwargs)

        return step

    for name in ("rename", "replace", "symlink"):
        monkeypatch.setattr(swap.os, name, counted(getattr(os, name)))
    monkeypatch.setattr(swap.shutil, "rmtree", counted(shutil.rmtree))
    with contextlib.suppress(KeyboardInterrupt):
        swap.swap(_build(tmp_path / "b1", "new"), site)
    shown = (site / "index.html").read_text(encoding="utf-8") if site.exists() else None
    if first_time and stop_at == 4:
        # After a plain folder is moved aside, the one moment with nothing in its place.
        assert shown in (None, "old", "new")
    else:
        assert shown in ("old", "new"), (stop_at, shown)


def test_a_corrupt_link_report_is_a_clear_error(tmp_path: Path) -> None:
    project = guide_project(tmp_path / "project")
    (project / "link-report.json").write_text("{not json", encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode != 0
    assert "link-report.json: the link report is not valid JSON" in result.output
    assert "Traceback" not in result.output
