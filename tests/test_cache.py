"""The build's cache is data: the formulas of the last build are read back, checked and
sanitised as if converted afresh, and a cache that fails a check is set aside with one line.
Generated pages are never read back, whatever a `pages.json` holds."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from studyguide import maths
from studyguide.cache import FormulaCache, code_digest

from .helpers import Elements, guide_project, mkdocs_build, site_files

# Builds in a subprocess or runs long: `make quick` leaves it out.
pytestmark = pytest.mark.slow

READ_BACK = "formulas read back from"
IGNORED = "studyguide: ignoring the formula cache"
DERIVATIVE = Path("concepts", "derivative", "index.html")


def _build(project: Path, site: Path) -> str:
    # --verbose shows the plugin's debug line when it reads the cache.
    built = mkdocs_build(project, site, verbose=True)
    assert built.returncode == 0, built.output
    return built.output


def _formulas(project: Path) -> Path:
    return project / ".cache" / "studyguide" / "maths.json"


def _warm(project: Path, site: Path) -> Path:
    """A build from no cache at all, that leaves one (and nothing from earlier tests): the
    formula cache's file."""
    shutil.rmtree(project / ".cache", ignore_errors=True)
    _build(project, site)
    return _formulas(project)


@contextmanager
def _edited(project: Path, old: str, new: str) -> Iterator[None]:
    catalogue = project / "resources.yaml"
    text = catalogue.read_text(encoding="utf-8")
    assert old in text
    catalogue.write_text(text.replace(old, new, 1), encoding="utf-8")
    try:
        yield
    finally:
        catalogue.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return guide_project(tmp_path_factory.mktemp("cache") / "project")


def test_a_second_build_reads_the_formulas_back_and_gives_the_same_site(project: Path) -> None:
    shutil.rmtree(project / ".cache", ignore_errors=True)
    first = _build(project, project / "site-1")
    assert READ_BACK not in first
    assert _formulas(project).is_file()
    second = _build(project, project / "site-2")
    assert READ_BACK in second
    assert IGNORED not in first + second
    one, two = site_files(project / "site-1"), site_files(project / "site-2")
    assert sorted(one) == sorted(two)
    assert [path for path in one if one[path] != two[path]] == []
    assert not (project / ".cache" / "studyguide" / "pages.json").exists()  # pages are not kept


def test_an_edit_shows_in_the_next_build(project: Path) -> None:
    _build(project, project / "site-warm")
    with _edited(project, "title: Vectors first", "title: Vectors, edited"):
        output = _build(project, project / "site-edited")
    assert READ_BACK in output  # the formulas are as they were
    page = project / "site-edited" / "resources" / "vectors" / "index.html"
    assert "Vectors, edited" in page.read_text(encoding="utf-8")


def test_bad_data_after_a_cached_build_is_reported_not_read_back(project: Path) -> None:
    _build(project, project / "site-warm")
    with _edited(project, "  - id: ", "  - idd: "):
        built = mkdocs_build(project, project / "site-bad")
    assert built.returncode != 0
    assert "resources.yaml:" in built.output
    assert "unknown field 'idd'" in built.output


# Earlier versions kept the pages in pages.json and read them back, verbatim, whenever its key
# matched the inputs. Each of these changes to it reached the build.
def _script_in_a_page(pages: dict[str, Any]) -> None:
    page = pages.setdefault("concepts/derivative.md", ["# Derivative\n", None, False, None])
    page[0] += "\n<script>alert('from the cache')</script>\n"


def _page_out_of_the_site(pages: dict[str, Any]) -> None:
    pages["../../escaped.md"] = ["# Escaped\n\nESCAPED\n", None, False, None]


def _wrong_types(pages: dict[str, Any]) -> None:
    pages["concepts/derivative.md"] = [123, None, True, None]


PAGE_TAMPERS: dict[str, Callable[[dict[str, Any]], None]] = {
    "a script in a page": _script_in_a_page,
    "a path out of the site": _page_out_of_the_site,
    "wrong types": _wrong_types,
}


