"""The plugin's wiring, without a full build: what `mkdocs serve` watches, and config defaults."""

from __future__ import annotations

import gzip
import io
import re
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.files import Files

from studyguide.shipped import ASSETS_DIR, shipped_assets

from .helpers import guide_project


def watched_by_serve(project: Path) -> list[str]:
    """What the plugin asks `mkdocs serve`'s real live-reload server to watch."""
    config = load_config(str(project / "mkdocs.yml"))
    config = config.plugins.on_config(config)
    server = LiveReloadServer(lambda: None, "127.0.0.1", 0, str(project / "site"))
    try:
        config.plugins["studyguide"].on_serve(server, config=config, builder=server.builder)
        return list(server._watched_paths)
    finally:
        server.server_close()


def test_serve_watches_the_catalogue_and_the_tracks(tmp_path: Path) -> None:
    project = guide_project(tmp_path / "project")
    assert watched_by_serve(project) == [str(project / "resources.yaml"), str(project / "tracks")]
    (project / "link-report.json").write_text("{}", encoding="utf-8")
    assert watched_by_serve(project)[-1] == str(project / "link-report.json")


def test_plugin_adds_its_markdown_extensions_and_assets(tmp_path: Path) -> None:
    project = guide_project(tmp_path / "project")
    (project / "mkdocs.yml").write_text(
        "site_name: x\ntheme: {name: material, font: false}\nplugins: [studyguide]\n",
        encoding="utf-8",
    )
    config = load_config(str(project / "mkdocs.yml"))
    config = config.plugins.on_config(config)
    for name in ("attr_list", "md_in_html", "toc", "tables"):
        assert name in config.markdown_extensions
    assert "assets/studyguide/studyguide.css" in config.extra_css
    scripts = [(str(s), getattr(s, "type", "")) for s in config.extra_javascript]
    assert scripts == [("assets/studyguide/main.js", "module")]


@pytest.mark.parametrize(("theme", "warned"), [("material", False), ("mkdocs", True)])
def test_a_theme_other_than_material_is_warned_about(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, theme: str, warned: bool
) -> None:
    project = guide_project(tmp_path / "project")
    (project / "mkdocs.yml").write_text(
        f"site_name: x\ntheme: {{name: {theme}}}\nplugins: [studyguide]\n", encoding="utf-8"
    )
    config = load_config(str(project / "mkdocs.yml"))
    with caplog.at_level("WARNING", logger="mkdocs.plugins.studyguide"):
        config.plugins.on_config(config)
    expected = "with the 'mkdocs' theme their layout and scripts will not work as meant"
    assert (expected in caplog.text) is warned


def test_the_shipped_css_and_js_stay_within_20_kb_gzipped() -> None:
    sizes = {uri: len(gzip.compress(content.encode(), 9)) for uri, content in shipped_assets()}
    assert sum(sizes.values()) < 20 * 1024, sizes
    assert set(sizes) >= {"assets/studyguide/main.js", "assets/studyguide/core.js"}


# A string or the text between a template literal's `${...}` parts, as written in the source.
LITERALS = re.compile(r'"((?:[^"\\\n]|\\.)*)"|`((?:[^`\\]|\\.)*)`')


@pytest.mark.parametrize("name", [p.name for p in sorted(ASSETS_DIR.glob("*.js"))])
def test_minifying_keeps_every_string_as_written(name: str) -> None:
    """rjsmin is not a parser: it mangles a template literal nested in another, so the source
    has none, and every string must survive into the shipped file."""
    source = (ASSETS_DIR / name).read_text(encoding="utf-8")
    shipped = dict(shipped_assets())[f"assets/studyguide/{name}"]
    source = re.sub(r"/\*.*?\*/|(^|\s)//[^\n]*", "", source, flags=re.S)  # comments go
    assert not re.search(r"\$\{[^}]*`", source), "a template literal nested in another"
    pieces = []
    for double, template in LITERALS.findall(source):
        pieces += [double] if double else re.split(r"\$\{[^}]*\}", template)
    missing = [piece for piece in pieces if piece.strip() and piece not in shipped]
    assert missing == []


def test_paths_resolve_against_the_working_directory_without_a_config_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = guide_project(tmp_path / "project")
    monkeypatch.chdir(project)
    config = load_config(
        config_file=io.StringIO(
            "site_name: x\ntheme: {name: material, font: false}\nplugins: [studyguide]\n"
        )
    )
    assert not config.config_file_path
    config = config.plugins.on_config(config)
    files = config.plugins.on_files(Files([]), config=config)
    assert {"tracks/casual.md", "resources/vectors.md"} <= {f.src_uri for f in files}
