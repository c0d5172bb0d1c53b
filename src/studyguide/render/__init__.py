"""Render a validated catalogue into the site's generated files: `render_site(catalogue)`.

Pure: no MkDocs, no file system. The plugin and `studyguide build` both call it.
"""

from __future__ import annotations

import hashlib
import json
import re
import string
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from ..gcpause import gc_paused
from ..links.result import LinkResult
from ..markup import Fragment, html_text, markdown_block, md_text, md_url
from ..maths import COMMANDS, ENVIRONMENTS, ESCAPES, HTML_TAG, MAX_NESTING, mathml
from ..model import Catalogue, Concept, Topic, TrackPath, total_hours, weeks_at
from ..schema import (
    CATALOGUE,
    CHECK,
    CONCEPT,
    COSTS,
    FORMATS,
    FREE_COSTS,
    LEVELS,
    NEXT_STEP,
    PLACE,
    RESOURCE,
    SLUG_RE,
    STEP,
    TOPIC,
    TRACK,
    catalogue_json_schema,
    track_json_schema,
)
from .diagram import layout_track

COST_LABEL = {"free": "Free", "free-audit": "Free to audit", "paid": "Paid"}
# Long lists stay usable and pages stay light as a catalogue grows: a topic lists its
# resources PAGE_SIZE to a page, and a track shows FURTHER_SHOWN going-further cards per
# topic, pointing to the topic's pages for the rest.
PAGE_SIZE = 50  # a page of 100 made a search section over Zensical's 64 KB limit
FURTHER_SHOWN = 24
LINK_PROBLEMS = {"broken", "unreachable"}


@dataclass(frozen=True)
class SiteText:
    """Words of the home page; the flagship site sets them in mkdocs.yml."""

    home_title: str = "Home"
    heading: str = "Study guide"
    question: str = "What do you want to get out of it?"
    lede: str = ""


class PageText(str):
    """A rendered page, with the contributor HTML its placeholders stand for."""

    fragments: Mapping[str, str]

    def __new__(cls, text: str, fragments: Mapping[str, str]) -> PageText:
        made = super().__new__(cls, text)
        made.fragments = fragments
        return made


@dataclass(frozen=True)
class Generated:
    """One generated file. `source` is the data file it comes from, for "Edit this page";
    `title` is the page title its front matter must give back (see `verify`)."""

    content: str
    source: Path | None = None
    in_nav: bool = True
    title: str | None = None
    fragments: Mapping[str, str] = field(default_factory=dict)
    """Contributor HTML by placeholder, for `fill_fragments` after Markdown."""

    def __post_init__(self) -> None:
        if isinstance(self.content, PageText) and not self.fragments:
            object.__setattr__(self, "fragments", self.content.fragments)

    def exported(self) -> str:
        """The content with its contributor HTML in place, for engines without the plugin."""
        return inline_fragments(self.content, self.fragments) if self.fragments else self.content


@dataclass(frozen=True)
class RenderOptions:
    site: SiteText = field(default_factory=SiteText)
    link_report: Mapping[str, LinkResult] = field(default_factory=dict)
    suggest: str | None = None
    """The track the home page suggests to someone unsure which to take."""


def _token(value: object) -> Markup:
    """A slug or enum value, already validated, for attributes and paths."""
    text = str(value)
    if not SLUG_RE.fullmatch(text):
        raise ValueError(f"not a slug: {text!r}")
    return Markup(text)


def _hours(value: float) -> Markup:
    return Markup(f"{value:g}")


def _plural(count: int, noun: str) -> Markup:
    return Markup(f"{count} {noun}" + ("" if count == 1 else "s"))


def _token_list(value: str) -> Markup:
    return Markup(" ".join(_token(v) for v in value.split()))


def duration(hours: float, pace: float) -> str:
    """How long `hours` of study take at `pace` hours a week, in words."""
    weeks = weeks_at(hours, pace)
    months = round(weeks * 7 / 30.44)
    span = f"{weeks} weeks" if weeks <= 26 else f"{weeks} weeks (about {months} months)"
    if weeks == 1:
        span = "a week"
    return f"about {span} at {pace:g} hours a week"


# Contributor HTML never passes through the page's Markdown: a template leaves an empty
# element that names it, and `fill_fragments` puts the HTML in after MkDocs has converted the
# page. Read as Markdown (and by md_in_html, attr_list, superfences and toc) it could still
# become fences, attributes or heading ids.
_FRAGMENTS: ContextVar[dict[str, str] | None] = ContextVar("fragments", default=None)
_PLACEHOLDER = re.compile(r'<(div|td) class="([a-z_-]+)" data-sg-fragment="([0-9a-f]{16})"></\1>')


