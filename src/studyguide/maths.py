"""LaTeX to MathML at build time: no maths script runs in the page, nothing comes from a CDN.

latex2mathml converts; this module decides what may be converted. Contributor LaTeX is
checked against a list of commands the site renders (an unknown one would show as text, and
`\\href`, `\\style` or `\\unicode` would carry links, styles or broken entities), and the MathML
that comes out is sanitised to MathML elements and harmless attributes only. Each formula
carries its LaTeX as an annotation, for screen readers and for copying.
"""

from __future__ import annotations

import contextlib
import functools
import html
import re
import secrets
import sys
from collections.abc import Callable, Iterator
from types import FrameType

import nh3
from latex2mathml.converter import convert
from markupsafe import Markup

GREEK = (
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu "
    "xi pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma Delta "
    "Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega"
)
COMMANDS = frozenset(
    (
        GREEK + " frac dfrac tfrac sqrt binom sum prod int iint oint lim limsup liminf log ln "
        "exp max min sup inf arg det dim ker sin cos tan tanh sinh cosh sgn partial nabla "
        "infty cdot cdots ldots dots vdots ddots times div pm mp le leq ge geq ne neq approx "
        "sim simeq cong propto equiv in notin ni subset subseteq supset supseteq cup cap "
        "setminus emptyset varnothing forall exists neg lnot land lor to gets rightarrow "
        "leftarrow Rightarrow Leftarrow leftrightarrow iff implies mapsto mid parallel perp "
        "circ odot otimes oplus ast star top intercal prime ell hbar Re Im lVert rVert lvert "
        "rvert langle rangle lfloor rfloor lceil rceil left right big Big bigg Bigg mathbf "
        "mathrm mathbb mathcal mathit mathsf boldsymbol operatorname hat bar tilde vec dot "
        "ddot overline underline widehat widetilde text quad qquad begin end colon ll gg "
        "displaystyle textstyle limits nolimits triangleq coloneqq"
    ).split()
)
ENVIRONMENTS = frozenset(["matrix", "pmatrix", "bmatrix", "vmatrix", "Vmatrix", "cases"])
# Commands latex2mathml would print as their own name, or as a keyboard tilde, spelled in
# ones it renders; the annotation keeps what the contributor wrote.
_RESPELL = {"arg": r"\mathrm{arg}", "sgn": r"\mathrm{sgn}", "sim": r"\thicksim"}
_COMMAND = re.compile(r"\\([A-Za-z]+|.)")
# Braces that group, not the escaped \{ and \} that print; latex2mathml lets an open one pass.
_BRACE = re.compile(r"(?<!\\)[{}]")
# Escapes latex2mathml renders (the others print a stray backslash): spaces, \\, braces, \|
# and the characters LaTeX reserves.
ESCAPES = frozenset("!#$%&,:;>\\_{|} ")
# \text{...} with its braced content (one level of inner braces).
_TEXT_MODE = re.compile(r"\\text\s*\{")
MAX_NESTING = 40
"""How deep braces and \\left may nest in one formula."""
_CONVERT_FRAMES = 400
_ENVIRONMENT = re.compile(r"\\(?:begin|end)\s*\{([^}]*)\}")
# Inline maths: $...$ on one paragraph, not a \$; a lone dollar is written \$.
INLINE = re.compile(r"(?<!\\)\$((?:[^$\\\n]|\\.|\n(?!\s*\n))+?)\$")

_TAGS = {
    "math", "mrow", "mi", "mo", "mn", "ms", "mtext", "mspace", "msup", "msub", "msubsup",
    "mfrac", "msqrt", "mroot", "mover", "munder", "munderover", "mtable", "mtr", "mtd",
    "mstyle", "mpadded", "mphantom", "menclose", "semantics", "annotation",
}  # fmt: skip
_ATTRIBUTES = {
    "math": {"display"},
    "mi": {"mathvariant"},
    "mo": {"stretchy", "fence", "separator", "lspace", "rspace", "form", "largeop",
           "movablelimits", "accent", "minsize", "maxsize", "symmetric"},
    "mfrac": {"linethickness"},
    "mover": {"accent"},
    "munder": {"accentunder"},
    "mstyle": {"displaystyle", "scriptlevel"},
    "mspace": {"width"},
    "mpadded": {"width", "lspace"},
    "mtable": {"columnalign", "rowspacing", "columnspacing"},
    "mtd": {"columnalign"},
    "annotation": {"encoding"},
}  # fmt: skip


