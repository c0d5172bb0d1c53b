"""CI, deploy and link-check workflows, and pre-commit hooks: they parse and call real targets."""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from .helpers import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def make_targets() -> set[str]:
    # Ask make itself, so that targets defined any way are found.
    done = subprocess.run(
        ["make", "-C", str(ROOT), "-pRrq", "--no-print-directory", "BOOTSTRAP="],
        capture_output=True,
        text=True,
        check=False,
    )
    return set(re.findall(r"^([a-z][a-z-]*):", done.stdout, re.M))


def triggers(workflow: dict[Any, Any]) -> dict[str, Any]:
    # PyYAML reads the key `on` as the boolean True (YAML 1.1).
    on = workflow.get("on", workflow.get(True))
    if isinstance(on, str):
        return {on: None}
    assert isinstance(on, dict)
    return on


def make_calls(text: str) -> list[str]:
    calls = []
    for line in text.splitlines():
        words = shlex.split(line, comments=True) if "make" in line else []
        if words and words[0] == "make":
            calls += [w for w in words[1:] if not w.startswith("-") and "=" not in w]
    return calls


def load(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def steps(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def test_there_are_the_three_workflows() -> None:
    assert [p.name for p in WORKFLOWS] == ["ci.yml", "deploy.yml", "links.yml"]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflows_call_make_targets_that_exist(path: Path) -> None:
    targets = make_targets()
    calls = [call for step in steps(load(path)) for call in make_calls(step.get("run", ""))]
    assert calls, f"{path.name} runs no make target"
    assert set(calls) <= targets, f"{path.name}: unknown targets {set(calls) - targets}"


def test_ci_runs_the_readme_test_command_on_pull_requests_on_each_python() -> None:
    ci = load(ROOT / ".github" / "workflows" / "ci.yml")
    assert "pull_request" in triggers(ci)
    assert [make_calls(s["run"]) for s in steps(ci) if "run" in s] == [["test"]]
    assert ci["jobs"]["test"]["strategy"]["matrix"]["python"] == ["3.11", "3.12", "3.13"]
    setup = next(s for s in steps(ci) if s.get("uses", "").startswith("actions/setup-python@"))
    assert setup["with"]["python-version"] == "${{ matrix.python }}"
    assert setup["with"]["cache"] == "pip"
    assert "make test" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_deploy_publishes_main_once_ci_has_passed_on_it() -> None:
    deploy = load(ROOT / ".github" / "workflows" / "deploy.yml")
    after = triggers(deploy)["workflow_run"]
    assert after == {"workflows": ["CI"], "types": ["completed"], "branches": ["main"]}
    assert "conclusion == 'success'" in deploy["jobs"]["build"]["if"]
    checkout = next(s for s in steps(deploy) if s.get("uses", "").startswith("actions/checkout@"))
    assert "workflow_run.head_sha" in checkout["with"]["ref"]
    uses = [s.get("uses", "") for s in steps(deploy)]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    assert deploy["permissions"]["pages"] == "write"


def test_weekly_link_check_keeps_its_cache_and_report_and_fails_visibly() -> None:
    links = load(ROOT / ".github" / "workflows" / "links.yml")
    assert "cron" in triggers(links)["schedule"][0]
    all_steps = steps(links)
    restored = [s for s in all_steps if s.get("uses", "").startswith("actions/cache/restore@")]
    saved = [s for s in all_steps if s.get("uses", "").startswith("actions/cache/save@")]
    assert restored[0]["with"]["path"] == ".linkcache.json"
    assert {s["with"]["path"] for s in saved} == {".linkcache.json", "link-report.json"}
    assert all(s.get("if") == "always()" for s in saved)  # the cache survives a failed check
    upload = next(s for s in all_steps if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "link-report.json"
    assert upload["if"] == "always()"
    check = next(s for s in all_steps if s.get("id") == "check")
    assert "continue-on-error" not in check  # a broken link turns the run red
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "studyguide links --json link-report.json" in makefile


def test_pre_commit_runs_the_checker_on_catalogue_changes() -> None:
    config = load(ROOT / ".pre-commit-config.yaml")
    hooks = {h["id"]: h for repo in config["repos"] for h in repo["hooks"]}
    check = hooks["studyguide-check"]
    pattern = re.compile(check["files"])
    assert pattern.search("resources.yaml")
    assert pattern.search("tracks/casual.yaml")
    assert not pattern.search("docs/about.md")
    assert set(make_calls(check["entry"])) <= make_targets()
    provided = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert provided[0]["id"] == "studyguide-check"
    assert provided[0]["entry"] == "studyguide check"
