"""The validated catalogue: typed, immutable, with the orderings the pages need.

Field names mirror the records in `schema.py` (a test keeps them in step).
"""

from __future__ import annotations

import datetime as dt
import heapq
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from .errors import Loc

DEFAULT_WEEKLY_HOURS = 5
"""The pace a track's duration is stated at when its file gives none."""

LEVEL_RANK = {"intro": 0, "intermediate": 1, "advanced": 2}


@dataclass(frozen=True)
class Topic:
    """`loc` is where the entry starts; `locs` where each field's value is."""

    id: str
    title: str
    summary: str
    prerequisites: tuple[str, ...]
    loc: Loc = field(compare=False)
    locs: dict[str, Loc] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Resource:
    id: str
    title: str
    url: str
    authors: tuple[str, ...]
    provider: str
    topics: tuple[str, ...]
    goals: tuple[str, ...]
    format: str
    cost: str
    effort_hours: float
    level: str
    why: str
    loc: Loc = field(compare=False)
    locs: dict[str, Loc] = field(default_factory=dict, compare=False, repr=False)
    prerequisites: tuple[str, ...] = ()
    alternatives: tuple[str, ...] = ()
    added: dt.date | None = None


@dataclass(frozen=True)
class Place:
    """Where a resource teaches a concept."""

    resource: str
    where: str
    hours: float
    loc: Loc = field(compare=False)
    locs: dict[str, Loc] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Check:
    question: str
    answer: str
    loc: Loc = field(compare=False)
    locs: dict[str, Loc] = field(default_factory=dict, compare=False, repr=False)


# Spans a sentence never ends inside: $maths$ and [link text](address). Code spans are found
# by `_code_spans`: a regular expression for them backtracks without end on long runs of `.
_OPAQUE = re.compile(r"(?<!\\)\$(?:[^$\\\n]|\\.)+?\$|\[[^\]\n]*\]\([^)\n]*\)")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s")
_TICKS = re.compile(r"`+")


def _code_spans(text: str) -> list[tuple[int, int]]:
    """Where Markdown's code spans are: a run of backticks to the next run of the same length."""
    spans = []
    runs = list(_TICKS.finditer(text))
    i = 0
    while i < len(runs):
        opening = runs[i]
        width = len(opening.group())
        closing = next((j for j in range(i + 1, len(runs)) if len(runs[j].group()) == width), None)
        if closing is None:
            i += 1
            continue
        spans.append((opening.start(), runs[closing].end()))
        i = closing + 1
    return spans


def first_sentence(markdown: str) -> str:
    """The first sentence of Markdown text, never cut inside maths, code or a link."""
    text = markdown.strip()
    masked = list(_OPAQUE.sub(lambda m: "x" * len(m.group()), text))
    for start, stop in _code_spans(text):
        masked[start:stop] = "x" * (stop - start)
    end = _SENTENCE_END.search("".join(masked))
    return text[: end.start()] if end else text


@dataclass(frozen=True)
class Concept:
    id: str
    title: str
    topic: str
    level: str
    used_in: str
    learn_from: tuple[Place, ...]
    loc: Loc = field(compare=False)
    locs: dict[str, Loc] = field(default_factory=dict, compare=False, repr=False)
    formula: str | None = None
    prerequisites: tuple[str, ...] = ()
    checks: tuple[Check, ...] = ()
    also: tuple[str, ...] = ()

    @property
    def idea(self) -> str:
        """The first sentence of `used_in`: the deep-learning idea, as the map shows it."""
        return first_sentence(self.used_in)


@dataclass(frozen=True)
class NextStep:
    id: str
    title: str
    url: str
    authors: tuple[str, ...]
    provider: str
    goals: tuple[str, ...]
    format: str
    cost: str
    effort_hours: float
    level: str
    assumes: str
    why: str
    loc: Loc = field(compare=False)
    locs: dict[str, Loc] = field(default_factory=dict, compare=False, repr=False)
    added: dt.date | None = None


