"""`studyguide check --format`: the same problems as text for people, as one JSON array, and as
GitHub workflow commands that annotate a pull request. Golden files in tests/cases/report/;
UPDATE_GOLDEN=1 rewrites them."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from studyguide.cli import cli

CASES = Path(__file__).parent / "cases"
GOLDEN = CASES / "report"


@pytest.fixture
def bad_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A catalogue with problems of several kinds, and a file name that needs escaping."""
    shutil.copytree(CASES / "validation" / "_base" / "tracks", tmp_path / "tracks")
    text = (CASES / "validation" / "_base" / "resources.yaml").read_text(encoding="utf-8")
    text = text.replace("level: intro", "level: 50% intro", 1)
    text = text.replace("why: A gentle start.", "why: Seven videos, at the time of writing.")
    text = text.replace("topics: [linear-algebra]", "topics: [linear-algebr]")
    (tmp_path / "a,b:c.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(form: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["check", "a,b:c.yaml", "--format", form])
    return result.exit_code, result.stdout, result.stderr


def golden(name: str, got: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(got, encoding="utf-8")
    assert got == path.read_text(encoding="utf-8")


def test_text_names_each_problem_on_standard_error(bad_project: Path) -> None:
    code, out, err = run("text")
    assert code == 1
    assert out == ""
    golden("text.txt", err)


def test_json_is_one_array_with_a_rule_code_on_each_problem(bad_project: Path) -> None:
    code, out, err = run("json")
    assert code == 1
    problems = json.loads(out)
    assert {p["code"] for p in problems} == {"choice", "editorial-note", "unknown-reference"}
    assert all(set(p) == {"file", "line", "col", "code", "severity", "message"} for p in problems)
    assert err == "studyguide: 3 problems in the catalogue\n"
    golden("json.json", out)


def test_github_annotations_escape_what_would_end_a_field(bad_project: Path) -> None:
    code, out, _ = run("github")
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == 3
    assert all(line.startswith("::error file=a%2Cb%3Ac.yaml,line=") for line in lines)
    assert "'50%25 intro' is not one of intro" in out  # a bare % would start an escape
    golden("github.txt", out)


def test_a_clean_catalogue_gives_an_empty_array(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(CASES / "validation" / "_base", tmp_path / "guide")
    monkeypatch.chdir(tmp_path / "guide")
    result = CliRunner().invoke(cli, ["check", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == []
