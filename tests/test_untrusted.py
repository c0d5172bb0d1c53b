"""Contributor text never runs: each field is read as Markdown once, and nothing `check`
accepts puts an element, an attribute or a link on a page that the templates do not.

The properties render the pages through MkDocs' own page pipeline (`Page.render`, with the
flagship site's Markdown extensions), in process; the regression cases run a real
`mkdocs build --strict`."""

from __future__ import annotations

import copy
import html
import logging
import os
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, reject, settings
from hypothesis import strategies as st
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from studyguide.errors import StudyGuideError
from studyguide.markup import markdown_block, md_url
from studyguide.model import first_sentence
from studyguide.render import fill_fragments, render_site
from studyguide.validate import load_catalogue

from .helpers import ROOT, guide_project, mkdocs_build

# Builds in a subprocess or runs long: `make quick` leaves it out.
pytestmark = pytest.mark.slow

CASE = ROOT / "tests" / "cases" / "render"
BASE: dict[str, Any] = yaml.safe_load((CASE / "resources.yaml").read_text(encoding="utf-8"))
TRACKS: dict[str, dict[str, Any]] = {
    p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in CASE.glob("tracks/*.yaml")
}
PER_KIND = 500

# ---- what a page may hold ----

MATHML = {
    "math": {"display"},
    "semantics": set(),
    "annotation": {"encoding"},
    "mrow": set(), "mi": {"mathvariant"}, "mn": set(), "ms": set(), "mtext": set(),
    "mo": {"stretchy", "fence", "separator", "lspace", "rspace", "form", "largeop",
           "movablelimits", "accent", "minsize", "maxsize", "symmetric"},
    "mspace": {"width"}, "msup": set(), "msub": set(), "msubsup": set(),
    "mfrac": {"linethickness"}, "msqrt": set(), "mroot": set(), "mover": {"accent"},
    "munder": {"accentunder"}, "munderover": set(), "mtable": {"columnalign", "rowspacing",
    "columnspacing"}, "mtr": set(), "mtd": {"columnalign"}, "mstyle": {"displaystyle",
    "scriptlevel"}, "mpadded": {"width", "lspace"}, "mphantom": set(), "menclose": set(),
}  # fmt: skip
TEXT: dict[str, set[str]] = {
    t: set()
    for t in [
        "p",
        "br",
        "strong",
        "em",
        "b",
        "i",
        "code",
        "pre",
        "blockquote",
        "ol",
        "hr",
        "th",
        "tbody",
        "thead",
    ]
}
PAGE = {
    "a": {"class", "href", "title", "rel", "style"},
    "article": {"class", "id"},
    "details": {"class", "id", "open"},
    "div": {"class", "hidden", "style", "data-search-exclude"},
    "figure": {"class"}, "figcaption": set(), "summary": set(), "nav": {"class", "aria-label"},
    "h1": {"id"}, "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
    "li": set(), "ul": {"class"}, "span": {"class"}, "table": set(), "tr": {"class"},
    "td": {"class"}, "p": {"class", "hidden"},
    "svg": {"class", "width", "height", "viewbox", "aria-hidden", "focusable", "xmlns"},
    "defs": set(), "marker": {"id", "viewbox", "refx", "refy", "markerwidth", "markerheight",
                              "orient"},
    "path": {"class", "d", "marker-end"},
}  # fmt: skip
ALLOWED: dict[str, set[str]] = {}
for table in (MATHML, TEXT, PAGE):
    for tag, attrs in table.items():
        ALLOWED.setdefault(tag, set()).update(attrs)
STYLED = {"sg-route__map", "sg-route__box"}  # the diagram's boxes, placed by number
SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
SAFE_SCHEMES = {"http", "https", "mailto"}


def url_as_browsers_read_it(value: str) -> str:
    """The WHATWG URL parser's first steps: trim C0 controls and spaces, drop tabs and line
    breaks anywhere (so "java\tscript:" is a scheme), and schemes are case-insensitive."""
    trimmed = html.unescape(value).strip("".join(map(chr, range(0x21))))
    return re.sub(r"[\t\n\r]", "", trimmed).lower()


class _Page(HTMLParser):
    """A page's elements, checked as they come, and its visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.text: list[str] = []
        self.maths: list[tuple[str, str]] = []  # (display, annotation)
        self.hrefs: list[str] = []
        self._annotation: str | None = None
        self._display = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        allowed = ALLOWED.get(tag)
        if allowed is None:
            self.problems.append(f"the element <{tag}>")
            return
        values = {k: v or "" for k, v in attrs}
        for name, value in values.items():
            if (name.startswith(("data-sg-", "aria-")) and name != "aria-label") or (
                name in allowed
            ):
                pass
            else:
                self.problems.append(f"the attribute {name}={value!r} on <{tag}>")
            if name.startswith("on"):
                self.problems.append(f"the event handler {name} on <{tag}>")
            if name in {"href", "src", "xlink:href", "action", "formaction"}:
                scheme = SCHEME.match(url_as_browsers_read_it(value))
                if scheme and scheme.group(1) not in SAFE_SCHEMES:
                    self.problems.append(f"the link {value!r} on <{tag}>")
                self.hrefs.append(value)
            if name == "style" and not STYLED & set(values.get("class", "").split()):
                self.problems.append(f"a style on <{tag} class={values.get('class')!r}>")
        if tag == "math":
            self._display = values.get("display", "")
        if tag == "annotation":
            self._annotation = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "annotation" and self._annotation is not None:
            self.maths.append((self._display, self._annotation))
            self._annotation = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._annotation is not None:
            self._annotation += data

    def visible(self) -> str:
        return squash("".join(self.text))


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def read(content: str) -> _Page:
    page = _Page()
    page.feed(content)
    page.close()
    return page


# ---- the pages, as MkDocs renders them ----


class _Warnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.seen: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.seen.append(record.getMessage())


@dataclass
class Pages:
    """Renders a catalogue's changed pages the way `mkdocs build` does."""

    config: MkDocsConfig
    baseline: dict[str, str]
    tracks: Path
    written: dict[str, dict[str, Any]] = field(default_factory=dict)

    def render(self, data: dict[str, Any], tracks: dict[str, dict[str, Any]]) -> dict[str, str]:
        """The HTML of each page whose Markdown differs from the unchanged catalogue's, or
        hypothesis' reject() when `check` refuses the data (its messages are another test's
        business)."""
        for name, track in tracks.items():
            if track != self.written.get(name):
                (self.tracks / f"{name}.yaml").write_text(dump(track), encoding="utf-8")
                self.written[name] = copy.deepcopy(track)
        try:
            catalogue = load_catalogue(
                CASE / "resources.yaml",
                self.tracks,
                catalogue_data=dump(data).encode("utf-8"),
            )
        except StudyGuideError:
            reject()
        generated = render_site(catalogue)
        self.config.plugins._current_plugin = None
        files = Files(
            [
                File.generated(self.config, path, content=item.content)
                for path, item in generated.items()
            ]
        )
        warnings = _Warnings()
        logging.getLogger("mkdocs").addHandler(warnings)
        try:
            out = {}
            for file in files.documentation_pages():
                if self.baseline.get(file.src_uri) == file.content_string:
                    continue
                page = Page(None, file, self.config)
                page.read_source(self.config)
                page.render(self.config, files)
                # What the plugin's on_page_content does after Markdown.
                fragments = generated[file.src_uri].fragments
                out[file.src_uri] = fill_fragments(page.content or "", fragments)
        finally:
            logging.getLogger("mkdocs").removeHandler(warnings)
        assert not warnings.seen, warnings.seen  # a strict build would fail on them
        return out


def dump(data: Any) -> str:
    return yaml.dump(
        data, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False, width=10**6
    )


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Pages:
    root = tmp_path_factory.mktemp("untrusted")
    project = guide_project(root / "project")
    extensions = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").split("markdown_extensions:")
    config_file = project / "mkdocs.yml"
    with config_file.open("a", encoding="utf-8") as out:
        out.write("markdown_extensions:" + extensions[1].split("\n\n")[0] + "\n")
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    config = load_config(str(config_file))
    tracks = project / "tracks"
    base = load_catalogue(CASE / "resources.yaml", CASE / "tracks")
    baseline = {path: item.content for path, item in render_site(base).items()}
    return Pages(config, baseline, tracks)


# ---- hostile text ----

# OWASP's XSS filter-evasion cheat sheet, in the forms Markdown and LaTeX can carry.
OWASP = (
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x]( javascript:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;&#x61;vascript:alert(1))",
    "[x](jav&#x09;ascript:alert(1))",
    "[x](java\tscript:alert(1))",
    "[x](%6Aavascript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD4=)",
    "[x](vbscript:msgbox(1))",
    '[x](https://a.example/ "t" onmouseover="alert(1)")',
    "[x](https://a.example/){ onclick=alert(1) }",
    '*x*{ tabindex=0 autofocus=autofocus onfocus="alert(1)" }',
    "{: onmouseover=alert(1) }",
    "`*x*{ onfocus=alert(1) }`",
    '<https://a.example/" onmouseover="alert(1)>',
    "<javascript:alert(1)>",
    '<mailto:a@b.example" onclick="alert(1)>',
    "\\[click me\\](javascript:alert(1))",
    "\\<script\\>alert(1)\\</script\\>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "$\\href{javascript:alert(1)}{x}$",
    "$\\text{<script>alert(1)</script>}$",
    "$\\text{x<y}$",
    '$\\text{" onload="alert(1)}$',
    "$a*b*c$",
    "[l](https://a.example/$x$)",
    "![x](https://a.example/x.png)",
    "[x][r]\n\n[r]: javascript:alert(1)",
)
MARKDOWN_PIECES = (
    *OWASP,
    "\n~~~ {.x onclick=alert(1)}\nx\n~~~\n", "\n```\n", "\n{: onclick=alert(1) }",
    "\n### __config\n", "\n#### res-x\n",
    "*", "**", "_", "`", "``", "[", "]", "(", ")", "{", "}", "|", "#", ">", "- ", "1. ",
    "\\", "\\*", "\\`", "$", "\\$", "$x$", "$\\frac{1}{2}$", "&amp;", "&#42;", "<", ">",
    "\n", "\n\n", "    ", ":", "'", '"', "!", ".", "  \n", "---", "~~~",
    "https://a.example/", "mailto:a@b.example", "{ .cls }", "{#id}", "*a* ", "**b** ",
)  # fmt: skip
WORD = st.text(alphabet="abcxyzé中", min_size=1, max_size=6)
markdown_text = st.lists(
    st.one_of(st.sampled_from(MARKDOWN_PIECES), WORD, st.just(" ")), min_size=1, max_size=14
).map("".join)
plain_text = st.one_of(
    markdown_text,
    st.text(min_size=1, max_size=40),
    st.lists(st.sampled_from(("<script>", "&amp;", "\\", "*", "`", "[x](y)", " ", "é", "x")),
             min_size=1, max_size=8).map("".join),
)  # fmt: skip
LATEX_PIECES = (
    "x", "y", "^", "_", "{", "}", "\\frac", "\\text{", "<", ">", "&", "\"", "'", " ",
    "\\href{javascript:alert(1)}{x}", "\\<", "\\,", "\\{", "\\}", "\\left(", "\\right)",
    "\\sum", "\\alpha", "=", "+", "-", "\\\\", "\\mathbf{", "<script>", "onload=",
)  # fmt: skip
latex_text = st.lists(st.sampled_from(LATEX_PIECES), min_size=1, max_size=12).map("".join)
url_text = st.builds(
    lambda path, query: f"https://a.example/{path}{query}",
    st.text(alphabet="abc/._~-%'\"<>()[]*$!&=+ ", max_size=20),
    st.sampled_from(["", "?q=1&r=<2>", "#x", '?a="b"', "?javascript:alert(1)"]),
)


@dataclass(frozen=True)
class Target:
    """Where a field sits in the fixture's data."""

    name: str
    put: Callable[[dict[str, Any], dict[str, dict[str, Any]], str], None]


def _at(*keys: Any) -> Callable[[dict[str, Any], dict[str, dict[str, Any]], str], None]:
    def put(data: dict[str, Any], tracks: dict[str, dict[str, Any]], value: str) -> None:
        node: Any = tracks if keys[0] == "tracks" else data
        for key in keys[1 if keys[0] == "tracks" else 0 : -1]:
            node = node[key]
        node[keys[-1]] = value

    return put


PLAIN = [
    Target("topic title", _at("topics", 1, "title")),
    Target("topic summary", _at("topics", 0, "summary")),
    Target("resource title", _at("resources", 3, "title")),
    Target("resource why", _at("resources", 2, "why")),
    Target("resource provider", _at("resources", 0, "provider")),
    Target("resource author", _at("resources", 1, "authors", 0)),
    Target("concept title", _at("concepts", 0, "title")),
    Target("concept also", lambda data, _tracks, value: data["concepts"][0].update(also=[value])),
    Target("learn_from where", _at("concepts", 1, "learn_from", 0, "where")),
    Target("next step why", _at("next_steps", 0, "why")),
    Target("next step assumes", _at("next_steps", 0, "assumes")),
    Target("track title", _at("tracks", "research", "title")),
    Target("track tagline", _at("tracks", "casual", "tagline")),
    Target("track audience", _at("tracks", "casual", "audience")),
    Target("track before_you_start", _at("tracks", "research", "before_you_start")),
    Target("step sections", _at("tracks", "casual", "path", "linear-algebra", 0, "sections")),
    Target("topic note", _at("tracks", "research", "topic_notes", "optimisation")),
]
MARKDOWN = [
    Target("concept used_in", _at("concepts", 1, "used_in")),
    Target("self-check question", _at("concepts", 0, "checks", 0, "question")),
    Target("self-check answer", _at("concepts", 0, "checks", 1, "answer")),
    Target("track intro", _at("tracks", "casual", "intro")),
    Target("step note", _at("tracks", "casual", "path", "linear-algebra", 0, "note")),
]

