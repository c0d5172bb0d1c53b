"""A build of unchanged data reads its pages from the cache, and gives the same site; any
change to the data, the link report or the options builds afresh."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from studyguide.cache import input_digest

from .helpers import guide_project, mkdocs_build, site_files

READ_BACK = "studyguide: nothing changed; the pages are read from"


def _build(project: Path, site: Path) -> str:
    # --verbose shows the plugin's debug line when it reads the cache.
    built = mkdocs_build(project, site, verbose=True)
    assert built.returncode == 0, built.output
    return built.output


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return guide_project(tmp_path_factory.mktemp("cache") / "project")


def test_a_second_build_reads_the_cache_and_gives_the_same_site(project: Path) -> None:
    first = _build(project, project / "site-1")
    assert READ_BACK not in first
    assert (project / ".cache" / "studyguide" / "pages.json").is_file()
    second = _build(project, project / "site-2")
    assert READ_BACK in second
    one, two = site_files(project / "site-1"), site_files(project / "site-2")
    assert sorted(one) == sorted(two)
    assert [path for path in one if one[path] != two[path]] == []


def test_an_edit_builds_afresh_and_shows(project: Path) -> None:
    _build(project, project / "site-warm")
    catalogue = project / "resources.yaml"
    text = catalogue.read_text(encoding="utf-8")
    catalogue.write_text(text.replace("title: Vectors first", "title: Vectors, edited"), "utf-8")
    try:
        output = _build(project, project / "site-edited")
        assert READ_BACK not in output
        page = project / "site-edited" / "resources" / "vectors" / "index.html"
        assert "Vectors, edited" in page.read_text(encoding="utf-8")
    finally:
        catalogue.write_text(text, encoding="utf-8")


def test_bad_data_after_a_cached_build_is_reported_not_read_back(project: Path) -> None:
    _build(project, project / "site-warm")
    catalogue = project / "resources.yaml"
    text = catalogue.read_text(encoding="utf-8")
    catalogue.write_text(text.replace("  - id: ", "  - idd: ", 1), encoding="utf-8")
    try:
        built = mkdocs_build(project, project / "site-bad")
        assert built.returncode != 0
        assert "resources.yaml:" in built.output
        assert "unknown field 'idd'" in built.output
    finally:
        catalogue.write_text(text, encoding="utf-8")


def test_a_damaged_cache_is_ignored(project: Path) -> None:
    _build(project, project / "site-warm")
    entry = project / ".cache" / "studyguide" / "pages.json"
    entry.write_text(json.dumps({"key": "x", "pages": 3})[:20], encoding="utf-8")
    output = _build(project, project / "site-after")
    assert READ_BACK not in output
    assert json.loads(entry.read_text(encoding="utf-8"))["key"] != "x"


def test_the_digest_covers_data_options_and_missing_files(tmp_path: Path) -> None:
    data = tmp_path / "data.yaml"
    data.write_text("a: 1\n", encoding="utf-8")
    missing = tmp_path / "nowhere.json"
    base = input_digest([data, missing], {"heading": "A"})
    assert input_digest([data, missing], {"heading": "A"}) == base
    assert input_digest([data, missing], {"heading": "B"}) != base
    data.write_text("a: 2\n", encoding="utf-8")
    assert input_digest([data, missing], {"heading": "A"}) != base
    missing.write_text("{}", encoding="utf-8")
    data.write_text("a: 1\n", encoding="utf-8")
    assert input_digest([data, missing], {"heading": "A"}) != base
    assert sys.modules["studyguide.cache"].code_digest()  # the package's own files count


def test_formulas_are_read_back_after_an_edit_and_still_sanitised(project: Path) -> None:
    _build(project, project / "site-formulas")
    entry = project / ".cache" / "studyguide" / "maths.json"
    data = json.loads(entry.read_text(encoding="utf-8"))
    assert any("lim" in latex for latex, _, _ in data["formulas"])
    # A cache someone tampered with: each conversion gains a script and a marker.
    data["formulas"] = [
        [latex, display, out.replace("</math>", "<script>alert(1)</script><mi>SEEN</mi></math>")]
        for latex, display, out in data["formulas"]
    ]
    entry.write_text(json.dumps(data), encoding="utf-8")
    catalogue = project / "resources.yaml"
    text = catalogue.read_text(encoding="utf-8")
    catalogue.write_text(text.replace("title: Vectors first", "title: Vectors again"), "utf-8")
    try:
        output = _build(project, project / "site-tampered")
        assert READ_BACK not in output  # the data changed: pages are made afresh
        page = project / "site-tampered" / "concepts" / "derivative" / "index.html"
        html = page.read_text(encoding="utf-8")
        assert "<mi>SEEN</mi>" in html  # the formula came from the cache
        assert "<script>alert" not in html  # and was sanitised all the same
    finally:
        catalogue.write_text(text, encoding="utf-8")
