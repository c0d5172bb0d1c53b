"""The async core against local fault-injecting servers: classification, requests, retries."""

from __future__ import annotations

import asyncio
import email.utils
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from werkzeug import Request, Response

from studyguide.links.checker import backoff_delay, check_links, parse_retry_after
from studyguide.links.options import LinkOptions
from studyguide.links.result import LinkResult, LinkStatus

from .conftest import Checker, FakeTime, Gauge, Site, by_method, redirect, sequence


def http_date(moment: datetime) -> str:
    return email.utils.format_datetime(moment, usegmt=True)


# --- classification -----------------------------------------------------------------------


def test_ok_uses_one_head_request(check: Checker, site: Site) -> None:
    site.route("/page", 200)
    result = check.one(site.url("/page"))
    assert result.status == "ok"
    assert result.code == 200
    assert result.final_url == site.url("/page")
    assert result.redirects == ()
    assert result.attempts == 1
    assert result.severity() is None
    assert site.log == [("HEAD", "/page")]
    assert result.checked_at == "2026-01-01T00:00:00Z"


def test_user_agent_names_studyguide(check: Checker, site: Site) -> None:
    agents: list[str] = []

    def respond(request: Request) -> Response:
        agents.append(request.headers["User-Agent"])
        return Response("", status=200)

    site.route("/ua", respond)
    check.one(site.url("/ua"))
    assert len(agents) == 1
    assert agents[0].startswith("studyguide-links/")


def test_broken_404_is_an_error(check: Checker, site: Site) -> None:
    site.route("/gone", 404)
    result = check.one(site.url("/gone"))
    assert result.status == "broken"
    assert result.code == 404
    assert result.message == "HTTP 404 Not Found"
    assert result.describe() == "broken (HTTP 404 Not Found)"
    assert result.severity() == "error"
    # HEAD is not trusted with a 404: GET confirms it, and a 4xx is never retried.
    assert site.log == [("HEAD", "/gone"), ("GET", "/gone")]


@pytest.mark.parametrize("refusal", [405, 403, 501])
def test_head_refused_then_get_ok(check: Checker, site: Site, refusal: int) -> None:
    site.route("/nohead", by_method(HEAD=refusal, GET=200))
    result = check.one(site.url("/nohead"))
    assert result.status == "ok"
    assert result.code == 200
    assert result.attempts == 2
    assert site.log == [("HEAD", "/nohead"), ("GET", "/nohead")]


def test_forbidden_for_get_too_is_broken(check: Checker, site: Site) -> None:
    site.route("/private", 403)
    result = check.one(site.url("/private"))
    assert (result.status, result.code) == ("broken", 403)
    assert [m for m, _ in site.log] == ["HEAD", "GET"]


def test_excluded_url_is_skipped_without_a_request(check: Checker, site: Site) -> None:
    site.route("/x", 200)
    result = check.one(site.url("/x"), exclude=(r"/x$",))
    assert result.status == "skipped"
    assert "/x$" in result.message
    assert result.severity() is None
    assert result.severity(warnings_fail=True) is None
    assert site.log == []


def test_duplicate_urls_are_checked_once(check: Checker, site: Site) -> None:
    site.route("/a", 200)
    site.route("/b", 200)
    a, b = site.url("/a"), site.url("/b")
    results = check([b, a, b, a])
    assert [r.url for r in results] == [b, a]
    assert sorted(site.log) == [("HEAD", "/a"), ("HEAD", "/b")]


# --- redirects ------------------------------------------------------------------------------


def test_permanent_redirect_chain_suggests_the_final_url(check: Checker, site: Site) -> None:
    site.route("/old", redirect("/older", 301))
    site.route("/older", redirect(site.url("/new"), 308))
    site.route("/new", 200)
    result = check.one(site.url("/old"))
    assert result.status == "redirected"
    assert result.permanent_redirect
    assert result.final_url == site.url("/new")
    assert result.suggested_url == site.url("/new")
    assert [(r.code, r.url) for r in result.redirects] == [
        (301, site.url("/older")),
        (308, site.url("/new")),
    ]
    assert result.describe() == f"redirected permanently to {site.url('/new')}; update the URL"
    assert result.severity() == "warning"
    assert result.severity(warnings_fail=True) == "error"


