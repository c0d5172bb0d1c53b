"""Benchmark the route diagram's layout on dense graphs. A script, not a test.

A dense graph of n topics lists every earlier topic as a prerequisite of each: n layers,
n(n-1)/2 edges and a slot in every layer each edge crosses (n + n(n-1)(n-2)/6 boxes and slots
in all: 9,920 for 40 topics, 161,800 for 100). Each size is laid out once, in a process of
its own, by `layout_graph` (what `mkdocs build` runs for a track's diagram), and timed.

With `--baseline REV` the diagram module as committed at REV (`git show`) is timed too, on the
same graphs, in the same way: the layout before a change beside the one after it. A run that
takes longer than `--timeout` seconds is stopped and shown as such.

Run: .venv/bin/python benchmarks/bench_diagram.py [--baseline HEAD] [--sizes 40 60 100]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULE = "src/studyguide/render/diagram.py"


def dense(n: int) -> tuple[list[tuple[str, str]], dict[str, list[str]]]:
    nodes = [(f"t{i}", f"Topic {i}") for i in range(n)]
    return nodes, {f"t{i}": [f"t{j}" for j in range(i)] for i in range(n)}


def one(n: int, source: str | None) -> None:
    """Lay out the dense graph of n topics here, and print the time and effort as JSON."""
    if source:  # another version of the module, in the place of the installed one
        spec = importlib.util.spec_from_file_location("studyguide.render.diagram", source)
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["studyguide.render.diagram"] = module
        spec.loader.exec_module(module)
    from studyguide.render.diagram import layout_graph

    nodes, prereqs = dense(n)
    start = time.perf_counter()
    layout = layout_graph(nodes, prereqs)
    seconds = time.perf_counter() - start
    effort = getattr(layout, "effort", None)
    slots = sum(len(layer) for layer in layout.layers)
    sweeps = effort.sweeps if effort is not None else 3
    print(json.dumps({"seconds": seconds, "slots": slots, "sweeps": sweeps}))


def timed(n: int, source: str | None, timeout: float) -> str:
    command = [sys.executable, __file__, "--one", str(n)] + (["--source", source] if source else [])
    start = time.perf_counter()
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, check=True, cwd=ROOT
        )
    except subprocess.TimeoutExpired:
        return f"stopped after {timeout:g} s"
    except subprocess.CalledProcessError as error:
        last = error.stderr.strip().splitlines()[-1]
        return f"failed after {time.perf_counter() - start:.0f} s: {last}"
    result = json.loads(done.stdout.strip().splitlines()[-1])
    sweeps = "1 sweep" if result["sweeps"] == 1 else f"{result['sweeps']} sweeps"
    return f"{result['seconds']:7.2f} s  ({result['slots']:,} boxes and slots, {sweeps})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[40, 60, 100])
    parser.add_argument("--baseline", metavar="REV", help="also time diagram.py as of REV")
    parser.add_argument("--timeout", type=float, default=300, help="seconds per layout")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--source", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one is not None:
        one(args.one, args.source)
        return
    versions: list[tuple[str, str | None]] = []
    with tempfile.TemporaryDirectory() as folder:
        if args.baseline:
            text = subprocess.run(
                ["git", "show", f"{args.baseline}:{MODULE}"],
                capture_output=True, text=True, check=True, cwd=ROOT,
            ).stdout  # fmt: skip
            old = Path(folder) / "diagram_baseline.py"
            old.write_text(text, encoding="utf-8")
            versions.append((f"before ({args.baseline})", str(old)))
        versions.append(("now (this tree)", None))
        print("Dense route diagrams: n topics, each needing every earlier one")
        for n in args.sizes:
            for name, source in versions:
                print(f"  {n:4d} topics, {name:<16}: {timed(n, source, args.timeout)}", flush=True)


if __name__ == "__main__":
    main()
