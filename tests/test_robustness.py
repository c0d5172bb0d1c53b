"""Inputs nobody listed: the public YAML test suite, generated documents and catalogues, and
the JSON Schema judged against the validator on generated values. Every input ends in a
catalogue or in located messages; both judges agree."""

from __future__ import annotations

import copy
import json
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from studyguide.render import render_site
from studyguide.schema import (
    COSTS,
    DATE_RE,
    END,
    SLUG_RE,
    URL_PATTERN,
    catalogue_json_schema,
)
from studyguide.validate import load_catalogue

from .fuzzing import BASE, BASE_TEXT, mutated_catalogues, outcome, yaml_documents
from .helpers import ROOT

SUITE = ROOT.parent / "shared" / "yaml-test-suite"
# Derandomized: the suite sees the same cases each run; scripts/fuzz.py explores anew.
FAST = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
    derandomize=True,
)


@pytest.mark.skipif(not SUITE.is_dir(), reason="../shared/yaml-test-suite is not here")
def test_every_input_of_the_yaml_test_suite_ends_in_a_catalogue_or_located_errors(
    tmp_path: Path,
) -> None:
    files = sorted(SUITE.glob("*.yaml"))
    assert len(files) == 406
    tracks = tmp_path / "tracks"
    shutil.copytree(BASE / "tracks", tracks)
    counts: Counter[str] = Counter()
    for file in files:
        data = file.read_bytes()
        counts[f"as the catalogue: {outcome(data)}"] += 1
        (tracks / "casual.yaml").write_bytes(data)  # and as a track file
        counts[f"as a track file: {outcome(BASE_TEXT.encode(), tracks)}"] += 1
    # None of the suite's documents is a catalogue or a track: each ends in located errors.
    assert counts == {"as the catalogue: errors": 406, "as a track file: errors": 406}


@given(yaml_documents())
@FAST
def test_arbitrary_yaml_ends_in_a_catalogue_or_located_errors(document: bytes) -> None:
    assert outcome(document) in ("catalogue", "errors")


@given(mutated_catalogues())
@FAST
def test_mutated_catalogues_end_in_a_catalogue_or_located_errors(document: bytes) -> None:
    assert outcome(document) in ("catalogue", "errors")


# ---- the JSON Schema and the validator judge generated values alike ----

SCHEMA = jsonschema.Draft202012Validator(
    catalogue_json_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)
BASE_DATA: dict[str, Any] = yaml.safe_load(BASE_TEXT)
AWKWARD_TEXT = st.text(
    alphabet=st.sampled_from(" \t\n\x00\x07\x85\u202e\u2066a<>&\"'é😀"), max_size=6
)
OTHERS = st.one_of(st.none(), st.booleans(), st.integers(), st.lists(st.text(), max_size=2))


def verdicts(where: tuple[str | int, ...], value: Any) -> tuple[bool, bool]:
    """(validator accepts, JSON Schema accepts) for the base catalogue with `value` put at
    `where`, written as YAML for the one and seen as JSON, as an editor does, by the other."""
    data = copy.deepcopy(BASE_DATA)
    data["topics"].append(
        {"id": "spare-topic", "title": "Spare", "summary": "Unused.", "prerequisites": []}
    )
    target: Any = data
    for key in where[:-1]:
        target = target[key]
    target[where[-1]] = value
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    accepted = outcome(text.encode("utf-8")) == "catalogue"
    # What the YAML means (a raw NEL, say, is a line break in YAML, not a character), as
    # JSON: a NaN or an infinity has no JSON form, so no editor can ask the schema about it.
    try:
        as_json = json.loads(json.dumps(yaml.safe_load(text), default=str, allow_nan=False))
    except ValueError:
        assume(False)
    return accepted, not list(SCHEMA.iter_errors(as_json))


