"""A hostile server on 127.0.0.1: responses no well-behaved server sends. Whatever it does,
the run ends within its bound, classifies every URL, and writes its report and its cache."""

from __future__ import annotations

import asyncio
import json
import threading
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from studyguide.links.checker import parse_retry_after
from studyguide.links.command import links

from .conftest import Checker

GZIP_BOMB = zlib.compressobj(9, zlib.DEFLATED, 31).compress(b"\0" * 50_000_000)


class Hostile:
    """Raw HTTP/1.1 over asyncio: each path is a behaviour."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.port = 0
        self.requests: list[str] = []

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.server = self.loop.run_until_complete(
            asyncio.start_server(self._serve, "127.0.0.1", 0, limit=2**16)
        )
        self.port = self.server.sockets[0].getsockname()[1]
        self.ready.set()
        self.loop.run_forever()
        self.loop.close()

    def start(self) -> None:
        self.thread.start()
        self.ready.wait()

    async def _shutdown(self) -> None:
        self.server.close()
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self.loop.stop()

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self._shutdown(), self.loop)
        self.thread.join(timeout=5)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                method, path, _ = head.split(b"\r\n", 1)[0].decode().split(" ", 2)
                self.requests.append(f"{method} {path}")
                if not await self._answer(method, path, writer):
                    break
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()

    async def _answer(self, method: str, path: str, writer: asyncio.StreamWriter) -> bool:
        """Write the behaviour of `path`; False when the connection must close."""

        def send(status: str, headers: dict[str, str], body: bytes = b"") -> None:
            lines = [f"HTTP/1.1 {status}", *(f"{k}: {v}" for k, v in headers.items())]
            # Raw UTF-8 in a header, as a careless server sends it.
            writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("utf-8") + body)

        if path == "/silent":  # reads the request, never answers
            await asyncio.sleep(3600)
        elif path == "/endless":  # headers, then a body that never ends
            send("200 OK", {"Transfer-Encoding": "chunked"})
            while True:
                writer.write(b"10000\r\n" + b"x" * 0x10000 + b"\r\n")
                await writer.drain()
        elif path == "/bomb":  # 50 MB of zeros in 50 kB of gzip
            send(
                "200 OK",
                {"Content-Encoding": "gzip", "Content-Length": str(len(GZIP_BOMB))},
                b"" if method == "HEAD" else GZIP_BOMB,
            )
        elif path.startswith("/hop/"):  # a redirect chain ten thousand hops long
            n = int(path.rsplit("/", 1)[1])
            send("302 Found", {"Location": f"/hop/{n + 1}", "Content-Length": "0"})
        elif path in REDIRECTS:
            send("301 Moved Permanently", {"Location": REDIRECTS[path], "Content-Length": "0"})
        elif path == "/superscript-retry":
            send("429 Too Many Requests", {"Retry-After": "\u00b2", "Content-Length": "0"})
        elif path == "/ok":
            send("200 OK", {"Content-Length": "2"}, b"ok")
        else:
            send("404 Not Found", {"Content-Length": "0"})
        await writer.drain()
        return True


REDIRECTS = {
    "/to-javascript": "javascript:alert(1)",
    "/to-data": "data:text/html,<script>alert(1)</script>",
    "/to-bad-port": "http://127.0.0.1:99999/x",
    "/to-bad-ipv6": "http://[::1",
    "/to-bad-host": "http://ex\u2100ample.org/",
}
EXPECTED = {
    "/silent": ("timeout", "no response within"),
    "/endless": ("ok", ""),
    "/bomb": ("ok", ""),
    "/hop/0": ("broken", "more than 10 redirects"),
    "/to-javascript": ("broken", "redirects to a non-HTTP URL: javascript:alert(1)"),
    "/to-data": ("broken", "redirects to a non-HTTP URL: data:"),
    "/to-bad-port": ("broken", "redirects to an invalid URL"),
    "/to-bad-ipv6": ("broken", "redirects to an invalid URL"),
    "/to-bad-host": ("broken", "redirects to an invalid URL"),
    "/superscript-retry": ("rate-limited", "HTTP 429"),
    "/ok": ("ok", ""),
}


@pytest.fixture(scope="module")
def hostile() -> Iterator[Hostile]:
    server = Hostile()
    server.start()
    yield server
    server.stop()


def test_retry_after_in_superscript_digits_is_not_a_number() -> None:
    assert parse_retry_after("\u00b2", None) is None  # type: ignore[arg-type]
    assert parse_retry_after("\u0663", None) is None  # type: ignore[arg-type]  # Arabic-Indic 3


def test_each_hostile_behaviour_is_classified(check: Checker, hostile: Hostile) -> None:
    urls = [hostile.url(path) for path in EXPECTED]
    results = check(urls, timeout=1.0, retries=1, backoff_base=0.0, max_backoff=0.0)
    found = {r.url.split(str(hostile.port), 1)[1]: (str(r.status), r.message) for r in results}
    for path, (status, message) in EXPECTED.items():
        assert found[path][0] == status, (path, found[path])
        assert message in found[path][1], (path, found[path])
    moved = next(r for r in results if r.url.endswith("/to-javascript"))
    assert moved.suggested_url is None  # never suggest a javascript: address


def test_a_run_against_the_hostile_server_writes_its_report_and_cache(
    hostile: Hostile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    url_file = tmp_path / "urls.txt"
    lines = [hostile.url(p) for p in EXPECTED]
    lines += ["https://example.org:99999/x", "http://[::1/x", "https://ex\u2100ample.org/"]
    url_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(
        links,
        [
            "--url-file", str(url_file), "--timeout", "1", "--retries", "1", "--backoff", "0",
            "--max-backoff", "0", "--json", "report.json", "--cache", "cache.json",
            "--host-interval", "0",
        ],
        catch_exceptions=False,
    )  # fmt: skip
    assert result.exit_code == 1, result.output  # broken links fail the run; nothing crashes
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    statuses = {r["url"]: r["status"] for r in report["results"]}
    assert len(statuses) == len(lines)
    for bad in lines[-3:]:
        assert statuses[bad] == "broken"
    cache = json.loads((tmp_path / "cache.json").read_text(encoding="utf-8"))
    assert set(cache["entries"]) == {
        hostile.url("/endless"),
        hostile.url("/bomb"),
        hostile.url("/ok"),
    }
    assert "Traceback" not in result.output


def test_a_url_file_that_is_not_utf8_is_a_usage_error(tmp_path: Path) -> None:
    url_file = tmp_path / "urls.txt"
    url_file.write_bytes(b"https://example.org/\nhttps://caf\xe9.example/\n")
    result = CliRunner().invoke(links, ["--url-file", str(url_file), "--no-cache"])
    assert result.exit_code == 2
    assert "urls.txt:2: not UTF-8 text (byte 0xe9); save it as UTF-8" in result.stderr
