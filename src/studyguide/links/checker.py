"""The async core: check many URLs at once, politely. Knows nothing of the CLI or MkDocs.

Every request passes three gates: a per-host semaphore, a global semaphore and a per-host
minimum interval between request starts. Each hop of a redirect chain is its own request
through those gates, so a redirect to another host is limited by that host's budget.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import math
import re
import socket
import ssl
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import httpx

from .cache import LinkCache
from .options import LinkOptions
from .result import LinkResult, LinkStatus, Redirect, iso_utc, utc_now

Sleep = Callable[[float], Awaitable[None]]
Clock = Callable[[], float]
Now = Callable[[], datetime]

REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
PERMANENT_CODES = frozenset({301, 308})

log = logging.getLogger(__name__)


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date), or None."""
    if value is None:
        return None
    value = value.strip()
    # ASCII digits only: str.isdigit() also accepts '²', which float() refuses.
    if re.fullmatch(r"[0-9]+", value):
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def backoff_delay(options: LinkOptions, attempt: int, retry_after: float | None) -> float:
    """Delay before retry number `attempt + 1`: the server's word if given, else exponential;
    capped either way so one hostile header cannot stall the run."""
    delay = retry_after if retry_after is not None else options.backoff_base * 2**attempt
    return min(delay, options.max_backoff)


def _causes(error: BaseException) -> list[BaseException]:
    """The error and everything under it: httpx wraps anyio, which hides the errno."""
    found: list[BaseException] = []
    stack = [error]
    while stack:
        current = stack.pop()
        if current in found:
            continue
        found.append(current)
        if isinstance(current, BaseExceptionGroup):
            stack.extend(current.exceptions)
        for inner in (current.__cause__, current.__context__):
            if inner is not None:
                stack.append(inner)
    return found


def describe_transport_error(error: httpx.TransportError) -> str:
    text = str(error) or type(error).__name__
    causes = _causes(error)
    lowered = " ".join(str(c) for c in causes).lower()
    if isinstance(error, httpx.ConnectError):
        if any(isinstance(c, ConnectionRefusedError) for c in causes) or "refused" in lowered:
            return "connection refused"
        if any(isinstance(c, socket.gaierror) for c in causes) or any(
            s in lowered
            for s in ("name or service", "nodename nor servname", "name resolution", "getaddrinfo")
        ):
            return f"DNS lookup failed ({text})"
        if any(isinstance(c, ssl.SSLError) for c in causes) or any(
            s in lowered for s in ("ssl", "certificate", "tls")
        ):
            return f"TLS error ({text})"
        return f"cannot connect ({text})"
    if isinstance(error, httpx.RemoteProtocolError):
        return f"protocol error ({text})"
    if isinstance(error, httpx.ReadError | httpx.WriteError):
        return f"connection lost ({text})"
    return text


def _http(code: int) -> str:
    # The standard phrase, not the server's: 'NOT FOUND' and 'Not found' read the same.
    return f"HTTP {code} {httpx.codes.get_reason_phrase(code)}".strip()


