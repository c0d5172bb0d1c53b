"""`studyguide init`: a new guide that checks and builds straight away, and never overwrites."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from studyguide.cli import cli
from studyguide.markup import html_text
from studyguide.validate import load_catalogue

from .helpers import mkdocs_build, parse, studyguide

# Builds in a subprocess or runs long: `make quick` leaves it out.
pytestmark = pytest.mark.slow


def test_a_new_guide_checks_and_builds_at_once(tmp_path: Path) -> None:
    guide = tmp_path / "stats"
    done = studyguide(
        "init", str(guide), "--title", 'Statistics: a "gentle" guide',
        "--topic", "Descriptive statistics", "--topic", "Inference & tests", cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f"wrote {guide / 'mkdocs.yml'}" in done.stderr
    checked = studyguide("check", cwd=guide)
    assert checked.returncode == 0, checked.stderr
    assert "ok: 4 resources, 2 topics, 2 tracks, 0 concepts" in checked.stderr
    built = mkdocs_build(guide)
    assert built.returncode == 0, built.output
    home = (built.site / "index.html").read_text(encoding="utf-8")
    assert "Statistics&#58; a &#34;gentle&#34; guide" in home
    track = (built.site / "tracks" / "start" / "index.html").read_text(encoding="utf-8")
    assert "EXAMPLE&#58; a first look at Inference" in track
    # "Not sure?" quotes the tagline in the author's own case, not "eXAMPLE".
    assert "EXAMPLE&#58; the shortest path to the main ideas" in home
    assert (built.site / "topics" / "inference-tests" / "index.html").is_file()
    readme = (guide / "README.md").read_text(encoding="utf-8")
    assert "studyguide check" in readme
    assert "mkdocs serve" in readme


def test_init_asks_on_a_terminal_for_title_and_topics(tmp_path: Path) -> None:
    guide = tmp_path / "asked"
    command = [sys.executable, "-m", "studyguide", "init", str(guide), "--interactive"]
    done = subprocess.run(
        command, input="Optics\nRays, Waves, Photons\n", capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "Title of the guide" in done.stdout
    checked = studyguide("check", cwd=guide)
    assert "ok: 6 resources, 3 topics, 2 tracks" in checked.stderr, checked.stderr
    assert 'site_name: "Optics"' in (guide / "mkdocs.yml").read_text(encoding="utf-8")


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    done = studyguide("init", str(tmp_path), "--title", "X", cwd=tmp_path)
    assert done.returncode == 1
    assert f"Error: {tmp_path}: is not empty; use --force" in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_init_force_adds_files_but_never_overwrites(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    done = studyguide("init", str(tmp_path), "--title", "X", "--force", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "resources.yaml").is_file()
    again = studyguide("init", str(tmp_path), "--title", "Y", "--force", cwd=tmp_path)
    assert again.returncode == 1
    assert "would overwrite" in again.stderr
    assert "nothing was written" in again.stderr
    assert 'site_name: "X"' in (tmp_path / "mkdocs.yml").read_text(encoding="utf-8")


def test_init_names_topics_it_cannot_use(tmp_path: Path) -> None:
    done = studyguide("init", str(tmp_path / "g"), "--topic", "A b", "--topic", "a-B", cwd=tmp_path)
    assert done.returncode == 1
    assert "two have the id 'a-b'" in done.stderr
    done = studyguide("init", str(tmp_path / "g"), "--topic", "???", cwd=tmp_path)
    assert "topic '???': use letters or digits, on one line" in done.stderr
    assert not (tmp_path / "g").exists()


# ---- issue 15: links in the folder, names that YAML or the site would misread, HTML titles ----


@pytest.mark.parametrize(
    ("link", "is_dir"), [("mkdocs.yml", False), ("docs", True), ("tracks", True)]
)
def test_init_force_never_writes_through_a_symbolic_link(
    tmp_path: Path, link: str, is_dir: bool
) -> None:
    """A link in the folder, dangling (mkdocs.yml) or to a folder elsewhere (docs, tracks), is
    refused by name before anything is written: nothing lands outside the folder."""
    guide, outside = tmp_path / "guide", tmp_path / "outside"
    guide.mkdir()
    outside.mkdir()
    (guide / link).symlink_to(outside if is_dir else outside / "evil.yml", is_dir)
    done = studyguide("init", str(guide), "--title", "X", "--force", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr == (
        f"Error: {guide / link}: is a symbolic link; init writes only real files inside "
        f"{guide}, never through a link; nothing was written\n"
    )
    assert list(outside.iterdir()) == []
    assert [p.name for p in guide.iterdir()] == [link]


def init(folder: Path, title: str, *topics: str):
    args = ["init", str(folder), "--no-interactive", "--title", title]
    return CliRunner().invoke(cli, args + [a for t in topics for a in ("--topic", t)])


def check(guide: Path):
    args = ["check", str(guide / "resources.yaml"), "--tracks", str(guide / "tracks")]
    return CliRunner().invoke(cli, args)


@pytest.mark.parametrize(
    ("name", "tid"),
    [("No", "no"), ("2024", "2024"), ("Index", "topic-index"), ("Res publica", "topic-res-publica"),
     ("Straße", "strasse"), ("代数", "topic-1")],
)  # fmt: skip
def test_topic_names_yaml_would_misread_or_the_site_keeps_make_valid_ids(
    tmp_path: Path, name: str, tid: str
) -> None:
    """`No` and `2024` are written quoted (YAML would read a boolean and a number); `index` is
    the site's own page name: the guide still passes its check, with the name as written."""
    done = init(tmp_path / "g", "Guide", name, "Basics")
    assert done.exit_code == 0, done.output
    checked = check(tmp_path / "g")
    assert checked.exit_code == 0, checked.output
    assert "ok: 4 resources, 2 topics, 2 tracks, 0 concepts" in checked.output
    topics = load_catalogue(tmp_path / "g" / "resources.yaml", tmp_path / "g" / "tracks").topics
    assert [(t.id, t.title) for t in topics] == [(tid, name), ("basics", "Basics")]


