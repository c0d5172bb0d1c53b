"""A catalogue many times the shipped one still builds light, linked pages."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from studyguide.render import FURTHER_SHOWN, PAGE_SIZE, render_site
from studyguide.render.verify import page_titles
from studyguide.validate import load_catalogue

from .helpers import mkdocs_build, scaled_project

# Builds in a subprocess or runs long: `make quick` leaves it out.
pytestmark = pytest.mark.slow

SIZE = 600


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = scaled_project(tmp_path_factory.mktemp("big"), SIZE)
    built = mkdocs_build(project)
    assert built.returncode == 0, built.output
    return project


def _ids(html: str) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', html))


def test_long_topics_are_paged_and_every_page_links_onward(big: Path) -> None:
    catalogue = load_catalogue(big / "resources.yaml", big / "tracks")
    topic = max(catalogue.topics, key=lambda t: len(catalogue.resources_for_topic(t.id)))
    count = len(catalogue.resources_for_topic(topic.id))
    pages = -(-count // PAGE_SIZE)
    assert pages >= 3, "the test needs a topic of several pages"
    folder = big / "site" / "topics" / topic.id
    first = (folder / "index.html").read_text(encoding="utf-8")
    assert first.count('class="sg-resource"') == PAGE_SIZE
    assert f"Page 1 of {pages}" in first
    assert f'href="{2}/"' in first
    for number in range(2, pages + 1):
        html = (folder / str(number) / "index.html").read_text(encoding="utf-8")
        shown = min(PAGE_SIZE, count - (number - 1) * PAGE_SIZE)
        assert html.count('class="sg-resource"') == shown
        assert f"Page {number} of {pages}" in html
        start = (number - 1) * PAGE_SIZE
        assert f"resources {start + 1}\u2013{start + shown}" in html
        previous = "../" if number == 2 else f"../{number - 1}/"
        assert f'href="{previous}" rel="prev"' in html
        assert ('rel="next"' in html) == (number < pages)
    # Every resource is on exactly one page of the topic.
    listed = [
        m
        for path in [folder / "index.html", *folder.glob("*/index.html")]
        for m in re.findall(r'data-sg-id="([^"]+)"', path.read_text(encoding="utf-8"))
    ]
    assert sorted(listed) == sorted(r.id for r in catalogue.resources_for_topic(topic.id))


def test_later_topic_pages_stay_out_of_search(big: Path) -> None:
    index = json.loads((big / "site" / "search" / "search_index.json").read_text())
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert "topics/linear-algebra/" in locations
    assert not [loc for loc in locations if re.fullmatch(r"topics/[^/]+/\d+/", loc)]


def test_track_pages_show_some_going_further_and_point_to_the_rest(big: Path) -> None:
    catalogue = load_catalogue(big / "resources.yaml", big / "tracks")
    walk = catalogue.paths["research"]
    html = (big / "site" / "tracks" / "research" / "index.html").read_text(encoding="utf-8")
    long = [s for s in walk.sections if len(s.further) > FURTHER_SHOWN]
    assert long, "the test needs a topic with more going-further resources than are shown"
    assert html.count(f"These are the first {FURTHER_SHOWN} of") == len(long)
    for section in long:
        assert f'href="../../topics/{section.topic.id}/#resources"' in html
    # A badge or resource page that sends the learner to the track lands on something there.
    anchors = _ids(html)
    for page in (big / "site" / "resources").glob("*/index.html"):
        text = page.read_text(encoding="utf-8")
        for target in re.findall(r'href="\.\./\.\./tracks/research/#([^"]+)"', text):
            assert target in anchors, f"{page}: #{target} is not on the research page"


def test_no_page_grows_with_the_catalogue(big: Path) -> None:
    biggest = max((p.stat().st_size, p) for p in (big / "site").rglob("*.html"))
    assert biggest[0] < 1_000_000, biggest[1]


def test_check_reads_back_the_title_of_every_page_of_a_paged_topic(big: Path) -> None:
    catalogue = load_catalogue(big / "resources.yaml", big / "tracks")
    titles = set(page_titles(catalogue).values())
    shown = {item.title for path, item in render_site(catalogue).items() if path.endswith(".md")}
    assert any(", page 3" in (title or "") for title in shown)
    assert shown - titles == {"Home", "Topics", "Concepts", "Review", "What next", "Contributing"}
