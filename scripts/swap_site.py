"""Put a finished build in place of the site in one atomic step: `swap_site.py BUILD SITE`.

SITE is a symbolic link to the newest build, kept in `.site-builds/` beside it. The new build
moves there, a new link is made beside SITE, and one rename puts it in SITE's place: rename(2)
replaces a link atomically, so however the run is interrupted, SITE is the old site or the new
one, never missing or half-written. (A SITE that is still a plain folder, from before, is moved
aside once; only that first swap has a moment without it.)
"""

from __future__ import annotations

import os
import shutil
import sys
import time
import uuid
from pathlib import Path


def swap(build: Path, site: Path) -> Path:
    """Move `build` under `.site-builds/` and point `site` at it; return where it is."""
    store = site.parent / ".site-builds"
    store.mkdir(exist_ok=True)
    target = store / f"{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:8]}"
    os.rename(build, target)
    link = site.with_name(f".{site.name}.new")
    link.unlink(missing_ok=True)
    os.symlink(os.path.relpath(target, site.parent), link)
    if site.is_dir() and not site.is_symlink():
        os.rename(site, store / "from-before")
    os.replace(link, site)
    for old in store.iterdir():
        if old != target:
            shutil.rmtree(old, ignore_errors=True)
    return target


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: swap_site.py BUILD SITE")
    swap(Path(sys.argv[1]), Path(sys.argv[2]))
