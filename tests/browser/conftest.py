"""The built site, served on 127.0.0.1 and driven in Debian's Chromium.

One build and one browser per session; each test gets a fresh browser context (so a fresh
localStorage) and fails if a page raised an error or asked for anything but the local server.
"""

from __future__ import annotations

import datetime as dt
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from studyguide.shipped import ASSETS_DIR, ASSETS_URI, shipped_assets

from ..helpers import ROOT, copy_project, mkdocs_build, studyguide

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# The site is served at the server's root, so its storage keys are scoped to "/".
PROGRESS_KEY = "studyguide:v2:progress:/"
PREFS_KEY = "studyguide:v2:prefs:/"
V1_PROGRESS_KEY = "studyguide:v1:progress"


class _Handler(http.server.SimpleHTTPRequestHandler):
    def end_headers(self) -> None:
        # Two builds are served one after the other on the same origin: never reuse a copy.
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


class SiteServer:
    """A static server on 127.0.0.1 whose folder can be swapped: a second build served on the
    same origin sees the same localStorage, as a learner's browser does after a redeploy."""

    def __init__(self) -> None:
        self.root = Path(".")
        self._httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), self._handler)
        self.port = self._httpd.server_address[1]
        self.origin = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def _handler(self, *args: Any) -> _Handler:
        return _Handler(*args, directory=str(self.root))

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=10)


@dataclass
class Site:
    """One build of the project; `url(path)` addresses it on the test server."""

    folder: Path
    origin: str
    catalogue: dict[str, Any] = field(repr=False)

    def url(self, path: str = "") -> str:
        return f"{self.origin}/{path}"

    def track_ids(self) -> list[str]:
        return [t["id"] for t in self.catalogue["tracks"]]


def set_site_url(project: Path, url: str) -> None:
    """Material's instant navigation follows only the links its sitemap lists, and matches
    them on host and port: the test build names the test server."""
    config = project / "mkdocs.yml"
    text = re.sub(r"(?m)^site_url:.*\n", "", config.read_text(encoding="utf-8"))
    config.write_text(f"site_url: {url}/\n{text}", encoding="utf-8")


def build_site(project: Path, origin: str) -> Site:
    set_site_url(project, origin)
    result = mkdocs_build(project, project / "site")
    assert result.returncode == 0, result.output
    catalogue = json.loads((result.site / "catalogue.json").read_text(encoding="utf-8"))
    return Site(result.site, origin, catalogue)


@pytest.fixture(scope="package")
def chromium_executable() -> str:
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).is_file():
        pytest.fail(
            "Debian's chromium is missing, so the browser tests cannot run: "
            "`make browser` (or apt-get install chromium) installs it",
            pytrace=False,
        )
    return path


@pytest.fixture(scope="package")
def server() -> Iterator[SiteServer]:
    served = SiteServer()
    served.start()
    yield served
    served.stop()


ENGINES = ("mkdocs", "zensical")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    # A test marked `engines` runs against each engine's build of the same project.
    if metafunc.definition.get_closest_marker("engines"):
        metafunc.parametrize("engine", ENGINES, scope="package")


@pytest.fixture(scope="package")
def engine() -> str:
    return "mkdocs"


@pytest.fixture(scope="package")
def mkdocs_site(server: SiteServer, tmp_path_factory: pytest.TempPathFactory) -> Site:
    built = build_site(copy_project(tmp_path_factory.mktemp("project")), server.origin)
    server.root = built.folder
    return built


