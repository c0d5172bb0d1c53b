"""Turning untrusted contributor text into safe Markdown and HTML.

Plain-text fields are entity-encoded: every ASCII punctuation character becomes `&#NN;`, which
Markdown (and every pymdown extension) shows literally and never reads as syntax, raw HTML or a
link. Markdown fields (track intros) are rendered here and sanitised with nh3 (ammonia).
"""

from __future__ import annotations

import functools
import html
import re
import string
import threading
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import quote, urlsplit

import markdown
import nh3
from markupsafe import Markup

from .maths import latex_problem, split_maths

_PUNCT = {ord(c): f"&#{ord(c)};" for c in string.punctuation}
_SPACE = re.compile(r"\s+")

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "code", "pre", "blockquote", "ul", "ol", "li", "a",
    "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip


def md_text(value: object) -> Markup:
    """Plain text for a Markdown context, on one line, with no syntax left in it."""
    return Markup(_SPACE.sub(" ", str(value)).strip().translate(_PUNCT))


def html_text(value: object) -> str:
    """Plain text for a context that prints it as HTML without escaping (page titles)."""
    return html.escape(_SPACE.sub(" ", str(value)).strip(), quote=True)


def md_url(url: str) -> Markup:
    """An already-validated http(s) URL as a Markdown link target. `&` is written `&amp;`:
    a bare `&#x` would be read as the start of a character reference."""
    return Markup(quote(url, safe=":/?#@!$&*+,;=%~-._[]").replace("&", "&amp;"))


URL_SCHEMES = {"http", "https", "mailto"}


_LOCAL = threading.local()


def _converter() -> markdown.Markdown:
    """This thread's Markdown converter, reset: building one costs far more than a page."""
    md: markdown.Markdown | None = getattr(_LOCAL, "md", None)
    if md is None:
        md = _LOCAL.md = markdown.Markdown(
            extensions=["sane_lists", "smarty"], output_format="html"
        )
    return md.reset()


class _Disallowed(HTMLParser):
    """In rendered Markdown, what sanitising would remove that raw HTML does not explain:
    images, top-level headings and links with a scheme other than http(s) or mailto."""

    def __init__(self, raw_tags: set[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.raw_tags = raw_tags
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS and tag not in self.raw_tags:
            self.found.append("an image" if tag == "img" else f"a <{tag}> heading")
        href = dict(attrs).get("href") if tag == "a" else None
        scheme = urlsplit((href or "").strip()).scheme.lower()
        if scheme and scheme not in URL_SCHEMES:
            self.found.append(f"a {scheme}: link")


_RAW_TAG = re.compile(r"<\s*(!--|[A-Za-z][\w-]*)")


@dataclass(frozen=True)
class _Converted:
    """A Markdown field rendered once, for both validation and the pages."""

    html: str
    raw_tags: tuple[str, ...]
    """Raw HTML that Markdown set aside untouched, by tag name ("!--" for a comment)."""
    formulas: tuple[str, ...]
    """The $...$ formulas that show as maths; one inside a link's address stays as written."""
    restore: Callable[[str], str]
    """Puts the MathML of the held $...$ formulas back into HTML made from `html`."""


@functools.lru_cache(maxsize=16384)  # validation and every page that shows the text ask for it
def _convert(source: str) -> _Converted:
    held, formulas, restore, shown = split_maths(source)
    md = _converter()
    rendered = md.convert(held)
    # Markdown sets raw HTML aside untouched (closing tags and entities too: not reported).
    raw = tuple(m.group(1).lower() for block in md.htmlStash.rawHtmlBlocks
                if (m := _RAW_TAG.match(str(block).lstrip())))  # fmt: skip
    return _Converted(rendered, raw, tuple(formulas[i] for i in shown(rendered)), restore)


@functools.lru_cache(maxsize=16384)  # `mkdocs serve` validates the same texts on each rebuild
def markdown_problems(source: str) -> tuple[str, ...]:
    """What in `source` would not show as written: raw HTML (which Markdown passes through as
    it stands), images, top-level headings, unsafe links, and $maths$ the site cannot render.
    Each is named once."""
    converted = _convert(source)
    raw = converted.raw_tags
    found = ["an HTML comment" if tag == "!--" else f"raw HTML <{tag}>" for tag in raw]
    checker = _Disallowed(set(raw))
    checker.feed(converted.html)
    for latex in converted.formulas:
        problem = latex_problem(latex)
        if problem:
            found.append(f"the maths ${latex}$ cannot be rendered: {problem}")
    return tuple(dict.fromkeys(found + checker.found))


class Fragment(Markup):
    """Contributor Markdown rendered to HTML, once. It may reach a page only inside a raw HTML
    block (see `render`), where MkDocs' Markdown leaves it alone: read as Markdown a second
    time, its escapes and code spans would turn into live syntax."""

    __slots__ = ()


@functools.lru_cache(maxsize=16384)  # a concept's text shows on several pages
def markdown_block(source: str) -> Fragment:
    """Contributor Markdown rendered to sanitised HTML: no script, handlers or raw HTML; $maths$
    becomes MathML after sanitising, from LaTeX that `maths` checks and cleans itself.

    Validation refuses what this would remove (`markdown_problems`); sanitising stays as a
    second line of defence."""
    converted = _convert(source)
    clean = nh3.clean(
        converted.html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener",
    )
    return Fragment(converted.restore(clean))
