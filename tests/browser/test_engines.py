"""The same guide built by both engines: MkDocs with the plugin, and Zensical from `studyguide
export`. The nav and the route diagram must come out alike; the learner features are tested on
both by the tests marked `engines`."""

from __future__ import annotations

import gzip
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from playwright.sync_api import Browser

from ..helpers import mkdocs_build
from .conftest import Site, Watch, goto, open_context

pytestmark = pytest.mark.browser


class _NavLinks(HTMLParser):
    """The links of a page's primary nav, in order, as (address, text)."""

    def __init__(self, page_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.depth = 0
        self.links: list[tuple[str, str]] = []
        self._link: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "nav" and (self.depth or "md-nav--primary" in classes):
            self.depth += 1
        if self.depth and tag == "a" and "md-nav__link" in classes:
            # Zensical writes "../.." where MkDocs writes "../../": the same address.
            self._link = [urljoin(self.page_url, dict(attrs).get("href") or ""), ""]

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag == "nav":
            self.depth -= 1
        if tag == "a" and self._link is not None:
            self.links.append((self._link[0].rstrip("/"), " ".join(self._link[1].split())))
            self._link = None

    def handle_data(self, data: str) -> None:
        if self._link is not None:
            self._link[1] += data


def nav_links(site: Site, page: str) -> list[tuple[str, str]]:
    parser = _NavLinks(f"http://site/{page}")
    parser.feed((site.folder / page / "index.html").read_text(encoding="utf-8"))
    return parser.links


@pytest.mark.parametrize("page", ["", "tracks/research/", "concepts/svd/"])
def test_both_engines_give_the_same_nav_in_the_same_order(
    mkdocs_site: Site, zensical_site: Site, page: str
) -> None:
    mkdocs = nav_links(mkdocs_site, page)
    texts = [text for _, text in mkdocs]
    assert len(texts) >= 15
    tracks = ["Integrate deep learning into an application", "Do deep learning casually"]
    assert texts[0] == "Home"
    assert texts.index(tracks[0]) < texts.index(tracks[1]) < texts.index("Contributing")
    assert nav_links(zensical_site, page) == mkdocs


def route_boxes(browser: Browser, site: Site) -> list[tuple[str, float, float, float, float]]:
    watch = Watch(site.origin)
    context = open_context(browser, site, watch)
    page = context.new_page()
    goto(page, "tracks/research/")
    boxes = page.evaluate(
        """() => {
          const map = document.querySelector('.sg-route__map').getBoundingClientRect();
          return [...document.querySelectorAll('.sg-route__box')].map(b => {
            const r = b.getBoundingClientRect();
            return [b.textContent.trim(), r.x - map.x, r.y - map.y, r.width, r.height];
          });
        }"""
    )
    edges = page.locator(".sg-route__edge").count()
    context.close()
    assert not watch.errors, watch.errors
    assert not watch.foreign, watch.foreign
    assert edges > 0
    return [(t, round(x), round(y), round(w), round(h)) for t, x, y, w, h in boxes]


def test_the_route_diagram_is_laid_out_alike_on_both_engines(
    browser: Browser, mkdocs_site: Site, zensical_site: Site
) -> None:
    mkdocs = route_boxes(browser, mkdocs_site)
    assert [box[0] for box in mkdocs][:2] == ["1. Calculus", "2. Linear algebra"]
    assert all(box[3] > 100 and box[4] > 30 for box in mkdocs)  # styled boxes, not bare links
    assert route_boxes(browser, zensical_site) == mkdocs


class _Tokens(HTMLParser):
    """A page as tags, attributes and text, entities decoded and whitespace-only text left out:
    the export writes contributor text with punctuation as entities, which reads the same."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[Any] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tokens.append(("<", tag, tuple(attrs)))

    def handle_endtag(self, tag: str) -> None:
        self.tokens.append((">", tag))

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.tokens.append(("text", " ".join(data.split())))


def tokens_of(text: str) -> list[Any]:
    parser = _Tokens()
    parser.feed(text)
    return parser.tokens


def comparable(site: Path, rel: str, origin: str) -> Any:
    """A file of a built site, read as what it says; the site's own address (each build is
    served on a port of its own) reads as SITE."""
    path = site / rel
    if rel.startswith("sitemap.xml"):  # the same pages, in the order files were added
        data = path.read_bytes()
        text = (gzip.decompress(data) if rel.endswith(".gz") else data).decode("utf-8")
        urls = re.findall(r"<url>.*?</url>", text.replace(origin, "SITE"), re.DOTALL)
        return sorted(" ".join(url.split()) for url in urls)
    if path.suffix == ".html":
        return tokens_of(path.read_text(encoding="utf-8").replace(origin, "SITE"))
    if rel == "search/search_index.json":  # the same entries, in the order files were added
        index = json.loads(path.read_text(encoding="utf-8"))
        return index["config"], sorted(json.dumps(d, sort_keys=True) for d in index["docs"])
    if rel == "tags.json":
        return sorted(
            json.dumps(m, sort_keys=True) for m in json.loads(path.read_bytes())["mappings"]
        )
    return path.read_bytes()


def test_the_export_built_by_mkdocs_is_the_plugins_site_page_by_page(
    mkdocs_site: Site, zensical_site: Site, tmp_path: Path
) -> None:
    # zensical_site was built from `studyguide export` of the same project; MkDocs builds
    # that export here, beside the plugin's own build.
    export = zensical_site.folder.parent
    exported = mkdocs_build(export, tmp_path / "export-site")
    assert exported.returncode == 0, exported.output
    plugin = mkdocs_site
    files = sorted(
        p.relative_to(plugin.folder).as_posix() for p in plugin.folder.rglob("*") if p.is_file()
    )
    assert files == sorted(
        p.relative_to(exported.site).as_posix() for p in exported.site.rglob("*") if p.is_file()
    )
    assert len([f for f in files if f.endswith(".html")]) > 150
    differ = [
        f
        for f in files
        if comparable(plugin.folder, f, plugin.origin)
        != comparable(exported.site, f, zensical_site.origin)
    ]
    assert differ == []
