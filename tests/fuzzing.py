"""Generators of hostile contributor data, and the one property every input must have: it ends
in a catalogue or in located messages, never in anything else. Shared by the property tests
and by `scripts/fuzz.py`, which runs any number of cases and counts the outcomes."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import yaml
from hypothesis import strategies as st

from studyguide.errors import StudyGuideError
from studyguide.render import render_site
from studyguide.render.verify import problems
from studyguide.validate import load_catalogue

BASE = Path(__file__).parent / "cases" / "validation" / "_base"
BASE_TEXT = (BASE / "resources.yaml").read_text(encoding="utf-8")
# One message: FILE:LINE:COL: error: text, on one line.
LOCATED = re.compile(r"[^\n]+:[1-9][0-9]*:[1-9][0-9]*: error: [^\n]+")

# Characters that have meant trouble for YAML loaders and for pages.
AWKWARD = (
    "\t\r\n\x00\x07\x1b\x7f\x85\xa0\u2028\u202e\u2066\ufeff\ufffe\U0001f600\U0001d465"
    ":-?[]{},#&*!|>'\"%@`\\ "
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(),
    st.text(alphabet=st.sampled_from(AWKWARD), max_size=8),
    st.sampled_from(["no", "on", "3.10", "0x1A", "1:30", "~", "2025-02-30", ".inf", "-.nan"]),
)
structures = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.text(max_size=12), st.integers()), inner, max_size=4),
    ),
    max_leaves=20,
)


# Whole pieces that have broken loaders: complex keys, tags with escapes, anchors, deep
# nesting, huge numbers, addresses urlsplit refuses, escapes for invisible characters.
TOKENS = (
    "? [a, b]\n: 1\n",
    "{[x]: 1}",
    "!!python/object:os.system ",
    "!foo%0Aforged ",
    "&a ",
    "*a",
    "[" * 120,
    "9" * 400,
    "http://[::1/x",
    "https://example.org:99999/x",
    "https://ex\u2100.org/",
    '"\\x07 \\u202e \\0"',
    '"\\U0001F600"',
    "--- \n",
    "%YAML 1.1\n",
    "key: value\n",
    "- item\n",
    "\ufeff",
)
BASE_DATA = yaml.safe_load(BASE_TEXT)


@st.composite
def yaml_documents(draw: st.DrawFn) -> bytes:
    """Arbitrary YAML, some of it broken: dumped structures, then text torn up at random."""
    data = draw(structures)
    text = yaml.safe_dump(
        data, default_flow_style=draw(st.sampled_from([None, True, False])), allow_unicode=True
    )
    return draw(torn(text)).encode("utf-8", errors="surrogatepass")


@st.composite
def torn(draw: st.DrawFn, text: str) -> str:
    """`text` with up to four edits: a field's value replaced by raw YAML, characters or
    whole hostile pieces inserted, spans deleted, lines repeated or re-indented. Positions
    come from a seeded random source: Hypothesis's own integers favour the start of a file."""
    rnd = draw(st.randoms(use_true_random=False))
    for _ in range(rnd.randint(0, 4)):
        at = rnd.randint(0, len(text))
        lines = text.splitlines(keepends=True)
        edit = rnd.choice(["value", "value", "token", "insert", "delete", "repeat", "indent"])
        if edit == "value":
            fields = [i for i, line in enumerate(lines) if ": " in line]
            if fields:
                i = rnd.choice(fields)
                key = lines[i].split(": ", 1)[0]
                lines[i] = f"{key}: {rnd.choice(TOKENS).rstrip(chr(10))}\n"
                text = "".join(lines)
        elif edit == "token":
            text = text[:at] + rnd.choice(TOKENS) + text[at:]
        elif edit == "insert":
            piece = "".join(rnd.choice(AWKWARD) for _ in range(rnd.randint(1, 6)))
            text = text[:at] + piece + text[at:]
        elif edit == "delete":
            text = text[:at] + text[at + rnd.randint(1, 20) :]
        elif edit == "repeat" and lines:
            i = rnd.randrange(len(lines))
            lines.insert(i, lines[i])
            text = "".join(lines)
        elif edit == "indent":
            start = text.rfind("\n", 0, at) + 1
            text = text[:start] + rnd.choice([" ", "  ", "\t", "- "]) + text[start:]
    return text


@st.composite
def mutated_catalogues(draw: st.DrawFn) -> bytes:
    """The small valid catalogue of the validation cases: either a few of its values replaced
    by arbitrary ones (so that validation, not only parsing, meets them), or its text torn."""
    if draw(st.booleans()):
        return draw(torn(BASE_TEXT)).encode("utf-8")
    data = copy.deepcopy(BASE_DATA)
    for _ in range(draw(st.integers(1, 3))):
        record = draw(st.sampled_from(data["topics"] + data["resources"]))
        key = draw(st.sampled_from([*record, draw(st.text(max_size=8))]))
        record[key] = draw(st.one_of(structures, st.sampled_from(TOKENS)))
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    return draw(torn(text)).encode("utf-8", errors="surrogatepass")


def outcome(catalogue: bytes, tracks: Path = BASE / "tracks") -> str:
    """'catalogue' or 'errors' for `catalogue` as the content of resources.yaml;
    AssertionError when a message is not one located line. Anything else this raises is a
    bug the caller must see."""
    try:
        loaded = load_catalogue(BASE / "resources.yaml", tracks, catalogue_data=catalogue)
    except StudyGuideError as error:
        lines = [str(d) for d in error.diagnostics]
        assert lines, "an error with no message"
        bad = [line for line in lines if not LOCATED.fullmatch(line)]
        assert not bad, f"unlocated or multi-line messages: {bad!r}"
        return "errors"
    found = problems(render_site(loaded))
    assert not found, found
    return "catalogue"
