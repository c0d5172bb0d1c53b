"""Print how the build scales and how close it stays to MkDocs' own floor. Figures only.

For the shipped catalogue and synthetic ones grown to 1,000 and 10,000 resources (copies of
the real resources under new ids and URLs), in one run, side by side:

- build ÷ floor: a full `mkdocs build` with the plugin, against a build without the plugin
  of the same pages exported by `studyguide build --out` (the same nav, assets and theme),
  with no cache at all (every formula converted) and with the formula cache of the last
  build (pages are always validated and rendered afresh: a cached page could not be trusted
  without rendering it again);
- how the build and the generator alone (`studyguide build --out`) grow from 1k to 10k;
- `studyguide check` ÷ a bare `yaml.load(..., Loader=CSafeLoader)` of the same file;
- peak memory of the build, and page weight: the biggest page, the search index, and the
  longest search section in words;
- with --reload, `mkdocs serve --dirty` (what `make serve` runs) live-reload latency: edit a
  resource title, poll until the page is served with it;
- Zensical's build of the same export (`zensical build --clean`), beside MkDocs' builds, when
  Zensical is installed (the `zensical` extra; --zensical PATH names another executable).

Each time is the median of --repeat whole-process runs, interleaved so that drift hits both
sides of a ratio alike; the spread (min to max) is printed beside it.

    .venv/bin/python benchmarks/bench_build.py [--sizes shipped,1000,10000] [--repeat 3] [--reload]
        [--reload-only] [--zensical PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from studyguide.validate import load_catalogue

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.helpers import scaled_project  # noqa: E402  (the tests grow catalogues the same way)

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
PY = sys.executable


def run(*command: str | Path, cwd: Path | None = None) -> float:
    start = time.perf_counter()
    subprocess.run([str(c) for c in command], check=True, cwd=cwd, env=ENV, capture_output=True)
    return time.perf_counter() - start


def floor_project(project: Path, dest: Path) -> Path:
    """The same pages, exported by `studyguide export` (the plugin's own pages, nav and
    assets, in a project with no plugin): the floor the plugin is measured against."""
    run(PY, "-m", "studyguide", "export", dest, cwd=project)
    return dest


def after_removing(path: Path, command: list[str | Path]) -> list[str | Path]:
    """`command`, run once `path` (a file or folder) is gone."""
    return ["sh", "-c", f'rm -rf "{path}" && exec "$@"', "-", *command]


FAILED: dict[str, str] = {}
"""A job that failed, by name, with the last line it printed."""


def timed(repeat: int, *jobs: tuple[str, list[str | Path]]) -> dict[str, list[float]]:
    """Run each job `repeat` times, interleaved. A job that fails (an engine that cannot build
    the pages, say) is reported, not fatal."""
    times: dict[str, list[float]] = {name: [] for name, _ in jobs}
    for _ in range(repeat):
        for name, command in jobs:
            try:
                times[name].append(run(*command))
            except subprocess.CalledProcessError as error:
                said = (error.stderr or error.stdout or b"").decode("utf-8", "replace").strip()
                FAILED[name] = said.splitlines()[-1][:160] if said else f"exit {error.returncode}"
    return times


def median(values: list[float], name: str = "") -> str:
    if not values:
        return f"failed: {FAILED.get(name, 'no run')}"
    return f"{statistics.median(values):.2f} s ({min(values):.2f}-{max(values):.2f})"


def ratio(top: list[float], bottom: list[float]) -> str:
    each = [a / b for a, b in zip(top, bottom, strict=True)]
    return f"{statistics.median(each):.3f} ({min(each):.3f}-{max(each):.3f})"


def page_weight(site: Path) -> dict[str, str]:
    pages = list(site.rglob("*.html"))
    size, biggest = max((p.stat().st_size, p) for p in pages)
    index = site / "search" / "search_index.json"
    docs = json.loads(index.read_text(encoding="utf-8"))["docs"]
    words, where = max((len(d["text"].split()), d["location"]) for d in docs)
    return {
        "pages": f"{len(pages)}",
        "biggest page": f"{size / 1e6:.2f} MB ({biggest.relative_to(site)})",
        "search index": f"{index.stat().st_size / 1e6:.2f} MB",
        "longest search section": f"{words} words ({where})",
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def reload_latency(project: Path, edits: int) -> list[float]:
    """Seconds from saving a new title in resources.yaml to `mkdocs serve` serving it."""
    port = free_port()
    server = subprocess.Popen(
        [PY, "-m", "mkdocs", "serve", "--dirty", "-q", "-f", str(project / "mkdocs.yml"), "-a",
         f"127.0.0.1:{port}"],
        env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    catalogue = project / "resources.yaml"
    first = load_catalogue(catalogue, project / "tracks").resources[0]
    url = f"http://127.0.0.1:{port}/resources/{first.id}/"
    seen = []
    try:
        _wait_for(url, first.title, 600)
        title = first.title
        for n in range(edits):
            new = f"{first.title} edit {n}"
            text = catalogue.read_text(encoding="utf-8")
            catalogue.write_text(text.replace(f'"{title}"', f'"{new}"', 1), encoding="utf-8")
            start = time.perf_counter()
            _wait_for(url, new, 600)
            seen.append(time.perf_counter() - start)
            title = new
    finally:
        server.terminate()
        server.wait(30)
    return seen


def _wait_for(url: str, text: str, limit: float) -> None:
    end = time.monotonic() + limit
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if text in response.read().decode("utf-8"):
                    return
        except OSError:
            pass
        time.sleep(0.05)
    raise TimeoutError(f"{url} never showed {text!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="shipped,1000,10000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--reload", action="store_true", help="measure live reload too")
    parser.add_argument("--reload-only", action="store_true", help="measure live reload alone")
    installed = Path(sys.executable).with_name("zensical")
    parser.add_argument(
        "--zensical",
        metavar="PATH",
        default=str(installed) if installed.exists() else None,
        help="the zensical executable that builds the export (default: this venv's)",
    )
    args = parser.parse_args()
    rows: dict[str, dict[str, str]] = {}
    raw: dict[str, dict[str, list[float]]] = {}
    for label in args.sizes.split(","):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            if label == "shipped":
                project = folder / "project"
                shutil.copytree(ROOT, project, ignore=_not_project)
            else:
                (folder / "project").mkdir()
                project = scaled_project(folder / "project", int(label))
            if args.reload_only:
                rows[label] = {"live reload": median(reload_latency(project, args.repeat))}
                continue
            floor = floor_project(project, folder / "floor")
            yml = project / "resources.yaml"
            parse = f"import yaml; yaml.load(open({str(yml)!r}, 'rb'), Loader=yaml.CSafeLoader)"
            build: list[str | Path] = [PY, "-m", "mkdocs", "build", "-q", "-f",
                                       project / "mkdocs.yml", "-d", folder / "site"]  # fmt: skip
            cache = project / ".cache"
            times = timed(
                args.repeat,
                ("cold", after_removing(cache, build)),
                ("build", build),
                ("floor", [PY, "-m", "mkdocs", "build", "-q", "-f", floor / "mkdocs.yml",
                           "-d", folder / "floor-site"]),
                ("export", [PY, "-m", "studyguide", "build", yml, "--tracks",
                            project / "tracks", "--out", folder / "export"]),
                ("check", [PY, "-m", "studyguide", "check", yml, "--tracks",
                           project / "tracks"]),
                ("parse", [PY, "-c", parse]),
                ("studyguide export", [PY, "-m", "studyguide", "export", floor,
                                       "--config", project / "mkdocs.yml"]),
                *([("zensical", [args.zensical, "build", "--clean", "-f", floor / "mkdocs.yml"])]
                  if args.zensical else []),
            )  # fmt: skip
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            raw[label] = times
            rows[label] = {
                "resources": str(len(load_catalogue(yml, project / "tracks").resources)),
                "build, no cache": median(times["cold"]),
                "build, formula cache": median(times["build"]),
                "floor (no plugin)": median(times["floor"]),
                "build ÷ floor, no cache": ratio(times["cold"], times["floor"]),
                "build ÷ floor, formula cache": ratio(times["build"], times["floor"]),
                "generator (build --out)": median(times["export"]),
                "check": median(times["check"]),
                "bare CSafeLoader parse": median(times["parse"]),
                "check ÷ parse": ratio(times["check"], times["parse"]),
                "peak memory so far": f"{peak:.0f} MB",
                **page_weight(folder / "site"),
            }
            rows[label]["studyguide export (no change)"] = median(times["studyguide export"])
            if args.zensical:
                rows[label]["Zensical build of the export"] = median(times["zensical"], "zensical")
                if times["zensical"]:
                    rows[label]["Zensical ÷ MkDocs build, formula cache"] = ratio(
                        times["zensical"], times["build"]
                    )
                FAILED.clear()
            if args.reload:
                rows[label]["live reload"] = median(reload_latency(project, args.repeat))
        print(f"done: {label}", file=sys.stderr, flush=True)
    labels = list(rows)
    if "1000" in raw and "10000" in raw:
        for name, label in (("cold", "build, no cache"), ("export", "export")):
            key = f"{label}, at 10k ÷ at 1k"
            rows["10000"][key] = ratio(raw["10000"][name], raw["1000"][name])
    names = list(dict.fromkeys(k for row in rows.values() for k in row))
    width = max(len(n) for n in names)
    print(f"{'':<{width}}  " + "  ".join(f"{label:<36}" for label in labels))
    for name in names:
        cells = "  ".join(f"{rows[label].get(name, ''):<36}" for label in labels)
        print(f"{name:<{width}}  {cells}".rstrip())


def _not_project(folder: str, names: list[str]) -> list[str]:
    skip = {".git", ".venv", "site", "test-artifacts", ".site-builds", "__pycache__"}
    return [n for n in names if n in skip or n.startswith(".")]


if __name__ == "__main__":
    main()
