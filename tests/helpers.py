"""Shared test helpers: a copy of the project in a temporary folder, and a real MkDocs build."""

from __future__ import annotations

import gzip
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
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


FIXTURE = ROOT / "tests" / "cases" / "render"


def guide_project(dest: Path, options: str = "{}") -> Path:
    """A small guide of the tool's own (the render fixture's catalogue and tracks), with a
    hand-written page, Material's search and tags, and the plugin under `options`."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(FIXTURE / "resources.yaml", dest / "resources.yaml")
    shutil.copytree(FIXTURE / "tracks", dest / "tracks")
    (dest / "docs").mkdir()
    (dest / "docs" / "about.md").write_text("# About this guide\n\nWho wrote it.\n")
    (dest / "mkdocs.yml").write_text(
        "site_name: Fixture guide\nsite_url: !ENV [SITE_URL, '']\nstrict: true\n"
        "theme: {name: material, font: false, features: [content.action.edit]}\n"
        f"plugins:\n  - search\n  - tags\n  - studyguide: {options}\n"
        "validation: {omitted_files: warn, unrecognized_links: warn, anchors: warn}\n",
        encoding="utf-8",
    )
    return dest


def mkdocs_build(
    project: Path, site: Path | None = None, *, strict: bool = True, verbose: bool = False
) -> BuildResult:
    """Run a real `mkdocs build` of project into site (default project/site)."""
    site = site or project / "site"
    command = [sys.executable, "-m", "mkdocs", "build", "-f", str(project / "mkdocs.yml")]
    command += ["--site-dir", str(site)] + (["--strict"] if strict else [])
    command += ["--verbose"] if verbose else []
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    return BuildResult(done.returncode, done.stdout + done.stderr, site)


def site_files(site: Path) -> dict[str, bytes]:
    """Every file of a built site by its path, gzip files by their content (their header
    holds a time)."""
    return {
        p.relative_to(site).as_posix(): gzip.decompress(p.read_bytes())
        if p.suffix == ".gz"
        else p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def studyguide(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the real `studyguide` command line in cwd."""
    command = [sys.executable, "-m", "studyguide", *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, check=False)


def scaled_project(dest: Path, size: int) -> Path:
    """The project with resources.yaml grown to `size` resources."""
    for name in ("mkdocs.yml", "tracks", "docs"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, dest / name)
    text = (ROOT / "resources.yaml").read_text(encoding="utf-8")
    head, body = text.split("\nresources:\n", 1)
    # Top-level keys after resources (concepts, next steps) stay as they are.
    after = re.search(r"\n(?=[a-z_]+:\n)", body)
    body, tail = (body[: after.start()], body[after.end() :]) if after else (body, "")
    entries = re.split(r"\n(?=  - id: )", "\n" + body.strip("\n"))
    entries = [e.strip("\n") for e in entries if "- id:" in e]
    # Copies drop cross-references so that each stays valid on its own.
    copies = [re.sub(r"\n    (prerequisites|alternatives): \[[^\]]*\]", "", e) for e in entries]
    out = list(entries)
    n = 0
    while len(out) < size:
        entry = copies[n % len(copies)]
        out.append(
            re.sub(r"(- id: )(\S+)", rf"\g<1>\g<2>-copy{n}", entry, count=1).replace(
                "\n    url: ", f"\n    url: https://example.org/copy{n}?", 1
            )
        )
        n += 1
    (dest / "resources.yaml").write_text(
        head + "\nresources:\n" + "\n".join(out[:size]) + "\n" + tail, encoding="utf-8"
    )
    return dest


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text inside each <script>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data


def parse(path: Path) -> Elements:
    parser = Elements()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser
