"""Validate resources.yaml and tracks/ against the schema and each other, then build the model.

`load_catalogue` is the pipeline's front door: it either returns a `Catalogue` or raises
`StudyGuideError` carrying every problem found, across all files, in one run.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .errors import Diagnostics, Loc, StudyGuideError, did_you_mean, display_path
from .gcpause import gc_paused
from .load import FOLDER, MISSING, kind_of, read_yaml
from .model import (
    Catalogue,
    Sources,
)
from .schema import (
    CATALOGUE,
    CONCEPT,
    INVALID,
    NEXT_STEP,
    RESOURCE,
    TOPIC,
    TRACK,
    Checked,
    Ctx,
    Items,
    Keyed,
    PendingRef,
)


@dataclass
class _Entity:
    id: str
    checked: Checked[Any]

    def loc(self, name: str) -> Loc:
        return self.checked.locs.get(name, self.checked.loc)


def _entities(checked: Any, name: str) -> list[_Entity]:
    if not isinstance(checked, Checked):
        return []
    items = checked.values.get(name, [])
    return [_Entity(c.values["id"], c) for c in items if "id" in c.values]


def _normal_url(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{parts.path.rstrip('/')}" + (
        f"?{parts.query}" if parts.query else ""
    )


def _check_unique(entities: list[_Entity], noun: str, diags: Diagnostics) -> None:
    first: dict[str, _Entity] = {}
    for e in entities:
        if e.id in first:
            diags.error(
                e.loc("id"),
                f"{noun} {e.id!r}: field 'id': {e.id!r} is already used by the {noun} on "
                f"line {first[e.id].loc('id').line}",
                code="duplicate-id",
            )
        else:
            first[e.id] = e


def _check_unique_urls(resources: list[_Entity], diags: Diagnostics) -> None:
    first: dict[str, _Entity] = {}
    for e in resources:
        url = e.checked.values.get("url")
        if url is None:
            continue
        key = _normal_url(url)
        if key in first:
            other = first[key]
            diags.error(
                e.loc("url"),
                f"resource {e.id!r}: field 'url': {url!r} is already used by resource "
                f"{other.id!r} (line {other.loc('url').line})",
                code="duplicate-url",
            )
        else:
            first[key] = e


def _check_refs(
    refs: Iterable[PendingRef], known: dict[str, set[str]], tracks_dir: str, diags: Diagnostics
) -> None:
    for ref in refs:
        names = known[ref.target]
        if ref.value in names:
            continue
        hint = did_you_mean(ref.value, sorted(names))
        if ref.target == "goal":
            diags.error(
                ref.loc,
                f"{ref.label}: unknown goal {ref.value!r}: there is no track file "
                f"{tracks_dir}/{ref.value}.yaml{hint}",
                code="unknown-reference",
            )
        else:
            diags.error(
                ref.loc,
                f"{ref.label}: unknown {ref.target} {ref.value!r}{hint}",
                code="unknown-reference",
            )


def _check_cycles(entities: list[_Entity], noun: str, diags: Diagnostics) -> None:
    """Report each prerequisite cycle once, at the edge that closes it."""
    graph = {e.id: list(e.checked.values.get("prerequisites", [])) for e in entities}
    by_id = {e.id: e for e in entities}
    state: dict[str, int] = {}  # 1: on the current path, 2: finished
    reported: set[frozenset[str]] = set()
    for start in graph:
        if state.get(start):
            continue
        path: list[str] = []
        stack: list[tuple[str, int]] = [(start, 0)]
        while stack:
            node, i = stack.pop()
            if i == 0:
                state[node] = 1
                path.append(node)
            nexts = [n for n in graph.get(node, []) if n in graph]
            if i < len(nexts):
                stack.append((node, i + 1))
                nxt = nexts[i]
                if state.get(nxt) == 1:
                    cycle = [*path[path.index(nxt) :], nxt]
                    if frozenset(cycle) not in reported:
                        reported.add(frozenset(cycle))
                        diags.error(
                            by_id[node].loc("prerequisites"),
                            f"{noun} {node!r}: field 'prerequisites': {nxt!r} makes a cycle: "
                            + " -> ".join(cycle),
                            code="cycle",
                        )
                elif not state.get(nxt):
                    stack.append((nxt, 0))
            else:
                state[node] = 2
                path.pop()


def _check_track_coverage(
    tracks: list[_Entity], resources: list[_Entity], known_topics: set[str], diags: Diagnostics
) -> None:
    """A resource tagged with a goal must be reachable on that track; topic notes must be on
    the track's topics."""
    track_topics = {t.id: set(t.checked.values.get("topics", [])) for t in tracks}
    for r in resources:
        topics = set(r.checked.values.get("topics", [])) & known_topics
        for goal in r.checked.values.get("goals", []):
            if goal in track_topics and topics and not topics & track_topics[goal]:
                diags.error(
                    r.loc("goals"),
                    f"resource {r.id!r}: field 'goals': {goal!r} track walks none of its topics "
                    f"({', '.join(sorted(topics))}), so it would never be shown there",
                    code="goal",
                )
    for t in tracks:
        for topic in t.checked.values.get("topic_notes", {}):
            if topic not in track_topics[t.id]:
                diags.error(
                    t.loc("topic_notes"),
                    f"track {t.id!r}: field 'topic_notes': topic {topic!r} is not in the "
                    f"track's topics",
                    code="track-topics",
                )


