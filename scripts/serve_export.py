"""`make serve ENGINE=zensical`: export the site, keep the export in step with every edit
(`studyguide export --watch`), and serve it with `zensical serve`, which reloads the browser.
Ctrl-C stops both."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--export", type=Path, default=Path(".export"))
    parser.add_argument("--dev-addr", default="127.0.0.1:8000")
    args = parser.parse_args()
    first = subprocess.run([BIN / "studyguide", "export", args.export], check=False)
    if first.returncode != 0:
        return first.returncode
    watcher = subprocess.Popen([BIN / "studyguide", "export", args.export, "--watch"])
    server = subprocess.Popen([BIN / "zensical", "serve", "-a", args.dev_addr], cwd=args.export)
    try:
        return server.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        for process in (server, watcher):
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


if __name__ == "__main__":
    sys.exit(main())
