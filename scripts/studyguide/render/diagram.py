"""A track's prerequisite diagram, laid out at build time as inline SVG (no Mermaid, no CDN)."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Catalogue, Track

BOX_W, BOX_H, GAP_X, GAP_Y, PAD = 180, 48, 56, 18, 4


@dataclass(frozen=True)
class Box:
    id: str
    number: int
    title: str
    x: int
    y: int


@dataclass(frozen=True)
class Edge:
    path: str
    source: str
    target: str


@dataclass(frozen=True)
class Layout:
    boxes: list[Box]
    edges: list[Edge]
    width: int
    height: int
    description: str


def layout_track(catalogue: Catalogue, track: Track) -> Layout:
    """Columns by prerequisite depth within the track; rows in the track's own order."""
    ids = list(track.topics)
    topics = catalogue.topic_by_id
    prereqs = {t: [p for p in topics[t].prerequisites if p in ids] for t in ids}
    depth: dict[str, int] = {}

    def depth_of(topic: str) -> int:
        if topic not in depth:
            depth[topic] = 1 + max((depth_of(p) for p in prereqs[topic]), default=-1)
        return depth[topic]

    columns: dict[int, list[str]] = {}
    for topic in ids:
        columns.setdefault(depth_of(topic), []).append(topic)
    rows = max(len(c) for c in columns.values())
    boxes = {}
    for col, members in columns.items():
        offset = (rows - len(members)) * (BOX_H + GAP_Y) // 2
        for row, topic in enumerate(members):
            boxes[topic] = Box(
                topic,
                ids.index(topic) + 1,
                topics[topic].title,
                PAD + col * (BOX_W + GAP_X),
                PAD + offset + row * (BOX_H + GAP_Y),
            )
    edges = []
    for topic in ids:
        for p in prereqs[topic]:
            a, b = boxes[p], boxes[topic]
            x1, y1 = a.x + BOX_W, a.y + BOX_H // 2
            x2, y2 = b.x - 6, b.y + BOX_H // 2
            mid = (x1 + x2) // 2
            edges.append(Edge(f"M{x1},{y1} C{mid},{y1} {mid},{y2} {x2},{y2}", p, topic))
    steps = []
    for topic in ids:
        before = [topics[p].title for p in prereqs[topic]]
        after = f" after {', '.join(before)}" if before else " first"
        steps.append(f"{topics[topic].title}{after}")
    return Layout(
        [boxes[t] for t in ids],
        edges,
        PAD * 2 + len(columns) * BOX_W + (len(columns) - 1) * GAP_X,
        PAD * 2 + rows * BOX_H + (rows - 1) * GAP_Y,
        "; ".join(steps) + ".",
    )
