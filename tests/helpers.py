"""Shared test helpers: a copy of the project in a temporary folder, and a real MkDocs build."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT_FILES = ("mkdocs.yml", "resources.yaml", "tracks", "docs")


@dataclass
class BuildResult:
    returncode: int
    output: str
    site: Path


def copy_project(dest: Path) -> Path:
    """The real project (config, catalogue, tracks, hand-written docs) copied into dest."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name)
        else:
            shutil.copy2(source, dest / name)
    return dest


def mkdocs_build(project: Path, site: Path | None = None, *, strict: bool = True) -> BuildResult:
    """Run a real `mkdocs build` of project into site (default project/site)."""
    site = site or project / "site"
    command = [sys.executable, "-m", "mkdocs", "build", "-f", str(project / "mkdocs.yml")]
    command += ["--site-dir", str(site)] + (["--strict"] if strict else [])
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    return BuildResult(done.returncode, done.stdout + done.stderr, site)


def studyguide(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the real `studyguide` command line in cwd."""
    command = [sys.executable, "-m", "studyguide", *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, check=False)