def _check_paths(
    tracks: list[_Entity], resources: list[_Entity], known: dict[str, set[str]], diags: Diagnostics
) -> None:
    """Each track's path walks exactly its topics, in order, with steps that belong there."""
    by_id: dict[str, _Entity] = {}
    for r in resources:  # a duplicate id is reported already; the first entry counts
        by_id.setdefault(r.id, r)
    known_topics = known["topic"]
    for t in tracks:
        topics = t.checked.values.get("topics")
        path = t.checked.values.get("path")
        if topics is None or not isinstance(path, Keyed):
            continue
        _check_path_topics(t, list(topics), path, known_topics, diags)
        core: dict[str, Loc] = {}
        standing_in: list[tuple[str, Loc, str]] = []
        for topic, steps in path.items():
            if topic not in known_topics:  # reported already; its steps are checked no further
                continue
            for step in steps:
                rid = step.values.get("resource")
                if rid is None:
                    continue
                where = step.locs["resource"]
                if rid in core:
                    diags.error(
                        where,
                        f"step {rid!r}: field 'resource': {rid!r} is already a core step of this "
                        f"track (line {core[rid].line}); a resource is a core step at most once",
                        code="step",
                    )
                else:
                    core[rid] = where
                resource = by_id.get(rid)
                _check_step_resource(
                    t.id, topic, rid, "resource", rid, where, resource, known, diags
                )
                hours = step.values.get("hours")
                effort = resource.checked.values.get("effort_hours") if resource else None
                if hours is not None and effort is not None and hours > effort:
                    diags.error(
                        step.locs["hours"],
                        f"step {rid!r}: field 'hours': {hours:g} is more than the resource's "
                        f"effort_hours ({effort:g}); a step takes at most the whole resource",
                        code="hours",
                    )
                instead = step.values.get("instead", Items())
                for alt, loc in zip(instead, instead.locs, strict=True):
                    if alt == rid:
                        diags.error(
                            loc,
                            f"step {rid!r}: field 'instead': {alt!r} is the step's own "
                            "resource; list only other resources a learner may take instead",
                            code="swap",
                        )
                        continue
                    standing_in.append((alt, loc, rid))
                    _check_step_resource(
                        t.id, topic, rid, "instead", alt, loc, by_id.get(alt), known, diags
                    )
        for alt, loc, rid in standing_in:
            if alt in core:
                diags.error(
                    loc,
                    f"step {rid!r}: field 'instead': {alt!r} is itself a core step of this track "
                    f"(line {core[alt].line}); it cannot also stand in for {rid!r}",
                    code="swap",
                )


