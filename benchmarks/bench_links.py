"""Benchmark `studyguide links` against LinkChecker on a local server. A script, not a test.

A local asyncio server answers on 20 loopback hosts (127.0.0.2..127.0.0.21, or 20 ports on
127.0.0.1 where those addresses cannot be bound) with 50 ms of latency per response; 2,000
URLs are spread evenly over them. Both checkers run as subprocesses in one go:

- `studyguide links --url-file URLS --no-cache` with its defaults (128 in flight, 10 per host,
  50 ms between request starts to a host), the timed run;
- the same with no interval and no global limit, so that the per-host limit is what binds
  (shown to hold: the peak per host must not exceed 10);
- `linkchecker --check-extern -r 1` on an HTML page listing the same URLs, with its default 10
  threads and its per-host rate raised to the same 20 requests/s (LinkChecker's documented
  way: `maxrequestspersecond` in its config, plus a `LinkChecker` response header, without
  which it keeps at least 100 ms between requests to a host).

The server counts each checker's requests (by User-Agent) and the peak number in flight per
host. Run: .venv/bin/python benchmarks/bench_links.py
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

URLS = 2000
HOSTS = 20
LATENCY = 0.05
PER_HOST = 10  # studyguide's default, checked against what the server saw
HOST_INTERVAL = 0.05
# A second studyguide run where nothing but the per-host limit binds, to show it holds.
BURST = ("--host-interval", "0", "--max-concurrency", "1000")
ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


@dataclass
class Stats:
    """What the server saw, per client (by User-Agent). Touched only on the server loop."""

    requests: Counter[str] = field(default_factory=Counter)
    paths: defaultdict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    robots: Counter[str] = field(default_factory=Counter)
    in_flight: Counter[tuple[str, str]] = field(default_factory=Counter)
    peak: Counter[tuple[str, str]] = field(default_factory=Counter)


def client_of(user_agent: str) -> str:
    if "studyguide" in user_agent:
        return "studyguide"
    if "linkchecker" in user_agent.lower():
        return "linkchecker"
    return "other"


class Server:
    """A small keep-alive HTTP/1.1 server on its own event loop thread."""

    def __init__(self) -> None:
        self.stats = Stats()
        self.loop = asyncio.new_event_loop()
        self.hosts: list[tuple[str, int]] = []
        self.page_addr: tuple[str, int] = ("127.0.0.1", 0)
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._servers: list[asyncio.Server] = []

    def start(self) -> None:
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self._listen(), self.loop).result(timeout=30)

    def stop(self) -> None:
        async def close() -> None:
            for server in self._servers:
                server.close()
                await server.wait_closed()

        asyncio.run_coroutine_threadsafe(close(), self.loop).result(timeout=30)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join()
        self.loop.close()

    async def _bind(self, host: str, port: int) -> tuple[str, int]:
        server = await asyncio.start_server(self._handle, host, port, backlog=1024)
        self._servers.append(server)
        return host, server.sockets[0].getsockname()[1]

    async def _listen(self) -> None:
        self.page_addr = await self._bind("127.0.0.1", 0)
        try:
            first = await self._bind("127.0.0.2", 0)
            self.hosts = [first]
            for i in range(3, HOSTS + 2):
                self.hosts.append(await self._bind(f"127.0.0.{i}", first[1]))
        except OSError:
            # No extra loopback addresses here: distinct ports on 127.0.0.1 instead.
            for server in self._servers[1:]:
                server.close()
            del self._servers[1:]
            self.hosts = [await self._bind("127.0.0.1", 0) for _ in range(HOSTS)]

    def urls(self) -> list[str]:
        return [
            f"http://{host}:{port}/page/{i}"
            for i in range(URLS)
            for host, port in [self.hosts[i % HOSTS]]
        ]

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        sock_host, sock_port = writer.get_extra_info("sockname")[:2]
        host = f"{sock_host}:{sock_port}"
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                request_line, *lines = head.decode("latin-1").split("\r\n")
                method, target, _ = request_line.split(" ", 2)
                headers = {}
                for line in lines:
                    name, sep, value = line.partition(":")
                    if sep:
                        headers[name.strip().lower()] = value.strip()
                await self._respond(writer, host, method, target, headers)
                if headers.get("connection", "").lower() == "close":
                    break
        except (asyncio.IncompleteReadError, ConnectionError, ValueError):
            pass
        finally:
            writer.close()

    async def _respond(
        self,
        writer: asyncio.StreamWriter,
        host: str,
        method: str,
        target: str,
        headers: dict[str, str],
    ) -> None:
        stats = self.stats
        client = client_of(headers.get("user-agent", ""))
        path = re.sub(r"^https?://[^/]+", "", target)
        key = (client, host)
        stats.in_flight[key] += 1
        stats.peak[key] = max(stats.peak[key], stats.in_flight[key])
        try:
            await asyncio.sleep(LATENCY)
        finally:
            stats.in_flight[key] -= 1
        content_type = "text/plain"
        status = "200 OK"
        if path == "/robots.txt":
            stats.robots[client] += 1
            body = b"User-agent: *\nDisallow:\n"
        elif path == "/index.html":
            content_type = "text/html"
            items = "".join(f'<li><a href="{u}">{u}</a></li>\n' for u in self.urls())
            body = f"<!doctype html><title>links</title><ul>\n{items}</ul>\n".encode()
        elif path.startswith("/page/"):
            stats.requests[client] += 1
            stats.paths[client].add(f"{host}{path}")
            body = b"ok\n"
        else:
            status, body = "404 Not Found", b"not found\n"
        head = (
            f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {len(body)}\r\nLinkChecker: allowed\r\n\r\n"
        )
        writer.write(head.encode("latin-1") + (b"" if method == "HEAD" else body))
        await writer.drain()

    def snapshot(self) -> Stats:
        async def copy() -> Stats:
            s = self.stats
            return Stats(
                Counter(s.requests),
                defaultdict(set, {k: set(v) for k, v in s.paths.items()}),
                Counter(s.robots),
                Counter(s.in_flight),
                Counter(s.peak),
            )

        return asyncio.run_coroutine_threadsafe(copy(), self.loop).result(timeout=30)


def peaks(stats: Stats, client: str) -> list[int]:
    return [stats.peak[(client, f"{h}:{p}")] for h, p in SERVER.hosts]


def run_studyguide(work: Path, urls: list[str], *extra: str) -> tuple[float, Counter[str]]:
    url_file = work / "urls.txt"
    url_file.write_text("\n".join(urls) + "\n")
    report = work / "studyguide.json"
    command = [
        sys.executable,
        "-m",
        "studyguide.links",
        "--url-file",
        str(url_file),
        "--no-cache",
        "--json",
        str(report),
        *extra,
    ]
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=work)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"studyguide links failed ({done.returncode}):\n{done.stderr[-3000:]}")
    print(f"  {done.stderr.strip().splitlines()[-1]}")
    statuses = Counter(r["status"] for r in json.loads(report.read_text())["results"])
    return elapsed, statuses


def run_linkchecker(work: Path, page: str) -> tuple[float, str]:
    linkchecker = BIN / "linkchecker"
    if not linkchecker.exists():
        found = shutil.which("linkchecker")
        if found is None:
            sys.exit("linkchecker is not installed (pip install linkchecker)")
        linkchecker = Path(found)
    # LinkChecker drops root privileges to 'nobody': its config must be world-readable.
    config = work / "linkcheckerrc"
    config.write_text(f"[checking]\nmaxrequestspersecond={1 / HOST_INTERVAL:g}\n")
    config.chmod(0o644)
    command = [
        str(linkchecker),
        "--config",
        str(config),
        "--check-extern",
        "--recursion-level",
        "1",
        "--no-status",
        "--no-warnings",
        page,
    ]
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=work)
    elapsed = time.perf_counter() - start
    summary = next(
        (line for line in done.stdout.splitlines() if "links in" in line and "checked" in line),
        f"(no summary; exit {done.returncode}) {done.stderr[-500:]}",
    )
    return elapsed, summary.strip()


SERVER = Server()


def main() -> int:
    SERVER.start()
    try:
        urls = SERVER.urls()
        shown_hosts = f"{SERVER.hosts[0][0]}..{SERVER.hosts[-1][0]}"
        if SERVER.hosts[0][0] == SERVER.hosts[-1][0]:
            shown_hosts = f"{SERVER.hosts[0][0]} ports {SERVER.hosts[0][1]}..{SERVER.hosts[-1][1]}"
        print(
            f"{len(urls)} URLs over {HOSTS} hosts ({shown_hosts}), "
            f"{LATENCY * 1000:.0f} ms latency per response"
        )
        work = Path(tempfile.mkdtemp(prefix="bench-links-"))
        work.chmod(0o755)
        try:
            print("studyguide links (defaults: 128 in flight, 10 per host, 50 ms apart):")
            sg_time, statuses = run_studyguide(work, urls)
            after_sg = SERVER.snapshot()
            print(f"studyguide links {' '.join(BURST)} (only the per-host limit holds it back):")
            SERVER.stats = Stats()
            burst_time, burst_statuses = run_studyguide(work, urls, *BURST)
            after_burst = SERVER.snapshot()
            SERVER.stats = Stats()
            print("linkchecker (10 threads, 20 requests/s per host):")
            page = f"http://{SERVER.page_addr[0]}:{SERVER.page_addr[1]}/index.html"
            lc_time, lc_summary = run_linkchecker(work, page)
            print(f"  {lc_summary}")
            stats = SERVER.snapshot()
        finally:
            shutil.rmtree(work, ignore_errors=True)
    finally:
        SERVER.stop()

    sg_peaks = peaks(after_sg, "studyguide")
    burst_peaks = peaks(after_burst, "studyguide")
    lc_peaks = peaks(stats, "linkchecker")
    sg_seen = len(after_sg.paths["studyguide"])
    lc_seen = len(stats.paths["linkchecker"])
    ratio = lc_time / sg_time
    print()
    print(f"studyguide links: {sg_time:6.2f} s  {dict(statuses)}")
    print(f"  server saw {after_sg.requests['studyguide']} requests ({sg_seen} distinct URLs)")
    print(
        f"  peak concurrent requests per host: max {max(sg_peaks)} (limit {PER_HOST}); {sg_peaks}"
    )
    print(f"studyguide links {' '.join(BURST)}: {burst_time:.2f} s  {dict(burst_statuses)}")
    print(
        f"  peak concurrent requests per host: max {max(burst_peaks)} (limit {PER_HOST}); "
        f"{burst_peaks}"
    )
    print(f"linkchecker:      {lc_time:6.2f} s")
    print(
        f"  server saw {stats.requests['linkchecker']} requests ({lc_seen} distinct URLs), "
        f"plus {stats.robots['linkchecker']} robots.txt"
    )
    print(f"  peak concurrent requests per host: max {max(lc_peaks)}; {lc_peaks}")
    print(f"speed-up: {ratio:.1f}x (goal: at least 3x)")

    failures = []
    if statuses != Counter({"ok": URLS}):
        failures.append(f"studyguide did not find all {URLS} URLs ok: {dict(statuses)}")
    if sg_seen != URLS:
        failures.append(f"the server saw studyguide check {sg_seen} URLs, not {URLS}")
    if lc_seen != URLS:
        failures.append(f"the server saw LinkChecker check {lc_seen} URLs, not {URLS}")
    if max(sg_peaks + burst_peaks) > PER_HOST:
        failures.append(f"per-host limit exceeded: {max(sg_peaks + burst_peaks)} > {PER_HOST}")
    if burst_statuses != Counter({"ok": URLS}):
        failures.append(f"studyguide (no interval) did not find all URLs ok: {burst_statuses}")
    if ratio < 3:
        failures.append(f"speed-up {ratio:.1f}x is below the 3x goal")
    for failure in failures:
        print(f"FAIL: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
