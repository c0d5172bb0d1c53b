"""A track's prerequisite diagram, laid out at build time (no Mermaid, no CDN).

grandalf's layered (Sugiyama) layout ranks the topics by prerequisite depth, routes an edge that
skips a layer through a slot of its own in each layer it crosses, and orders every layer to
reduce crossings. Layers run top to bottom, so the drawing stays narrow on a phone. The boxes
are HTML links; the arrows are an SVG underneath them.

Only grandalf's ranking and ordering are used (the boxes are placed here), and their cost is
bounded: a dense graph has a slot for every layer each long edge crosses, which grows with the
cube of its topics, so a part with more than LARGE_PART boxes and slots gets one ordering sweep
rather than SWEEPS, and the exhaustive reordering of small layers stops at REORDER_BUDGET.
"""

from __future__ import annotations

import bisect
import itertools
import math
from dataclasses import dataclass
from typing import Any

from grandalf.graphs import Edge as GEdge
from grandalf.graphs import Graph, Vertex
from grandalf.layouts import SugiyamaLayout
from grandalf.utils import Poset

from ..model import Catalogue, Track

BOX_W, LINE_H, PAD_Y = 128, 15, 10
CHARS_PER_LINE = 16  # at the 12 px label size, in a 128 px box less its padding
GAP_X, GAP_Y, SLOT_W, MARGIN = 16, 40, 12, 6
# Fits a 390 px phone: the page's margins and the route's own box leave 326 px.
MAX_WIDTH = 326
PORT = 12  # spacing of arrow ends along a box's edge
# Exhaustive reordering of a layer is exact and cheap up to this many members.
EXACT_UP_TO = 7
# grandalf's ordering sweeps (down and up again) over a part of the graph, and one sweep down
# for a part with more boxes and slots than LARGE_PART: 40 topics that each need every earlier
# one have 9,920, 100 such topics 161,800, and the shipped tracks at most 6.
SWEEPS = 3
LARGE_PART = 10_000
# What the exhaustive reordering may do in one part, over all its rounds: each order it tries
# of a layer costs the edge segments on either side of that layer (at least 1).
REORDER_BUDGET = 1_000_000


@dataclass(frozen=True)
class Box:
    id: str
    number: int
    title: str
    x: float
    y: float
    w: float
    h: float

    @property
    def label(self) -> str:
        return f"{self.number}. {self.title}"


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    points: tuple[tuple[float, float], ...]
    """Where the arrow runs: a curve between consecutive points that change layer, a straight
    line through the slot of each layer the edge crosses."""

    @property
    def path(self) -> str:
        x0, y0 = self.points[0]
        parts = [f"M{x0:g},{y0:g}"]
        for (x1, y1), (x2, y2) in itertools.pairwise(self.points):
            if x1 == x2:
                parts.append(f"L{x2:g},{y2:g}")
            else:
                mid = (y1 + y2) / 2
                parts.append(f"C{x1:g},{mid:g} {x2:g},{mid:g} {x2:g},{y2:g}")
        return " ".join(parts)


@dataclass(frozen=True)
class Effort:
    """What a layout cost, for tests and benchmarks to see the bounds at work."""

    slots: int
    """Boxes and long edges' slots in the largest part."""
    sweeps: int
    """grandalf's ordering sweeps in that part: 1 past LARGE_PART slots, else SWEEPS."""
    trials: int
    """Layer orders the exhaustive reordering tried, in all parts."""
    work: int
    """The most the exhaustive reordering spent in one part: at most REORDER_BUDGET."""


@dataclass(frozen=True)
class Layout:
    boxes: list[Box]
    edges: list[Edge]
    width: float
    height: float
    layers: list[list[str]]
    """Each layer's members from left to right; an edge's slot is named `source>target`."""
    effort: Effort = Effort(0, SWEEPS, 0, 0)


class _View:
    def __init__(self, w: float, h: float) -> None:
        self.w, self.h = w, h
        self.xy = (0.0, 0.0)


def _label_lines(label: str) -> int:
    lines, width = 1, 0
    for word in label.split():
        if width and width + 1 + len(word) > CHARS_PER_LINE:
            lines, width = lines + 1, len(word)
        else:
            width += len(word) + (1 if width else 0)
    return lines + max(0, math.ceil(max(len(w) for w in label.split()) / CHARS_PER_LINE) - 1)