@dataclass(frozen=True)
class Step:
    """One core step of a track, as written in `path:`."""

    resource: str
    loc: Loc = field(compare=False)
    locs: dict[str, Loc] = field(default_factory=dict, compare=False, repr=False)
    sections: str | None = None
    hours: float | None = None
    note: str | None = None
    instead: tuple[str, ...] = ()
    teaches: tuple[str, ...] = ()


@dataclass(frozen=True)
class Track:
    id: str
    title: str
    tagline: str
    audience: str
    before_you_start: str
    intro: str
    topics: tuple[str, ...]
    path: dict[str, tuple[Step, ...]]
    loc: Loc = field(compare=False)
    locs: dict[str, Loc] = field(default_factory=dict, compare=False, repr=False)
    topic_notes: dict[str, str] = field(default_factory=dict, compare=False)
    weekly_hours: float = DEFAULT_WEEKLY_HOURS
    order: int | None = None


@dataclass(frozen=True)
class PathStep:
    """A core step resolved against the catalogue; `number` counts from 1 across the track."""

    number: int
    resource: Resource
    hours: float
    sections: str | None
    note: str | None
    instead: tuple[Resource, ...]
    teaches: tuple[Concept, ...] = ()
    """What the step teaches: its `teaches`, or every concept a place of its resource teaches."""

    @property
    def partial(self) -> bool:
        return self.hours < self.resource.effort_hours


@dataclass(frozen=True)
class PathSection:
    """One topic of a track: its core steps, then the goal's other resources on it."""

    topic: Topic
    steps: tuple[PathStep, ...]
    further: tuple[Resource, ...]

    @property
    def hours(self) -> float:
        return round(sum(s.hours for s in self.steps), 1)

    @property
    def further_hours(self) -> float:
        return total_hours(self.further)

    @property
    def concepts(self) -> tuple[Concept, ...]:
        """What the topic's core steps teach, each once, in the order they teach it."""
        seen: dict[str, Concept] = {}
        for step in self.steps:
            for concept in step.teaches:
                seen.setdefault(concept.id, concept)
        return tuple(seen.values())


@dataclass(frozen=True)
class TrackPath:
    track: Track
    sections: tuple[PathSection, ...]

    @property
    def steps(self) -> list[PathStep]:
        return [step for section in self.sections for step in section.steps]

    @property
    def core_hours(self) -> float:
        return round(sum(s.hours for s in self.steps), 1)

    @property
    def all_hours(self) -> float:
        """Everything the track shows, each resource once: core steps in full, their
        alternatives and going further."""
        seen: dict[str, Resource] = {}
        for section in self.sections:
            for step in section.steps:
                for r in (step.resource, *step.instead):
                    seen.setdefault(r.id, r)
            for r in section.further:
                seen.setdefault(r.id, r)
        return total_hours(seen.values())

    @property
    def weeks(self) -> int:
        """Weeks the core path takes at the track's stated pace."""
        return weeks_at(self.core_hours, self.track.weekly_hours)


@dataclass(frozen=True)
class Sources:
    """Where the data came from (for edit links)."""

    catalogue: Path
    tracks_dir: Path


@dataclass(frozen=True)
class Outline:
    """What the site's nav needs of a catalogue: its tracks and topics, in order, and whether
    it has concepts, next steps and self-checks to review."""

    tracks: tuple[str, ...]
    topics: tuple[str, ...]
    concepts: bool
    next_steps: bool
    review: bool = False


