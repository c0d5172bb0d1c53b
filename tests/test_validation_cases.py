"""Golden validation cases: one folder per behaviour under tests/cases/validation/.

Each case holds the files that differ from `_base/` (resources.yaml and/or tracks/, whose
names are %-decoded) and `expected.txt`, the exact messages `studyguide check` must print.
UPDATE_GOLDEN=1 rewrites them.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import unquote

import pytest

from studyguide.errors import StudyGuideError
from studyguide.validate import load_catalogue

CASES = Path(__file__).parent / "cases" / "validation"
BASE = CASES / "_base"


def assemble(case: Path, dest: Path) -> Path:
    """The base project with the case's files laid over it (a case's tracks/ replaces all)."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(
        case / "resources.yaml" if (case / "resources.yaml").exists() else BASE / "resources.yaml",
        dest / "resources.yaml",
    )
    shutil.copytree(
        case / "tracks" if (case / "tracks").is_dir() else BASE / "tracks", dest / "tracks"
    )
    # A name that not every checkout takes (':', a newline) is stored %-escaped.
    for file in (dest / "tracks").glob("*%*"):
        file.rename(file.with_name(unquote(file.name)))
    return dest


def messages(project: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.chdir(project)
    with pytest.raises(StudyGuideError) as caught:
        load_catalogue("resources.yaml", "tracks")
    return [str(d) for d in caught.value.diagnostics]


def test_base_is_valid(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(assemble(BASE, tmp_path))
    catalogue = load_catalogue("resources.yaml", "tracks")
    assert [r.id for r in catalogue.resources] == ["intro-calculus", "matrices"]


@pytest.mark.parametrize(
    "case",
    sorted(p for p in CASES.iterdir() if p.is_dir() and p.name != "_base"),
    ids=lambda p: p.name,
)
def test_case(case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    got = messages(assemble(case, tmp_path), monkeypatch)
    expected_file = case / "expected.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        expected_file.write_text("\n".join(got) + "\n", encoding="utf-8")
    expected = expected_file.read_text(encoding="utf-8").splitlines()
    assert got == expected
    for line in got:  # the one format every message follows
        path, line_no, col, rest = line.split(":", 3)
        assert path.endswith(".yaml") or path.endswith(".yml") or path == "tracks"
        assert int(line_no) >= 1
        assert int(col) >= 1
        assert rest.startswith(" error: ")