def _fragment(html: str, tag: str, css_class: str) -> Markup:
    found = _FRAGMENTS.get()
    if found is None:
        raise RuntimeError("contributor HTML outside a page render")
    token = hashlib.sha256(f"{len(found)}:{html}".encode()).hexdigest()[:16]
    found[token] = html
    return Markup('<{0} class="{1}" data-sg-fragment="{2}"></{0}>').format(tag, css_class, token)


def _markdown_div(source: str, css_class: str) -> Markup:
    """Contributor Markdown as HTML in a <div> of its own, put in after Markdown; the blank
    lines keep the placeholder a block of its own."""
    return Markup("\n\n{}\n\n").format(_fragment(markdown_block(source), "div", css_class))


def _markdown_cell(source: str, css_class: str) -> Markup:
    """Contributor Markdown for one line, as a table cell (inside a `<tr markdown>` row)."""
    return _fragment(_one_line(source), "td", css_class)


def _put_fragments(
    text: str, fragments: Mapping[str, str], shown: Callable[[str], str]
) -> tuple[str, set[str]]:
    """`text` with each placeholder holding `shown` of its fragment, in one pass (what is put
    in is never searched again), and the tokens of the fragments no placeholder asked for."""
    missing = set(fragments)

    def fill(m: re.Match[str]) -> str:
        tag, css_class, token = m.groups()
        if token not in fragments:
            return m.group()
        missing.discard(token)
        return f'<{tag} class="{css_class}">{shown(fragments[token])}</{tag}>'

    return _PLACEHOLDER.sub(fill, text), missing


def fill_fragments(html: str, fragments: Mapping[str, str]) -> str:
    """`html`, a page as Markdown made it, with each placeholder filled with its contributor
    HTML."""
    filled, missing = _put_fragments(html, fragments, str)
    if missing:
        raise ValueError(f"{len(missing)} contributor fragment(s) lost on the way through Markdown")
    return filled


def inline_fragments(markdown: str, fragments: Mapping[str, str]) -> str:
    """`markdown` with the contributor HTML in place, for engines that cannot fill it in after
    Markdown (`studyguide build --out`): on one line, with every ASCII punctuation mark of its
    text and attribute values written as a character reference, so that no Markdown syntax
    (fences, attribute lists, emphasis) is left in it to read."""
    return _put_fragments(markdown, fragments, inert)[0]


_HTML_PIECE = re.compile(rf"({HTML_TAG})|(&(?:#[0-9]+|#x[0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);)")
_ATTRIBUTE = re.compile(r'"([^"]*)"')
_INERT = {ord(c): f"&#{ord(c)};" for c in string.punctuation + "\n" if c not in "&"}


def _inert_text(text: str) -> str:
    out = []
    last = 0
    for m in _HTML_PIECE.finditer(text):
        out.append(text[last : m.start()].translate(_INERT))
        out.append(m.group())
        last = m.end()
    out.append(text[last:].translate(_INERT))
    return "".join(out)


def inert(html: str) -> str:
    """Sanitised HTML with no Markdown syntax left in its text or attribute values."""
    out = []
    last = 0
    for m in _HTML_PIECE.finditer(html):
        if m.group(1) is None:
            continue  # an entity: text, handled with its surroundings
        out.append(_inert_text(html[last : m.start()]))
        out.append(
            _ATTRIBUTE.sub(lambda a: f'"{_inert_text(a.group(1))}"', m.group(1).replace("\n", " "))
        )
        last = m.end()
    out.append(_inert_text(html[last:]))
    return "".join(out)


def _one_line(source: str) -> Fragment:
    """Contributor Markdown for one line: no paragraph, no break."""
    block = markdown_block(source).strip()
    if block.startswith("<p>") and block.endswith("</p>") and block.count("<p>") == 1:
        block = block[3:-4]
    return Fragment(" ".join(block.split("\n")))


def _formula(latex: str) -> Markup:
    return mathml(latex, display=True)


def front_matter_string(value: object) -> Markup:
    # MkDocs themes print page titles without escaping: HTML-escape, then quote for YAML. Raw
    # UTF-8 rather than \u escapes: a character beyond U+FFFF would need a surrogate pair,
    # which YAML refuses.
    return Markup(json.dumps(html_text(value), ensure_ascii=False))


