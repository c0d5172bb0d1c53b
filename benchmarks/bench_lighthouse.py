"""Print Lighthouse scores (mobile) for the built site, served compressed as GitHub Pages does.

Builds the site into a temporary folder (or takes --site), serves it on 127.0.0.1 with gzip,
and runs Lighthouse 12.2.3 (installed by `npm ci` into benchmarks/lighthouse/) in Debian's
Chromium against the home page and the research track. Prints each category's score and
every audit under 1 in them. Figures only; nothing here is a test.

    .venv/bin/python benchmarks/bench_lighthouse.py [--site site] [--page tracks/research/]
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TOOL = Path(__file__).resolve().parent / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
COMPRESSED = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt")


class Handler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzip-compressed where the browser accepts it, as GitHub Pages serves."""

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the redirect to the folder's slash
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.suffix in COMPRESSED and path.is_file()):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        return _Body(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Body:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, _size: int = -1) -> bytes:
        data, self.data = self.data, b""
        return data

    def close(self) -> None:
        pass


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(Handler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def lighthouse(url: str, out: Path) -> dict[str, Any]:
    if not (TOOL / "node_modules" / ".bin" / "lighthouse").exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=TOOL, check=True)
    env = {**os.environ, "CHROME_PATH": shutil.which("chromium") or "/usr/bin/chromium"}
    subprocess.run(
        [str(TOOL / "node_modules" / ".bin" / "lighthouse"), url, "--quiet",
         "--output=json", f"--output-path={out}", f"--only-categories={','.join(CATEGORIES)}",
         "--chrome-flags=--headless=new --no-sandbox --disable-gpu"],
        env=env, check=True,
    )  # fmt: skip
    report: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build one)")
    parser.add_argument("--page", action="append", help="a path to audit (repeatable)")
    parser.add_argument("--runs", type=int, default=3, help="runs per page; medians shown")
    args = parser.parse_args()
    pages = args.page or ["", "tracks/research/"]
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site
        if site is None:
            site = Path(tmp) / "site"
            subprocess.run(
                [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(ROOT / "mkdocs.yml"),
                 "-d", str(site)],
                check=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
            )  # fmt: skip
        server, base = serve(site)
        try:
            for page in pages:
                reports = [
                    lighthouse(base + page, Path(tmp) / f"report-{n}.json")
                    for n in range(args.runs)
                ]
                print(f"/{page} (median of {args.runs}; min to max):")
                for name in CATEGORIES:
                    scores = [round(100 * (r["categories"][name]["score"] or 0)) for r in reports]
                    print(
                        f"    {name}: {statistics.median(scores):g} ({min(scores)}-{max(scores)})"
                    )
                for key in ("first-contentful-paint", "largest-contentful-paint",
                            "total-blocking-time", "cumulative-layout-shift"):  # fmt: skip
                    values = [r["audits"][key]["numericValue"] for r in reports]
                    title = reports[0]["audits"][key]["title"]
                    unit = "" if key == "cumulative-layout-shift" else " ms"
                    print(f"    {title}: {statistics.median(values):.3g}{unit}")
                for name in CATEGORIES:
                    for ref in reports[0]["categories"][name]["auditRefs"]:
                        audit = reports[0]["audits"][ref["id"]]
                        if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                            print(f"    first run, [{name}] {audit['title']}: {audit['score']:.2f}")
        finally:
            server.shutdown()


if __name__ == "__main__":
    main()