def layout_track(catalogue: Catalogue, track: Track) -> Layout:
    ids = list(track.topics)
    topics = catalogue.topic_by_id
    inside = set(ids)
    prereqs = {t: [p for p in topics[t].prerequisites if p in inside] for t in ids}
    return layout_graph([(t, topics[t].title) for t in ids], prereqs)


def layout_graph(nodes: list[tuple[str, str]], prereqs: dict[str, list[str]]) -> Layout:
    """Lay out `nodes` (id, title), numbered in their order, with an arrow from each
    prerequisite to the node that needs it. The graph must be acyclic (validation sees to it).

    Each connected part is drawn with its layers centred on each other; parts sit side by side
    while they fit in a phone's width, then wrap to a new row."""
    number = {node: i for i, (node, _) in enumerate(nodes, 1)}
    title = dict(nodes)
    vertices = {}
    for node, _ in nodes:
        vertex = Vertex(node)
        lines = _label_lines(f"{number[node]}. {title[node]}")
        vertex.view = _View(BOX_W, max(2, lines) * LINE_H + 2 * PAD_Y)
        vertices[node] = vertex
    edges = [GEdge(vertices[p], vertices[n]) for n, _ in nodes for p in prereqs.get(n, [])]
    graph = Graph(list(vertices.values()), edges)
    # grandalf collects a part's edges in a set, whose order changes from run to run, and the
    # order of the slots (so the drawing) follows it: the edges' own order makes builds repeat.
    position = {edge: i for i, edge in enumerate(edges)}
    for core in graph.C:
        core.sE = Poset(sorted(core.sE, key=position.__getitem__))
    ordered = [
        _ordered_layers(core, number)
        for core in sorted(graph.C, key=lambda c: min(number[v.data] for v in c.sV))
    ]
    parts = [part for part, _ in ordered]
    placed: dict[str, tuple[float, float, float, float]] = {}  # left, top, w, h
    slots: dict[tuple[str, str], list[tuple[float, float, float]]] = {}  # x, top, bottom
    layers: list[list[str]] = []
    x: float = MARGIN
    y: float = MARGIN
    row_height = width = 0.0
    for part in parts:
        part_w, part_h = _size(part)
        if x > MARGIN and x + part_w > MAX_WIDTH - MARGIN:
            x, y, row_height = MARGIN, y + row_height + GAP_Y, 0.0
        _place(part, x, y, part_w, placed, slots, layers)
        width = max(width, x + part_w)
        row_height = max(row_height, part_h)
        x += part_w + 2 * GAP_X
    boxes = [Box(node, number[node], title[node], *placed[node]) for node, _ in nodes]
    return Layout(
        boxes,
        _route(boxes, prereqs, slots),
        width + MARGIN,
        y + row_height + MARGIN,
        layers,
        _total([effort for _, effort in ordered]),
    )


def _total(efforts: list[Effort]) -> Effort:
    if not efforts:
        return Effort(0, SWEEPS, 0, 0)
    largest = max(efforts, key=lambda e: e.slots)
    trials = sum(e.trials for e in efforts)
    return Effort(largest.slots, largest.sweeps, trials, max(e.work for e in efforts))


# A layer of a part: (name, width, height) per member, from left to right.
_Layer = list[tuple[str | tuple[str, str], float, float]]