def test_temporary_redirect_is_not_a_problem(check: Checker, site: Site) -> None:
    site.route("/latest", redirect("/v2", 302))
    site.route("/v2", 200)
    result = check.one(site.url("/latest"))
    assert result.status == "redirected"
    assert not result.permanent_redirect
    assert result.suggested_url is None
    assert result.final_url == site.url("/v2")
    assert result.message == f"HTTP 302 to {site.url('/v2')}"
    assert result.severity(warnings_fail=True) is None


def test_permanent_then_temporary_suggests_the_permanent_target(check: Checker, site: Site) -> None:
    site.route("/moved", redirect("/home", 301))
    site.route("/home", redirect("/login", 307))
    site.route("/login", 200)
    result = check.one(site.url("/moved"))
    assert result.permanent_redirect
    assert result.suggested_url == site.url("/home")
    assert result.final_url == site.url("/login")


def test_redirect_to_a_broken_page_is_broken(check: Checker, site: Site) -> None:
    site.route("/short", redirect("/missing", 301))
    site.route("/missing", 404)
    result = check.one(site.url("/short"))
    assert (result.status, result.code) == ("broken", 404)
    assert result.final_url == site.url("/missing")


def test_redirect_loop_is_broken_and_ends(check: Checker, site: Site) -> None:
    site.route("/ping", redirect("/pong", 302))
    site.route("/pong", redirect("/ping", 302))
    result = check.one(site.url("/ping"))
    assert result.status == "broken"
    assert result.message == (
        f"redirect loop: {site.url('/ping')} -> {site.url('/pong')} -> {site.url('/ping')}"
    )
    assert len(site.log) == 2


def test_self_redirect_setting_a_cookie_is_followed(check: Checker, site: Site) -> None:
    # The cookie check pattern: redirect to yourself once, then serve the page.
    site.route(
        "/gate",
        lambda request: (
            Response("", status=200)
            if request.cookies.get("seen")
            else redirect("/gate", 302, **{"Set-Cookie": "seen=1; Path=/"})
        ),
    )
    result = check.one(site.url("/gate"))
    assert result.status == "redirected"
    assert result.final_url == site.url("/gate")


def test_endless_redirects_stop_at_the_limit(check: Checker, site: Site) -> None:
    for i in range(10):
        site.route(f"/hop{i}", redirect(f"/hop{i + 1}", 302))
    result = check.one(site.url("/hop0"), max_redirects=3)
    assert result.status == "broken"
    assert result.message.startswith("more than 3 redirects: ")
    assert len(site.log) == 4


# --- retries, Retry-After and backoff ------------------------------------------------------


def test_429_retry_after_seconds_is_capped(check: Checker, site: Site, fake_time: FakeTime) -> None:
    site.route("/busy", Response("", status=429, headers={"Retry-After": "120"}))
    result = check.one(site.url("/busy"), retries=2, max_backoff=60)
    assert result.status == "rate-limited"
    assert result.code == 429
    assert result.message == "HTTP 429 Too Many Requests; gave up after 3 tries"
    assert result.severity() == "warning"
    assert fake_time.sleeps == [60, 60]
    assert site.log == [("HEAD", "/busy")] * 3


def test_429_retry_after_seconds_is_honoured(
    check: Checker, site: Site, fake_time: FakeTime
) -> None:
    site.route("/busy", sequence(Response("", status=429, headers={"Retry-After": "7"}), 200))
    result = check.one(site.url("/busy"))
    assert result.status == "ok"
    assert result.attempts == 2
    assert fake_time.sleeps == [7]


def test_429_retry_after_http_date_is_honoured(
    check: Checker, site: Site, fake_time: FakeTime
) -> None:
    later = http_date(fake_time.now() + timedelta(seconds=20))
    site.route("/busy", sequence(Response("", status=429, headers={"Retry-After": later}), 200))
    result = check.one(site.url("/busy"))
    assert result.status == "ok"
    assert fake_time.sleeps == [20]