@dataclass(frozen=True, eq=False)
class Catalogue:
    topics: tuple[Topic, ...]
    resources: tuple[Resource, ...]
    tracks: tuple[Track, ...]
    sources: Sources
    concepts: tuple[Concept, ...] = ()
    next_steps: tuple[NextStep, ...] = ()

    @cached_property
    def concept_by_id(self) -> dict[str, Concept]:
        return {c.id: c for c in self.concepts}

    @cached_property
    def _concepts_by_topic(self) -> dict[str, list[Concept]]:
        by_topic: dict[str, list[Concept]] = {t.id: [] for t in self.topics}
        for concept in self.concepts:
            by_topic.setdefault(concept.topic, []).append(concept)
        return by_topic

    def concepts_for_topic(self, topic_id: str) -> list[Concept]:
        return self._concepts_by_topic.get(topic_id, [])

    @cached_property
    def _taught_by(self) -> dict[str, list[tuple[Concept, Place]]]:
        taught: dict[str, list[tuple[Concept, Place]]] = {}
        for concept in self.concepts:
            for place in concept.learn_from:
                taught.setdefault(place.resource, []).append((concept, place))
        return taught

    def taught_by(self, resource_id: str) -> list[tuple[Concept, Place]]:
        """The concepts a resource teaches, each with the place in it."""
        return self._taught_by.get(resource_id, [])

    def step_teaches(self, step: Step) -> tuple[Concept, ...]:
        """The concepts a core step teaches: those it lists, or all its resource teaches."""
        if step.teaches:
            return tuple(self.concept_by_id[c] for c in step.teaches)
        return tuple(concept for concept, _ in self.taught_by(step.resource))

    def places(self, concept: Concept) -> list[tuple[Resource, Place]]:
        """Where to learn a concept: each resource with its place, easiest first (by level,
        then by the hours of the place)."""
        found = [(self.resource_by_id[p.resource], p) for p in concept.learn_from]
        return sorted(found, key=lambda rp: (LEVEL_RANK[rp[0].level], rp[1].hours))

    @cached_property
    def topic_by_id(self) -> dict[str, Topic]:
        return {t.id: t for t in self.topics}

    @cached_property
    def resource_by_id(self) -> dict[str, Resource]:
        return {r.id: r for r in self.resources}

    @cached_property
    def track_by_id(self) -> dict[str, Track]:
        return {t.id: t for t in self.tracks}

    @cached_property
    def tracks_in_order(self) -> tuple[Track, ...]:
        big = 1 << 30
        return tuple(sorted(self.tracks, key=lambda t: (t.order or big, t.id)))

    @property
    def outline(self) -> Outline:
        return Outline(
            tuple(t.id for t in self.tracks_in_order),
            tuple(t.id for t in self.topics),
            bool(self.concepts),
            bool(self.next_steps),
            any(c.checks for c in self.concepts),
        )

    @cached_property
    def _resources_by_topic(self) -> dict[str, list[Resource]]:
        by_topic: dict[str, list[Resource]] = {t.id: [] for t in self.topics}
        for r in self.resources:
            for topic in r.topics:
                by_topic.setdefault(topic, []).append(r)
        return by_topic

    def resources_for_topic(self, topic_id: str) -> list[Resource]:
        return order_resources(self._resources_by_topic.get(topic_id, []))

    @cached_property
    def paths(self) -> dict[str, TrackPath]:
        return {t.id: self._track_path(t) for t in self.tracks}

    def _track_path(self, track: Track) -> TrackPath:
        """The track's core steps topic by topic; every other resource of the goal goes
        further, under the first of the track's topics it covers."""
        on_path = {
            rid
            for steps in track.path.values()
            for step in steps
            for rid in (step.resource, *step.instead)
        }
        further: dict[str, list[Resource]] = {topic: [] for topic in track.topics}
        for r in self.resources:
            if track.id in r.goals and r.id not in on_path:
                topic = next((t for t in track.topics if t in r.topics), None)
                if topic is not None:
                    further[topic].append(r)
        number = 0
        sections = []
        for topic_id in track.topics:
            steps = []
            for step in track.path.get(topic_id, ()):
                number += 1
                resource = self.resource_by_id[step.resource]
                steps.append(
                    PathStep(
                        number,
                        resource,
                        step.hours if step.hours is not None else resource.effort_hours,
                        step.sections,
                        step.note,
                        tuple(self.resource_by_id[i] for i in step.instead),
                        self.step_teaches(step),
                    )
                )
            sections.append(
                PathSection(
                    self.topic_by_id[topic_id],
                    tuple(steps),
                    tuple(order_resources(further[topic_id])),
                )
            )
        return TrackPath(track, tuple(sections))

    @cached_property
    def _roles(self) -> dict[str, list[tuple[Track, str, PathStep | None]]]:
        roles: dict[str, list[tuple[Track, str, PathStep | None]]] = {}
        for track in self.tracks_in_order:
            for section in self.paths[track.id].sections:
                for step in section.steps:
                    roles.setdefault(step.resource.id, []).append((track, "core", step))
                    for alt in step.instead:
                        roles.setdefault(alt.id, []).append((track, "instead", step))
                for r in section.further:
                    roles.setdefault(r.id, []).append((track, "further", None))
        return roles

    def track_roles(self, resource: Resource) -> list[tuple[Track, str, PathStep | None]]:
        """Where a resource stands on each track: a core step, instead of one, or further."""
        return self._roles.get(resource.id, [])

    def to_json(self) -> dict[str, Any]:
        """The whole validated catalogue, as published in /catalogue.json."""
        return {
            "topics": [_plain(t) for t in self.topics],
            "resources": [_plain(r) for r in self.resources],
            "tracks": [self._track_json(t) for t in self.tracks_in_order],
            "concepts": [_plain(c) for c in self.concepts],
            "next_steps": [_plain(n) for n in self.next_steps],
        }

    def _track_json(self, track: Track) -> dict[str, Any]:
        walked = self.paths[track.id]
        out = _plain(track, skip=("path",))
        out["core_hours"] = walked.core_hours
        out["all_hours"] = walked.all_hours
        out["path"] = [
            {
                "topic": section.topic.id,
                "steps": [
                    {
                        "resource": step.resource.id,
                        "hours": step.hours,
                        "sections": step.sections,
                        "note": step.note,
                        "instead": [r.id for r in step.instead],
                        "teaches": [c.id for c in step.teaches],
                    }
                    for step in section.steps
                ],
            }
            for section in walked.sections
        ]
        return out


