"""The plugin's wiring, without a full build: what `mkdocs serve` watches, and config defaults."""

from __future__ import annotations

import gzip
import io
import os
import re
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.files import File, Files

from studyguide.shipped import ASSETS_DIR, shipped_assets

from .helpers import guide_project, mkdocs_build, studyguide


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


# A static import of one of our modules; `import("./x.js")`, loaded on demand, does not match.
STATIC_IMPORT = re.compile(r'(?:^|[;}\s])import\s*(?:[\w*{}\s,]+\s*from\s*)?"\./([\w.-]+)"')


def first_paint() -> dict[str, str]:
    """What a page loads before it is drawn: the stylesheets, main.js and every module it
    imports statically. Features loaded with `import()` when needed are not part of it."""
    shipped = dict(shipped_assets())
    todo = ["main.js"]
    found = {uri: text for uri, text in shipped.items() if uri.endswith(".css")}
    while todo:
        uri = f"assets/studyguide/{todo.pop()}"
        if uri not in found:
            found[uri] = shipped[uri]
            todo += STATIC_IMPORT.findall(shipped[uri])
    return found


def test_the_css_and_js_of_the_first_paint_stay_within_25_kb_gzipped() -> None:
    """The budget of issue 16: our own files on first paint, each gzipped, at most 25 KB."""
    sizes = {uri: len(gzip.compress(content.encode(), 9)) for uri, content in first_paint().items()}
    assert sum(sizes.values()) <= 25 * 1024, sizes
    assert set(sizes) >= {"assets/studyguide/main.js", "assets/studyguide/core.js"}


def test_progress_links_and_their_qr_library_load_on_demand_only() -> None:
    loaded = first_paint()
    for lazy in ("share.js", "link.js", "vendor/lean-qr-nano.js"):
        assert f"assets/studyguide/{lazy}" in dict(shipped_assets())
        assert f"assets/studyguide/{lazy}" not in loaded


def test_self_checks_review_and_test_outs_load_on_demand_only() -> None:
    loaded = first_paint()
    for lazy in ("review.js", "leitner.js", "testout.js", "testout-core.js"):
        assert f"assets/studyguide/{lazy}" in dict(shipped_assets())
        assert f"assets/studyguide/{lazy}" not in loaded


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


@pytest.mark.parametrize(
    ("option", "value", "problem"),
    [
        ("catalogue", "docs", "'docs' is a folder, not a file"),
        ("link_report", "docs", "'docs' is a folder, not a file"),
        ("catalogue", "pipe", "'pipe' is a named pipe (FIFO), not a file"),
        ("link_report", "loop.json", "'loop.json' is a symbolic link loop, not a file"),
        ("tracks", "resources.yaml", "'resources.yaml' is a regular file, not a folder"),
    ],
)
def test_a_data_option_naming_the_wrong_kind_of_file_is_a_config_error(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, option: str, value: str, problem: str
) -> None:
    project = guide_project(tmp_path / "project", f"{{{option}: {value}}}")
    os.mkfifo(project / "pipe")
    (project / "loop.json").symlink_to("loop.json")
    with pytest.raises(Abort):
        load_config(str(project / "mkdocs.yml"))
    assert (
        f"Config value 'plugins': Plugin 'studyguide' option '{option}': {problem}: "
        f"{project / value}"
    ) in caplog.text


def test_a_file_option_naming_a_folder_fails_with_a_word_of_the_option(
    tmp_path: Path,
) -> None:
    project = guide_project(tmp_path / "project", "{catalogue: docs}")
    built = mkdocs_build(project)
    assert built.returncode == 1
    assert (
        f"Config value 'plugins': Plugin 'studyguide' option 'catalogue': 'docs' is a folder, "
        f"not a file: {project / 'docs'}"
    ) in built.output
    assert "internal error" not in built.output
    (project / "mkdocs.yml").write_text(
        (project / "mkdocs.yml").read_text().replace("catalogue:", "link_report:")
    )
    exported = studyguide(
        "build", "--config", "mkdocs.yml", "--out", str(tmp_path / "out"), cwd=project
    )
    assert exported.returncode == 1  # not 0, with the link report left out without a word
    assert "option 'link_report': 'docs' is a folder, not a file" in exported.stderr
    assert not (tmp_path / "out").exists()


def test_without_directory_urls_a_clash_is_where_the_pages_are_written(tmp_path: Path) -> None:
    project = guide_project(tmp_path / "project")
    with (project / "mkdocs.yml").open("a", encoding="utf-8") as config_file:
        config_file.write("use_directory_urls: false\n")
    config = load_config(str(project / "mkdocs.yml"))
    config = config.plugins.on_config(config)

    def hand_written(*uris: str) -> Files:
        return Files([File(uri, config.docs_dir, config.site_dir, False) for uri in uris])

    # topics.md is topics.html: beside the generated topics/index.html, not over it.
    files = config.plugins.on_files(hand_written("topics.md"), config=config)
    assert {"topics.md", "topics/index.md"} <= {f.src_uri for f in files}
    with pytest.raises(PluginError, match=r"1 generated page\(s\) clash with docs/"):
        config.plugins.on_files(hand_written("topics/index.html"), config=config)