@pytest.fixture(scope="package")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The same project exported by `studyguide export` and built by Zensical, on a server of
    its own (so an origin, and a localStorage, of its own)."""
    served = SiteServer()
    served.start()
    project = copy_project(tmp_path_factory.mktemp("zensical-project"))
    set_site_url(project, served.origin)
    exported = studyguide("export", "export", cwd=project)
    assert exported.returncode == 0, exported.stderr
    command = [sys.executable, "-m", "zensical", "build", "--strict"]
    built = subprocess.run(command, cwd=project / "export", capture_output=True, text=True)
    assert built.returncode == 0, built.stdout + built.stderr
    assert "No issues found" in built.stdout + built.stderr, built.stdout + built.stderr
    folder = project / "export" / "site"
    served.root = folder
    catalogue = json.loads((folder / "catalogue.json").read_text(encoding="utf-8"))
    yield Site(folder, served.origin, catalogue)
    served.stop()


@pytest.fixture
def site(engine: str, request: pytest.FixtureRequest) -> Site:
    """The site under test: MkDocs' build, or for tests marked `engines`, each engine's."""
    built: Site = request.getfixturevalue(f"{engine}_site")
    return built


# Package scope, not session: sync Playwright keeps an event loop running in this thread
# until it stops, which would break asyncio.run() in every test collected after these.
@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="package")
def browser(playwright: Playwright, chromium_executable: str) -> Iterator[Browser]:
    launched = playwright.chromium.launch(executable_path=chromium_executable, args=CHROMIUM_ARGS)
    yield launched
    launched.close()


@dataclass
class Watch:
    """What the pages of one context did that a test must not let pass."""

    origin: str
    foreign: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def request(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob"):
            return
        if f"{parts.scheme}://{parts.netloc}" != self.origin:
            self.foreign.append(url)

    def page_error(self, error: Exception) -> None:
        self.errors.append(f"page error: {error}")

    def watch(self, page: Page) -> None:
        page.on("pageerror", self.page_error)
        page.on(
            "console",
            lambda m: (
                self.errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None
            ),
        )


def open_context(browser: Browser, site: Site, watch: Watch, **options: Any) -> BrowserContext:
    options.setdefault("viewport", {"width": 1280, "height": 900})
    context = browser.new_context(base_url=site.origin, accept_downloads=True, **options)
    context.set_default_timeout(10_000)
    context.on("request", lambda request: watch.request(request.url))
    context.on("page", watch.watch)
    return context


@pytest.fixture
def watch(site: Site) -> Iterator[Watch]:
    seen = Watch(site.origin)
    yield seen
    assert not seen.foreign, f"requests to other hosts: {seen.foreign}"
    assert not seen.errors, "\n".join(seen.errors)


@pytest.fixture
def context(browser: Browser, site: Site, watch: Watch) -> Iterator[BrowserContext]:
    opened = open_context(browser, site, watch)
    yield opened
    opened.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture(scope="module", params=["source", "shipped"])
def assets_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SiteServer]:
    """The script modules alone, as written and as the plugin ships them (minified, vendor/
    kept), for the tests of their pure parts."""
    served = SiteServer()
    served.root = ASSETS_DIR
    if request.param == "shipped":
        served.root = tmp_path_factory.mktemp("shipped")
        for uri, content in shipped_assets():
            target = served.root / uri.removeprefix(f"{ASSETS_URI}/")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
    served.start()
    yield served
    served.stop()


def open_modules(browser: Browser, server: SiteServer) -> Iterator[Page]:
    """A page of `assets_server`'s origin, so that tests can import the modules; an error
    thrown in it fails the test."""
    context = browser.new_context()
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda e: errors.append(str(e)))
    opened.goto(f"{server.origin}/")
    yield opened
    context.close()
    assert errors == []


@pytest.fixture(scope="package")
def artifacts() -> Path:
    folder = Path(os.environ.get("STUDYGUIDE_ARTIFACTS") or ROOT / "test-artifacts")
    screenshots = folder / "screenshots"
    screenshots.mkdir(parents=True, exist_ok=True)
    return screenshots


# ---- helpers shared by the tests ----


def goto(page: Page, path: str) -> None:
    """Open a page of the site and wait until the script modules have set it up."""
    page.goto(path)
    page.wait_for_selector("html[data-sg-ready]", state="attached")
    if page.locator(".sg-resource[data-sg-id]").count():
        page.wait_for_selector(".sg-resource[data-sg-ready]", state="attached")


def reload(page: Page) -> None:
    """Reload the page and wait, as `goto` does, until the scripts have set it up (they work
    in short tasks after the page has loaded)."""
    page.reload()
    page.wait_for_selector("html[data-sg-ready]", state="attached")


def stored_progress(page: Page) -> Any:
    raw = page.evaluate(f"localStorage.getItem('{PROGRESS_KEY}')")
    return None if raw is None else json.loads(raw)


def set_storage(page: Page, key: str, raw: str) -> None:
    page.evaluate("([key, raw]) => localStorage.setItem(key, raw)", [key, raw])


def cards(page: Page, selector: str = "article.sg-resource") -> list[dict[str, Any]]:
    """The resource cards of the page in order: id, data attributes, kind (a core step, going
    further, or listed on a topic page), visibility, done state."""
    result: list[dict[str, Any]] = page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)].map(card => ({
            id: card.dataset.sgId, format: card.dataset.sgFormat, cost: card.dataset.sgCost,
            level: card.dataset.sgLevel, hours: Number(card.dataset.sgHours),
            step: card.dataset.sgStep ? Number(card.dataset.sgStep) : null,
            kind: card.dataset.sgStep ? 'step'
              : card.closest('[data-sg-further]') ? 'further' : 'listed',
            topic: card.closest('.sg-resources').dataset.sgTopic,
            title: card.querySelector('.sg-resource__title').textContent.trim(),
            instead: [...card.querySelectorAll('a[data-sg-swap]')].map(a => a.dataset.sgSwap),
            hidden: card.hidden,
            visible: !card.hidden && card.offsetParent !== null,
            // A going-further card gets its controls when its fold opens; its class says
            // whether it is done either way.
            done: card.classList.contains('sg-resource--done'),
        }))""",
        selector,
    )
    return result