# latex2mathml's complaints, in words a contributor can act on.
_REASONS = {
    "NoAvailableTokensError": "it ends too early; is a brace left open?",
    "MissingSuperScriptOrSubscriptError": "a ^ or _ has nothing after it",
    "DoubleSuperscriptsError": "two superscripts in a row; group them in braces",
    "DoubleSubscriptsError": "two subscripts in a row; group them in braces",
    "ExtraLeftOrMissingRightError": "a \\left has no matching \\right",
    "MissingEndError": "a \\begin has no matching \\end",
    "NumeratorNotFoundError": "a fraction has no numerator",
    "DenominatorNotFoundError": "a fraction has no denominator",
    "LimitsMustFollowMathOperatorError": "\\limits must follow an operator such as \\sum",
}


class LatexError(ValueError):
    """LaTeX the site cannot render; the message says why, for the contributor."""


def _respelled(latex: str) -> str:
    return _escaped_text(_COMMAND.sub(lambda m: _RESPELL.get(m.group(1), m.group(0)), latex))


def _text_spans(latex: str) -> list[tuple[int, int]]:
    """Where the text of each \\text{...} starts and ends, at any depth of braces."""
    spans: list[tuple[int, int]] = []
    for m in _TEXT_MODE.finditer(latex):
        if spans and m.start() < spans[-1][1]:
            continue  # inside the text of an earlier \text
        depth, i = 1, m.end()
        while i < len(latex) and depth:
            if latex[i] == "\\":
                i += 2
                continue
            depth += {"{": 1, "}": -1}.get(latex[i], 0)
            i += 1
        spans.append((m.end(), i - 1 if depth == 0 else len(latex)))
    return spans


def _escaped_text(latex: str) -> str:
    """`latex` with what \\text{...} holds HTML-escaped: latex2mathml copies it into <mtext>
    as it stands, where "x<y" would open a tag."""
    out, last = [], 0
    for start, end in _text_spans(latex):
        out += [latex[last:start], html.escape(latex[start:end], quote=False)]
        last = end
    out.append(latex[last:])
    return "".join(out)


@contextlib.contextmanager
def _stack_budget(frames: int) -> Iterator[None]:
    """Let what runs inside use at most `frames` more stack frames than the caller has. A
    formula that converts within the budget here converts too when MkDocs calls the same code
    from much deeper down (the default limit is 1000 frames)."""
    depth = _depth()
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(min(previous, depth + frames))
    try:
        yield
    finally:
        sys.setrecursionlimit(previous)


def _depth() -> int:
    frame: FrameType | None = sys._getframe()
    count = 0
    while frame is not None:
        count += 1
        frame = frame.f_back
    return count


# Validation and every page that shows a formula ask for the same conversion; a build can
# also start from the conversions of the last one (`seed`, from the plugin's cache).
_CONVERTED: dict[tuple[str, str], str] = {}


def _converted(latex: str, display: str) -> str:
    key = (latex, display)
    found = _CONVERTED.get(key)
    if found is None:
        found = _CONVERTED[key] = str(convert(_respelled(latex), display=display))
    return found


def conversions() -> list[tuple[str, str, str]]:
    """Every conversion made or seeded so far: (LaTeX, "inline" or "block", MathML)."""
    return [(latex, display, out) for (latex, display), out in _CONVERTED.items()]


def seed(known: list[tuple[str, str, str]]) -> None:
    """Conversions from an earlier build of the same code, read back from a file anyone may
    have edited. What `mathml` returns is sanitised after this, whatever the seed held.

    `latex_problem` takes a conversion it finds as proof that LaTeX parses, so each LaTeX is
    parsed here first, by latex2mathml's walker (which raises all of its syntax errors, at
    two fifths of the cost of a conversion). ValueError refuses the whole seed if one fails:
    a build never writes such an entry, so whoever did may have written the others too."""
    from latex2mathml.walker import walk  # the parser alone; `convert` runs it, then builds

    for latex, _, _ in known:
        try:
            walk(_respelled(latex))
        except Exception:  # as in latex_problem: every kind means "malformed"
            shown = latex if len(latex) <= 40 else f"{latex[:40]}..."
            raise ValueError(f"the LaTeX {shown!r} does not parse") from None
    for latex, display, out in known:
        _CONVERTED.setdefault((latex, display), out)


