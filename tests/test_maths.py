"""LaTeX to MathML: what the site renders, what it refuses, and what reaches the page."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from studyguide.markup import markdown_block, markdown_problems
from studyguide.maths import COMMANDS, ENVIRONMENTS, MAX_NESTING, latex_problem, mathml

from .helpers import guide_project, mkdocs_build, studyguide

# Commands that need something after them to be valid LaTeX.
_WITH_ARGUMENT = {
    "frac": r"\frac{a}{b}", "dfrac": r"\dfrac{a}{b}", "tfrac": r"\tfrac{a}{b}",
    "binom": r"\binom{n}{k}", "begin": r"\begin{matrix} a \end{matrix}",
    "end": r"\begin{matrix} a \end{matrix}", "left": r"\left( a \right)",
    "right": r"\left( a \right)", "big": r"\big( a", "Big": r"\Big( a", "bigg": r"\bigg( a",
    "Bigg": r"\Bigg( a", "limits": r"\sum\limits_i a", "nolimits": r"\sum\nolimits_i a",
    "operatorname": r"\operatorname{rank} A", "text": r"\text{if } a",
}  # fmt: skip


def _visible(markup: str) -> str:
    """The text a reader sees: the MathML without its TeX annotation and tags."""
    shown = re.sub(r"<annotation[^>]*>.*?</annotation>", "", markup, flags=re.S)
    return re.sub(r"<[^>]+>", "", shown)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_allowed_command_renders_as_maths_not_as_its_name(name: str) -> None:
    latex = _WITH_ARGUMENT.get(name, rf"\{name}{{x}}")
    assert latex_problem(latex) is None
    shown = _visible(str(mathml(latex)))
    assert "\\" not in shown, f"{latex} shows as {shown!r}"
    if name not in {"tilde", "widetilde"}:  # their accent is a tilde
        assert "~" not in shown


@pytest.mark.parametrize("env", sorted(ENVIRONMENTS))
def test_every_allowed_environment_renders(env: str) -> None:
    latex = rf"\begin{{{env}}} a & b \\ c & d \end{{{env}}}"
    assert latex_problem(latex) is None
    assert "<mtable" in str(mathml(latex))


def test_respelled_commands_keep_what_the_contributor_wrote_in_the_annotation() -> None:
    markup = str(mathml(r"\arg\max_x f(x) \sim \mathcal{N}"))
    assert "\u223c" in markup  # the tilde operator, not a keyboard ~
    assert ">\\arg\\max_x f(x) \\sim \\mathcal{N}</annotation>" in markup


@pytest.mark.parametrize(
    ("latex", "reason"),
    [
        (r"\href{javascript:alert(1)}{x}", r"\href is not a command the site renders"),
        (r"\style{color:red}{x}", r"\style is not a command the site renders"),
        (r"\unicode{x41}", r"\unicode is not a command the site renders"),
        (r"\frac{a}{b", "it ends too early; is a brace left open?"),
        (r"\frac{a}}{b}", "a } has no { before it"),
        (r"x^", "a ^ or _ has nothing after it"),
        (r"\begin{align} a \end{align}", "the environment 'align' is not one the site renders"),
        ("  ", "it is empty"),
    ],
)
def test_latex_the_site_cannot_render_is_refused_with_a_reason(latex: str, reason: str) -> None:
    assert latex_problem(latex) == reason


def test_mathml_keeps_only_maths_elements_and_escapes_the_annotation() -> None:
    markup = str(mathml(r"\text{</annotation><script>alert(1)</script>}"))
    assert "<script" not in markup
    assert "&lt;/annotation&gt;&lt;script&gt;" in markup
    assert not re.search(r"\son\w+=", markup)
    tags = set(re.findall(r"<([a-z]+)", markup))
    assert tags <= {"math", "semantics", "mrow", "mtext", "annotation", "mi", "mo"}


def test_markdown_maths_becomes_mathml_and_a_dollar_can_be_escaped() -> None:
    html = str(markdown_block(r"Costs \$5, and $x^2$ is a square."))
    assert "Costs $5, and " in html
    assert "<msup><mi>x</mi><mn>2</mn></msup>" in html
    assert "$x^2$" not in html


def test_markdown_reports_maths_it_cannot_render() -> None:
    assert markdown_problems(r"The map $\href{x}{y}$ here.") == (
        r"the maths $\href{x}{y}$ cannot be rendered: \href is not a command the site renders",
    )


# ---- a passing check means the formula shows right on the page ----


def test_text_in_maths_keeps_its_angle_brackets_and_ampersands() -> None:
    for latex, shown in ((r"\text{x<y}", "x<y"), (r"\text{a&b<c>}", "a&b<c>")):
        assert latex_problem(latex) is None
        out = str(mathml(latex))
        assert html.unescape(_visible(out)) == shown
        annotation = re.search(r"<annotation[^>]*>(.*?)</annotation>", out, re.S)
        assert annotation
        assert html.unescape(annotation.group(1)) == latex


@pytest.mark.parametrize("escape", list("!#$%&,:;>_{|} \\"))
def test_escapes_latex2mathml_renders_show_no_backslash(escape: str) -> None:
    latex = f"a \\{escape} b"
    assert latex_problem(latex) is None
    assert "\\" not in _visible(str(mathml(latex)))


@pytest.mark.parametrize("escape", list("<=*+-./?@()[]^`~'\""))
def test_escapes_that_would_print_a_backslash_are_refused(escape: str) -> None:
    assert latex_problem(f"a \\{escape} b") == f"\\{escape} is not a command the site renders"


def test_formulas_nested_past_what_a_build_can_convert_are_refused() -> None:
    assert latex_problem("{" * 970 + "x" + "}" * 970) == (
        f"it nests more than {MAX_NESTING} deep; split it into smaller formulas"
    )
    assert latex_problem("{" * MAX_NESTING + "x" + "}" * MAX_NESTING) is None
    assert latex_problem(r"\sqrt " * 900 + "x") == (
        "it nests too deeply; split it into smaller formulas"
    )


def _deepest_accepted(unit: str) -> int:
    low, high = 1, 1000  # accepted at low, refused at high
    assert latex_problem(unit * low + "x") is None
    assert latex_problem(unit * high + "x")
    while high - low > 1:
        mid = (low + high) // 2
        low, high = (mid, high) if latex_problem(unit * mid + "x") is None else (low, mid)
    return low


def test_the_deepest_formula_check_accepts_builds(tmp_path: Path) -> None:
    deepest = {unit: _deepest_accepted(unit) for unit in (r"\sqrt ", r"\frac 1 ", r"\hat ")}
    project = guide_project(tmp_path / "project")
    catalogue = project / "resources.yaml"
    formulas = [unit * depth + "x" for unit, depth in deepest.items()] + [
        "{" * MAX_NESTING + "x" + "}" * MAX_NESTING
    ]
    used_in = " ".join(f"${f}$" for f in formulas)
    text = catalogue.read_text(encoding="utf-8").replace(
        "used_in: Every layer multiplies its input by a weight matrix. Shapes must agree.",
        f"used_in: '{used_in}'\n    formula: '{formulas[0]}'",
    )
    catalogue.write_text(text, encoding="utf-8")
    checked = studyguide("check", cwd=project)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    result = mkdocs_build(project)
    assert result.returncode == 0, result.output
    page = (result.site / "concepts" / "matrix-product" / "index.html").read_text("utf-8")
    assert page.count("<math") == len(formulas) + 1, deepest


def test_dollars_in_code_stay_dollars_and_are_not_checked_as_maths() -> None:
    text = "Costs `$5 and $6` each, and `$\\foo$` too; $x$ is maths."
    assert markdown_problems(text) == ()
    out = str(markdown_block(text))
    assert "<code>$5 and $6</code>" in out
    assert "<code>$\\foo$</code>" in out
    assert out.count("<math") == 1


def test_a_brace_inside_text_is_refused_since_it_would_cut_the_text_short() -> None:
    assert latex_problem(r"\text{a{b{<i>}}}") == (
        "\\text{...} holds a brace, which it would show cut short; leave braces out of it"
    )
    assert latex_problem(r"\text{if } x > 0") is None