URLS = st.one_of(
    st.from_regex(URL_PATTERN.removesuffix(END), fullmatch=True),
    st.text(),
    st.builds(
        lambda good, bad, at: good[:at] + bad + good[at:],
        st.sampled_from(["https://example.org/a", "http://x.test:8080/p?q=1#f"]),
        st.sampled_from([" ", "HTTP", ":99999", "[", "@", '"', "\n", "\u2100", "\u2102", ":0"]),
        st.integers(0, 20),
    ),
)
TEXTS = st.one_of(st.text(), AWKWARD_TEXT, st.sampled_from(["", "   ", "ok", "no", "3.10"]))
NUMBERS = st.one_of(
    st.integers(-5, 20_000),
    st.floats(),
    st.sampled_from([10_000, 10_000.5, 1e-5, 1e400, 0.0, -0.0]),
    st.text(max_size=4),
)
DATES = st.one_of(
    st.dates(),
    st.dates().map(str),
    st.from_regex(DATE_RE.pattern, fullmatch=True),
    st.text(max_size=12),
)
SLUGS = st.one_of(
    st.from_regex(SLUG_RE.pattern, fullmatch=True),
    st.text(max_size=12),
    st.sampled_from(["index", "route", "res-x", "res", "Calculus", "a--b", "spare-topic"]),
)


@pytest.mark.parametrize(
    ("where", "values"),
    [
        (("resources", 0, "title"), st.one_of(TEXTS, OTHERS)),
        (("resources", 0, "url"), st.one_of(URLS, OTHERS)),
        (("resources", 0, "effort_hours"), st.one_of(NUMBERS, OTHERS)),
        (("resources", 1, "added"), st.one_of(DATES, OTHERS)),
        (("resources", 0, "cost"), st.one_of(st.sampled_from(COSTS.names), st.text(max_size=9))),
        (("topics", 2, "id"), SLUGS),
    ],
    ids=["text", "url", "number", "date", "choice", "slug"],
)
def test_the_json_schema_and_the_validator_agree(where: tuple[Any, ...], values: Any) -> None:
    @given(values)
    @FAST
    def agree(value: Any) -> None:
        if where[-1] == "url" and isinstance(value, str):
            # A second resource with the same address is a cross-entry rule the schema cannot
            # state; leave those values out.
            assume(value.rstrip("/").lower() != "https://example.org/matrices")
        accepted, valid = verdicts(where, value)
        assert accepted == valid, f"validator {accepted}, JSON Schema {valid}: {value!r}"

    agree()


def test_a_chain_of_400_prerequisite_topics_checks_and_renders(tmp_path: Path) -> None:
    n = 400
    topics = "".join(
        f"  - id: t{i}\n    title: Topic {i}\n    summary: Step {i}.\n"
        f"    prerequisites: [{f't{i - 1}' if i else ''}]\n"
        for i in range(n)
    )
    resources = "".join(
        f"  - id: r{i}\n    title: R{i}\n    url: https://example.org/{i}\n    authors: [A]\n"
        f"    provider: P\n    topics: [t{i}]\n    goals: [casual]\n    format: video\n"
        f"    cost: free\n    effort_hours: 1\n    level: intro\n    why: W.\n"
        for i in range(n)
    )
    (tmp_path / "tracks").mkdir()
    path = "".join(f"  t{i}:\n    - resource: r{i}\n" for i in range(n))
    (tmp_path / "tracks" / "casual.yaml").write_text(
        "id: casual\ntitle: C\ntagline: T.\naudience: A.\nbefore_you_start: B.\nintro: I.\n"
        f"topics: [{', '.join(f't{i}' for i in range(n))}]\npath:\n{path}",
        encoding="utf-8",
    )
    (tmp_path / "resources.yaml").write_text(
        f"topics:\n{topics}resources:\n{resources}", encoding="utf-8"
    )
    catalogue = load_catalogue(tmp_path / "resources.yaml", tmp_path / "tracks")
    page = "".join(render_site(catalogue)["tracks/casual.md"].fragments.values())
    assert page.count('class="sg-route__box"') == n
    assert page.count('data-sg-edge="t') == 2 * (n - 1)  # each edge drawn and listed