def _check_path_topics(
    t: _Entity, topics: list[str], path: Keyed[Any], known_topics: set[str], diags: Diagnostics
) -> None:
    missing = [t for t in topics if t not in path.written and t in known_topics]
    for key in path:
        if key not in topics and key in known_topics:  # unknown ids are reported already
            diags.error(
                path.locs[key],
                f"track {t.id!r}: field 'path': topic {key!r} is not one of the track's topics "
                f"({', '.join(topics)})" + did_you_mean(key, missing),
                code="track-topics",
            )
    for topic in missing:
        diags.error(
            t.loc("path"),
            f"track {t.id!r}: field 'path': topic {topic!r} has no steps; every topic in "
            "'topics' needs at least one core step",
            code="track-topics",
        )
    walked = [key for key in path if key in topics]
    expected = [topic for topic in topics if topic in path]
    if walked != expected:
        diags.error(
            t.loc("path"),
            f"track {t.id!r}: field 'path': the topics come in the order {', '.join(walked)}; "
            f"write them in the order of 'topics': {', '.join(expected)}",
            code="track-topics",
        )


def _check_step_resource(
    goal: str,
    topic: str,
    step: str,
    field: str,
    rid: str,
    loc: Loc,
    resource: _Entity | None,
    known: dict[str, set[str]],
    diags: Diagnostics,
) -> None:
    """A step's resource, or one instead of it, is tagged with the track's goal and topic."""
    if resource is None:  # an unknown id is reported already
        return
    missing = []
    # Tags that are missing or name unknown ids are reported at the resource already.
    goals = resource.checked.values.get("goals", [goal])
    if goal not in goals and set(goals) <= known["goal"]:
        missing.append(f"goal {goal!r}")
    topics = resource.checked.values.get("topics", [topic])
    if topic not in topics and set(topics) <= known["topic"]:
        missing.append(f"topic {topic!r}")
    if missing:
        diags.error(
            loc,
            f"step {step!r}: field {field!r}: resource {rid!r} is not tagged with "
            f"{' and '.join(missing)} (resources.yaml line {resource.checked.loc.line}); "
            "tag it there, or choose another resource",
            code="goal",
        )


def _check_places(concepts: list[_Entity], resources: list[_Entity], diags: Diagnostics) -> None:
    """A concept names each resource once in `learn_from`, and a place takes at most the
    whole resource."""
    effort = {r.id: r.checked.values.get("effort_hours") for r in reversed(resources)}
    for c in concepts:
        first: dict[str, Loc] = {}
        for place in c.checked.values.get("learn_from", []):
            rid = place.values.get("resource")
            if rid is None:
                continue
            hours, whole = place.values.get("hours"), effort.get(rid)
            if hours is not None and whole is not None and hours > whole:
                diags.error(
                    place.locs["hours"],
                    f"concept {c.id!r}: field 'learn_from': hours {hours:g} for {rid!r} is more "
                    f"than its effort_hours ({whole:g}); a place takes at most the whole resource",
                    code="hours",
                )
            where = place.locs["resource"]
            if rid in first:
                diags.error(
                    where,
                    f"concept {c.id!r}: field 'learn_from': resource {rid!r} is listed twice "
                    f"(first on line {first[rid].line}); name every place in one 'where'",
                    code="listed-twice",
                )
            else:
                first[rid] = where


def _check_teaching(tracks: list[_Entity], concepts: list[_Entity], diags: Diagnostics) -> None:
    """Once the catalogue has concepts, every core step teaches one: those it lists in
    `teaches`, or those whose `learn_from` names its resource."""
    if not concepts:
        return
    taught: set[str] = set()
    for c in concepts:
        for place in c.checked.values.get("learn_from", []):
            taught.add(place.values.get("resource"))
    for t in tracks:
        path = t.checked.values.get("path")
        if not isinstance(path, Keyed):
            continue
        for steps in path.values():
            for step in steps:
                rid = step.values.get("resource")
                if rid is None or "teaches" in step.values or rid in taught:
                    continue
                diags.error(
                    step.locs["resource"],
                    f"step {rid!r}: teaches no concept: no concept's 'learn_from' names "
                    f"{rid!r}; add a place in it to the concepts it teaches, or list them in "
                    "the step's 'teaches'",
                    code="teaches",
                )


