"""`studyguide export`: the site as a project with no plugin. Its mkdocs.yml says what the plugin
adds; exported again, only what changed is rewritten; and it refuses to write over a folder
that is not an earlier export. (That MkDocs builds the export into the plugin's site, page by
page, is tested in tests/browser/test_engines.py, which has both builds at hand.)"""

from __future__ import annotations

import os
import re
from pathlib import Path

import yaml
from click.testing import CliRunner

from studyguide.cli import cli

from .helpers import guide_project


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


class _Result:
    def __init__(self, code: int, stderr: str) -> None:
        self.returncode, self.stderr = code, stderr


def studyguide(*args: str, cwd: Path) -> _Result:
    """The CLI in this process (CliRunner), run in `cwd`."""
    before = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(cli, list(args))
    finally:
        os.chdir(before)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return _Result(result.exit_code, result.stderr)


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