@pytest.mark.parametrize("tamper", PAGE_TAMPERS.values(), ids=PAGE_TAMPERS)
def test_a_tampered_pages_json_changes_nothing(
    project: Path, tamper: Callable[[dict[str, Any]], None], tmp_path: Path
) -> None:
    # Two folders down: a page at ../../escaped.md would land in tmp_path.
    clean, tampered = tmp_path / "clean", tmp_path / "sites" / "tampered" / "site"
    _warm(project, clean)
    entry = project / ".cache" / "studyguide" / "pages.json"
    # The file as an earlier version left it, key and all; this one writes none.
    data: dict[str, Any] = {"key": "", "pages": {}}
    if entry.is_file():
        data = json.loads(entry.read_text(encoding="utf-8"))
    tamper(data["pages"])
    entry.write_text(json.dumps(data), encoding="utf-8")
    try:
        output = _build(project, tampered)
    finally:
        entry.unlink()
    assert "Traceback" not in output
    assert "internal error" not in output
    assert "alert('from the cache')" not in (tampered / DERIVATIVE).read_text(encoding="utf-8")
    assert sorted(tmp_path.rglob("escaped*")) == []
    assert sorted(project.parent.rglob("escaped*")) == []
    one, two = site_files(clean), site_files(tampered)
    assert sorted(one) == sorted(two)
    assert [path for path in one if one[path] != two[path]] == []


