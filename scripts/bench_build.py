"""Print how much of a site build the generator takes, beside MkDocs' own work.

Runs the real pipeline stages on the shipped catalogue and on synthetic catalogues of growing
size (copies of the real resources under new ids and URLs), then a full `mkdocs build`.
Figures only: nothing here asserts a time.

    .venv/bin/python scripts/bench_build.py [--sizes 38,300,1000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from studyguide.render import render_site
from studyguide.validate import load_catalogue

ROOT = Path(__file__).resolve().parent.parent


def best_of(repeat: int, work: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


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


def mkdocs_build_seconds(project: Path, site: Path) -> float:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml")]
    start = time.perf_counter()
    subprocess.run([*command, "-d", str(site)], check=True, env=env)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="38,300,1000")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"{'resources':>9} {'load+validate':>14} {'render':>8} {'mkdocs build':>13} {'share':>6}")
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            project = scaled_project(Path(tmp), size)
            catalogue_path, tracks = project / "resources.yaml", project / "tracks"
            load = best_of(args.repeat, partial(load_catalogue, catalogue_path, tracks))
            catalogue = load_catalogue(catalogue_path, tracks)
            render = best_of(args.repeat, partial(render_site, catalogue))
            build = mkdocs_build_seconds(project, Path(tmp) / "site")
            share = (load + render) / build
            print(
                f"{len(catalogue.resources):>9} {load * 1000:>11.1f} ms {render * 1000:>5.1f} ms"
                f" {build:>11.2f} s {share:>6.1%}"
            )


if __name__ == "__main__":
    main()