@gc_paused
def load_catalogue(
    catalogue_path: Path | str = "resources.yaml",
    tracks_dir: Path | str = "tracks",
    *,
    catalogue_data: bytes | None = None,
) -> Catalogue:
    """Load, validate and cross-check everything; raise StudyGuideError with every problem.

    `catalogue_data` stands in for the catalogue file's content (to check an edit before
    writing it); messages still name the file.
    """
    catalogue_path, tracks_dir = Path(catalogue_path), Path(tracks_dir)
    diags = Diagnostics()
    refs: list[PendingRef] = []

    shown_catalogue = display_path(catalogue_path)
    ctx = Ctx(shown_catalogue, diags, refs)
    node = read_yaml(catalogue_path, shown_catalogue, diags, catalogue_data)
    checked = CATALOGUE.check(node, ctx, "catalogue") if node is not None else INVALID

    shown_tracks = display_path(tracks_dir)
    track_entities: list[_Entity] = []
    # Every track file names a goal, even one that cannot be read: a YAML error in it must not
    # also make each resource of that goal look orphaned.
    goals: set[str] = set()
    tracks_kind = kind_of(tracks_dir)
    if tracks_kind == MISSING:
        diags.error(Loc(shown_tracks), "the tracks directory does not exist", code="tracks-folder")
    elif tracks_kind != FOLDER:
        diags.error(
            Loc(shown_tracks),
            f"the tracks directory is {tracks_kind}, not a folder",
            code="tracks-folder",
        )
    else:
        for file in sorted(tracks_dir.glob("*.y*ml")):
            shown = display_path(file)
            if file.suffix != ".yaml":
                diags.error(
                    Loc(shown),
                    f"track files end in .yaml; rename it to {file.stem}.yaml",
                    code="tracks-folder",
                )
                continue
            goals.add(file.stem)
            track_ctx = Ctx(shown, diags, refs)
            track_node = read_yaml(file, shown, diags)
            if track_node is None:
                continue
            track = TRACK.check(track_node, track_ctx, f"track {file.stem!r}")
            if track is INVALID:  # not a mapping: read_yaml has reported it
                continue
            track_id = track.values.get("id")
            if track_id is not None and track_id != file.stem:
                diags.error(
                    track.locs["id"],
                    f"track {track_id!r}: field 'id': {track_id!r} differs from the file name "
                    f"{file.name!r}; they must be equal",
                    code="tracks-folder",
                )
            # The file name is the goal, even when the id inside disagrees (reported above).
            track_entities.append(_Entity(file.stem, track))
        if not goals:
            diags.error(
                Loc(shown_tracks), "no track files (tracks/<goal>.yaml) found", code="tracks-folder"
            )

    topics = _entities(checked, "topics")
    resources = _entities(checked, "resources")
    _check_unique(topics, "topic", diags)
    _check_unique(resources, "resource", diags)
    _check_unique_urls(resources, diags)
    concepts = _entities(checked, "concepts")
    next_steps = _entities(checked, "next_steps")
    _check_unique(concepts, "concept", diags)
    _check_unique(next_steps, "next step", diags)
    _check_places(concepts, resources, diags)
    known = {
        "topic": {t.id for t in topics},
        "resource": {r.id for r in resources},
        "goal": goals,
        "concept": {c.id for c in concepts},
    }
    # A catalogue, or a list of it, or a tracks folder that could not be read would make every
    # reference to what it holds look unknown.
    values = checked.values if isinstance(checked, Checked) else {}
    tracks_read = tracks_kind == FOLDER
    refs = [r for r in refs if (tracks_read if r.target == "goal" else f"{r.target}s" in values)]
    _check_refs(refs, known, shown_tracks, diags)
    _check_cycles(topics, "topic", diags)
    _check_cycles(resources, "resource", diags)
    _check_cycles(concepts, "concept", diags)
    _check_track_coverage(track_entities, resources, known["topic"], diags)
    _check_paths(track_entities, resources, known, diags)
    _check_teaching(track_entities, concepts, diags)

    if diags.errors or not isinstance(checked, Checked):
        raise StudyGuideError(diags.items)
    return Catalogue(
        topics=tuple(TOPIC.build(t.checked) for t in topics),
        resources=tuple(RESOURCE.build(r.checked) for r in resources),
        tracks=tuple(TRACK.build(t.checked) for t in track_entities),
        sources=Sources(catalogue_path, tracks_dir),
        concepts=tuple(CONCEPT.build(c.checked) for c in concepts),
        next_steps=tuple(NEXT_STEP.build(n.checked) for n in next_steps),
    )