def test_429_retry_after_http_date_is_capped(
    check: Checker, site: Site, fake_time: FakeTime
) -> None:
    much_later = http_date(fake_time.now() + timedelta(hours=3))
    site.route("/busy", Response("", status=429, headers={"Retry-After": much_later}))
    result = check.one(site.url("/busy"), retries=1, max_backoff=45)
    assert result.status == "rate-limited"
    assert fake_time.sleeps == [45]


def test_503_then_success_within_the_retry_budget(
    check: Checker, site: Site, fake_time: FakeTime
) -> None:
    site.route("/flaky", sequence(503, 502, 200))
    result = check.one(site.url("/flaky"), retries=3, backoff_base=1.0)
    assert result.status == "ok"
    assert result.attempts == 3
    assert fake_time.sleeps == [1.0, 2.0]


def test_persistent_5xx_is_a_server_error_warning(
    check: Checker, site: Site, fake_time: FakeTime
) -> None:
    site.route("/down", 502)
    result = check.one(site.url("/down"), retries=4, backoff_base=10, max_backoff=25)
    assert result.status == "server-error"
    assert result.code == 502
    assert result.message == "HTTP 502 Bad Gateway; gave up after 5 tries"
    assert result.severity() == "warning"
    assert fake_time.sleeps == [10, 20, 25, 25]
    assert len(site.log) == 5


def test_retry_after_is_waited_once(check: Checker, site: Site, fake_time: FakeTime) -> None:
    site.route("/a", sequence(Response("", status=429, headers={"Retry-After": "30"}), 200))
    result = check.one(site.url("/a"))
    assert result.status == "ok"
    # The retry waits 30 s; the host-wide pause it sets has passed when the retry goes out.
    assert fake_time.sleeps == [30]


def test_timeout_on_a_host_that_never_answers(
    check: Checker, silent_url: str, fake_time: FakeTime
) -> None:
    # Real sockets, short timeouts; the Checker bounds the whole run at 20 s.
    result = check.one(silent_url, timeout=0.3, retries=1, backoff_base=2)
    assert result.status == "timeout"
    assert result.code is None
    assert result.message == "no response within 0.3s; gave up after 2 tries"
    assert result.attempts == 2
    assert result.severity() == "warning"
    assert fake_time.sleeps == [2]


def test_refused_connection_is_unreachable(
    check: Checker, refused_url: str, fake_time: FakeTime
) -> None:
    result = check.one(refused_url, retries=2)
    assert result.status == "unreachable"
    assert result.message == "connection refused; gave up after 3 tries"
    assert result.attempts == 3
    assert result.severity() == "error"
    assert fake_time.sleeps == [1.0, 2.0]


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (httpx.ConnectError("[Errno -2] Name or service not known"), "DNS lookup failed"),
        (
            httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed"),
            "TLS error",
        ),
        (httpx.RemoteProtocolError("Server disconnected"), "protocol error"),
    ],
)
def test_dns_and_tls_failures_are_unreachable(
    check: Checker, error: Exception, expected: str
) -> None:
    def fail(request: httpx.Request) -> httpx.Response:
        raise error

    result = check.one("https://unreachable.test/", transport=httpx.MockTransport(fail), retries=0)
    assert result.status == "unreachable"
    assert result.message.startswith(expected)


def test_every_status_has_a_severity() -> None:
    expected = {
        "ok": (None, None),
        "redirected": ("warning", "error"),  # permanent
        "broken": ("error", "error"),
        "rate-limited": ("warning", "error"),
        "server-error": ("warning", "error"),
        "timeout": ("warning", "error"),
        "unreachable": ("error", "error"),
        "skipped": (None, None),
    }
    assert set(expected) == {str(s) for s in LinkStatus}
    for status, (default, strict) in expected.items():
        result = LinkResult("https://x.test/", LinkStatus(status), permanent_redirect=True)
        assert (result.severity(), result.severity(warnings_fail=True)) == (default, strict)


# --- politeness ---------------------------------------------------------------------------


