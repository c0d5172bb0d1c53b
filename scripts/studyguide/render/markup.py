"""Turning untrusted contributor text into safe Markdown and HTML.

Plain-text fields are entity-encoded: every ASCII punctuation character becomes `&#NN;`, which
Markdown (and every pymdown extension) shows literally and never reads as syntax, raw HTML or a
link. Markdown fields (track intros) are rendered here and sanitised with nh3 (ammonia).
"""

from __future__ import annotations

import html
import re
import string
from urllib.parse import quote

import markdown
import nh3
from markupsafe import Markup

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
    """An already-validated http(s) URL as a Markdown link target."""
    return Markup(quote(url, safe=":/?#@!$&*+,;=%~-._[]"))


def markdown_block(source: str) -> Markup:
    """Contributor Markdown rendered to sanitised HTML: no script, handlers or raw HTML."""
    rendered = markdown.markdown(source, extensions=["sane_lists", "smarty"], output_format="html")
    clean = nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener",
    )
    return Markup(clean)