@pytest.mark.parametrize(
    ("title", "topic", "message"),
    [
        ("Guide\u2028two", "Basics",
         "title 'Guide\\u2028two': contains '\\u2028' (LINE SEPARATOR)"),
        ("Guide\x85two", "Basics", "title 'Guide\\x85two': contains '\\x85' (U+0085)"),
        ("Guide\x80two", "Basics", "title 'Guide\\x80two': contains '\\x80' (U+0080)"),
        ("Guide", "Alg\u200febra",
         "topic 'Alg\\u200febra': contains '\\u200f' (RIGHT-TO-LEFT MARK)"),
    ],
)  # fmt: skip
def test_init_refuses_a_name_with_a_line_break_control_or_direction_mark(
    tmp_path: Path, title: str, topic: str, message: str
) -> None:
    """Such a name could not make a valid guide (the catalogue refuses these characters, and
    YAML reads U+2028 and U+0085 as line breaks): refused in one line naming it, and nothing
    is written."""
    done = init(tmp_path / "g", title, topic)
    assert done.exit_code == 1
    assert done.output == (
        f"Error: {message}; write it on one line, without control characters or "
        "text-direction marks\n"
    )
    assert not (tmp_path / "g").exists()


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text = ""
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False

    def handle_data(self, data: str) -> None:
        self.text += data
        self.title += data if self._in_title else ""