@functools.lru_cache(maxsize=8192)
def latex_problem(latex: str) -> str | None:
    """Why `latex` cannot become MathML on a page, or None."""
    if not latex.strip():
        return "it is empty"
    for match in _COMMAND.finditer(latex):
        name = match.group(1)
        if name.isalpha() and name not in COMMANDS:
            return f"\\{name} is not a command the site renders"
        if not name.isalpha() and name not in ESCAPES:
            return f"\\{name} is not a command the site renders"
    depth = deepest = 0
    for match in _BRACE.finditer(latex):
        depth += 1 if match.group() == "{" else -1
        deepest = max(deepest, depth)
        if depth < 0:
            return "a } has no { before it"
    if depth:
        return "it ends too early; is a brace left open?"
    if any(set(latex[a:b]) & set("{}") for a, b in _text_spans(latex)):
        return "\\text{...} holds a brace, which it would show cut short; leave braces out of it"
    if deepest > MAX_NESTING or latex.count("\\left") > MAX_NESTING:
        return f"it nests more than {MAX_NESTING} deep; split it into smaller formulas"
    for env in _ENVIRONMENT.findall(latex):
        if env.strip() not in ENVIRONMENTS:
            return f"the environment {env!r} is not one the site renders"
    try:
        with _stack_budget(_CONVERT_FRAMES):
            _converted(latex, "inline")
    except RecursionError:
        return "it nests too deeply; split it into smaller formulas"
    except Exception as error:  # latex2mathml raises many kinds, all meaning "malformed"
        return _REASONS.get(type(error).__name__, "it does not parse as LaTeX")
    return None


def mathml(latex: str, display: bool = False) -> Markup:
    """`latex` as sanitised MathML with its source as an annotation. LatexError if it cannot
    be converted (validation reports that with a location, before any page is rendered)."""
    problem = latex_problem(latex)
    if problem:
        raise LatexError(problem)
    converted = _converted(latex, "block" if display else "inline")
    # Wrap the content in <semantics> with the TeX source, inside the <math> element.
    opening, _, rest = converted.partition(">")
    inner = rest.removesuffix("</math>")
    annotated = (
        f"{opening}><semantics>{inner}"
        f'<annotation encoding="application/x-tex">{html.escape(latex)}</annotation>'
        "</semantics></math>"
    )
    return Markup(
        nh3.clean(annotated, tags=set(_TAGS), attributes=_ATTRIBUTES, strip_comments=True)
    )


# In HTML that Markdown or nh3 wrote: a whole tag (its quoted attribute values may hold < and >).
HTML_TAG = r'<[^<>"]*(?:"[^"]*"[^<>"]*)*>'
_HELD = r"sgmath([0-9a-f]{8})n(\d+)x"
_TAG_OR_HELD = re.compile(rf"({HTML_TAG})|{_HELD}")
_HELD_RE = re.compile(_HELD)
_CODE_TAG = re.compile(r"</?code[\s>]")


def split_maths(
    source: str,
) -> tuple[str, list[str], Callable[[str], str], Callable[[str], list[int]]]:
    """`source` with each $...$ replaced by a placeholder that Markdown leaves alone; the LaTeX
    of each; a function that puts the MathML back into rendered HTML; and one that names the
    formulas which show as maths in that HTML. A placeholder inside a tag (a link's address)
    gets its $...$ back as written: MathML there would be markup inside an attribute."""
    nonce = secrets.token_hex(4)
    found: list[str] = []

    def hold(match: re.Match[str]) -> str:
        found.append(match.group(1))
        return f"sgmath{nonce}n{len(found) - 1}x"

    # Markdown keeps the backslash of \$, so the escape is undone here, once maths is held.
    text = INLINE.sub(hold, source).replace("\\$", "$")

    def mine(m: re.Match[str], group: int) -> str | None:
        """The LaTeX a placeholder of this call holds (another's is text as it stands)."""
        return found[int(m.group(group + 1))] if m.group(group) == nonce else None

    def as_written(m: re.Match[str]) -> str:
        latex = mine(m, 1)
        return m.group() if latex is None else html.escape(f"${latex}$")

    def walk(rendered: str) -> Iterator[tuple[re.Match[str], bool]]:
        """Each tag or placeholder, and whether it sits inside <code> (where $ is a dollar)."""
        code = 0
        for m in _TAG_OR_HELD.finditer(rendered):
            tag = m.group(1)
            if tag is not None and _CODE_TAG.match(tag):
                code += -1 if tag.startswith("</") else 1
            yield m, code > 0

    def restore(rendered: str) -> str:
        out, last = [], 0
        for m, in_code in walk(rendered):
            out.append(rendered[last : m.start()])
            last = m.end()
            if m.group(1) is not None:
                out.append(_HELD_RE.sub(as_written, m.group(1)))
                continue
            latex = mine(m, 2)
            if latex is None:
                out.append(m.group())
            else:
                out.append(html.escape(f"${latex}$") if in_code else str(mathml(latex)))
        out.append(rendered[last:])
        return "".join(out)

    def shown(rendered: str) -> list[int]:
        return [
            int(m.group(3))
            for m, in_code in walk(rendered)
            if m.group(1) is None and m.group(2) == nonce and not in_code
        ]

    return text, found, restore, shown
