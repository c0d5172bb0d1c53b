"""`studyguide export`: the site as a plain project that needs no plugin. It holds the site's own
pages, the generated ones, the assets, and an `mkdocs.yml` that says by itself everything the
plugin adds at build time, so that MkDocs, or Zensical, which reads `mkdocs.yml` but not our
plugin, builds the same site from it."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .atomic import write_atomic
from .layout import Layout, site_nav
from .model import Outline
from .render import Generated
from .shipped import ENTRY_SCRIPT, REQUIRED_EXTENSIONS, shipped_assets, stylesheets

MARKER = ".studyguide-export"
"""Marks a folder as an export, which a later export may rewrite."""
PLUGIN = "studyguide"


class ExportError(Exception):
    """An export that cannot be written; the message says why."""


@dataclass
class Exported:
    written: int = 0
    removed: int = 0
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)


class _Tagged:
    """A YAML value under a tag this module does not interpret (`!ENV`, `!relative`,
    `!!python/name:...`): written back as it was read."""

    def __init__(self, tag: str, node: yaml.Node, loader: yaml.SafeLoader) -> None:
        self.tag = tag
        if isinstance(node, yaml.ScalarNode):
            self.value: Any = loader.construct_scalar(node)
        elif isinstance(node, yaml.SequenceNode):
            self.value = loader.construct_sequence(node, deep=True)
        else:
            self.value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]


class _Loader(yaml.SafeLoader):
    pass


class _Dumper(yaml.SafeDumper):
    pass


def _construct_tagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> _Tagged:
    return _Tagged(node.tag, node, loader)


def _represent_tagged(dumper: yaml.SafeDumper, data: _Tagged) -> yaml.Node:
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value)
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    return dumper.represent_scalar(data.tag, str(data.value))


_Loader.add_multi_constructor("!", _construct_tagged)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", _construct_tagged)


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    style = "|" if "\n" in data else None  # the not_in_nav list reads as one path a line
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(_Tagged, _represent_tagged)
_Dumper.add_representer(str, _represent_str)


def read_config(path: Path) -> dict[str, Any]:
    """mkdocs.yml as written, its tags kept."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise ExportError(f"{path}: cannot be read: {error}") from None
    if not isinstance(data, dict):
        raise ExportError(f"{path}: is not a mapping of settings")
    return data


def without_plugin(plugins: Any) -> Any:
    """The `plugins` setting less ours; it may be a list of names and {name: options}, or a
    mapping of names to options."""
    if isinstance(plugins, dict):
        return {name: value for name, value in plugins.items() if name != PLUGIN}
    if isinstance(plugins, list):
        return [
            entry
            for entry in plugins
            if entry != PLUGIN and not (isinstance(entry, dict) and PLUGIN in entry)
        ]
    return plugins


def with_extensions(extensions: Any) -> Any:
    """`markdown_extensions` with the ones the generated pages are written with."""
    if isinstance(extensions, dict):
        return {**extensions, **{n: None for n in REQUIRED_EXTENSIONS if n not in extensions}}
    listed = list(extensions or [])
    names = {e if isinstance(e, str) else next(iter(e), None) for e in listed}
    return listed + [name for name in REQUIRED_EXTENSIONS if name not in names]


def _script_path(entry: Any) -> Any:
    return entry.get("path") if isinstance(entry, dict) else entry


