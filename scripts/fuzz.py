"""Feed any number of generated catalogues to the loader and count how each one ends.

    .venv/bin/python scripts/fuzz.py --cases 10000

Every case must end as 'catalogue' or 'errors' (every message one located line). The other
outcomes are bugs: 'unlocated' (a message without FILE:LINE:COL, or on several lines),
'traceback' (an exception escaped) and 'crash' (the process died, as a segfault would). Cases
run in worker processes, in batches, so that a crash costs one batch, not the run.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import traceback
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTCOMES = ("catalogue", "errors", "unlocated", "traceback", "crash")
KINDS = ("yaml", "catalogue")


def worker(kind: str, count: int, seed: int) -> None:
    """Run `count` cases in this process; print the counts (and a few examples) as JSON."""
    sys.path.insert(0, str(ROOT))
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as seeded
    from tests.fuzzing import mutated_catalogues, outcome, yaml_documents

    counts: Counter[str] = Counter()
    examples: dict[str, str] = {}
    strategy = yaml_documents() if kind == "yaml" else mutated_catalogues()

    @seeded(seed)
    @settings(
        max_examples=count,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def run(document: bytes) -> None:
        try:
            counts[outcome(document)] += 1
        except AssertionError as error:
            counts["unlocated"] += 1
            examples.setdefault("unlocated", f"{document[:200]!r}: {error}")
        except Exception:
            counts["traceback"] += 1
            examples.setdefault("traceback", f"{document[:200]!r}\n{traceback.format_exc()}")

    run()
    print(json.dumps({"counts": counts, "examples": examples}))


def batch(kind: str, count: int, seed: int) -> tuple[Counter[str], dict[str, str]]:
    command = [sys.executable, __file__, "--worker", kind, str(count), str(seed)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    if done.returncode != 0:
        return Counter(crash=1), {"crash": f"{kind} seed {seed}: exit {done.returncode}"}
    data = json.loads(done.stdout.splitlines()[-1])
    return Counter(data["counts"]), data["examples"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1000, help="cases of each kind")
    parser.add_argument("--batch", type=int, default=500, help="cases per worker process")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--worker", nargs=3, metavar=("KIND", "COUNT", "SEED"), help="internal")
    args = parser.parse_args()
    if args.worker:
        kind, count, seed = args.worker
        worker(kind, int(count), int(seed))
        return
    jobs = [
        (kind, min(args.batch, args.cases - start), args.seed * 100_000 + i)
        for kind in KINDS
        for i, start in enumerate(range(0, args.cases, args.batch))
    ]
    totals = {kind: Counter[str]() for kind in KINDS}
    examples: dict[str, str] = {}
    with ThreadPoolExecutor(max_workers=2) as pool:
        for (kind, _, _), (counts, found) in zip(
            jobs, pool.map(lambda job: batch(*job), jobs), strict=True
        ):
            totals[kind].update(counts)
            for key, text in found.items():
                examples.setdefault(key, text)
    print(f"{'kind':<10}" + "".join(f"{o:>11}" for o in OUTCOMES) + f"{'total':>9}")
    for kind in KINDS:
        row = totals[kind]
        print(
            f"{kind:<10}" + "".join(f"{row[o]:>11}" for o in OUTCOMES) + f"{sum(row.values()):>9}"
        )
    for key, text in examples.items():
        print(f"\nfirst {key}:\n{text}")
    bad = sum(totals[k][o] for k in KINDS for o in ("unlocated", "traceback", "crash"))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
