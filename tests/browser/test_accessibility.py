"""The axe-core audit of every kind of page, in the light and the dark scheme: zero violations."""

from __future__ import annotations

from importlib.resources import files
from typing import Any

import pytest
from playwright.sync_api import Browser

from .conftest import Site, Watch, goto, key_pages, open_context, show_the_widgets

pytestmark = pytest.mark.browser

SCHEMES = {"light": "default", "dark": "slate"}
# Beyond the four kinds the learner walks through: the generated index and contributor pages.
OTHER_PAGES = {
    "topics-index": "topics/",
    "contributing": "contributing/",
    "about": "about/",
    "concepts": "concepts/",
    "concept": "concepts/kl-divergence/",
    "next": "next/",
}


@pytest.fixture(scope="module")
def axe_source() -> str:
    # axe-core as shipped inside the axe-playwright-python wheel (a dev dependency).
    try:
        return (files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")
    except ModuleNotFoundError:
        pytest.fail("axe-playwright-python is missing: `make test` installs the dev dependencies")


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} {v['helpUrl']}")
        for node in v["nodes"][:5]:
            lines.append(f"    {node['target']}: {node['failureSummary']}".replace("\n", " "))
    return "\n".join(lines)


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("kind", ["home", "track", "topic", "resource", *OTHER_PAGES])
def test_axe_finds_no_violations(
    browser: Browser, site: Site, watch: Watch, axe_source: str, kind: str, scheme: str
) -> None:
    context = open_context(browser, site, watch, color_scheme=scheme)
    try:
        page = context.new_page()
        goto(page, {**key_pages(site), **OTHER_PAGES}[kind])
        assert page.evaluate("document.body.dataset.mdColorScheme") == SCHEMES[scheme]
        show_the_widgets(page)
        page.add_script_tag(content=axe_source)
        result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
        assert result["violations"] == [], describe(result["violations"])
    finally:
        context.close()
