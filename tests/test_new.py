"""`studyguide new`: valid entries appended without changing any other byte."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from studyguide.cli import cli
from studyguide.validate import load_catalogue

from .test_validation_cases import BASE, assemble

OPTIONS = [
    "--id", "pictures-of-calculus", "--title", "no", "--url", "https://example.org/pictures",
    "--author", "Grant Sanderson", "--provider", "Example: Videos", "--topic", "calculus",
    "--goal", "casual,research", "--format", "video", "--cost", "free", "--effort-hours", "3.5",
    "--level", "intro", "--why", "Pictures first; then the symbols.", "--added", "2026-11-22",
]  # fmt: skip


def run(project: Path, *args: str, input: str | None = None):
    return CliRunner().invoke(
        cli,
        ["new", str(project / "resources.yaml"), "--tracks", str(project / "tracks"), *args],
        input=input,
    )


def test_appends_a_valid_entry_and_changes_nothing_else(tmp_path: Path) -> None:
    project = assemble(BASE, tmp_path)
    before = (project / "resources.yaml").read_bytes()
    result = run(project, *OPTIONS)
    assert result.exit_code == 0, result.output
    after = (project / "resources.yaml").read_bytes()
    assert after.startswith(before)
    assert after[len(before) :].decode() == (
        "  - id: pictures-of-calculus\n"
        "    title: 'no'\n"
        "    url: https://example.org/pictures\n"
        "    authors: [Grant Sanderson]\n"
        "    provider: 'Example: Videos'\n"
        "    topics: [calculus]\n"
        "    goals: [casual, research]\n"
        "    format: video\n"
        "    cost: free\n"
        "    effort_hours: 3.5\n"
        "    level: intro\n"
        "    why: Pictures first; then the symbols.\n"
        "    added: 2026-11-22\n"
    )
    added = load_catalogue(project / "resources.yaml", project / "tracks").resource_by_id
    assert added["pictures-of-calculus"].title == "no"


def test_inserts_inside_the_list_when_other_keys_follow(tmp_path: Path) -> None:
    project = assemble(BASE, tmp_path)
    text = (project / "resources.yaml").read_text()
    topics, resources = text.split("resources:\n")
    reordered = "# catalogue\nresources:\n" + resources + "# topics follow\n" + topics
    (project / "resources.yaml").write_text(reordered)
    result = run(project, *OPTIONS)
    assert result.exit_code == 0, result.output
    updated = (project / "resources.yaml").read_text()
    start = updated.index("  - id: pictures-of-calculus")
    end = updated.index("# topics follow")
    assert updated[:start] + updated[end:] == reordered
    assert [r["id"] for r in yaml.safe_load(updated)["resources"]][-1] == "pictures-of-calculus"


def test_refuses_a_duplicate_id_or_url_and_leaves_the_file_alone(tmp_path: Path) -> None:
    project = assemble(BASE, tmp_path)
    before = (project / "resources.yaml").read_bytes()
    dup = [o.replace("pictures-of-calculus", "intro-calculus") for o in OPTIONS]
    dup = [o.replace("https://example.org/pictures", "https://example.org/calculus") for o in dup]
    result = run(project, *dup)
    assert result.exit_code == 1
    assert (
        "resources.yaml:37:9: error: resource 'intro-calculus': field 'id': 'intro-calculus' "
        "is already used by the resource on line 11"
    ) in result.output
    assert (
        "field 'url': 'https://example.org/calculus' is already used by resource "
        "'intro-calculus' (line 13)"
    ) in result.output
    assert "not added" in result.output
    assert (project / "resources.yaml").read_bytes() == before


def test_refuses_an_invalid_value_with_the_usual_message(tmp_path: Path) -> None:
    project = assemble(BASE, tmp_path)
    result = run(
        project, *[o.replace("calculus", "calculas") if o == "calculus" else o for o in OPTIONS]
    )
    assert result.exit_code == 1
    assert "unknown topic 'calculas'; did you mean 'calculus'?" in result.output


def test_asks_for_missing_fields_offering_the_allowed_values(tmp_path: Path) -> None:
    project = assemble(BASE, tmp_path)
    answers = "\n".join([
        "Ada Lovelace, Alan Turing", "Example Press", "calculus", "casual",
        "book", "paid", "12", "intermediate", "Problems with worked answers.",
    ])  # fmt: skip
    result = run(
        project,
        "--interactive",
        *[
            "--id",
            "worked-problems",
            "--title",
            "Worked problems",
            "--url",
            "https://example.org/w",
        ],
        input=answers + "\n",
    )
    assert result.exit_code == 0, result.output
    assert "topics (Topics it covers), comma-separated [calculus, linear-algebra]" in result.output
    assert (
        "format (What kind of material it is) (video, course, book, article, exercises, notes)"
        in result.output
    )
    resource = load_catalogue(project / "resources.yaml", project / "tracks").resource_by_id[
        "worked-problems"
    ]
    assert resource.authors == ("Ada Lovelace", "Alan Turing")
    assert (resource.format, resource.cost, resource.effort_hours) == ("book", "paid", 12)


def test_without_a_terminal_missing_fields_are_a_usage_error(tmp_path: Path) -> None:
    project = assemble(BASE, tmp_path)
    result = run(project, "--no-interactive", "--id", "x")
    assert result.exit_code == 2
    assert (
        "missing --title, --url, --author, --provider, --topic, --goal, --format" in result.output
    )


def test_crlf_line_ends_stay_crlf(tmp_path: Path) -> None:
    project = assemble(BASE, tmp_path)
    catalogue = project / "resources.yaml"
    crlf = catalogue.read_bytes().replace(b"\n", b"\r\n")
    catalogue.write_bytes(crlf)
    result = run(project, *OPTIONS)
    assert result.exit_code == 0, result.output
    after = catalogue.read_bytes()
    assert after.startswith(crlf)
    added = after[len(crlf) :]
    assert added.startswith(b"  - id: pictures-of-calculus\r\n")
    assert b"\n" not in added.replace(b"\r\n", b"")  # every line of the entry ends in CRLF


@pytest.mark.parametrize("nl", ["\n", "\r\n", "\r"], ids=["LF", "CRLF", "CR"])
def test_the_entry_keeps_the_files_own_line_ends(tmp_path: Path, nl: str) -> None:
    """LF, CRLF or CR-only: the entry's lines end as the file's do, and it still goes inside
    the list when another key follows (a CR-only file used to get LF lines, after that key)."""
    project = assemble(BASE, tmp_path)
    catalogue = project / "resources.yaml"
    topics, resources = catalogue.read_text(encoding="utf-8").split("resources:\n")
    original = ("resources:\n" + resources + "# topics follow\n" + topics).replace("\n", nl)
    catalogue.write_bytes(original.encode("utf-8"))
    result = run(project, *OPTIONS)
    assert result.exit_code == 0, result.output
    assert "added resource 'pictures-of-calculus'" in result.output
    after = catalogue.read_bytes().decode("utf-8")
    start = after.index("  - id: pictures-of-calculus")
    end = after.index("# topics follow")
    assert after[:start] + after[end:] == original  # no other byte changed
    assert after[start:end] == (
        "  - id: pictures-of-calculus\n    title: 'no'\n    url: https://example.org/pictures\n"
        "    authors: [Grant Sanderson]\n    provider: 'Example: Videos'\n"
        "    topics: [calculus]\n    goals: [casual, research]\n    format: video\n"
        "    cost: free\n    effort_hours: 3.5\n    level: intro\n"
        "    why: Pictures first; then the symbols.\n    added: 2026-11-22\n"
    ).replace("\n", nl)
    assert set(re.findall(r"\r\n|\r|\n", after)) == {nl}  # one kind of line end throughout
    loaded = load_catalogue(catalogue, project / "tracks")
    assert loaded.resources[-1].id == "pictures-of-calculus"
    assert "calculus" in {t.id for t in loaded.topics}


def test_two_runs_at_once_both_land(tmp_path: Path) -> None:
    """Each run reads, checks and writes under a lock: no entry is lost (tried five times)."""
    for attempt in range(5):
        project = assemble(BASE, tmp_path / str(attempt))
        commands = []
        for n in (1, 2):
            options = list(OPTIONS)
            options[options.index("--id") + 1] = f"entry-{n}"
            options[options.index("--url") + 1] = f"https://example.org/entry-{n}"
            commands.append([sys.executable, "-m", "studyguide", "new", "resources.yaml", *options])
        running = [
            subprocess.Popen(c, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for c in commands
        ]
        outputs = [p.communicate(timeout=120) for p in running]
        assert [p.returncode for p in running] == [0, 0], outputs
        ids = [
            r.id for r in load_catalogue(project / "resources.yaml", project / "tracks").resources
        ]
        assert sorted(ids[-2:]) == ["entry-1", "entry-2"], ids
        leftovers = [p.name for p in project.iterdir() if p.name.endswith(".tmp")]
        assert leftovers == []
