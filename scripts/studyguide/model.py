"""The validated catalogue: typed, immutable, with the orderings the pages need.

Field names mirror the records in `schema.py` (a test keeps them in step).
"""

from __future__ import annotations

import datetime as dt
import heapq
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from .errors import Loc

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
class Track:
    id: str
    title: str
    tagline: str
    audience: str
    intro: str
    topics: tuple[str, ...]
    loc: Loc = field(compare=False)
    locs: dict[str, Loc] = field(default_factory=dict, compare=False, repr=False)
    topic_notes: dict[str, str] = field(default_factory=dict, compare=False)
    pinned: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)
    order: int | None = None


@dataclass(frozen=True)
class TrackSection:
    topic: Topic
    resources: list[Resource]
    listed_earlier: list[Resource]
    """Resources on this topic that the track already lists under an earlier topic."""

    @property
    def hours(self) -> float:
        return total_hours(self.resources)


@dataclass(frozen=True)
class Sources:
    """Where the data came from, relative to the project root (for edit links)."""

    catalogue: Path
    tracks_dir: Path
    root: Path


@dataclass(frozen=True, eq=False)
class Catalogue:
    topics: tuple[Topic, ...]
    resources: tuple[Resource, ...]
    tracks: tuple[Track, ...]
    sources: Sources

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

    def resources_for_topic(self, topic_id: str) -> list[Resource]:
        return order_resources([r for r in self.resources if topic_id in r.topics])

    def track_topic_resources(self, track: Track, topic_id: str) -> list[Resource]:
        """The resources a track shows under one topic: pinned first, then by level and
        prerequisites."""
        chosen = [r for r in self.resources if topic_id in r.topics and track.id in r.goals]
        pins = [p for p in track.pinned.get(topic_id, ()) if any(r.id == p for r in chosen)]
        rest = order_resources([r for r in chosen if r.id not in pins])
        return [self.resource_by_id[p] for p in pins] + rest

    def track_resources(self, track: Track) -> list[TrackSection]:
        """Topic by topic in the track's order. A resource on several of the track's topics is
        listed under the first only, so totals count it once; later topics point back to it."""
        seen: set[str] = set()
        result = []
        for topic_id in track.topics:
            all_items = self.track_topic_resources(track, topic_id)
            items = [r for r in all_items if r.id not in seen]
            earlier = [r for r in all_items if r.id in seen]
            seen.update(r.id for r in items)
            result.append(TrackSection(self.topic_by_id[topic_id], items, earlier))
        return result

    def tracks_using(self, resource: Resource) -> list[Track]:
        return [t for t in self.tracks_in_order if t.id in resource.goals]

    def to_json(self) -> dict[str, Any]:
        """The whole validated catalogue, as published in /catalogue.json."""

        def plain(obj: Any) -> dict[str, Any]:
            out: dict[str, Any] = {}
            for name in obj.__dataclass_fields__:
                if name in ("loc", "locs"):
                    continue
                value = getattr(obj, name)
                if isinstance(value, tuple):
                    value = list(value)
                elif isinstance(value, dict):
                    value = {k: list(v) if isinstance(v, tuple) else v for k, v in value.items()}
                elif isinstance(value, dt.date):
                    value = value.isoformat()
                out[name] = value
            return out

        return {
            "topics": [plain(t) for t in self.topics],
            "resources": [plain(r) for r in self.resources],
            "tracks": [plain(t) for t in self.tracks_in_order],
        }


def total_hours(resources: list[Resource]) -> float:
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
    result.extend(r for r in resources if r not in result)
    return result