def configuration(
    raw: dict[str, Any],
    nav: list[Any] | None,
    not_in_nav: list[str],
    source: Path,
    out: Path,
) -> dict[str, Any]:
    """The exported project's mkdocs.yml: the site's own, less the plugin, plus what the
    plugin adds at build time."""
    config = dict(raw)
    config["docs_dir"] = "docs"
    if "plugins" in config:
        config["plugins"] = without_plugin(config["plugins"])
    if nav is not None:
        config["nav"] = nav
    if not_in_nav:
        before = str(config.get("not_in_nav") or "").strip()
        config["not_in_nav"] = "\n".join([*filter(None, [before]), *not_in_nav]) + "\n"
    own_css = list(config.get("extra_css") or [])
    config["extra_css"] = own_css + [uri for uri in stylesheets() if uri not in own_css]
    scripts = list(config.get("extra_javascript") or [])
    if ENTRY_SCRIPT not in [_script_path(s) for s in scripts]:
        scripts.append({"path": ENTRY_SCRIPT, "type": "module"})
    config["extra_javascript"] = scripts
    config["markdown_extensions"] = with_extensions(config.get("markdown_extensions"))

    # Paths in mkdocs.yml are relative to it: point them back at the source's files.
    def moved(value: Any) -> Any:
        if isinstance(value, str) and not os.path.isabs(value):
            return os.path.relpath(source.parent.resolve() / value, out.resolve())
        return value

    theme = config.get("theme")
    if isinstance(theme, dict) and "custom_dir" in theme:
        config["theme"] = {**theme, "custom_dir": moved(theme["custom_dir"])}
    if "INHERIT" in config:
        config["INHERIT"] = moved(config["INHERIT"])
    if isinstance(config.get("hooks"), list):
        config["hooks"] = [moved(hook) for hook in config["hooks"]]
    return config


def project_files(docs_dir: Path, generated: Mapping[str, Generated]) -> dict[str, bytes]:
    """Every file of the exported docs folder, by its path in it: the site's own, then the
    assets and the generated pages."""
    files: dict[str, bytes] = {}
    for found in sorted(docs_dir.rglob("*")):
        if found.is_file():
            files[found.relative_to(docs_dir).as_posix()] = found.read_bytes()
    for uri, content in shipped_assets():
        files[uri] = content.encode("utf-8")
    for path, item in generated.items():
        files[path] = item.exported().encode("utf-8")
    return files


def sync(out: Path, files: Mapping[str, bytes]) -> Exported:
    """Make `out` hold exactly `files`, rewriting only those that changed, so that a server
    watching it (`zensical serve`) reloads only what an edit touched."""
    if out.exists() and any(out.iterdir()) and not (out / MARKER).exists():
        raise ExportError(
            f"{out} is not empty and is not an earlier export: choose a new folder, or empty it"
        )
    out.mkdir(parents=True, exist_ok=True)
    done = Exported()
    for rel, content in files.items():
        target = out / rel
        if target.is_file() and target.read_bytes() == content:
            done.unchanged += 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, content)
        done.written += 1
    docs = out / "docs"
    for path in sorted(docs.rglob("*"), reverse=True) if docs.exists() else []:
        rel = path.relative_to(out).as_posix()
        if path.is_file() and rel not in files:
            path.unlink()
            done.removed += 1
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    write_atomic(out / MARKER, b"Written by `studyguide export`; the next export rewrites it.\n")
    return done


def export(
    outline: Outline,
    generated: Mapping[str, Generated],
    layout: Layout,
    source: Path,
    docs_dir: Path,
    host_nav: list[Any] | None,
    out: Path,
) -> Exported:
    """Write the exported project into `out`: see the module's docstring. `generated` are the
    guide's pages where `layout` puts them; `source` is the site's mkdocs.yml."""
    here, there = docs_dir.resolve(), out.resolve()
    if there in (here, source.parent.resolve()) or there.is_relative_to(here):
        raise ExportError(f"{out}: export into a folder of its own, outside {docs_dir}")
    raw = read_config(source)
    pages = (path.relative_to(docs_dir).as_posix() for path in docs_dir.rglob("*.md"))
    hand_written = [uri for uri in pages if uri not in generated]
    nav, said = site_nav(outline, layout, host_nav, hand_written, generated)
    not_in_nav = sorted(
        f"/{path}" for path, item in generated.items() if path.endswith(".md") and not item.in_nav
    )
    config = configuration(raw, nav, not_in_nav, source, out)
    header = (
        f"# Written by `studyguide export` from {source.name}: edit that file, and the data,\n"
        "# then export again. Build with `mkdocs build` or `zensical build`.\n"
    )
    body = yaml.dump(config, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    files = {f"docs/{rel}": data for rel, data in project_files(docs_dir, generated).items()}
    done = sync(out, {**files, "mkdocs.yml": (header + body).encode("utf-8")})
    if said:
        done.notes.append(said)
    return done
