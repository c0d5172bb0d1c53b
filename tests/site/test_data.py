"""This site's data files: the catalogue and tracks check clean, match the JSON Schema, and
point editors at the committed schema copies, which are up to date."""

from __future__ import annotations

import re
from pathlib import Path

import jsonschema
import pytest

from studyguide.schema import catalogue_json_schema, track_json_schema

from ..helpers import ROOT, studyguide
from ..test_schema import plain

# Builds in a subprocess or runs long: `make quick` leaves it out.
pytestmark = pytest.mark.slow


def test_check_accepts_the_shipped_catalogue() -> None:
    done = studyguide("check", cwd=ROOT)
    assert done.returncode == 0, done.stderr
    summary = re.search(
        r"resources\.yaml: ok: (\d+) resources, 5 topics, 3 tracks, (\d+) con", done.stderr
    )
    assert summary, done.stderr
    assert int(summary.group(2)) >= 50, "the flagship guide explains its concepts"


@pytest.mark.parametrize(
    ("args", "copy"),
    [((), "resources.schema.json"), (("--track",), "track.schema.json")],
)
def test_schema_command_matches_the_committed_editor_copy(
    tmp_path: Path, args: tuple[str, ...], copy: str
) -> None:
    done = studyguide("schema", *args, cwd=tmp_path)
    assert done.returncode == 0
    committed = (ROOT / "schema" / copy).read_text(encoding="utf-8")
    assert done.stdout == committed, f"run `make schema` to refresh schema/{copy}"


def test_track_files_point_at_their_schema() -> None:
    for track in sorted((ROOT / "tracks").glob("*.yaml")):
        first = track.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../schema/track.schema.json", track


def test_modeline_points_at_the_schema() -> None:
    first = (ROOT / "resources.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=schema/resources.schema.json"
    assert (ROOT / "schema" / "resources.schema.json").is_file()


def test_json_schema_accepts_the_shipped_catalogue_and_tracks() -> None:
    jsonschema.Draft202012Validator.check_schema(catalogue_json_schema())
    jsonschema.validate(plain(ROOT / "resources.yaml"), catalogue_json_schema())
    for track in sorted((ROOT / "tracks").glob("*.yaml")):
        jsonschema.validate(plain(track), track_json_schema())