def _finalize(value: Any) -> Any:
    """Every `{{ }}` in a Markdown template is plain text unless it is already Markup; numbers
    pass as they are, and anything else (a list, a dict) is shown as text too."""
    if isinstance(value, Fragment):
        raise TypeError("contributor HTML reaches a page only through a raw block filter")
    if isinstance(value, Markup) or (
        isinstance(value, int | float) and not isinstance(value, bool)
    ):
        return value
    return md_text(value)


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("studyguide.render", "templates"),
        autoescape=False,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        # Markdown heading ids are written {#id}: keep Jinja comments out of their way.
        comment_start_string="{%#",
        comment_end_string="#%}",
    )
    env.filters.update(
        token=_token,
        token_list=_token_list,
        hours=_hours,
        fm=front_matter_string,
        url=md_url,
        plural=_plural,
        markdown_div=_markdown_div,
        markdown_cell=_markdown_cell,
        html_fragment=lambda html, css_class: _fragment(str(html), "div", css_class),
        formula=_formula,
    )
    env.globals.update(
        duration=duration,
        COST_LABEL=COST_LABEL,
        FORMATS=dict(FORMATS.values),
        LEVELS=dict(LEVELS.values),
        LINK_PROBLEMS=LINK_PROBLEMS,
    )
    return env


_ENV = _environment()
# The diagram is HTML, not Markdown: ordinary HTML autoescaping.
_HTML_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("studyguide.render", "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=jinja2.StrictUndefined,
)


@dataclass(frozen=True)
class FieldRow:
    """One row of the Contributing page's field reference."""

    name: str
    kind: Markup
    required: bool
    doc: str


def _field_reference() -> list[tuple[str, list[FieldRow]]]:
    tables = []
    for title, record in (
        ("Topic (`topics:` in resources.yaml)", TOPIC),
        ("Resource (`resources:` in resources.yaml)", RESOURCE),
        ("Concept (`concepts:` in resources.yaml)", CONCEPT),
        ("Place to learn a concept (`learn_from:` of a concept)", PLACE),
        ("Self-check (`checks:` of a concept)", CHECK),
        ("Next step (`next_steps:` in resources.yaml)", NEXT_STEP),
        ("Track (`tracks/<id>.yaml`)", TRACK),
        ("Step of a track's path (`path:` of a track)", STEP),
    ):
        # The kind's words are our own Markdown, not contributor text.
        rows = [
            FieldRow(f.name, Markup(f.kind.describe()), f.required, f.doc) for f in record.fields
        ]
        tables.append((title, rows))
    return tables


def topic_page(topic: Topic, number: int) -> tuple[str, str]:
    """The path and title of page `number` of a topic's resources: page 1 is the topic's own
    page, the others sit one folder down."""
    if number == 1:
        return f"topics/{topic.id}.md", topic.title
    return f"topics/{topic.id}/{number}.md", f"{topic.title}, page {number}"