def steps(page: Page) -> list[dict[str, Any]]:
    """The core steps of a track page, in order."""
    return cards(page, "article.sg-step")


def plan_rows(page: Page) -> list[str]:
    """The resource ids the study plan lists, in order."""
    ids: list[str] = page.locator(".sg-plan__list li").evaluate_all(
        "items => items.map(li => li.dataset.sgId)"
    )
    return ids


def open_plan(page: Page, hours: str, start: str) -> None:
    """Open the study plan and enter a pace and a start date. The page's clock is set to the
    start date (a plan never starts in the past), so that the dates a test expects hold on any
    day it runs."""
    try:
        day = dt.date.fromisoformat(start)
    except ValueError:
        day = None
    if day:
        page.clock.set_fixed_time(dt.datetime(day.year, day.month, day.day, 10, 0))
    if not page.locator(".sg-plan").evaluate("el => el.open"):
        page.locator(".sg-plan > summary").click()
    page.get_by_label("Hours per week").fill(hours)
    page.get_by_label("Start date").fill(start)


def done_box(page: Page, resource_id: str) -> Any:
    return page.locator(f"#res-{resource_id} .sg-done__box")


def progress_text(page: Page) -> str:
    text: str = page.locator(".sg-progress__text").inner_text()
    return text


def track_with_most_variety(site: Site) -> str:
    """The track whose resources differ most in cost, format and level: filters bite there."""

    def variety(track: str) -> int:
        chosen = [r for r in site.catalogue["resources"] if track in r["goals"]]
        return sum(len({r[key] for r in chosen}) for key in ("cost", "format", "level"))

    return max(site.track_ids(), key=variety)


def key_pages(site: Site) -> dict[str, str]:
    """One page of each kind: home, a track, a topic and a resource."""
    track = site.catalogue["tracks"][0]
    topic = track["topics"][0]
    resource = next(
        r for r in site.catalogue["resources"] if track["id"] in r["goals"] and topic in r["topics"]
    )
    return {
        "home": "",
        "track": f"tracks/{track['id']}/",
        "topic": f"topics/{topic}/",
        "resource": f"resources/{resource['id']}/",
    }


def show_the_widgets(page: Page) -> None:
    """Put a page in the state worth auditing and photographing: some resources done, the
    going-further folds open (their cards get their controls then), the plan and the data
    tools open, a fixed plan."""
    page.evaluate(
        "document.querySelectorAll('details.sg-further').forEach(d => { d.open = true; })"
    )
    boxes = page.locator("article.sg-resource .sg-done__box")
    for index in range(min(2, boxes.count())):
        boxes.nth(index * 2).check()
    skips = page.locator("article.sg-step .sg-skip")
    if skips.count() > 3:
        skips.nth(3).click()
    if page.locator(".sg-done--page .sg-done__box").count():
        page.locator(".sg-done--page .sg-done__box").check()
    for summary in page.locator(".sg-panel details > summary").all():
        summary.click()
    if page.locator(".sg-plan").count():
        page.get_by_label("Hours per week").fill("6")
        page.get_by_label("Start date").fill("2025-01-06")
    page.evaluate("document.activeElement && document.activeElement.blur()")


def reset_progress(page: Page, accept: bool = True) -> str:
    """Press "Reset progress…" and answer the question it asks (after loading the words for
    it); returns the question, once the page has acted on the answer."""
    asked: list[str] = []

    def answer(dialog: Any) -> None:
        asked.append(dialog.message)
        if accept:
            dialog.accept()
        else:
            dialog.dismiss()

    page.once("dialog", answer)
    page.get_by_role("button", name="Reset progress…").click()
    for _ in range(500):  # the question comes after a module loads: wait for it, up to 10 s
        if asked:
            break
        page.wait_for_timeout(20)
    assert asked, "Reset progress… asked nothing"
    if accept:
        page.wait_for_function(
            "document.querySelector('.sg-message')?.textContent.startsWith('Progress reset')"
        )
    return asked[0]