def _ordered_layers(core: Any, number: dict[str, int]) -> tuple[list[_Layer], Effort]:
    """grandalf ranks and orders one connected part; a long edge gets a slot per layer."""
    sugiyama = SugiyamaLayout(core)
    sugiyama.dw = SLOT_W  # the width of a long edge's slot in a layer it crosses
    # The graph is acyclic: name the roots, so grandalf need not search for cycles.
    sugiyama.init_all(roots=[v for v in core.sV if not v.e_in()], inverted_edges=[])
    # grandalf's draw() would go on to its own coordinates, which are not used here, and cost
    # far more than the ordering on a large part.
    slots = sum(len(layer) for layer in sugiyama.layers)
    if slots > LARGE_PART:
        sweeps = 1
        for _ in sugiyama.ordering_step(oneway=True):
            pass
    else:
        sweeps = SWEEPS
        for _ in range(sweeps):
            for _ in sugiyama.ordering_step():
                pass
    trials, work = _reduce_crossings(sugiyama, number)
    layers = []
    ends: dict[int, tuple[str, str]] = {}  # by the slots' shared dict of their edge
    for layer in sugiyama.layers:
        members: _Layer = []
        for v in layer:
            if hasattr(v, "ctrl"):  # a slot of a long edge
                if id(v.ctrl) not in ends:
                    top, bottom = min(v.ctrl), max(v.ctrl)
                    ends[id(v.ctrl)] = (v.ctrl[top].data, v.ctrl[bottom].data)
                members.append((ends[id(v.ctrl)], SLOT_W, 0.0))
            else:
                members.append((v.data, v.view.w, v.view.h))
        layers.append(members)
    return layers, Effort(slots, sweeps, trials, work)


def _size(part: list[_Layer]) -> tuple[float, float]:
    width = max(sum(w for _, w, _ in layer) + GAP_X * (len(layer) - 1) for layer in part)
    height = sum(max(h for _, _, h in layer) for layer in part) + GAP_Y * (len(part) - 1)
    return width, height


def _place(
    part: list[_Layer],
    left: float,
    top: float,
    width: float,
    placed: dict[str, tuple[float, float, float, float]],
    slots: dict[tuple[str, str], list[tuple[float, float, float]]],
    layers: list[list[str]],
) -> None:
    y = top
    for rank, layer in enumerate(part):
        height = max(h for _, _, h in layer)
        x = left + (width - sum(w for _, w, _ in layer) - GAP_X * (len(layer) - 1)) / 2
        names = []
        for name, w, h in layer:
            if isinstance(name, tuple):
                slots.setdefault(name, []).append((x + w / 2, y, y + height))
                names.append(f"{name[0]}>{name[1]}")
            else:
                placed[name] = (x, y + (height - h) / 2, w, h)
                names.append(name)
            x += w + GAP_X
        if rank < len(layers):
            layers[rank].extend(names)
        else:
            layers.append(names)
        y += height + GAP_Y


def _reduce_crossings(sugiyama: Any, number: dict[str, int]) -> tuple[int, int]:
    """Each layer's boxes go in the track's numbering, left to right. grandalf's sweeps are a
    heuristic; where a layer is small, try every order of it that keeps its boxes so numbered
    against its neighbours, and keep the one with the fewest crossings, until no layer
    improves. Between orders with as few crossings, the one closer to the numbering wins. A
    layer whose orders would take the work past REORDER_BUDGET keeps its order. Returns the
    orders tried and the work."""

    def rank(v: Any) -> float:
        if hasattr(v, "ctrl"):  # a long edge's slot sits by the topic it comes from
            return min(number[c.data] for c in v.ctrl.values() if not hasattr(c, "ctrl")) + 0.5
        return number[v.data]

    def disorder(layer: list[Any]) -> int:
        return sum(1 for a, b in itertools.combinations(layer, 2) if rank(a) > rank(b))

    def misnumbered(layer: list[Any]) -> int:
        boxes = [v for v in layer if not hasattr(v, "ctrl")]
        return sum(1 for a, b in itertools.combinations(boxes, 2) if rank(a) > rank(b))

    # A row reads in the track's order: its boxes from left to right by number, slots kept
    # where they are. Only the slots move after this.
    for index, layer in enumerate(sugiyama.layers):
        boxes = sorted((v for v in layer if not hasattr(v, "ctrl")), key=rank)
        _set_order(sugiyama, index, [v if hasattr(v, "ctrl") else boxes.pop(0) for v in layer])
    if not any(2 <= len(layer) <= EXACT_UP_TO for layer in sugiyama.layers):
        return 0, 0
    # Reordering a layer changes only the crossings between it and its two neighbours.
    gaps = _layer_edges(sugiyama)
    around = [gaps[max(0, index - 1) : index + 1] for index in range(len(sugiyama.layers))]
    trials = work = 0
    improved = True
    while improved:
        improved = False
        for index, layer in enumerate(sugiyama.layers):
            if len(layer) < 2 or len(layer) > EXACT_UP_TO:
                continue
            orders = math.factorial(len(layer))
            cost = orders * max(1, sum(len(segments) for segments in around[index]))
            if work + cost > REORDER_BUDGET:
                continue
            trials, work = trials + orders, work + cost
            start = list(layer)
            best = (misnumbered(start), _crossings(sugiyama, around[index]), disorder(start))
            for order in itertools.permutations(start):
                _set_order(sugiyama, index, list(order))
                score = (
                    misnumbered(list(order)),
                    _crossings(sugiyama, around[index]),
                    disorder(list(order)),
                )
                if score < best:
                    best, start, improved = score, list(order), True
            _set_order(sugiyama, index, start)
    return trials, work


