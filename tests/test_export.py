"""`studyguide export`: the site as a project with no plugin. Built by MkDocs, it is the plugin's
site, page by page; exported again, only what changed is rewritten; and it refuses to write
over a folder that is not an earlier export."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml

from .helpers import copy_project, guide_project, mkdocs_build, studyguide


class _Tokens(HTMLParser):
    """A page as tags, attributes and text, entities decoded and whitespace-only text left out:
    the export writes contributor text with punctuation as entities, which reads the same."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[Any] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tokens.append(("<", tag, tuple(attrs)))

    def handle_endtag(self, tag: str) -> None:
        self.tokens.append((">", tag))

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.tokens.append(("text", " ".join(data.split())))


def tokens(path: Path) -> list[Any]:
    parser = _Tokens()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.tokens


def comparable(site: Path, rel: str) -> Any:
    path = site / rel
    if path.suffix == ".html":
        return tokens(path)
    if rel == "search/search_index.json":  # the same entries, in the order files were added
        index = json.loads(path.read_text(encoding="utf-8"))
        return index["config"], sorted(json.dumps(d, sort_keys=True) for d in index["docs"])
    if rel == "tags.json":
        return sorted(
            json.dumps(m, sort_keys=True) for m in json.loads(path.read_bytes())["mappings"]
        )
    return path.read_bytes()


def test_the_export_built_by_mkdocs_is_the_plugins_site_page_by_page(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    plugin = mkdocs_build(project, tmp_path / "plugin-site")
    assert plugin.returncode == 0, plugin.output
    done = studyguide("export", str(tmp_path / "export"), cwd=project)
    assert done.returncode == 0, done.stderr
    assert "build it there with `mkdocs build` or `zensical build`" in done.stderr
    exported = mkdocs_build(tmp_path / "export", tmp_path / "export-site")
    assert exported.returncode == 0, exported.output
    files = sorted(
        p.relative_to(plugin.site).as_posix() for p in plugin.site.rglob("*") if p.is_file()
    )
    assert files == sorted(
        p.relative_to(exported.site).as_posix() for p in exported.site.rglob("*") if p.is_file()
    )
    assert len([f for f in files if f.endswith(".html")]) > 150
    differ = [f for f in files if comparable(plugin.site, f) != comparable(exported.site, f)]
    assert differ == []


def test_the_exported_config_says_what_the_plugin_adds_and_keeps_the_rest(tmp_path: Path) -> None:
    project = guide_project(tmp_path / "site", "{prefix: guide/, home: {heading: Maths}}")
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8")
        + "nav: [about.md, {Study guide: guide/}]\n"
        + "markdown_extensions: [admonition, {toc: {permalink: true}}]\n"
        + "extra: {art: !relative $config_dir/art}\n",
        encoding="utf-8",
    )
    done = studyguide("export", "../out", cwd=project)
    assert done.returncode == 0, done.stderr
    assert "studyguide: the guide's pages are in the nav where it names 'guide/'" in done.stderr
    text = (tmp_path / "out" / "mkdocs.yml").read_text(encoding="utf-8")
    assert text.startswith("# Written by `studyguide export` from mkdocs.yml")
    assert "site_url: !ENV\n- SITE_URL\n- ''\n" in text  # tags stay as written
    assert "  art: !relative '$config_dir/art'\n" in text
    written = yaml.load(text, Loader=_Lenient)
    assert written["plugins"] == ["search", "tags"]
    assert written["docs_dir"] == "docs"
    assert written["nav"][0] == "about.md"
    assert written["nav"][1]["Study guide"][0] == {"Home": "guide/index.md"}
    assert written["markdown_extensions"] == [
        "admonition", {"toc": {"permalink": True}}, "attr_list", "md_in_html", "tables"
    ]  # fmt: skip
    assert written["extra_css"] == ["assets/studyguide/studyguide.css"]
    assert written["extra_javascript"] == [{"path": "assets/studyguide/main.js", "type": "module"}]
    assert "/guide/resources/pictures.md\n" in written["not_in_nav"]
    assert (
        tmp_path / "out" / "docs" / "about.md"
    ).read_text() == "# About this guide\n\nWho wrote it.\n"
    assert (tmp_path / "out" / "docs" / "guide" / "tracks" / "casual.md").is_file()


class _Lenient(yaml.SafeLoader):
    pass


_Lenient.add_multi_constructor("!", lambda loader, suffix, node: f"<{node.tag}>")


def test_exporting_again_rewrites_only_what_changed(tmp_path: Path) -> None:
    project = guide_project(tmp_path / "site")
    out = tmp_path / "out"
    assert studyguide("export", str(out), cwd=project).returncode == 0
    stale = out / "docs" / "stale.md"
    stale.write_text("# Left from before\n", encoding="utf-8")
    catalogue = project / "resources.yaml"
    text = catalogue.read_text(encoding="utf-8")
    title = re.search(r"\n    title: (.+)\n", text.split("\nresources:\n", 1)[1])
    assert title is not None
    catalogue.write_text(text.replace(title.group(1), '"A renamed resource"', 1), encoding="utf-8")
    again = studyguide("export", str(out), cwd=project)
    assert again.returncode == 0, again.stderr
    written = re.search(r"(\d+) files written, (\d+) removed, (\d+) unchanged", again.stderr)
    assert written is not None
    # The resource's page, the track and topic pages that list it, and the catalogue.
    assert 1 <= int(written.group(1)) <= 8, again.stderr
    assert written.group(2) == "1"
    assert not stale.exists()
    assert any(
        "A renamed resource" in p.read_text() for p in (out / "docs" / "resources").iterdir()
    )


def test_export_refuses_a_folder_that_is_not_an_earlier_export(tmp_path: Path) -> None:
    project = guide_project(tmp_path / "site")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me", encoding="utf-8")
    done = studyguide("export", str(mine), cwd=project)
    assert done.returncode == 1
    assert f"{mine} is not empty and is not an earlier export" in done.stderr
    assert (mine / "notes.txt").read_text() == "keep me"
    inside = studyguide("export", "docs/out", cwd=project)
    assert inside.returncode == 1
    assert "docs/out: export into a folder of its own, outside" in inside.stderr
    assert "Traceback" not in done.stderr + inside.stderr