@gc_paused
def render_site(catalogue: Catalogue, options: RenderOptions | None = None) -> dict[str, Generated]:
    """Every generated page and data file, keyed by its path inside the docs directory."""
    options = options or RenderOptions()
    src = catalogue.sources

    def outcomes(walk: TrackPath) -> dict[str, list[Concept]]:
        """Per topic of a track, the concepts of that topic its core steps teach (wherever in
        the track): what the learner can work with by the end of it. A concept of a topic
        the track leaves out goes with the topic whose steps first teach it."""
        inside = {section.topic.id for section in walk.sections}
        found: dict[str, list[Concept]] = {section.topic.id: [] for section in walk.sections}
        seen: set[str] = set()
        for section in walk.sections:
            for step in section.steps:
                for concept in step.teaches:
                    if concept.id not in seen:
                        seen.add(concept.id)
                        home = concept.topic if concept.topic in inside else section.topic.id
                        found[home].append(concept)
        return found

    # Where a track page shows each resource it mentions: its card, the step it may replace,
    # or, for going-further resources past the shown ones, the topic's section.
    anchors: dict[tuple[str, str], str] = {}
    for track_id, walk in catalogue.paths.items():
        for section in walk.sections:
            for i, r in enumerate(section.further):
                shown = i < FURTHER_SHOWN
                anchors[track_id, r.id] = f"res-{r.id}" if shown else section.topic.id

    def track_anchor(track_id: str, role: str, step: Any, resource_id: str) -> Markup:
        if role == "instead":
            return _token(f"res-{step.resource.id}")
        return _token(anchors.get((track_id, resource_id), f"res-{resource_id}"))

    common: dict[str, Any] = {
        "catalogue": catalogue,
        "track_anchor": track_anchor,
        "FURTHER_SHOWN": FURTHER_SHOWN,
        "root": Markup("../"),  # from a page to the docs root; deeper pages pass their own
        "links": options.link_report,
        "site": options.site,
        "outcomes": outcomes,
        # The concepts with self-checks: the review page lists them, and the home and track
        # pages count those due for review.
        "reviewed": [c for c in catalogue.concepts if c.checks],
    }

    def page(template: str, **context: Any) -> PageText:
        fragments: dict[str, str] = {}
        reset = _FRAGMENTS.set(fragments)
        try:
            return PageText(_ENV.get_template(template).render({**common, **context}), fragments)
        finally:
            _FRAGMENTS.reset(reset)

    out: dict[str, Generated] = {}
    suggested = catalogue.track_by_id.get(options.suggest) if options.suggest else None
    # The home page's words live in mkdocs.yml and its cards in several track files: no one
    # file to edit, so no edit link.
    out["index.md"] = Generated(
        page("index.md.j2", suggested=suggested), title=options.site.home_title
    )
    for track in catalogue.tracks_in_order:
        titles = {t: catalogue.topic_by_id[t].title for t in track.topics}
        out[f"tracks/{track.id}.md"] = Generated(
            page(
                "track.md.j2",
                track=track,
                walk=catalogue.paths[track.id],
                levels=LEVELS.names,
                free_costs=FREE_COSTS,
                diagram=Markup(
                    _HTML_ENV.get_template("diagram.html.j2").render(
                        layout=layout_track(catalogue, track), track=track, titles=titles
                    )
                ),
            ),
            src.tracks_dir / f"{track.id}.yaml",
            title=track.title,
        )
    out["topics/index.md"] = Generated(page("topics.md.j2"), src.catalogue, title="Topics")
    for topic in catalogue.topics:
        resources = catalogue.resources_for_topic(topic.id)
        pages = [resources[i : i + PAGE_SIZE] for i in range(0, len(resources), PAGE_SIZE)]
        about = {
            "topic": topic,
            "resources": resources,
            "hours": total_hours(resources),
            "tracks": [t for t in catalogue.tracks_in_order if topic.id in t.topics],
            "levels": LEVELS.names,
            "free_costs": FREE_COSTS,
        }
        for number, listed in enumerate(pages or [[]], start=1):
            # Later pages are left out of search: each card's text is on its resource page.
            path, title = topic_page(topic, number)
            out[path] = Generated(
                page(
                    "topic.md.j2",
                    **about,
                    title=title,
                    shown=listed,
                    pager=(number, len(pages), PAGE_SIZE),
                    root=Markup("../" if number == 1 else "../../"),
                ),
                src.catalogue,
                in_nav=number == 1,
                title=title,
            )
    for resource in catalogue.resources:
        out[f"resources/{resource.id}.md"] = Generated(
            page("resource.md.j2", r=resource, roles=catalogue.track_roles(resource)),
            src.catalogue,
            in_nav=False,
            title=resource.title,
        )
    if catalogue.concepts:
        out["concepts/index.md"] = Generated(
            page("concepts.md.j2", levels=LEVELS.names), src.catalogue, title="Concepts"
        )
        for concept in catalogue.concepts:
            out[f"concepts/{concept.id}.md"] = Generated(
                page("concept.md.j2", c=concept, topic=catalogue.topic_by_id[concept.topic]),
                src.catalogue,
                in_nav=False,
                title=concept.title,
            )
    if common["reviewed"]:
        out["review.md"] = Generated(page("review.md.j2"), src.catalogue, title="Review")
    if catalogue.next_steps:
        out["next.md"] = Generated(page("next.md.j2"), src.catalogue, title="What next")
    out["contributing.md"] = Generated(
        page(
            "contributing.md.j2",
            reference=_field_reference(),
            top_fields=CATALOGUE.fields,
            formats=FORMATS.values,
            costs=COSTS.values,
            levels=LEVELS.values,
            latex_commands=sorted(COMMANDS - {"begin", "end"}),
            latex_environments=sorted(ENVIRONMENTS),
            latex_escapes=sorted(ESCAPES - {" "}),
            max_nesting=MAX_NESTING,
        ),
        title="Contributing",
    )
    out["catalogue.json"] = Generated(_json(catalogue.to_json()), src.catalogue, in_nav=False)
    out["schema/resources.schema.json"] = Generated(_json(catalogue_json_schema()), in_nav=False)
    out["schema/track.schema.json"] = Generated(_json(track_json_schema()), in_nav=False)
    return out


def _json(data: Any) -> str:
    # allow_nan=False: an infinite number would make the file invalid JSON.
    return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