def _truncated(text: str) -> str:
    return text[: len(text) // 2]


def _a_list(text: str) -> str:
    return json.dumps(json.loads(text)["formulas"])


def _not_math(text: str) -> str:
    data = json.loads(text)
    for entry in data["formulas"]:
        if "\\lim" in entry[0]:
            entry[2] = "HACKED"  # text, not MathML: served as it stood, once
    return json.dumps(data)


FILE_TAMPERS: dict[str, tuple[Callable[[str], str], str]] = {
    "truncated": (_truncated, "it is not valid JSON"),
    "a list": (_a_list, 'it is not an object with a "key" and a list of "formulas"'),
    "not MathML": (_not_math, "its MathML is not a <math> element"),
}


@pytest.mark.parametrize(("tamper", "reason"), FILE_TAMPERS.values(), ids=FILE_TAMPERS)
def test_an_unsound_formula_cache_is_set_aside_with_one_line(
    project: Path, tamper: Callable[[str], str], reason: str
) -> None:
    entry = _warm(project, project / "site-warm")
    entry.write_text(tamper(entry.read_text(encoding="utf-8")), encoding="utf-8")
    # After an edit: earlier versions read the formula cache only then.
    with _edited(project, "title: Vectors first", "title: Vectors, again"):
        output = _build(project, project / "site-unsound")
    html = (project / "site-unsound" / DERIVATIVE).read_text(encoding="utf-8")
    assert "HACKED" not in html
    assert "<mo>lim</mo>" in html  # converted afresh
    lines = [line for line in output.splitlines() if IGNORED in line]
    assert len(lines) == 1, output
    assert f"{entry}: " in lines[0]
    assert reason in lines[0]
    assert READ_BACK not in output
    # ...and the cache is sound again.
    data = json.loads(entry.read_text(encoding="utf-8"))
    assert data["formulas"]
    assert all(out.startswith("<math ") for _, _, out in data["formulas"])


def test_a_cached_conversion_does_not_let_latex_that_does_not_parse_pass(project: Path) -> None:
    entry = _warm(project, project / "site-warm")
    data = json.loads(entry.read_text(encoding="utf-8"))
    bad = "f'(x) = x^"
    data["formulas"] += [
        [bad, "inline", "<math><mi>SEEDED</mi></math>"],
        [bad, "block", '<math display="block"><mi>SEEDED</mi></math>'],
    ]
    entry.write_text(json.dumps(data), encoding="utf-8")
    formula = r"formula: 'f''(x) = \lim_{h \to 0} \frac{f(x + h) - f(x)}{h}'"
    with _edited(project, formula, "formula: 'f''(x) = x^'"):
        built = mkdocs_build(project, project / "site-bad-latex")
    assert built.returncode != 0, built.output
    assert "resources.yaml:" in built.output
    assert "a ^ or _ has nothing after it" in built.output
    assert built.output.count(IGNORED) == 1
    assert f"the LaTeX {bad!r} does not parse" in built.output


def test_formulas_read_back_are_sanitised(project: Path) -> None:
    entry = _warm(project, project / "site-formulas")
    data = json.loads(entry.read_text(encoding="utf-8"))
    assert any("lim" in latex for latex, _, _ in data["formulas"])
    # Tampered with, in the shape of a sound cache: each conversion gains a script, handlers,
    # a link and a marker.
    extra = (
        '<script>alert(1)</script><mi onclick="alert(2)" href="javascript:alert(3)">SEEN'
        '</mi><mtext><img src="x" onerror="alert(4)"></mtext></math>'
    )
    data["formulas"] = [
        [latex, display, out.replace("<math ", '<math onload="alert(5)" ', 1)[:-7] + extra]
        for latex, display, out in data["formulas"]
    ]
    entry.write_text(json.dumps(data), encoding="utf-8")
    output = _build(project, project / "site-tampered")
    assert READ_BACK in output
    html = (project / "site-tampered" / DERIVATIVE).read_text(encoding="utf-8")
    assert "<mi>SEEN</mi>" in html  # the formula came from the cache
    for unsafe in ("alert(", "onload", "onclick", "javascript:", "<img"):
        assert unsafe not in html  # and was sanitised all the same


# The cache classes on their own, in process.

MATH = '<math xmlns="http://www.w3.org/1998/Math/MathML" display="inline"><mi>u</mi></math>'
FIRST = ["u_{first}", "inline", MATH]
"""A sound entry, first in each file below: what comes after it decides."""


def _sound(*formulas: object) -> dict[str, object]:
    return {"key": code_digest(), "formulas": list(formulas)}


NOT_A_CACHE = 'it is not an object with a "key" and a list of "formulas"'
NOT_AN_ENTRY = 'formula 2 is not [LaTeX, "inline" or "block", MathML]'
NOT_MATH = "formula 2: its MathML is not a <math> element"
UNSOUND: dict[str, tuple[Callable[[], bytes | object], str]] = {
    "not UTF-8": (lambda: b'\xff\xfe{"key": 1}', "it is not UTF-8 text"),
    "empty": (lambda: b"", "it is not valid JSON (Expecting value at line 1, column 1)"),
    "truncated": (lambda: json.dumps(_sound(FIRST))[:90].encode(), "it is not valid JSON"),
    "nested too deeply": (lambda: b"[" * 100_000 + b"]" * 100_000, "it nests too deeply"),
    "a list": (lambda: [FIRST], NOT_A_CACHE),
    "a string": (lambda: "formulas", NOT_A_CACHE),
    "no key": (lambda: {"formulas": [FIRST]}, NOT_A_CACHE),
    "a key that is not text": (lambda: {"key": 1, "formulas": [FIRST]}, NOT_A_CACHE),
    "formulas in an object": (
        lambda: {"key": code_digest(), "formulas": {"u": FIRST}},
        NOT_A_CACHE,
    ),
    "no formulas": (lambda: {"key": code_digest(), "formulas": None}, NOT_A_CACHE),
    "an object entry": (lambda: _sound(FIRST, {"latex": "x"}), NOT_AN_ENTRY),
    "a string entry": (lambda: _sound(FIRST, "x"), NOT_AN_ENTRY),
    "two items": (lambda: _sound(FIRST, ["x", "inline"]), NOT_AN_ENTRY),
    "four items": (lambda: _sound(FIRST, ["x", "inline", MATH, "x"]), NOT_AN_ENTRY),
    "LaTeX not text": (lambda: _sound(FIRST, [1, "inline", MATH]), NOT_AN_ENTRY),
    "MathML not text": (lambda: _sound(FIRST, ["x", "inline", None]), NOT_AN_ENTRY),
    "another display": (lambda: _sound(FIRST, ["x", "sideways", MATH]), NOT_AN_ENTRY),
    "display not text": (lambda: _sound(FIRST, ["x", True, MATH]), NOT_AN_ENTRY),
    "an element not <math>": (lambda: _sound(FIRST, ["x", "inline", "<mi>x</mi>"]), NOT_MATH),
    "an unclosed <math>": (lambda: _sound(FIRST, ["x", "inline", "<math><mi>x</mi>"]), NOT_MATH),
    "<mathx>": (lambda: _sound(FIRST, ["x", "inline", "<mathx></math>"]), NOT_MATH),
    "a script before": (
        lambda: _sound(FIRST, ["x", "inline", f"<script></script>{MATH}"]),
        NOT_MATH,
    ),
    "a repeated formula": (lambda: _sound(FIRST, FIRST), "formula 2 repeats an earlier one"),
    "LaTeX that does not parse": (
        lambda: _sound(FIRST, ["u_{first}^", "block", MATH]),
        "the LaTeX 'u_{first}^' does not parse",
    ),
    "LaTeX nested past any limit": (
        lambda: _sound(FIRST, ["{" * 5000 + "}" * 5000, "block", MATH]),
        "does not parse",
    ),
}


def _seeded() -> set[tuple[str, str]]:
    return {(latex, display) for latex, display, _ in maths.conversions()}


@pytest.mark.parametrize(("content", "reason"), UNSOUND.values(), ids=UNSOUND)
def test_an_unsound_formula_cache_seeds_nothing(
    tmp_path: Path, content: Callable[[], bytes | object], reason: str
) -> None:
    file = tmp_path / "maths.json"
    made = content()
    file.write_bytes(made if isinstance(made, bytes) else json.dumps(made).encode())
    before = maths.conversions()
    cache = FormulaCache(tmp_path)
    problem = cache.load()
    assert problem is not None
    assert reason in problem
    assert cache.problem == problem
    assert maths.conversions() == before  # not even the sound entries before the bad one
    assert ("u_{first}", "inline") not in _seeded()
    cache.save()  # the next save replaces it, with this code's key and sound entries only
    data = json.loads(file.read_text(encoding="utf-8"))
    assert data["key"] == code_digest()
    assert all(out.startswith("<math ") for _, _, out in data["formulas"])


def test_a_formula_cache_that_cannot_be_read_is_set_aside(tmp_path: Path) -> None:
    (tmp_path / "maths.json").mkdir()
    problem = FormulaCache(tmp_path).load()
    assert problem is not None
    assert problem.startswith("it cannot be read (")


def test_no_formula_cache_or_another_versions_is_not_a_problem(tmp_path: Path) -> None:
    cache = FormulaCache(tmp_path)
    assert cache.load() is None
    assert cache.loaded == 0
    (tmp_path / "maths.json").write_text(
        json.dumps({"key": "another version", "formulas": [["u_{old}", "inline", MATH]]})
    )
    assert cache.load() is None
    assert ("u_{old}", "inline") not in _seeded()


def test_a_sound_formula_cache_is_read_back_and_sanitised_as_if_converted(
    tmp_path: Path,
) -> None:
    tampered = (
        '<math display="{}" onload="alert(1)"><mi onclick="alert(2)" href="javascript:alert(3)" '
        'style="color: red">SEEN</mi><script>alert(4)</script><mtext><img src="x" '
        'onerror="alert(5)"></mtext><a href="javascript:alert(6)">link</a></math>'
    )
    (tmp_path / "maths.json").write_text(
        json.dumps(
            _sound(
                ["t_{read}", "inline", tampered.format("inline")],
                ["t_{read}", "block", tampered.format("block")],
            )
        ),
        encoding="utf-8",
    )
    cache = FormulaCache(tmp_path)
    assert cache.load() is None
    assert cache.loaded == 2
    for display in (False, True):
        out = str(maths.mathml("t_{read}", display=display))
        assert "SEEN" in out  # read back, not converted
        elements = Elements()
        elements.feed(out)
        assert {tag for tag, _ in elements.tags} <= {
            "math",
            "semantics",
            "mi",
            "mtext",
            "annotation",
        }
        assert {name for _, attributes in elements.tags for name in attributes} <= {
            "display",
            "encoding",
        }
        assert "alert(" not in out


def test_a_seed_cannot_make_latex_that_does_not_parse_pass() -> None:
    bad = "r_{seeded} = x^"
    with pytest.raises(ValueError, match=r"the LaTeX 'r_\{seeded\} = x\^' does not parse"):
        maths.seed([("r_{seeded}", "inline", MATH), (bad, "inline", MATH), (bad, "block", MATH)])
    assert maths.latex_problem(bad) == "a ^ or _ has nothing after it"
    assert ("r_{seeded}", "inline") not in _seeded()  # the whole seed is refused