def test_per_host_limit_is_never_exceeded(check: Checker, site: Site) -> None:
    site.route("/slow", 200, delay=0.05)
    urls = [site.url(f"/slow?n={i}") for i in range(24)]
    results = check(urls, per_host=3, max_concurrency=50)
    assert {r.status for r in results} == {LinkStatus.OK}
    assert len(site.log) == 24
    assert site.gauge.peak <= 3
    assert site.gauge.peak >= 2  # it did run requests side by side


def test_global_limit_spans_hosts(check: Checker, site: Site, site2: Site) -> None:
    both = Gauge()
    site.route("/slow", 200, delay=0.05, also=both)
    site2.route("/slow", 200, delay=0.05, also=both)
    urls = [s.url(f"/slow?n={i}") for i in range(10) for s in (site, site2)]
    results = check(urls, per_host=10, max_concurrency=3)
    assert all(r.status == "ok" for r in results)
    assert both.peak <= 3


def test_minimum_interval_between_request_starts(
    check: Checker, site: Site, fake_time: FakeTime
) -> None:
    site.route("/p", 200)
    results = check([site.url(f"/p?n={i}") for i in range(4)], host_interval=0.5, per_host=4)
    assert all(r.status == "ok" for r in results)
    # Four starts, each at least 0.5 s after the one before: three waits of 0.5 s.
    assert fake_time.sleeps == pytest.approx([0.5] * 3)
    assert fake_time.monotonic == pytest.approx(1001.5)
    assert len(site.log) == 4


def test_minimum_interval_is_per_host(check: Checker, site: Site, site2: Site) -> None:
    site.route("/p", 200)
    site2.route("/p", 200)
    check.time.frozen = True
    urls = [s.url(f"/p?n={i}") for i in range(4) for s in (site, site2)]
    results = check(urls, host_interval=0.5, per_host=4)
    assert all(r.status == "ok" for r in results)
    # With time frozen every computed wait is visible: three per host (seven if the hosts
    # shared one gate), none for each host's first request.
    assert check.time.sleeps == pytest.approx([0.5] * 6)
    assert len(site.log) == len(site2.log) == 4


def test_a_host_waiting_out_its_interval_holds_no_global_slot(site: Site, site2: Site) -> None:
    """One global slot, a slow host with two links, a fast host with one. The slow host's
    second link waits its interval; the fast host's link must get through meanwhile (when the
    wait held the global slot, this deadlocked: the interval ends only once it is through)."""
    site.route("/a", 200)
    site2.route("/b", 200)
    fast = site2.url("/b")

    async def run() -> list[LinkResult]:
        through = asyncio.Event()

        async def sleep(seconds: float) -> None:
            if seconds > 1:  # the slow host's interval: ends when the fast link is checked
                await through.wait()
            await asyncio.sleep(0)

        def progress(result: LinkResult) -> None:
            if result.url == fast:
                through.set()

        options = LinkOptions(max_concurrency=1, host_interval=30, cache_path=None, timeout=5)
        urls = [site.url("/a?n=1"), site.url("/a?n=2"), fast]
        return await asyncio.wait_for(
            check_links(urls, options, sleep=sleep, progress=progress), timeout=10
        )

    results = asyncio.run(run())
    assert [r.status for r in results] == ["ok", "ok", "ok"]


# --- helpers ------------------------------------------------------------------------------


def test_parse_retry_after() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert parse_retry_after("120", now) == 120
    assert parse_retry_after(" 0 ", now) == 0
    assert parse_retry_after(http_date(now + timedelta(seconds=90)), now) == 90
    assert parse_retry_after(http_date(now - timedelta(days=1)), now) == 0  # already past
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after("-5", now) is None
    assert parse_retry_after(None, now) is None


def test_backoff_is_exponential_and_capped() -> None:
    options = LinkOptions(backoff_base=1.5, max_backoff=10)
    assert [backoff_delay(options, a, None) for a in range(5)] == [1.5, 3, 6, 10, 10]
    assert backoff_delay(options, 0, 4) == 4
    assert backoff_delay(options, 0, 600) == 10


def test_options_are_validated() -> None:
    with pytest.raises(ValueError, match="per_host"):
        LinkOptions(per_host=0)
    with pytest.raises(ValueError, match="exclude pattern"):
        LinkOptions(exclude=("(",))
