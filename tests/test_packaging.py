"""The built wheel and sdist: the package alone, its metadata, and a wheel that works in a
clean virtual environment with nothing but its declared dependencies (no dev tool).

No network: the wheel is built from this checkout without build isolation, and the clean
environment reaches the declared dependencies, and only those, through a .pth file that
points at links to them in the test environment."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import zipfile
from email.parser import Parser
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from .helpers import ROOT

# Builds in a subprocess or runs long: `make quick` leaves it out.
pytestmark = pytest.mark.slow

ENV = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}


def _build(kind: str, out: Path) -> Path:
    done = subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", kind, "-d", str(out)],
        cwd=ROOT, capture_output=True, text=True, env=ENV, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    (built,) = out.glob("*.whl" if kind == "wheel" else "*.tar.gz")
    return built


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build("wheel", tmp_path_factory.mktemp("dist"))


def _runtime_closure(requirements: list[str]) -> list[metadata.Distribution]:
    """The distributions the requirements need, recursively, extras and markers applied."""
    found: dict[str, metadata.Distribution] = {}
    todo = [(Requirement(r), "") for r in requirements]
    while todo:
        requirement, extra = todo.pop()
        if requirement.marker and not requirement.marker.evaluate({"extra": extra}):
            continue
        dist = metadata.distribution(requirement.name)
        name = dist.metadata["Name"].lower().replace("_", "-")
        if name in found:
            continue
        found[name] = dist
        for extra_name in requirement.extras or {""}:
            todo += [(Requirement(r), extra_name) for r in dist.requires or []]
    return list(found.values())


def _linked_site(dists: list[metadata.Distribution], folder: Path) -> Path:
    """A folder of links to exactly these distributions' files (and their metadata)."""
    folder.mkdir()
    for dist in dists:
        site = Path(str(dist.locate_file("")))
        for name in {Path(str(f)).parts[0] for f in dist.files or [] if ".." not in str(f)}:
            if not (folder / name).exists() and (site / name).exists():
                (folder / name).symlink_to(site / name)
    return folder


def test_the_wheel_holds_the_package_and_its_metadata(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        info = next(n for n in names if n.endswith(".dist-info/METADATA"))
        meta = Parser().parsestr(archive.read(info).decode("utf-8"))
    assert {n.split("/")[0] for n in names} == {"studyguide", info.split("/")[0]}
    for needed in (
        "studyguide/py.typed",
        "studyguide/render/templates/track.md.j2",
        "studyguide/assets/studyguide/core.js",
        "studyguide/assets/studyguide/share.js",
        "studyguide/assets/studyguide/vendor/lean-qr-nano.js",
        "studyguide/assets/studyguide/vendor/lean-qr.LICENSE.txt",
        "studyguide/starter/mkdocs.yml.j2",
    ):
        assert needed in names
    assert "Typing :: Typed" in (meta.get_all("Classifier") or [])
    assert "Framework :: MkDocs" in (meta.get_all("Classifier") or [])
    runtime = [r for r in (meta.get_all("Requires-Dist") or []) if "extra ==" not in r]
    names_only = {Requirement(r).name.lower() for r in runtime}
    assert "mkdocs" in names_only
    assert "latex2mathml" in names_only
    assert not names_only & {"ruamel.yaml", "jsonschema", "httpx", "rich", "pytest"}
    links = {Requirement(r).name for r in (meta.get_all("Requires-Dist") or []) if "'links'" in r}
    assert links == {"httpx", "rich"}


def test_the_sdist_holds_the_package_and_its_tests_not_this_sites_content(
    tmp_path: Path,
) -> None:
    sdist = _build("sdist", tmp_path)
    with tarfile.open(sdist) as archive:
        names = {n.split("/", 1)[1] for n in archive.getnames() if "/" in n}
    assert "src/studyguide/plugin.py" in names
    assert {"README.md", "LICENSE", "pyproject.toml", "PKG-INFO"} <= names
    top = {n.split("/")[0] for n in names}
    # Hatchling adds the ignore file that decided what else stays out.
    assert "tests/test_validation_cases.py" in names
    assert top == {
        "src", "tests", "README.md", "LICENSE", "pyproject.toml", "PKG-INFO", ".gitignore"
    }  # fmt: skip


def test_the_wheel_alone_in_a_clean_venv_gives_a_working_studyguide_and_plugin(
    wheel: Path, tmp_path: Path
) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, env=ENV)
    python = venv / "bin" / "python"
    install = [str(python), "-m", "pip", "install", "--quiet", "--no-index", "--no-deps"]
    subprocess.run([*install, str(wheel)], check=True, env=ENV)
    with zipfile.ZipFile(wheel) as archive:
        info = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        meta = Parser().parsestr(archive.read(info).decode("utf-8"))
    runtime = [r for r in (meta.get_all("Requires-Dist") or []) if "extra ==" not in r]
    deps = _linked_site(_runtime_closure(runtime), tmp_path / "deps")
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True, env=ENV,
    ).stdout.strip()  # fmt: skip
    Path(site, "declared-dependencies.pth").write_text(f"{deps}\n", encoding="utf-8")

    def run(*args: str, cwd: Path = tmp_path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=ENV, check=False)

    made = run(str(venv / "bin" / "studyguide"), "init", "guide", "--title", "Stats", "--topic",
               "Probability", "--topic", "Linear models")  # fmt: skip
    assert made.returncode == 0, made.stderr
    guide = tmp_path / "guide"
    checked = run(str(venv / "bin" / "studyguide"), "check", cwd=guide)
    assert checked.returncode == 0, checked.stderr
    assert "ok:" in checked.stderr
    built = run(str(python), "-m", "mkdocs", "build", "--strict", cwd=guide)
    assert built.returncode == 0, built.stderr
    assert "Stats" in (guide / "site" / "index.html").read_text(encoding="utf-8")
    # No dev tool came along, and the link checker says what it needs.
    for module in ("pytest", "jsonschema", "httpx", "playwright"):
        assert run(str(python), "-c", f"import {module}").returncode != 0, module
    links = run(str(venv / "bin" / "studyguide"), "links", cwd=guide)
    assert links.returncode != 0
    assert "studyguide[links]" in links.stderr
