"""The plugin's wiring, without a full build: what `mkdocs serve` watches, and config defaults."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config import load_config
from mkdocs.livereload import LiveReloadServer

from .helpers import copy_project


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
    project = copy_project(tmp_path / "project")
    assert watched_by_serve(project) == [str(project / "resources.yaml"), str(project / "tracks")]
    (project / "link-report.json").write_text("{}", encoding="utf-8")
    assert watched_by_serve(project)[-1] == str(project / "link-report.json")


def test_plugin_adds_its_markdown_extensions_and_assets(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    (project / "mkdocs.yml").write_text(
        "site_name: x\ntheme: {name: material, font: false}\nplugins: [studyguide]\n",
        encoding="utf-8",
    )
    config = load_config(str(project / "mkdocs.yml"))
    config = config.plugins.on_config(config)
    for name in ("attr_list", "md_in_html", "toc", "tables"):
        assert name in config.markdown_extensions
    assert "assets/studyguide/studyguide.css" in config.extra_css
