"""The guide as one section of a bigger MkDocs site: `prefix`, `home`, `contributing`, `nav`."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from studyguide.plugin import StudyGuidePlugin

from .helpers import ROOT, mkdocs_build, studyguide

# Builds in a subprocess or runs long: `make quick` leaves it out.
pytestmark = pytest.mark.slow

FIXTURE = ROOT / "tests" / "cases" / "render"


def handbook(dest: Path, options: str) -> Path:
    """A site with its own home and about pages, and the fixture guide under its options."""
    shutil.copy2(FIXTURE / "resources.yaml", dest / "resources.yaml")
    shutil.copytree(FIXTURE / "tracks", dest / "tracks")
    (dest / "docs").mkdir()
    (dest / "docs" / "index.md").write_text("# Team handbook\n\nOur own home page.\n")
    (dest / "docs" / "about.md").write_text("# About the team\n")
    (dest / "mkdocs.yml").write_text(
        "site_name: Handbook\nstrict: true\ntheme: {name: material, font: false}\n"
        f"plugins:\n  - search\n  - studyguide: {options}\n"
        "validation: {omitted_files: warn, unrecognized_links: warn, anchors: warn}\n",
        encoding="utf-8",
    )
    return dest


def test_a_prefix_puts_the_guide_in_a_folder_beside_the_sites_own_pages(tmp_path: Path) -> None:
    built = mkdocs_build(handbook(tmp_path, "{prefix: guide/, home: {heading: Maths guide}}"))
    assert built.returncode == 0, built.output
    home = (built.site / "index.html").read_text(encoding="utf-8")
    assert "Our own home page." in home
    guide = (built.site / "guide" / "index.html").read_text(encoding="utf-8")
    assert "Maths guide" in guide
    for page in ("tracks/casual", "topics/calculus", "resources/pictures", "contributing"):
        assert (built.site / "guide" / page / "index.html").is_file(), page
    assert not (built.site / "tracks").exists()
    # The nav: the site's pages first, then the guide as one section.
    nav = home[home.index('class="md-nav md-nav--primary"') :]
    assert nav.index("Team handbook") < nav.index("About the team") < nav.index("Maths guide")
    assert 'href="guide/tracks/casual/"' in home


def test_home_and_contributing_can_be_left_to_the_site(tmp_path: Path) -> None:
    project = handbook(tmp_path, "{prefix: guide, home: false, contributing: false}")
    built = mkdocs_build(project)
    assert built.returncode == 0, built.output
    assert not (built.site / "guide" / "index.html").exists()
    assert not (built.site / "guide" / "contributing").exists()
    assert (built.site / "guide" / "tracks" / "research" / "index.html").is_file()


def test_without_nav_the_site_keeps_its_own(tmp_path: Path) -> None:
    project = handbook(tmp_path, "{prefix: guide/, nav: false}")
    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    # A nav of the site's own leaves the guide's pages out of it, which MkDocs reports.
    text = text.replace("omitted_files: warn", "omitted_files: info")
    (project / "mkdocs.yml").write_text(text + "nav: [index.md, about.md]\n", encoding="utf-8")
    built = mkdocs_build(project)
    assert built.returncode == 0, built.output
    home = (built.site / "index.html").read_text(encoding="utf-8")
    assert "guide/tracks/casual/" not in home[home.index('class="md-nav md-nav--primary"') :]


def test_a_prefix_that_is_not_a_folder_name_is_refused(tmp_path: Path) -> None:
    built = mkdocs_build(handbook(tmp_path, "{prefix: ../up}"))
    assert built.returncode == 1
    assert "option 'prefix': '../up' is not a folder such as 'guide/'" in built.output


def test_build_out_with_config_exports_what_the_plugin_adds(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    project = handbook(
        tmp_path / "site", "{prefix: guide/, home: {heading: Maths guide, title: Start}}"
    )
    out = tmp_path / "export"
    done = studyguide(
        "build", "--config", str(project / "mkdocs.yml"), "--out", str(out), cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    home = (out / "guide" / "index.md").read_text(encoding="utf-8")
    assert "# Maths guide" in home
    assert 'title: "Start"' in home
    assert (out / "guide" / "tracks" / "casual.md").is_file()
    assert (out / "assets" / "studyguide" / "main.js").is_file()
    assert not (out / "index.md").exists()
    # The export, added to the site's own pages, is the plugin's site without the plugin.
    (project / "docs" / "guide").mkdir()
    (project / "docs" / "guide" / "index.md").write_text("# Mine\n", encoding="utf-8")
    clash = studyguide(
        "build", "--config", str(project / "mkdocs.yml"), "--out", str(out), cwd=tmp_path
    )
    assert clash.returncode == 1
    assert (
        "docs/guide/index.md: the hand-written file clashes with the page studyguide generates "
        "at guide/index.md; rename or remove the hand-written file"
    ) in clash.stderr
    assert "Error: 1 generated page(s) clash with docs/" in clash.stderr


def test_home_words_sit_under_home_and_the_old_keys_warn_with_their_new_place(
    tmp_path: Path,
) -> None:
    (tmp_path / "new").mkdir()
    new = handbook(
        tmp_path / "new", "{prefix: guide/, home: {heading: Maths guide, suggest: nope}}"
    )
    refused = mkdocs_build(new)
    assert refused.returncode == 1
    assert "option 'home.suggest': 'nope' is not a track (casual, research)" in refused.output
    (tmp_path / "old").mkdir()
    old = handbook(tmp_path / "old", "{prefix: guide/, heading: Old words, suggest: casual}")
    strict = mkdocs_build(old)
    assert strict.returncode == 1
    assert "Use 'home.heading' instead." in strict.output
    assert "Use 'home.suggest' instead." in strict.output
    config = old / "mkdocs.yml"
    config.write_text(config.read_text().replace("strict: true\n", ""), encoding="utf-8")
    lenient = mkdocs_build(old, strict=False)
    assert lenient.returncode == 0, lenient.output
    assert "Old words" in (lenient.site / "guide" / "index.html").read_text(encoding="utf-8")


def test_a_prefix_too_long_for_a_file_system_is_a_config_error_not_a_traceback(
    tmp_path: Path,
) -> None:
    (tmp_path / "site").mkdir()
    project = handbook(tmp_path / "site", "{prefix: " + "a" * 300 + "}")
    expected = (
        "Config value 'plugins': Plugin 'studyguide' option 'prefix': "
        f"'{'a' * 40}'... (300 characters) is too long: a folder name in it may have at most "
        "100 characters (the longest has 300), and the whole prefix at most 200 (it has 300)"
    )
    built = mkdocs_build(project)
    assert built.returncode == 1
    assert expected in built.output
    assert "Traceback" not in built.output
    assert "File name too long" not in built.output
    exported = studyguide(
        "build", "--config", str(project / "mkdocs.yml"), "--out", str(tmp_path / "out"),
        cwd=tmp_path,
    )  # fmt: skip
    assert exported.returncode == 1, exported.stderr  # not 70, an internal error
    assert expected in exported.stderr
    assert "internal error" not in exported.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("prefix", "problem"),
    [
        ("b" * 100, None),
        ("guide/" + "b" * 101, "the longest has 101"),
        ("/".join(["c" * 66] * 3), None),  # 200 characters with the slashes
        ("/".join(["c" * 66] * 3) + "/d", "the whole prefix at most 200 (it has 202)"),
        ("Guide", "'Guide' is not a folder such as 'guide/'"),
        ("guide:1:2", "'guide:1:2' is not a folder such as 'guide/'"),
    ],
)
def test_prefix_limits_each_folder_name_and_the_whole(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, prefix: str, problem: str | None
) -> None:
    project = handbook(tmp_path, f"{{prefix: '{prefix}'}}")
    if problem is None:
        plugin = load_config(str(project / "mkdocs.yml")).plugins["studyguide"]
        assert isinstance(plugin, StudyGuidePlugin)
        assert plugin.prefix == prefix + "/"
        return
    with pytest.raises(Abort):
        load_config(str(project / "mkdocs.yml"))
    assert "Plugin 'studyguide' option 'prefix': " in caplog.text
    assert problem in caplog.text


def test_suggesting_a_track_that_was_renamed_is_a_config_error_with_a_suggestion(
    tmp_path: Path,
) -> None:
    (tmp_path / "site").mkdir()
    project = handbook(tmp_path / "site", "{home: {suggest: casual}}")
    track = project / "tracks" / "casual.yaml"
    track.write_text(track.read_text().replace("id: casual", "id: casual-maths"))
    track.rename(project / "tracks" / "casual-maths.yaml")
    catalogue = project / "resources.yaml"
    catalogue.write_text(re.sub(r"\bcasual\b", "casual-maths", catalogue.read_text()))
    expected = (
        "option 'home.suggest': 'casual' is not a track (casual-maths, research); "
        "did you mean 'casual-maths'?"
    )
    built = mkdocs_build(project)
    assert built.returncode == 1
    assert expected in built.output
    assert "Traceback" not in built.output
    exported = studyguide(
        "build", "--config", str(project / "mkdocs.yml"), "--out", str(tmp_path / "out"),
        cwd=tmp_path,
    )  # fmt: skip
    assert exported.returncode == 1, exported.stderr
    assert expected in exported.stderr


@pytest.mark.parametrize(
    ("options", "hand_written", "expected"),
    [
        (
            "{}",
            "topics.md",
            "PROJECT/docs/topics.md: the hand-written file clashes with the page studyguide "
            "generates at topics/index.md from PROJECT/resources.yaml (both are written to "
            "topics/index.html); rename or remove the hand-written file",
        ),
        (
            "{prefix: about/}",
            "about.md",
            "PROJECT/docs/about.md: the hand-written file clashes with the page studyguide "
            "generates at about/index.md (both are written to about/index.html); rename or "
            "remove the hand-written file",
        ),
    ],
)
def test_a_hand_written_page_at_a_generated_pages_url_is_refused(
    tmp_path: Path, options: str, hand_written: str, expected: str
) -> None:
    (tmp_path / "site").mkdir()
    project = handbook(tmp_path / "site", options)
    (project / "docs" / hand_written).write_text("# Mine\n", encoding="utf-8")
    expected = expected.replace("PROJECT", str(project))
    built = mkdocs_build(project)
    assert built.returncode == 1, built.output
    assert expected in built.output
    exported = studyguide(
        "build", "--config", str(project / "mkdocs.yml"), "--out", str(tmp_path / "out"),
        cwd=project,
    )  # fmt: skip
    assert exported.returncode == 1, exported.stderr
    assert expected in exported.stderr
    assert not (tmp_path / "out").exists()


def test_a_host_nav_that_names_the_guides_folder_gets_the_guide_there(tmp_path: Path) -> None:
    project = handbook(tmp_path, "{prefix: guide/, home: {heading: Maths guide}}")
    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs.yml").write_text(
        text + "nav: [index.md, {Learn maths: guide/}, about.md]\n", encoding="utf-8"
    )
    built = mkdocs_build(project)
    assert built.returncode == 0, built.output
    assert "studyguide: the guide's pages are in the nav where it names 'guide/'" in built.output
    home = (built.site / "index.html").read_text(encoding="utf-8")
    nav = home[home.index('class="md-nav md-nav--primary"') :]
    assert nav.index("Team handbook") < nav.index("Learn maths") < nav.index("About the team")
    assert (
        nav.index("Learn maths")
        < nav.index('href="guide/tracks/casual/"')
        < nav.index("About the team")
    )
    assert "Maths guide" not in nav  # the host's title names the section