def _set_order(sugiyama: Any, rank: int, order: list[Any]) -> None:
    layer = sugiyama.layers[rank]
    layer[:] = order
    for i, v in enumerate(layer):
        sugiyama.grx[v].pos = i


def _layer_edges(sugiyama: Any) -> list[list[tuple[Any, Any]]]:
    """Per pair of adjacent layers, each edge segment as (vertex or slot above, below)."""
    grx = sugiyama.grx
    between: list[list[tuple[Any, Any]]] = [[] for _ in sugiyama.layers[1:]]
    for e in sugiyama.g.E():
        a, b = e.v
        chain = [a] + [sugiyama.ctrls[e][r] for r in range(grx[a].rank + 1, grx[b].rank)]
        chain.append(b)
        for upper, lower in itertools.pairwise(chain):
            between[grx[upper].rank].append((upper, lower))
    return between


def _crossings(sugiyama: Any, gaps: list[list[tuple[Any, Any]]]) -> int:
    """Pairs of segments that cross in `gaps`: one left of the other at one end and right of it
    at the other (sharing an end is no crossing), counted as inversions of the lower ends."""
    grx = sugiyama.grx
    count = 0
    for segments in gaps:
        below: list[int] = []  # the lower ends seen so far, sorted
        for _, lower in sorted((grx[a].pos, grx[b].pos) for a, b in segments):
            count += len(below) - bisect.bisect_right(below, lower)
            bisect.insort(below, lower)
    return count


def crossings(sugiyama: Any) -> int:
    """Pairs of edge segments that cross between adjacent layers."""
    return _crossings(sugiyama, _layer_edges(sugiyama))


def _route(
    boxes: list[Box],
    prereqs: dict[str, list[str]],
    slots: dict[tuple[str, str], list[tuple[float, float, float]]],
) -> list[Edge]:
    """Arrows from the bottom of a prerequisite to the top of the topic that needs it, with
    the ends on a box spread out in the order of the boxes at the other end."""
    by_id = {b.id: b for b in boxes}
    pairs = [(p, b.id) for b in boxes for p in prereqs.get(b.id, [])]

    def toward(pair: tuple[str, str], end: int) -> float:
        path = slots.get(pair)
        if path:
            return path[0][0] if end == 1 else path[-1][0]
        other = by_id[pair[end]]
        return other.x + other.w / 2

    def ports(node: str, end: int) -> dict[tuple[str, str], float]:
        mine = sorted((p for p in pairs if p[1 - end] == node), key=lambda p: toward(p, end))
        box = by_id[node]
        spread = min(PORT, (box.w - 2 * PORT) / max(1, len(mine) - 1))
        return {
            p: box.x + box.w / 2 + (i - (len(mine) - 1) / 2) * spread for i, p in enumerate(mine)
        }

    out_x: dict[tuple[str, str], float] = {}
    in_x: dict[tuple[str, str], float] = {}
    for b in boxes:
        out_x.update(ports(b.id, 1))
        in_x.update(ports(b.id, 0))
    edges = []
    for pair in pairs:
        source, target = by_id[pair[0]], by_id[pair[1]]
        points = [(out_x[pair], source.y + source.h)]
        for x, top, bottom in slots.get(pair, []):
            points += [(x, top), (x, bottom)]
        points.append((in_x[pair], target.y))
        edges.append(Edge(pair[0], pair[1], tuple(points)))
    return edges
