"""The `studyguide` command line, run as a real subprocess."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markupsafe import Markup

from studyguide import cli as cli_module
from studyguide.render import front_matter_string, render_site
from studyguide.validate import load_catalogue

from .helpers import ROOT, guide_project, mkdocs_build, studyguide
from .test_validation_cases import BASE, CASES, assemble

# Builds in a subprocess or runs long: `make quick` leaves it out.
pytestmark = pytest.mark.slow

MESSAGE = re.compile(r"^[^:\s]+:\d+:\d+: error: .+$")


def test_check_reports_every_problem_and_exits_1(tmp_path: Path) -> None:
    project = assemble(CASES / "many_problems_in_one_run", tmp_path)
    done = studyguide("check", cwd=project)
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert (
        lines[:-1] == (CASES / "many_problems_in_one_run" / "expected.txt").read_text().splitlines()
    )
    assert all(MESSAGE.match(line) for line in lines[:-1])
    assert lines[-1] == "studyguide: 5 problems in the catalogue"
    assert "Traceback" not in done.stderr


def test_check_never_shows_a_traceback_on_hostile_input(tmp_path: Path) -> None:
    for case in ("alias_bomb", "python_tag", "non_utf8", "tab_indentation", "empty_file"):
        project = assemble(CASES / case, tmp_path / case)
        done = studyguide("check", "resources.yaml", "--tracks", "tracks", cwd=project)
        assert done.returncode == 1, case
        assert "Traceback" not in done.stderr
        assert MESSAGE.match(done.stderr.splitlines()[0]), done.stderr


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    missing = studyguide("check", "nowhere.yaml", cwd=tmp_path)
    assert missing.returncode == 2
    assert "nowhere.yaml" in missing.stderr
    assert "does not exist" in missing.stderr
    unknown = studyguide("check", "--colour", cwd=ROOT)
    assert unknown.returncode == 2
    assert "No such option '--colour'" in unknown.stderr


def test_build_exports_the_generated_files(tmp_path: Path) -> None:
    project = assemble(BASE, tmp_path / "project")
    out = tmp_path / "out"
    done = studyguide("build", "--out", str(out), cwd=project)
    assert done.returncode == 0, done.stderr
    expected = render_site(load_catalogue(project / "resources.yaml", project / "tracks"))
    written = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert written == set(expected)
    for path, item in expected.items():
        assert (out / path).read_text(encoding="utf-8") == item.exported()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "project"]


def test_build_writes_nothing_when_the_catalogue_is_invalid(tmp_path: Path) -> None:
    project = assemble(CASES / "duplicate_id", tmp_path / "project")
    out = tmp_path / "out"
    done = studyguide("build", "--out", str(out), cwd=project)
    assert done.returncode == 1
    assert "is already used by the resource on line 11" in done.stderr
    assert not out.exists()


def test_deep_nesting_is_refused_with_a_located_message_not_a_crash(tmp_path: Path) -> None:
    project = assemble(BASE, tmp_path)
    (project / "resources.yaml").write_text("topics: " + "[" * 30_000 + "\n", encoding="utf-8")
    done = studyguide("check", cwd=project)
    assert done.returncode == 1, done.stderr  # not -11 (SIGSEGV) or 139
    first = done.stderr.splitlines()[0]
    assert first == (
        "resources.yaml:1:108: error: the data nests more than 100 levels deep; a catalogue "
        "needs only a few"
    )


def test_an_internal_error_is_one_line_and_a_distinct_status(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = assemble(BASE, tmp_path)
    monkeypatch.chdir(project)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the checker fell over\nwith a second line")

    monkeypatch.setattr("studyguide.cli.page_titles", broken)
    with pytest.raises(SystemExit) as exit_:
        cli_module.main(["check"])
    assert exit_.value.code == 70
    err = capsys.readouterr().err
    assert err.splitlines() == [
        "studyguide: internal error: RuntimeError: the checker fell over; please report it",
        "(run again with --debug to see the trace)",
    ]
    with pytest.raises(SystemExit):
        cli_module.main(["--debug", "check"])
    assert "Traceback (most recent call last)" in capsys.readouterr().err


def test_check_reads_every_title_back_and_refuses_one_that_would_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = assemble(BASE, tmp_path)
    monkeypatch.chdir(project)

    def old_filter(value: object) -> Markup:
        # What the old filter wrote for a character beyond U+FFFF: LibYAML refuses it.
        quoted = front_matter_string(value)
        return Markup(quoted.replace('"Casual"', '"Casual \\ud83d\\ude00"'))

    monkeypatch.setattr("studyguide.render.verify.front_matter_string", old_filter)
    with pytest.raises(SystemExit) as exit_:
        cli_module.main(["check"])
    assert exit_.value.code == 70
    err = capsys.readouterr().err
    assert "track 'casual': its title 'Casual' would not read back from its page" in err
    assert "track 'research'" not in err


BEYOND_BMP = "Intro calculus \U0001f600 \U0001d465"  # an emoji and a mathematical italic x


def test_a_character_beyond_the_basic_plane_builds_its_page(tmp_path: Path) -> None:
    project = assemble(BASE, tmp_path)
    catalogue = project / "resources.yaml"
    catalogue.write_text(
        catalogue.read_text(encoding="utf-8").replace(
            "title: Intro calculus", f'title: "{BEYOND_BMP}"'
        ),
        encoding="utf-8",
    )
    done = studyguide("check", cwd=project)
    assert done.returncode == 0, done.stderr
    page = render_site(load_catalogue(catalogue, project / "tracks"))["resources/intro-calculus.md"]
    assert page.content.startswith(f'---\ntitle: "{BEYOND_BMP}"\n')


def test_a_file_name_cannot_forge_a_location_line(tmp_path: Path) -> None:
    case = CASES / "file_name_that_forges_a_line"
    project = assemble(case, tmp_path)
    assert (project / "tracks" / "a:1:2: error: x.yaml").is_file()
    done = studyguide("check", cwd=project)
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert lines[:-1] == (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    # Read as a tool reads FILE:LINE:COL, every line names the whole file, as it is escaped.
    location = re.compile(r"^(.*?):(\d+):(\d+): error: ")
    files = {m.group(1) for m in map(location.match, lines[:-1]) if m}
    assert files == {
        r"tracks/a\x3a1\x3a2\x3a error\x3a x.yaml",
        r"tracks/b\nresources.yaml\x3a1\x3a1\x3a error\x3a forged.yaml",
    }
    assert not any(line.startswith(("tracks/a:", "resources.yaml:1:1")) for line in lines)
    assert len(lines) == 6


# ---- check reads the plugin options that name contributor data ----


def _suggesting(project: Path, suggest: str) -> Path:
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("- studyguide: {}", f"- studyguide: {{home: {{suggest: {suggest}}}}}")
    )
    return project


def test_check_reports_a_suggested_track_that_no_longer_exists_as_the_build_would(
    tmp_path: Path,
) -> None:
    project = _suggesting(guide_project(tmp_path / "guide"), "casul")
    done = studyguide("check", cwd=project)
    assert done.returncode == 1, done.stderr
    assert done.stderr.splitlines() == [
        "mkdocs.yml:8:34: error: option 'home.suggest': 'casul' is not a track "
        "(casual, research); did you mean 'casual'?",
        "studyguide: 1 problem in mkdocs.yml",
    ]
    built = mkdocs_build(project)
    assert built.returncode == 1
    assert "option 'home.suggest': 'casul' is not a track" in built.output


def test_check_takes_another_config_and_passes_when_the_options_agree(tmp_path: Path) -> None:
    project = _suggesting(guide_project(tmp_path / "guide"), "research")
    assert studyguide("check", cwd=project).returncode == 0
    (project / "site.yml").write_text(
        (project / "mkdocs.yml").read_text(encoding="utf-8").replace("research", "deep")
    )
    done = studyguide("check", "--config", "site.yml", cwd=project)
    assert done.returncode == 1
    assert done.stderr.startswith("site.yml:8:34: error: option 'home.suggest': 'deep' is not")