PROPERTY = settings(
    max_examples=PER_KIND,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def with_value(target: Target, value: str) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    data, tracks = copy.deepcopy(BASE), copy.deepcopy(TRACKS)
    target.put(data, tracks, value)
    return data, tracks


def assert_safe(rendered: dict[str, str]) -> dict[str, _Page]:
    read_back = {path: read(content) for path, content in rendered.items()}
    problems = {path: page.problems for path, page in read_back.items() if page.problems}
    assert not problems, problems
    return read_back


# ---- the properties ----


def test_plain_text_fields_show_as_written_and_never_become_markup(pages: Pages) -> None:
    seen: Counter[str] = Counter()

    @given(st.sampled_from(PLAIN), plain_text)
    @PROPERTY
    @example(PLAIN[0], "<img src=x onerror=alert(1)>")
    @example(PLAIN[0], "Linear algebra\n~~~ {#x .md-typeset data-sg-x=1}\nx\n~~~\nend")
    @example(PLAIN[2], "[x](javascript:alert(1)) *y*{ onclick=alert(1) }")
    @example(PLAIN[3], "&#106;avascript &lt;b&gt; \\*")
    def run(target: Target, value: str) -> None:
        rendered = pages.render(*with_value(target, value))
        read_back = assert_safe(rendered)
        shown = squash(value)
        assert any(shown in page.visible() for page in read_back.values()), (
            f"{target.name}: {shown!r} is not on any page that changed: {sorted(rendered)}"
        )
        seen[target.name] += 1

    run()
    assert seen.total() >= PER_KIND, seen


def test_markdown_fields_are_read_once_and_never_become_code(pages: Pages) -> None:
    seen: Counter[str] = Counter()

    @given(st.sampled_from(MARKDOWN), markdown_text)
    @PROPERTY
    @example(
        MARKDOWN[0],
        "\\[click me\\](javascript:alert(1)) `*x*{ tabindex=0 autofocus=autofocus "
        'onfocus="alert(1)" }` more.',
    )
    @example(MARKDOWN[0], "An idea with a | bar in it. More.")
    @example(MARKDOWN[1], "What is $a*b*c$ and [l](https://a.example/$x$)?")
    @example(
        MARKDOWN[0],
        """An idea.
~~~ {.text data-x=\\'\\" tabindex=0 autofocus onfocus=\\"alert(1)\\'}
x
~~~
More.""",
    )
    @example(MARKDOWN[4], "Do the problem sets.\n{: tabindex=0 autofocus onfocus=alert(1) }")
    @example(MARKDOWN[2], "### __config\n\nAn answer.")
    @example(MARKDOWN[0], "$x$ leads the first sentence. More.")
    def run(target: Target, value: str) -> None:
        rendered = pages.render(*with_value(target, value))
        read_back = assert_safe(rendered)
        # What the text shows when read once; a second reading would change it.
        once = read(str(markdown_block(value))).visible()
        assert any(once in page.visible() for page in read_back.values()), (
            f"{target.name}: {once!r} is not on any page that changed: {sorted(rendered)}"
        )
        seen[target.name] += 1

    run()
    assert seen.total() >= PER_KIND, seen


def test_formulas_become_mathml_that_carries_their_source_and_nothing_else(
    pages: Pages,
) -> None:
    seen = 0
    target = Target("concept formula", _at("concepts", 0, "formula"))

    @given(latex_text)
    @PROPERTY
    @example("\\text{x<y}")
    @example('\\text{" onload="alert(1)}')
    def run(value: str) -> None:
        nonlocal seen
        rendered = pages.render(*with_value(target, value))
        read_back = assert_safe(rendered)
        maths = read_back["concepts/derivative.md"].maths
        assert ("block", value) in maths, maths
        seen += 1

    run()
    assert seen >= PER_KIND


def test_addresses_are_links_to_themselves_and_nothing_else(pages: Pages) -> None:
    seen = 0
    # A next step shows on one page; a resource, on every page that lists it.
    targets = st.sampled_from(
        [
            Target("next step url", _at("next_steps", 0, "url")),
            Target("next step url", _at("next_steps", 0, "url")),
            Target("resource url", _at("resources", 5, "url")),
        ]
    )

    @given(targets, url_text)
    @PROPERTY
    @example(
        Target("resource url", _at("resources", 3, "url")),
        'https://a.example/" onmouseover="alert(1)',
    )
    @example(
        Target("resource url", _at("resources", 3, "url")),
        "https://a.example/)[x](javascript:alert(1)",
    )
    @example(Target("resource url", _at("resources", 3, "url")), "https://a.example/&#x")
    def run(target: Target, value: str) -> None:
        nonlocal seen
        rendered = pages.render(*with_value(target, value))
        read_back = assert_safe(rendered)
        assert any(html.unescape(md_url(value)) in page.hrefs for page in read_back.values())
        seen += 1

    run()
    assert seen >= PER_KIND


# ---- a real build: each defect the double reading caused ----

DEFECTS = {
    "used_in": "\\[click me\\](javascript:alert(1)) `*x*{ tabindex=0 autofocus=autofocus "
    'onfocus="alert(1)" }` and a | b, $a*b*c$ and [l](https://a.example/$x$). More.',
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = guide_project(tmp_path_factory.mktemp("defects") / "project")
    data = copy.deepcopy(BASE)
    data["concepts"][1]["used_in"] = DEFECTS["used_in"]
    (project / "resources.yaml").write_text(dump(data), encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.output
    return result.site


IDEA_PAGES = ("concepts/index.html", "topics/linear-algebra/index.html")


@pytest.mark.parametrize("page", IDEA_PAGES)
def test_an_escaped_link_and_an_attribute_list_stay_text(built: Path, page: str) -> None:
    content = (built / page).read_text(encoding="utf-8")
    found = read(content)
    assert "javascript:" not in " ".join(found.hrefs)
    assert "onfocus" not in re.sub(r"<code>.*?</code>", "", content, flags=re.S)
    assert "[click me](javascript:alert(1))" in found.visible()
    assert '*x*{ tabindex=0 autofocus=autofocus onfocus="alert(1)" }' in found.visible()


def test_a_bar_in_the_first_sentence_stays_in_its_table_cell(built: Path) -> None:
    content = (built / "concepts/index.html").read_text(encoding="utf-8")
    row = re.search(r'<tr class="sg-concept-row" data-sg-concept="matrix-product".*?</tr>',
                    content, flags=re.S)  # fmt: skip
    assert row, content
    cells = re.findall(r"<td[ >]", row.group())
    assert len(cells) == 5
    assert "and a | b," in read(row.group()).visible()


@pytest.mark.parametrize("page", IDEA_PAGES)
def test_stars_in_maths_stay_operators(built: Path, page: str) -> None:
    content = (built / page).read_text(encoding="utf-8")
    formula = re.search(r"<math[^>]*>.*?</math>", content[content.index("a | b") :], re.S)
    assert formula
    assert "<em>" not in formula.group()
    assert formula.group().count("<mo>*</mo>") == 2


@pytest.mark.parametrize("page", IDEA_PAGES)
def test_maths_in_a_link_address_stays_in_the_address(built: Path, page: str) -> None:
    found = read((built / page).read_text(encoding="utf-8"))
    assert "https://a.example/$x$" in found.hrefs
    assert "<math" not in found.visible()


# ---- the first sentence, the concepts map's idea ----


@pytest.mark.parametrize(
    ("used_in", "idea"),
    [
        ("A b. C d.", "A b."),
        ("Use $a. b$ here. Then more.", "Use $a. b$ here."),
        ("See `x. y` now! And more.", "See `x. y` now!"),
        ("``a. ` b`` c. d", "``a. ` b`` c."),
        ("[a. b](https://x.example/a. b) is. x", "[a. b](https://x.example/a. b) is."),
        ("No end", "No end"),
        # Runs of backticks with no closing run: a regular expression for code spans took
        # minutes here; the scanner is linear.
        ("`" * 3000 + "x. y", "`" * 3000 + "x."),
        ("` " * 3000 + ". x", "` " * 3000 + "."),
    ],
)
def test_the_idea_is_the_first_sentence_never_cut_inside_maths_code_or_a_link(
    used_in: str, idea: str
) -> None:
    assert first_sentence(used_in) == idea
