"""This site's content, end to end: a real `mkdocs build --strict` of the project, asserting
on the built HTML of the shipped catalogue and tracks (its goals, paths and pages), and on its
security with hostile text in every field of it."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from studyguide.schema import catalogue_json_schema

from ..helpers import ROOT, BuildResult, copy_project, mkdocs_build, parse

# Builds in a subprocess or runs long: `make quick` leaves it out.
pytestmark = pytest.mark.slow

TRACKS = ("integrate", "casual", "research")
TOPICS = (
    "calculus",
    "multivariable-calculus",
    "linear-algebra",
    "probability-statistics",
    "convex-optimization",
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    result = mkdocs_build(copy_project(tmp_path_factory.mktemp("project")))
    assert result.returncode == 0, result.output
    return result.site


def test_every_page_kind_is_built(site: Path) -> None:
    catalogue = json.loads((site / "catalogue.json").read_text(encoding="utf-8"))
    assert len(catalogue["resources"]) >= 30
    assert [t["id"] for t in catalogue["topics"]] == list(TOPICS)
    assert [t["id"] for t in catalogue["tracks"]] == list(TRACKS)
    for track in TRACKS:
        assert (site / "tracks" / track / "index.html").is_file()
    for topic in TOPICS:
        assert (site / "topics" / topic / "index.html").is_file()
    for resource in catalogue["resources"]:
        page = (site / "resources" / resource["id"] / "index.html").read_text(encoding="utf-8")
        assert resource["url"].replace("&", "&amp;") in page
    schema = json.loads((site / "schema" / "resources.schema.json").read_text(encoding="utf-8"))
    assert schema == catalogue_json_schema()


# The core hours each goal's path must fit (issue "Tracks that guide").
CORE_HOURS = {"integrate": (0, 40), "casual": (80, 300), "research": (300, 1000)}


def test_each_track_core_path_fits_its_goal_and_is_stated(site: Path) -> None:
    catalogue = json.loads((site / "catalogue.json").read_text(encoding="utf-8"))
    home = unescape((site / "index.html").read_text(encoding="utf-8"))
    for track in catalogue["tracks"]:
        low, high = CORE_HOURS[track["id"]]
        hours = track["core_hours"]
        assert low <= hours <= high, (track["id"], hours)
        assert hours == sum(s["hours"] for t in track["path"] for s in t["steps"])
        assert hours < track["all_hours"]
        said = f"{hours:g} hours"
        assert f"Core path: about {said}" in re.sub(r"<[^>]+>", "", home), track["id"]
        page = (site / "tracks" / track["id"] / "index.html").read_text(encoding="utf-8")
        text = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", page)))
        assert "The core path: " in text
        assert f"about {said}:" in text, track["id"]
        assert f"at {track['weekly_hours']:g} hours a week" in text
        everything = f"on this page: about {track['all_hours']:g} hours. They are optional."
        assert everything in text, track["id"]


def test_home_offers_one_card_per_goal_and_a_suggestion(site: Path) -> None:
    html = (site / "index.html").read_text(encoding="utf-8")
    cards = re.findall(r'<div class="sg-card" data-sg-track="([a-z-]+)">', html)
    assert cards == list(TRACKS)
    assert "What do you want from deep learning?" in html
    text = unescape(re.sub(r"<[^>]+>", "", html))
    for fact in ("For:", "Before you start:", "Core path:"):
        assert text.count(fact) == len(TRACKS), fact
    assert re.search(r"Not sure\?\s*Start with\s*Do deep learning casually", text)


def test_track_page_puts_the_path_first(site: Path) -> None:
    html = (site / "tracks" / "integrate" / "index.html").read_text(encoding="utf-8")
    order = [
        html.index("Who it is for:"),
        html.index("Before you start:"),
        html.index("The core path:"),
        html.index('class="sg-intro"'),
        html.index('class="sg-step__number"'),
    ]
    assert order == sorted(order)
    assert re.search(r"skip most of the\s+mathematics", html)  # the folded intro
    assert 'class="sg-route__box" href="#calculus"' in html
    assert html.count('<article class="sg-resource sg-step"') == 7
    steps = re.findall(r'class="sg-step__number">Step (\d+)', html)
    assert steps == [str(n) for n in range(1, 8)]
    assert '<details class="sg-further"' in html
    for badge in ("sg-badge--format", "sg-badge--cost-free", "sg-badge--hours"):
        assert badge in html


def test_a_topics_outcomes_name_only_its_own_concepts_that_the_track_teaches(
    site: Path,
) -> None:
    catalogue = json.loads((site / "catalogue.json").read_text(encoding="utf-8"))
    topic_of = {c["id"]: c["topic"] for c in catalogue["concepts"]}
    for track in catalogue["tracks"]:
        html = (site / "tracks" / track["id"] / "index.html").read_text(encoding="utf-8")
        taught = {c for section in track["path"] for s in section["steps"] for c in s["teaches"]}
        listed: dict[str, list[str]] = {}
        for topic, body in re.findall(
            r'<div class="sg-outcomes" data-sg-topic="([^"]+)">(.*?)</div>', html, re.S
        ):
            listed[topic] = re.findall(r'data-sg-concept="([^"]+)"', body)
        for topic, concepts in listed.items():
            for concept in concepts:
                assert concept in taught, (track["id"], topic, concept)
                if topic_of[concept] in track["topics"]:
                    assert topic_of[concept] == topic, (track["id"], topic, concept)
        # Every concept the track teaches is promised once, somewhere.
        assert sorted(c for cs in listed.values() for c in cs) == sorted(taught), track["id"]
    integrate = (site / "tracks" / "integrate" / "index.html").read_text(encoding="utf-8")
    linear = re.search(
        r'<div class="sg-outcomes" data-sg-topic="linear-algebra">(.*?)</div>', integrate, re.S
    )
    assert linear and 'data-sg-concept="derivative"' not in linear.group(1)


def test_each_track_page_ends_with_a_link_to_what_next(site: Path) -> None:
    for track in TRACKS:
        html = (site / "tracks" / track / "index.html").read_text(encoding="utf-8")
        found = re.search(r'<p class="sg-what-next">(.*?)</p>', html, re.S)
        assert found, track
        assert '<a href="../../next/">What next</a>' in found.group(1)
        assert found.start() > html.rindex('class="sg-step__number"')


def test_track_prose_leaves_totals_to_the_computed_figures() -> None:
    """A total written into a track's prose drifts from the one the page computes ("about 120
    hours" beside 121.5): the prose names none."""
    number = r"(?:\d[\d.,]*|ten|twenty|thirty|forty|fifty|sixty|hundred)"
    for path in sorted((ROOT / "tracks").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        found = re.findall(rf"\b{number}\s+(?:hours|weeks)\b", text, re.I)
        assert found == [], path.name


def test_resource_pages_stay_out_of_the_navigation(site: Path) -> None:
    nav_links = [
        attrs["href"]
        for tag, attrs in parse(site / "tracks" / "casual" / "index.html").tags
        if tag == "a" and "md-nav__link" in attrs.get("class", "")
    ]
    assert any("topics/calculus/" in href for href in nav_links)
    assert not any("resources/" in href for href in nav_links)


def test_resource_pages_carry_tags(site: Path) -> None:
    html = (site / "resources" / "mit-18-06-linear-algebra" / "index.html").read_text("utf-8")
    tags = re.findall(r'class="md-tag[^"]*"[^>]*>([^<]+)<', html)
    assert {"course", "free", "linear-algebra"} <= {t.strip() for t in tags}


def test_the_site_loads_nothing_from_other_hosts(site: Path) -> None:
    loaders = {"script": "src", "img": "src", "iframe": "src", "source": "src", "audio": "src",
               "video": "src", "embed": "src", "object": "data"}  # fmt: skip
    for page in site.rglob("*.html"):
        for tag, attrs in parse(page).tags:
            url = attrs.get(loaders.get(tag, ""), "") or (
                attrs.get("href", "") if tag == "link" else ""
            )
            assert not urlsplit(url).netloc, f"{page}: <{tag}> loads {url}"
    for sheet in site.rglob("*.css"):
        text = sheet.read_text(encoding="utf-8")
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", text), sheet
        assert "@import" not in text, sheet


PAYLOAD = (
    "<script>alert('XSS')</script><img src=x onerror=alert('XSS')>"
    "[link](javascript:alert('XSS')) <a href=\"javascript:alert('XSS')\">a</a>"
    "\" onmouseover=\"alert('XSS') {: onclick=\"alert('XSS')\" } </title><svg onload=alert('XSS')>"
    ' --8<-- "/etc/passwd" &lt;b&gt;'
)


INTRO = f"Read this: `{PAYLOAD}` and **carry on**."


def injection_project(dest: Path) -> Path:
    """The project with hostile text in every contributor field that reaches a page."""
    project = copy_project(dest)
    text = json.dumps(PAYLOAD)
    catalogue = (project / "resources.yaml").read_text(encoding="utf-8")
    for field in ("title", "summary", "provider", "why"):
        catalogue = re.sub(
            rf"(\n\s+(- )?{field}: ).*(\n\s+[a-z_]+:)", rf"\g<1>{text}\g<3>", catalogue
        )
        catalogue = re.sub(
            rf"(\n\s+{field}: )>-\n(\s+.*\n)+?( {{4}}[a-z_]+:)", rf"\g<1>{text}\n\g<3>", catalogue
        )
    catalogue = re.sub(r"authors: \[([^\]]*)\]", f"authors: [{text}]", catalogue, count=3)
    # Quotes, spaces and angle brackets are refused in URLs; what remains must stay inert.
    catalogue = catalogue.replace(
        "url: https://www.3blue1brown.com/topics/calculus",
        "url: \"https://example.org/?q='onmouseover='confirm(1)'&next=javascript:confirm(2)\"",
    )
    (project / "resources.yaml").write_text(catalogue, encoding="utf-8")
    for track in (project / "tracks").glob("*.yaml"):
        data = track.read_text(encoding="utf-8")
        for field in ("title", "tagline", "audience", "before_you_start"):
            data = re.sub(rf"^{field}: .*(\n  .*)*", f"{field}: {text}", data, flags=re.M)
        data = re.sub(r"^      sections: .*", f"      sections: {text}", data, flags=re.M)
        data = re.sub(
            r"^      note: .*(\n        .*)*", f"      note: {json.dumps(INTRO)}", data, flags=re.M
        )
        # Raw HTML in a Markdown field is refused by validation; in a code span it is text.
        data = re.sub(
            r"^intro: \|\n(  .*\n|\n)*", f"intro: {json.dumps(INTRO)}\n", data, flags=re.M
        )
        data = re.sub(r"^(  [a-z-]+): .*(\n    .*)*", rf"\g<1>: {text}", data, flags=re.M)
        track.write_text(data, encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def injected(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    result = mkdocs_build(injection_project(tmp_path_factory.mktemp("injection")))
    assert result.returncode == 0, result.output
    return result


def test_injection_catalogue_reaches_every_page_kind(injected: BuildResult) -> None:
    catalogue = json.loads((injected.site / "catalogue.json").read_text(encoding="utf-8"))
    assert all(r["why"] == PAYLOAD and r["title"] == PAYLOAD for r in catalogue["resources"])
    assert all(t["summary"] == PAYLOAD for t in catalogue["topics"])
    assert all(t["intro"] == INTRO and t["tagline"] == PAYLOAD for t in catalogue["tracks"])
    assert sum(r["authors"] == [PAYLOAD] for r in catalogue["resources"]) == 3
    assert all(PAYLOAD in t["topic_notes"].values() for t in catalogue["tracks"])
    assert all(t["before_you_start"] == PAYLOAD for t in catalogue["tracks"])
    steps = [s for t in catalogue["tracks"] for topic in t["path"] for s in topic["steps"]]
    assert {s["note"] for s in steps} == {INTRO}
    assert {s["sections"] for s in steps if s["sections"]} == {PAYLOAD}


def test_contributor_text_never_becomes_markup(injected: BuildResult) -> None:
    pages = sorted(injected.site.rglob("*.html"))
    assert len(pages) > 40
    for page in pages:
        parsed = parse(page)
        for tag, attrs in parsed.tags:
            assert not [a for a in attrs if a.startswith("on")], f"{page}: <{tag} {attrs}>"
            for name, value in attrs.items():
                assert "alert(" not in value, f"{page}: <{tag} {name}={value!r}>"
                cleaned = re.sub(r"[\s\x00-\x1f]", "", value).lower()
                assert not cleaned.startswith("javascript:"), f"{page}: <{tag} {name}>"
            assert tag not in ("img", "iframe", "object", "embed"), f"{page}: <{tag}>"
        assert not [s for s in parsed.scripts if "alert(" in s], page
        assert "root:x:0:" not in page.read_text(encoding="utf-8"), page  # no snippet include


def test_contributor_text_is_shown_as_text(injected: BuildResult) -> None:
    html = (injected.site / "tracks" / "casual" / "index.html").read_text(encoding="utf-8")
    # Visible, escaped: the learner sees exactly what the contributor wrote.
    assert "&lt;script&gt;alert('XSS')&lt;/script&gt;" in html.replace("&#39;", "'")
    assert "&lt;svg onload=alert('XSS')&gt;" in html.replace("&#39;", "'")


def test_link_status_is_shown_when_a_report_exists(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    stat110 = "https://stat110.hsites.harvard.edu/"
    mit = "https://ocw.mit.edu/courses/18-06-linear-algebra-spring-2010/"
    entry = {"code": None, "permanent_redirect": False, "suggested_url": None, "from_cache": False}
    report = {
        "version": 1,
        "generated_at": "2026-11-20T05:17:00Z",
        "results": [
            {**entry, "id": "harvard-stat-110", "url": stat110, "status": "broken", "code": 404,
             "message": "HTTP 404 Not Found", "checked_at": "2026-11-20T05:17:03Z"},
            {**entry, "id": "mit-18-06-linear-algebra", "url": mit, "status": "ok", "code": 200,
             "message": "HTTP 200 OK", "checked_at": "2026-11-20T05:17:02Z"},
        ],
    }  # fmt: skip
    (project / "link-report.json").write_text(json.dumps(report), encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.output
    page = (result.site / "resources" / "harvard-stat-110" / "index.html").read_text("utf-8")
    assert "<td>broken: HTTP 404 Not Found; checked 2026-11-20</td>" in unescape(page)
    ok = (result.site / "resources" / "mit-18-06-linear-algebra" / "index.html").read_text("utf-8")
    assert "<td>ok: HTTP 200 OK; checked 2026-11-20</td>" in unescape(ok)
    track = (result.site / "tracks" / "research" / "index.html").read_text("utf-8")
    card = track[track.index('id="res-harvard-stat-110"') :].split("</article>")[0]
    assert 'data-sg-link="broken"' in track
    assert '<span class="sg-badge sg-badge--link-broken">link broken</span>' in card
    assert track.count("sg-badge--link-broken") == 1  # flagged, not hidden, and only that one


def test_without_a_report_pages_show_no_link_status(site: Path) -> None:
    page = (site / "resources" / "harvard-stat-110" / "index.html").read_text("utf-8")
    assert "Link status" not in page
    assert "data-sg-link" not in (site / "tracks" / "research" / "index.html").read_text("utf-8")