def _plain(obj: Any, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in obj.__dataclass_fields__:
        if name in ("loc", "locs") or name in skip:
            continue
        value = getattr(obj, name)
        if isinstance(value, tuple):
            value = [_plain(v) if hasattr(v, "__dataclass_fields__") else v for v in value]
        elif isinstance(value, dict):
            value = {k: list(v) if isinstance(v, tuple) else v for k, v in value.items()}
        elif isinstance(value, dt.date):
            value = value.isoformat()
        out[name] = value
    return out


def weeks_at(hours: float, pace: float) -> int:
    """Whole weeks that `hours` of study take at `pace` hours a week; at least one."""
    return max(1, math.ceil(hours / pace - 1e-9))


def total_hours(resources: Iterable[Resource]) -> float:
    return round(sum(r.effort_hours for r in resources), 1)


def order_resources(resources: list[Resource]) -> list[Resource]:
    """Level first (intro before advanced), but never before a listed prerequisite.

    Kahn's topological sort with a priority queue; prerequisites outside the list are ignored.
    """
    ids = {r.id for r in resources}
    by_id = {r.id: r for r in resources}
    blockers = {r.id: {p for p in r.prerequisites if p in ids} for r in resources}
    dependants: dict[str, list[str]] = {r.id: [] for r in resources}
    for rid, pres in blockers.items():
        for p in pres:
            dependants[p].append(rid)
    position = {r.id: i for i, r in enumerate(resources)}

    def key(rid: str) -> tuple[int, int]:
        return (LEVEL_RANK[by_id[rid].level], position[rid])

    ready = [(key(rid), rid) for rid, pres in blockers.items() if not pres]
    heapq.heapify(ready)
    result: list[Resource] = []
    while ready:
        _, rid = heapq.heappop(ready)
        result.append(by_id[rid])
        for dep in dependants[rid]:
            blockers[dep].discard(rid)
            if not blockers[dep]:
                heapq.heappush(ready, (key(dep), dep))
    # Validation refuses cycles; should one slip through, keep the rest rather than drop it.
    placed = {r.id for r in result}
    result.extend(r for r in resources if r.id not in placed)
    return result