def text_of(path: Path) -> _Text:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_an_html_title_shows_as_text_and_never_runs_in_the_built_site(tmp_path: Path) -> None:
    """A real `mkdocs build --strict` of a guide named with HTML that breaks out of an attribute
    and adds an element: no page has that element or any event-handler attribute, and the
    title shows as written in the header, the page titles, the home page and About."""
    guide, title = tmp_path / "g", '"><img src=x onerror=alert(1)>'
    done = studyguide(
        "init", str(guide), "--no-interactive", "--title", title, "--topic", "No, 2024, Index",
        cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    checked = studyguide("check", cwd=guide)
    assert "ok: 6 resources, 3 topics, 2 tracks, 0 concepts" in checked.stderr, checked.stderr
    built = mkdocs_build(guide)
    assert built.returncode == 0, built.output
    pages = sorted(built.site.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        for tag, attrs in parse(page).tags:
            assert tag != "img", page
            assert not [a for a in attrs if a.startswith("on")], (page, tag, attrs)
            assert not attrs.get("href", "").lower().startswith("javascript:"), page
    about = text_of(built.site / "about" / "index.html")
    assert about.title == f"About - {title}"
    assert f"who made {title}, and how" in about.text
    home = text_of(built.site / "index.html")
    assert home.text.count(title) >= 2  # the site's name in the header, and the big heading
    for tid in ("no", "2024", "topic-index"):
        assert text_of(built.site / "topics" / tid / "index.html").title.endswith(f" - {title}")
    for written in ("README.md", "docs/about.md"):
        assert "<img" not in (guide / written).read_text(encoding="utf-8")


# Characters and words that YAML, MkDocs, Markdown or HTML read as something of their own,
# which a guide can be named with; and characters that no name may hold (line breaks, controls,
# text-direction marks, what YAML or UTF-8 cannot hold).
_SYNTAX = st.sampled_from(
    [
        *"\"'<>&#:[]{}!|*-?%@`,\\ =$^~\xa0\u3000\ufeff",
        *(
            "No",
            "2024",
            "Index",
            "Route",
            "res",
            "true",
            "null",
            "...",
            "---",
            "é",
            "ß",
            "代数",
            "🚀",
        ),
    ]
)
_REFUSED = st.sampled_from(
    list("\u2028\u2029\x85\x80\x9f\u200e\u200f\u202e\u2066\ufffe\udc80\t\r\n\x00\x1b")
)
_PRINTABLE = st.characters(exclude_categories=["Cc", "Cf", "Cs", "Zl", "Zp"])
_FINE = st.one_of(_PRINTABLE, _SYNTAX, _SYNTAX)
_NAMES = st.one_of(
    st.lists(_FINE, max_size=10).map("".join),
    st.lists(_FINE, max_size=10).map("".join),
    st.lists(st.one_of(_FINE, st.characters(), _REFUSED), max_size=10).map("".join),
)
PROPERTY = settings(
    max_examples=120,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)


@given(title=_NAMES, topics=st.lists(_NAMES, min_size=1, max_size=3))
@PROPERTY
@example(title="Guide\u2028two", topics=["Basics"])
@example(title="Guide\x85two", topics=["Basics"])
@example(title="Guide\x80two", topics=["Basics"])
@example(title="Guide", topics=["No", "2024", "Index"])
@example(title="Guide", topics=["Alg\u200febra"])
@example(title='"><img src=x onerror=alert(1)>', topics=["<b>x</b>", "[a](javascript:b)"])
def test_init_writes_a_guide_that_passes_check_or_refuses_in_one_line(
    title: str, topics: list[str]
) -> None:
    """Whatever the title and topic names: init writes a guide that passes `studyguide check`,
    whose mkdocs.yml and topics give back the names as written, or it writes nothing and says
    why in one line that names the value."""
    with tempfile.TemporaryDirectory() as tmp:
        guide = Path(tmp) / "guide"
        done = init(guide, title, *topics)
        names = [part.strip() for t in topics for part in t.split(",") if part.strip()]
        if done.exit_code != 0:
            assert done.exit_code == 1, done.output
            assert isinstance(done.exception, SystemExit), done.output  # not a crash
            assert done.output.startswith("Error: ")
            assert done.output.count("\n") == 1
            assert any(repr(value) in done.output for value in [title.strip(), *names])
            assert not guide.exists()
            return
        checked = check(guide)
        assert checked.exit_code == 0, checked.output
        assert "ok: " in checked.output
        config = yaml.safe_load((guide / "mkdocs.yml").read_text(encoding="utf-8"))
        assert config["site_name"] == html_text(title.strip())
        assert config["plugins"][2]["studyguide"]["home"]["heading"] == title.strip()
        topics_read = load_catalogue(guide / "resources.yaml", guide / "tracks").topics
        assert [t.title for t in topics_read] == (names or ["Basics", "Next steps"])
        for written in ("README.md", "docs/about.md"):
            assert "<" not in (guide / written).read_text(encoding="utf-8")


def test_the_data_files_name_their_json_schema_for_editors(tmp_path: Path) -> None:
    guide = tmp_path / "g"
    done = studyguide("init", str(guide), "--title", "G", "--topic", "Sets", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    for data, schema in [
        ("resources.yaml", "schema/resources.schema.json"),
        ("tracks/start.yaml", "../schema/track.schema.json"),
        ("tracks/deep.yaml", "../schema/track.schema.json"),
    ]:
        first = (guide / data).read_text(encoding="utf-8").splitlines()[0]
        assert first == f"# yaml-language-server: $schema={schema}"
        written = (guide / data).parent / schema
        flag = ["--track"] if data.startswith("tracks/") else []
        printed = studyguide("schema", *flag, cwd=guide)
        assert written.read_text(encoding="utf-8") == printed.stdout
        jsonschema.validate(yaml.safe_load((guide / data).read_text()), json.loads(printed.stdout))