def url_problem(url: str) -> str | None:
    """Why a URL (from a file, or from a Location header) cannot be requested, or None."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises on a port out of range)
    except ValueError as error:
        return str(error)
    if parts.scheme not in ("http", "https"):
        return f"not an http(s) URL: {url}"
    if not parts.hostname:
        return f"no host name: {url}"
    return None


def host_key(url: str) -> str:
    """The politeness key of a URL that `url_problem` accepts."""
    parts = urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme, 0)
    return f"{(parts.hostname or '').lower()}:{port}"


@dataclass
class _Host:
    slots: asyncio.Semaphore
    gate: asyncio.Lock = field(default_factory=asyncio.Lock)
    last_start: float = -math.inf
    not_before: float = -math.inf  # set by Retry-After: the whole host waits, not one link


@dataclass
class _Failure:
    status: LinkStatus
    message: str
    code: int | None = None


@dataclass
class _LinkState:
    attempts: int = 0
    head_refused: bool = False


class _Checker:
    def __init__(
        self,
        options: LinkOptions,
        client: httpx.AsyncClient,
        transport: httpx.AsyncBaseTransport,
        clock: Clock,
        now: Now,
        sleep: Sleep,
    ) -> None:
        self.options = options
        self.client = client
        self.transport = transport
        self.clock = clock
        self.now = now
        self.sleep = sleep
        self.slots = asyncio.Semaphore(options.max_concurrency)
        self.hosts: dict[str, _Host] = {}

    def host(self, url: str) -> _Host:
        key = host_key(url)
        host = self.hosts.get(key)
        if host is None:
            host = self.hosts[key] = _Host(asyncio.Semaphore(self.options.per_host))
        return host

    async def send(self, method: str, url: str, state: _LinkState) -> httpx.Response:
        host = self.host(url)
        # A Retry-After pause is waited out holding no slot, so other hosts carry on.
        pause = host.not_before - self.clock()
        if pause > 0:
            await self.sleep(pause)
        # Host slot, then the host's interval, and only then a global slot: a slow or busy
        # host never holds global slots while it waits.
        async with host.slots:
            async with host.gate:
                due = max(host.last_start + self.options.host_interval, host.not_before)
                wait = due - self.clock()
                if wait > 0:
                    await self.sleep(wait)
                await self.slots.acquire()
                host.last_start = self.clock()
            try:
                state.attempts += 1
                request = self.client.build_request(method, url)
                response: httpx.Response | None = None
                try:
                    # httpx's timeout is per read; this bounds the whole exchange.
                    async with asyncio.timeout(self.options.timeout):
                        # Straight to the transport: the client would parse a Location header
                        # itself and blame a bad one on the URL that sent it.
                        response = await self.transport.handle_async_request(request)
                    response.request = request
                    # As the client would: a cookie may change the next answer.
                    self.client.cookies.extract_cookies(response)
                finally:
                    # The status is all we need; closing unread drops the body, and a
                    # timeout between send and close must not leave the connection open.
                    if response is not None:
                        await response.aclose()
            finally:
                self.slots.release()
        return response

    async def probe(self, url: str, state: _LinkState) -> httpx.Response:
        """HEAD, falling back to GET where HEAD is refused or mishandled."""
        if not state.head_refused:
            try:
                response = await self.send("HEAD", url, state)
            except httpx.RemoteProtocolError:
                state.head_refused = True
            else:
                if response.status_code not in self.options.head_fallback:
                    return response
                state.head_refused = True
        return await self.send("GET", url, state)

    async def fetch(self, url: str, state: _LinkState) -> httpx.Response | _Failure:
        """One hop, retried with backoff on timeouts, connection errors, 429 and 5xx."""
        options = self.options
        failure = _Failure(LinkStatus.UNREACHABLE, "not attempted")
        tries = 0
        for attempt in range(options.retries + 1):
            tries = attempt + 1
            retry_after: float | None = None
            try:
                response = await self.probe(url, state)
            except (httpx.TimeoutException, TimeoutError):
                failure = _Failure(LinkStatus.TIMEOUT, f"no response within {options.timeout:g}s")
            except httpx.UnsupportedProtocol as error:
                return _Failure(LinkStatus.BROKEN, f"unsupported URL ({error})")
            except httpx.InvalidURL as error:
                return _Failure(LinkStatus.BROKEN, f"invalid URL ({error})")
            except httpx.TransportError as error:
                failure = _Failure(LinkStatus.UNREACHABLE, describe_transport_error(error))
            else:
                code = response.status_code
                if code != 429 and code < 500:
                    return response
                status = LinkStatus.RATE_LIMITED if code == 429 else LinkStatus.SERVER_ERROR
                failure = _Failure(status, _http(code), code)
                retry_after = parse_retry_after(response.headers.get("retry-after"), self.now())
            if attempt == options.retries:
                break
            delay = backoff_delay(options, attempt, retry_after)
            if retry_after is not None:
                host = self.host(url)
                host.not_before = max(host.not_before, self.clock() + delay)
            await self.sleep(delay)
        if tries > 1:
            failure.message += f"; gave up after {tries} tries"
        return failure

    async def check(self, url: str) -> LinkResult:
        problem = url_problem(url)
        if problem is not None:
            return LinkResult(
                url,
                LinkStatus.BROKEN,
                message=f"invalid URL ({problem})",
                checked_at=iso_utc(self.now()),
            )
        state = _LinkState()
        chain: list[Redirect] = []
        seen = {url}
        current = url

        def result(status: LinkStatus, message: str, code: int | None = None) -> LinkResult:
            permanent = bool(chain) and chain[0].code in PERMANENT_CODES
            suggested = None
            if permanent:
                # Suggest only an address that can itself be checked: never a javascript: URL.
                run = 0
                while (
                    run < len(chain)
                    and chain[run].code in PERMANENT_CODES
                    and url_problem(chain[run].url) is None
                ):
                    run += 1
                suggested = chain[run - 1].url if run else None
            return LinkResult(
                url=url,
                status=status,
                code=code,
                final_url=current,
                redirects=tuple(chain),
                permanent_redirect=permanent,
                suggested_url=suggested,
                message=message,
                attempts=state.attempts,
                checked_at=iso_utc(self.now()),
            )

        while True:
            state.head_refused = False
            outcome = await self.fetch(current, state)
            if isinstance(outcome, _Failure):
                return result(outcome.status, outcome.message, outcome.code)
            code = outcome.status_code
            location = outcome.headers.get("location")
            if code in REDIRECT_CODES and location:
                try:
                    target = urljoin(current, location.strip())
                except ValueError:
                    target = location.strip()
                chain.append(Redirect(code, target))
                hops = " -> ".join([url, *(r.url for r in chain)])
                scheme = target.split(":", 1)[0].lower()
                if scheme not in ("http", "https"):
                    return result(LinkStatus.BROKEN, f"redirects to a non-HTTP URL: {target}", code)
                problem = url_problem(target)
                if problem is not None:
                    return result(
                        LinkStatus.BROKEN, f"redirects to an invalid URL ({problem})", code
                    )
                if len(chain) > self.options.max_redirects:
                    return result(
                        LinkStatus.BROKEN,
                        f"more than {self.options.max_redirects} redirects: {hops}",
                        code,
                    )
                # A cookie may change the next answer, so a repeat with one is not yet a loop.
                if target in seen and "set-cookie" not in outcome.headers:
                    return result(LinkStatus.BROKEN, f"redirect loop: {hops}", code)
                seen.add(target)
                current = target
                continue
            if 200 <= code < 300:
                if not chain:
                    return result(LinkStatus.OK, "", code)
                hops = ", ".join(f"HTTP {r.code} to {r.url}" for r in chain)
                return result(LinkStatus.REDIRECTED, hops, code)
            if 300 <= code < 400:
                return result(LinkStatus.BROKEN, f"HTTP {code} without a Location header", code)
            return result(LinkStatus.BROKEN, _http(code), code)


async def check_links(
    urls: Iterable[str],
    options: LinkOptions | None = None,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    clock: Clock = time.monotonic,
    now: Now = utc_now,
    sleep: Sleep = asyncio.sleep,
    progress: Callable[[LinkResult], None] | None = None,
    warn: Callable[[str], None] | None = None,
) -> list[LinkResult]:
    """Check each distinct URL once; results in order of first appearance.

    `transport` replaces the network; `clock` (monotonic
    seconds), `now` (aware UTC datetime) and `sleep` replace time, so tests never wait.
    `progress` is called with each result as it completes; `warn` with cache problems.
    """
    options = options or LinkOptions()
    warn = warn or log.warning
    unique = list(dict.fromkeys(urls))
    results: dict[str, LinkResult] = {}
    patterns = [re.compile(p) for p in options.exclude]
    cache = LinkCache.load(options.cache_path, warn) if options.cache_path is not None else None
    started = now()
    todo: list[str] = []
    for url in unique:
        pattern = next((p for p in patterns if p.search(url)), None)
        hit = None
        if pattern is None and cache is not None:
            hit = cache.fresh(url, started, options.cache_max_age, options.cache_failures)
        if pattern is not None:
            results[url] = LinkResult(
                url,
                LinkStatus.SKIPPED,
                message=f"matches exclude pattern {pattern.pattern!r}",
                checked_at=iso_utc(started),
            )
        elif hit is not None:
            results[url] = hit
        else:
            todo.append(url)
            continue
        if progress is not None:
            progress(results[url])

    if todo:
        wire = transport or httpx.AsyncHTTPTransport(
            limits=httpx.Limits(
                max_connections=options.max_concurrency,
                max_keepalive_connections=options.max_concurrency,
            ),
        )
        # The client only builds requests (headers, timeouts); the transport sends them.
        http = httpx.AsyncClient(
            transport=wire,
            timeout=options.timeout,
            follow_redirects=False,
            headers={"User-Agent": options.user_agent, "Accept": "*/*"},
        )
        checker = _Checker(options, http, wire, clock, now, sleep)

        async def check_one(url: str) -> None:
            results[url] = await checker.check(url)
            if progress is not None:
                progress(results[url])

        try:
            async with asyncio.TaskGroup() as group:
                for url in todo:
                    group.create_task(check_one(url))
        finally:
            await http.aclose()

    if cache is not None:
        cache.update(results.values(), options.cache_failures)
        cache.prune(now(), options.cache_max_age)
        try:
            cache.save()
        except OSError as error:
            warn(f"{cache.path}: cannot write the link cache ({error})")
    return [results[url] for url in unique]
