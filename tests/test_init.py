"""`studyguide init`: a new guide that checks and builds straight away, and never overwrites."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .helpers import mkdocs_build, studyguide


def test_a_new_guide_checks_and_builds_at_once(tmp_path: Path) -> None:
    guide = tmp_path / "stats"
    done = studyguide(
        "init", str(guide), "--title", 'Statistics: a "gentle" guide',
        "--topic", "Descriptive statistics", "--topic", "Inference & tests", cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f"wrote {guide / 'mkdocs.yml'}" in done.stderr
    checked = studyguide("check", cwd=guide)
    assert checked.returncode == 0, checked.stderr
    assert "ok: 4 resources, 2 topics, 2 tracks, 0 concepts" in checked.stderr
    built = mkdocs_build(guide)
    assert built.returncode == 0, built.output
    home = (built.site / "index.html").read_text(encoding="utf-8")
    assert "Statistics&#58; a &#34;gentle&#34; guide" in home
    track = (built.site / "tracks" / "start" / "index.html").read_text(encoding="utf-8")
    assert "EXAMPLE&#58; a first look at Inference" in track
    assert (built.site / "topics" / "inference-tests" / "index.html").is_file()
    readme = (guide / "README.md").read_text(encoding="utf-8")
    assert "studyguide check" in readme
    assert "mkdocs serve" in readme


def test_init_asks_on_a_terminal_for_title_and_topics(tmp_path: Path) -> None:
    guide = tmp_path / "asked"
    command = [sys.executable, "-m", "studyguide", "init", str(guide), "--interactive"]
    done = subprocess.run(
        command, input="Optics\nRays, Waves, Photons\n", capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "Title of the guide" in done.stdout
    checked = studyguide("check", cwd=guide)
    assert "ok: 6 resources, 3 topics, 2 tracks" in checked.stderr, checked.stderr
    assert 'site_name: "Optics"' in (guide / "mkdocs.yml").read_text(encoding="utf-8")


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    done = studyguide("init", str(tmp_path), "--title", "X", cwd=tmp_path)
    assert done.returncode == 1
    assert f"Error: {tmp_path}: is not empty; use --force" in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_init_force_adds_files_but_never_overwrites(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    done = studyguide("init", str(tmp_path), "--title", "X", "--force", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "resources.yaml").is_file()
    again = studyguide("init", str(tmp_path), "--title", "Y", "--force", cwd=tmp_path)
    assert again.returncode == 1
    assert "would overwrite" in again.stderr
    assert "nothing was written" in again.stderr
    assert 'site_name: "X"' in (tmp_path / "mkdocs.yml").read_text(encoding="utf-8")


def test_init_names_topics_it_cannot_use(tmp_path: Path) -> None:
    done = studyguide("init", str(tmp_path / "g"), "--topic", "A b", "--topic", "a-B", cwd=tmp_path)
    assert done.returncode == 1
    assert "two have the id 'a-b'" in done.stderr
    done = studyguide("init", str(tmp_path / "g"), "--topic", "???", cwd=tmp_path)
    assert "topic '???': use letters or digits, on one line" in done.stderr
    assert not (tmp_path / "g").exists()
