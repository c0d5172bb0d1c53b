"""Per track, the hours a learner saves by testing out of each topic: the core steps of the
topic whose concepts all have self-checks (so that getting every one right places the step
out), and their hours. A script, not a test; the figures go into closing notes.

Run: .venv/bin/python benchmarks/testout_hours.py [resources.yaml] [tracks/]
"""

from __future__ import annotations

import sys
from pathlib import Path

from studyguide.validate import load_catalogue

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    catalog = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "resources.yaml"
    tracks = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "tracks"
    catalogue = load_catalogue(catalog, tracks)
    for track_id, walk in catalogue.paths.items():
        print(f"{track_id}: {walk.core_hours:g} core hours")
        for section in walk.sections:
            out = [s for s in section.steps if s.teaches and all(c.checks for c in s.teaches)]
            checks = sum(len(c.checks) for c in section.concepts)
            hours = round(sum(s.hours for s in out), 1)
            print(
                f"  {section.topic.title}: {len(section.concepts)} concepts, {checks} questions;"
                f" skips {len(out)} of {len(section.steps)} steps, {hours:g} of"
                f" {section.hours:g} h"
            )
        print()


if __name__ == "__main__":
    main()
