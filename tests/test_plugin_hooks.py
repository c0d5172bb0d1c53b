"""The plugin's hooks on a synthetic set of files, as MkDocs hands them over, against golden
outputs: which files it adds (with their URLs, nav inclusion and edit links), the nav it
writes, or the error it gives. One folder per behaviour under tests/cases/plugin/; each has
`options.yml` (the plugin's options) and `docs.txt` (the site's hand-written files).
UPDATE_GOLDEN=1 rewrites `expected.json`."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from .helpers import guide_project

CASES = Path(__file__).parent / "cases" / "plugin"


def _hooks(case: Path, project: Path, caplog: pytest.LogCaptureFixture) -> dict[str, Any]:
    options = (case / "options.yml").read_text(encoding="utf-8").strip()
    guide_project(project, options)
    (project / "docs" / "about.md").unlink()
    config = load_config(str(project / "mkdocs.yml"))
    config = config.plugins.on_config(config)
    hand_written = (case / "docs.txt").read_text(encoding="utf-8").split()
    files = Files(
        [File(uri, config.docs_dir, config.site_dir, config.use_directory_urls)
         for uri in hand_written]
    )  # fmt: skip
    try:
        files = config.plugins.on_files(files, config=config)
    except PluginError as error:
        errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
        return {"error": str(error), "messages": errors}
    return {
        "nav": config.nav,
        "files": [
            {
                "src": f.src_uri,
                "url": f.url,
                "inclusion": f.inclusion.name,
                "edit": f.edit_uri if f.generated_by else None,
            }
            for f in sorted(files, key=lambda f: f.src_uri)
            if not f.src_uri.startswith("assets/")  # the shipped assets, tested on their own
        ],
        "assets": sorted(f.src_uri for f in files if f.src_uri.startswith("assets/")),
    }


@pytest.mark.parametrize("name", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_hooks_match_the_golden_output(
    name: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    case = CASES / name
    result = _hooks(case, tmp_path / "project", caplog)
    text = json.dumps(result, indent=2, ensure_ascii=False).replace(str(tmp_path), "TMP") + "\n"
    expected = case / "expected.json"
    if os.environ.get("UPDATE_GOLDEN"):
        expected.write_text(text, encoding="utf-8")
    assert text == expected.read_text(encoding="utf-8")
