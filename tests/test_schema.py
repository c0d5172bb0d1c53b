"""The one declaration drives validation, the JSON Schema, the model and the docs."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from studyguide.model import Resource, Topic, Track
from studyguide.schema import RESOURCE, TOPIC, TRACK, catalogue_json_schema

from .helpers import ROOT


def plain(path: Path) -> Any:
    # JSON Schema sees JSON: dates as strings, as an editor's language server does.
    return json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))


@pytest.mark.parametrize(
    ("model", "record"), [(Topic, TOPIC), (Resource, RESOURCE), (Track, TRACK)]
)
def test_model_fields_mirror_the_schema(model: type, record: Any) -> None:
    fields = {f.name for f in dataclasses.fields(model)} - {"loc", "locs"}
    assert fields == set(record.field_names())


def test_json_schema_rejects_what_the_validator_rejects() -> None:
    data = plain(ROOT / "resources.yaml")
    data["resources"][0]["format"] = "vidoe"
    data["resources"][1]["colour"] = "blue"
    data["resources"][2]["effort_hours"] = 0
    errors = list(jsonschema.Draft202012Validator(catalogue_json_schema()).iter_errors(data))
    found = sorted(e.message for e in errors)
    assert any("'vidoe' is not one of" in m for m in found)
    assert any("'colour' was unexpected" in m for m in found)
    assert any("0 is less than or equal to the minimum of 0" in m for m in found)


def test_every_field_is_documented() -> None:
    for record in (TOPIC, RESOURCE, TRACK):
        for field in record.fields:
            assert field.doc.strip(), f"{record.name}.{field.name} has no doc"
            schema = record.json_schema()["properties"][field.name]
            assert schema["description"] == field.doc
