"""Fault-injecting local servers and a fake clock for the link checker tests.

Everything listens on 127.0.0.1; no test touches the internet, and none sleeps for backoff
or Retry-After: the checker gets a fake clock whose sleep only records and advances it.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from studyguide.links.checker import check_links
from studyguide.links.options import LinkOptions
from studyguide.links.result import LinkResult

Responder = Callable[[Request], Response]


class Gauge:
    """Counts requests in flight and remembers the most seen at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.current = 0
        self.peak = 0

    def __enter__(self) -> None:
        with self._lock:
            self.current += 1
            self.peak = max(self.peak, self.current)

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self.current -= 1


class Site:
    """One local server whose routes record methods and concurrency."""

    def __init__(self, server: HTTPServer) -> None:
        self.server = server
        self.gauge = Gauge()

    def reset(self) -> None:
        self.server.clear()
        self.server.clear_all_handlers()
        self.server.no_handler_status_code = 404
        self.gauge = Gauge()

    def url(self, path: str) -> str:
        return str(self.server.url_for(path))

    @property
    def log(self) -> list[tuple[str, str]]:
        """(method, path) of every request received, routed or not."""
        return [(request.method, request.path) for request, _ in self.server.log]

    def route(
        self,
        path: str,
        respond: Responder | Response | int,
        *,
        delay: float = 0.0,
        also: Gauge | None = None,
    ) -> None:
        """Serve `path`; `delay` holds each request open (real time, server side only)."""
        if isinstance(respond, int):
            code = respond
            respond = Response(f"status {code}\n", status=code)
        if isinstance(respond, Response):
            fixed = respond

            def respond_fixed(_: Request) -> Response:
                return fixed

            respond = respond_fixed
        responder: Responder = respond

        def handler(request: Request) -> Response:
            with self.gauge:
                if also is None:
                    return _serve(responder, request, delay)
                with also:
                    return _serve(responder, request, delay)

        self.server.expect_request(path).respond_with_handler(handler)


def _serve(responder: Responder, request: Request, delay: float) -> Response:
    if delay:
        threading.Event().wait(delay)
    return responder(request)


def redirect(location: str, code: int = 301, **headers: str) -> Response:
    return Response("", status=code, headers={"Location": location, **headers})


def sequence(*responses: Response | int) -> Responder:
    """Answer with each response in turn, then keep repeating the last."""
    queue = [Response("", status=r) if isinstance(r, int) else r for r in responses]
    lock = threading.Lock()

    def respond(_: Request) -> Response:
        with lock:
            return queue.pop(0) if len(queue) > 1 else queue[0]

    return respond


def by_method(**responses: Response | int) -> Responder:
    """Answer per HTTP method, e.g. by_method(HEAD=405, GET=200)."""

    def respond(request: Request) -> Response:
        r = responses[request.method]
        return Response("", status=r) if isinstance(r, int) else r

    return respond


@dataclass
class FakeTime:
    """Monotonic and wall clocks that move only when the checker sleeps (or never, when
    `frozen`: then every wait the checker computes shows up whole in `sleeps`)."""

    frozen: bool = False
    monotonic: float = 1000.0
    start: datetime = datetime(2026, 1, 1, tzinfo=UTC)
    sleeps: list[float] = field(default_factory=list)

    def clock(self) -> float:
        return self.monotonic

    def now(self) -> datetime:
        return self.start + timedelta(seconds=self.monotonic - 1000.0)

    def advance(self, seconds: float) -> None:
        self.monotonic += seconds

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        if not self.frozen:
            self.monotonic += seconds
        await asyncio.sleep(0)


@dataclass
class Checker:
    """Runs check_links with the fake clock; options default to fast and cache-free."""

    time: FakeTime
    warnings: list[str] = field(default_factory=list)

    def __call__(self, urls: list[str], **overrides: Any) -> list[LinkResult]:
        settings: dict[str, Any] = {"cache_path": None, "host_interval": 0.0, "timeout": 5.0}
        settings.update(overrides)
        transport = settings.pop("transport", None)
        options = LinkOptions(**settings)
        run = check_links(
            urls,
            options,
            transport=transport,
            clock=self.time.clock,
            now=self.time.now,
            sleep=self.time.sleep,
            warn=self.warnings.append,
        )
        # A bound, so that a hang fails the test instead of the suite.
        return asyncio.run(asyncio.wait_for(run, timeout=20))

    def one(self, url: str, **overrides: Any) -> LinkResult:
        [result] = self([url], **overrides)
        return result


@pytest.fixture(autouse=True)
def _no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    # An inherited proxy setting would route 127.0.0.1 requests elsewhere.
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    monkeypatch.delenv("CI", raising=False)


@pytest.fixture(scope="session")
def _servers() -> Iterator[list[HTTPServer]]:
    # Session-scoped: stopping a werkzeug server takes up to half a second.
    servers = [HTTPServer(host="127.0.0.1", port=0, threaded=True) for _ in range(2)]
    for server in servers:
        server.start()
    yield servers
    for server in servers:
        server.stop()


@pytest.fixture
def site(_servers: list[HTTPServer]) -> Iterator[Site]:
    s = Site(_servers[0])
    s.reset()
    yield s
    s.reset()


@pytest.fixture
def site2(_servers: list[HTTPServer]) -> Iterator[Site]:
    s = Site(_servers[1])
    s.reset()
    yield s
    s.reset()


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def check(fake_time: FakeTime) -> Checker:
    return Checker(fake_time)


@pytest.fixture
def silent_url() -> Iterator[str]:
    """A host that accepts connections and never answers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/silent"


@pytest.fixture
def refused_url() -> Iterator[str]:
    """A port that refuses connections: bound (so nobody else takes it) but not listening."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/refused"
