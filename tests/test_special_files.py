"""Entries of the data that are not regular files: a symbolic link loop, a link to a device, a
named pipe, a folder. Each is a located error, never a hang or an internal error. Every command
runs with a timeout, so that a read that blocks fails the test instead of the whole run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import guide_project
from .test_validation_cases import BASE, assemble

# Far beyond what a check of the small base project takes; only a read that blocks gets there.
HANG = 120
# `python -m MODULE ARGS...`, but a read of /dev/zero that never ends fails at 2 GiB instead
# of filling the machine.
LIMITED = (
    "import resource, runpy, sys; "
    "resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, 2 * 1024**3)); "
    "sys.argv = sys.argv[1:]; runpy.run_module(sys.argv[0], run_name='__main__', alter_sys=True)"
)

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX links, pipes and devices")


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", LIMITED, *args]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    try:
        return subprocess.run(
            command, capture_output=True, text=True, cwd=cwd, env=env, timeout=HANG, check=False
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{' '.join(args)} did not finish: it blocks on a file that never ends")


def assert_clean_failure(done: subprocess.CompletedProcess[str]) -> None:
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert "internal error" not in done.stderr


def test_check_reports_each_track_entry_that_is_not_a_regular_file(tmp_path: Path) -> None:
    project = assemble(BASE, tmp_path)
    tracks = project / "tracks"
    (tracks / "loop.yaml").symlink_to("loop.yaml")
    (tracks / "zero.yaml").symlink_to("/dev/zero")
    os.mkfifo(tracks / "pipe.yaml")
    (tracks / "folder.yaml").mkdir()
    (tracks / "gone.yaml").symlink_to("nowhere.yaml")
    done = run("studyguide", "check", cwd=project)
    assert_clean_failure(done)
    assert done.stderr.splitlines() == [
        "tracks/folder.yaml:1:1: error: cannot read the file: it is a folder, not a regular file",
        "tracks/gone.yaml:1:1: error: file not found: it is a symbolic link to 'nowhere.yaml', "
        "which does not exist",
        "tracks/loop.yaml:1:1: error: cannot read the file: a symbolic link on its path leads "
        "round in a loop",
        "tracks/pipe.yaml:1:1: error: cannot read the file: it is a named pipe (FIFO), not a "
        "regular file",
        "tracks/zero.yaml:1:1: error: cannot read the file: it is a symbolic link to a character "
        "device ('/dev/zero'), not to a regular file",
        "studyguide: 5 problems in the catalogue",
    ]


@pytest.mark.parametrize(
    ("kind", "problem"),
    [
        ("pipe", "it is a named pipe (FIFO), not a regular file"),
        ("device", "it is a symbolic link to a character device ('/dev/zero'), not to a regular "),
        ("folder", "it is a folder, not a regular file"),
        ("loop", "a symbolic link on its path leads round in a loop"),
    ],
)
def test_check_reports_a_catalogue_that_is_not_a_regular_file(
    tmp_path: Path, kind: str, problem: str
) -> None:
    project = assemble(BASE, tmp_path)
    catalogue = project / "resources.yaml"
    catalogue.unlink()
    if kind == "pipe":
        os.mkfifo(catalogue)
    elif kind == "device":
        catalogue.symlink_to("/dev/zero")
    elif kind == "folder":
        catalogue.mkdir()
    else:
        catalogue.symlink_to("resources.yaml")
    done = run("studyguide", "check", cwd=project)
    assert_clean_failure(done)
    first, last = done.stderr.splitlines()
    assert first.startswith(f"resources.yaml:1:1: error: cannot read the file: {problem}")
    assert last == "studyguide: 1 problem in the catalogue"


@pytest.mark.parametrize("kind", ["loop", "file"])
def test_a_tracks_folder_that_is_not_one_is_one_located_error(tmp_path: Path, kind: str) -> None:
    project = assemble(BASE, tmp_path)
    tracks = project / "tracks"
    for file in tracks.iterdir():
        file.unlink()
    tracks.rmdir()
    if kind == "loop":
        tracks.symlink_to("tracks")
    else:
        tracks.write_text("id: casual\n", encoding="utf-8")
    done = run("studyguide", "check", cwd=project)
    assert_clean_failure(done)
    what = "a symbolic link loop" if kind == "loop" else "a regular file"
    # Not also one "unknown goal" per goal the catalogue names.
    assert done.stderr.splitlines() == [
        f"tracks:1:1: error: the tracks directory is {what}, not a folder",
        "studyguide: 1 problem in the catalogue",
    ]


def test_mkdocs_build_reports_special_track_entries_without_hanging(tmp_path: Path) -> None:
    project = guide_project(tmp_path / "project")
    os.mkfifo(project / "tracks" / "pipe.yaml")
    (project / "tracks" / "loop.yaml").symlink_to("loop.yaml")
    done = run("mkdocs", "build", "--strict", cwd=project)
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert (
        "tracks/pipe.yaml:1:1: error: cannot read the file: it is a named pipe (FIFO), not a "
        "regular file"
    ) in output
    assert (
        "tracks/loop.yaml:1:1: error: cannot read the file: a symbolic link on its path leads "
        "round in a loop"
    ) in output
    assert "internal error" not in output
