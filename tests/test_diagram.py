"""The prerequisite diagram's geometry: arrows never cross a box, crossings are as few as any
order of the layers allows, the text alternative names exactly the edges, and big graphs lay
out without recursion limits, within bounds of effort (no timing: the effort is counted)."""

from __future__ import annotations

import itertools
import math
import re
from html.parser import HTMLParser
from typing import Any

import pytest

from studyguide.render import render_site
from studyguide.render.diagram import (
    EXACT_UP_TO,
    LARGE_PART,
    MAX_WIDTH,
    REORDER_BUDGET,
    SWEEPS,
    Layout,
    layout_graph,
    layout_track,
)
from studyguide.validate import load_catalogue

from .helpers import ROOT

Graph = tuple[list[tuple[str, str]], dict[str, list[str]]]


def chain(n: int) -> Graph:
    return [(f"t{i}", f"Topic {i}") for i in range(n)], {
        f"t{i}": [f"t{i - 1}"] for i in range(1, n)
    }


GRAPHS: dict[str, Graph] = {
    # The research track's shape: a long edge (a -> e) crosses the middle layer.
    "long edge": (
        [("a", "Calculus"), ("b", "Linear algebra"), ("c", "Multivariable calculus"),
         ("d", "Probability and statistics"), ("e", "Convex optimization")],
        {"c": ["a", "b"], "d": ["a", "b"], "e": ["c", "b"]},
    ),
    # Listed in an order that crosses: the layout must untangle it.
    "crossed": (
        [("a", "A"), ("b", "B"), ("c", "C"), ("d", "D")],
        {"d": ["a"], "c": ["b"]},
    ),
    "two long edges": (
        [("r", "Root"), ("m", "Middle"), ("n", "Next"), ("x", "Leaf one"), ("y", "Leaf two")],
        {"m": ["r"], "n": ["m"], "x": ["r", "n"], "y": ["r"]},
    ),
    "isolated topics": ([("p", "P"), ("q", "Q"), ("r", "R")], {}),
    # The casual track's shape, where "1. Calculus" once sat right of "2. Linear algebra".
    "two roots": (
        [("a", "Calculus"), ("b", "Linear algebra"), ("c", "Multivariable calculus"),
         ("d", "Probability and statistics"), ("e", "Convex optimization")],
        {"c": ["a", "b"], "d": ["b"], "e": ["c", "d"]},
    ),
}  # fmt: skip


def shipped_layouts() -> dict[str, Layout]:
    catalogue = load_catalogue(ROOT / "resources.yaml", ROOT / "tracks")
    return {t.id: layout_track(catalogue, t) for t in catalogue.tracks}


def all_layouts() -> dict[str, Layout]:
    return {**{k: layout_graph(*g) for k, g in GRAPHS.items()}, **shipped_layouts()}


def curve(points: tuple[tuple[float, float], ...], steps: int = 64) -> list[tuple[float, float]]:
    """Points along an edge as its SVG path draws it."""
    out = []
    for (x1, y1), (x2, y2) in itertools.pairwise(points):
        mid = (y1 + y2) / 2
        for i in range(steps + 1):
            t = i / steps
            if x1 == x2:
                out.append((x1, y1 + (y2 - y1) * t))
            else:  # cubic Bezier (x1,y1) (x1,mid) (x2,mid) (x2,y2)
                u = 1 - t
                x = u**3 * x1 + 3 * u * u * t * x1 + 3 * u * t * t * x2 + t**3 * x2
                y = u**3 * y1 + 3 * u * u * t * mid + 3 * u * t * t * mid + t**3 * y2
                out.append((x, y))
    return out


@pytest.mark.parametrize(("name", "layout"), all_layouts().items(), ids=lambda v: str(v)[:20])
def test_no_edge_passes_through_a_box_other_than_its_ends(name: str, layout: Layout) -> None:
    for edge in layout.edges:
        others = [b for b in layout.boxes if b.id not in (edge.source, edge.target)]
        for x, y in curve(edge.points):
            for b in others:
                inside = b.x < x < b.x + b.w and b.y < y < b.y + b.h
                assert not inside, f"{name}: {edge.source}->{edge.target} crosses {b.id}"
        ends = {b.id: b for b in layout.boxes}
        source, target = ends[edge.source], ends[edge.target]
        (x0, y0), (x1, y1) = edge.points[0], edge.points[-1]
        assert y0 == source.y + source.h
        assert source.x < x0 < source.x + source.w
        assert y1 == target.y
        assert target.x < x1 < target.x + target.w


def layer_crossings(layers: list[list[str]], segments: list[tuple[str, str]]) -> int:
    position = {
        name: (rank, i) for rank, layer in enumerate(layers) for i, name in enumerate(layer)
    }
    count = 0
    for (a1, b1), (a2, b2) in itertools.combinations(segments, 2):
        (r1, p1), (_q1, s1) = position[a1], position[b1]
        (r2, p2), (_q2, s2) = position[a2], position[b2]
        if r1 == r2 and (p1 - p2) * (s1 - s2) < 0:
            count += 1
    return count


def segments_of(layout: Layout, prereqs: dict[str, list[str]]) -> list[tuple[str, str]]:
    """Each edge as its pieces between adjacent layers, through its slots."""
    rank = {name: r for r, layer in enumerate(layout.layers) for name in layer}
    out = []
    for target, sources in prereqs.items():
        for source in sources:
            chain_ = [source]
            chain_ += [f"{source}>{target}"] * (rank[target] - rank[source] - 1)
            chain_.append(target)
            # Repeated slot names stand for one slot per crossed layer.
            for r, (a, b) in enumerate(itertools.pairwise(chain_), start=rank[source]):
                out.append((f"{a}@{r}" if ">" in a else a, f"{b}@{r + 1}" if ">" in b else b))
    return out


def named_layers(layout: Layout) -> list[list[str]]:
    return [[f"{n}@{r}" if ">" in n else n for n in layer] for r, layer in enumerate(layout.layers)]


def numbered(layers: list[list[str]], number: dict[str, int], part: dict[str, int]) -> bool:
    """In each layer, each connected part's boxes (not slots) in the track's numbering, from
    left to right. (Parts sit side by side, so two parts' boxes in one row can interleave in
    number; every shipped track is one part.)"""
    for layer in layers:
        for p in set(part.values()):
            mine = [number[n] for n in layer if n in number and part[n] == p]
            if mine != sorted(mine):
                return False
    return True


def parts_of(nodes: list[str], prereqs: dict[str, list[str]]) -> dict[str, int]:
    """Each node's connected part, as the index of its smallest member."""
    part = {n: i for i, n in enumerate(nodes)}
    changed = True
    while changed:
        changed = False
        for target, sources in prereqs.items():
            for source in sources:
                low = min(part[target], part[source])
                if part[target] != low or part[source] != low:
                    part[target] = part[source] = low
                    changed = True
    return part


def fewest_crossings(
    layers: list[list[str]],
    segments: list[tuple[str, str]],
    number: dict[str, int],
    part: dict[str, int],
) -> int:
    """The fewest crossings of any order of the layers that keeps each row numbered."""
    return min(
        layer_crossings(list(map(list, orders)), segments)
        for orders in itertools.product(*(itertools.permutations(layer) for layer in layers))
        if numbered(list(map(list, orders)), number, part)
    )


@pytest.mark.parametrize("name", GRAPHS)
def test_crossings_are_as_few_as_any_order_of_the_layers_allows(name: str) -> None:
    nodes, prereqs = GRAPHS[name]
    layout = layout_graph(nodes, prereqs)
    layers = named_layers(layout)
    segments = segments_of(layout, prereqs)
    number = {node: i for i, (node, _) in enumerate(nodes, 1)}
    part = parts_of([n for n, _ in nodes], prereqs)
    assert numbered(layers, number, part)
    best = fewest_crossings(layers, segments, number, part)
    assert layer_crossings(layers, segments) == best
    if name == "crossed":
        assert best == 0  # the input order crossed; the layout does not


def test_the_shipped_tracks_read_in_order_with_minimal_crossings() -> None:
    catalogue = load_catalogue(ROOT / "resources.yaml", ROOT / "tracks")
    for track in catalogue.tracks:
        ids = set(track.topics)
        prereqs = {
            t: [p for p in catalogue.topic_by_id[t].prerequisites if p in ids] for t in track.topics
        }
        layout = layout_track(catalogue, track)
        layers, segments = named_layers(layout), segments_of(layout, prereqs)
        number = {topic: i for i, topic in enumerate(track.topics, 1)}
        part = parts_of(list(track.topics), prereqs)
        # "1. Calculus" left of "2. Linear algebra": each row reads in the track's order.
        assert numbered(layers, number, part), (track.id, layers)
        best = fewest_crossings(layers, segments, number, part)
        assert layer_crossings(layers, segments) == best, track.id


class _Edges(HTMLParser):
    """The edges the diagram's text alternative and arrows name, from the rendered page."""

    def __init__(self) -> None:
        super().__init__()
        self.listed: list[str] = []
        self.drawn: list[str] = []
        self.boxes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "li" and found.get("data-sg-edge"):
            self.listed.append(found["data-sg-edge"] or "")
        if tag == "path" and found.get("data-sg-edge"):
            self.drawn.append(found["data-sg-edge"] or "")
        if tag == "a" and found.get("class") == "sg-route__box":
            self.boxes.append(found.get("href") or "")


def test_the_text_alternative_lists_exactly_the_edges_in_the_data() -> None:
    catalogue = load_catalogue(ROOT / "resources.yaml", ROOT / "tracks")
    generated = render_site(catalogue)
    for track in catalogue.tracks:
        ids = set(track.topics)
        expected = {
            f"{p} {t}"
            for t in track.topics
            for p in catalogue.topic_by_id[t].prerequisites
            if p in ids
        }
        page = "".join(generated[f"tracks/{track.id}.md"].fragments.values())
        parser = _Edges()
        parser.feed(page)
        assert set(parser.listed) == expected
        assert len(parser.listed) == len(expected)
        assert set(parser.drawn) == expected
        assert parser.boxes == [f"#{t}" for t in track.topics]
        titles = catalogue.topic_by_id
        for edge in expected:
            source, target = edge.split()
            sentence = f"{titles[target].title} builds on {titles[source].title}"
            assert re.search(rf'data-sg-edge="{edge}">{re.escape(sentence)}</li>', page)


def test_a_long_chain_lays_out_without_a_recursion_limit() -> None:
    layout = layout_graph(*chain(400))
    assert len(layout.boxes) == 400
    assert len(layout.layers) == 400
    assert layout.width <= MAX_WIDTH


def dense(n: int) -> Graph:
    """n topics, each needing every earlier one: n layers, and a slot in every layer that
    each of the n(n-1)/2 edges crosses."""
    return [(f"t{i}", f"Topic {i}") for i in range(n)], {
        f"t{i}": [f"t{j}" for j in range(i)] for i in range(n)
    }


def rows(count: int, width: int) -> Graph:
    """`count` rows of `width` topics, each needing two topics of the row above: small layers
    with crossings to remove, and no long edges."""
    nodes = [(f"r{r}c{c}", f"Row {r}, topic {c}") for r in range(count) for c in range(width)]
    prereqs = {
        f"r{r}c{c}": [f"r{r - 1}c{c}", f"r{r - 1}c{(c + 3) % width}"]
        for r in range(1, count)
        for c in range(width)
    }
    return nodes, prereqs


def assert_valid(
    layout: Layout, nodes: list[tuple[str, str]], prereqs: dict[str, list[str]]
) -> None:
    """Every box placed once, inside the drawing and clear of the others; every edge drawn
    from the bottom of its prerequisite to the top of its topic, through a slot of its own in
    each layer between them, clear of that layer's boxes."""
    assert [b.id for b in layout.boxes] == [n for n, _ in nodes]
    by_id = {b.id: b for b in layout.boxes}
    rank: dict[str, int] = {}  # of each box
    slot_ranks: dict[str, list[int]] = {}  # of each long edge's slots, named source>target
    for r, layer in enumerate(layout.layers):
        assert len(set(layer)) == len(layer)
        for name in layer:
            if ">" in name:
                slot_ranks.setdefault(name, []).append(r)
            else:
                assert name not in rank
                rank[name] = r
    assert sorted(rank) == sorted(by_id)
    for b in layout.boxes:
        assert 0 <= b.x <= b.x + b.w <= layout.width
        assert 0 <= b.y <= b.y + b.h <= layout.height
    for a, b in itertools.combinations(layout.boxes, 2):
        assert a.x + a.w <= b.x or b.x + b.w <= a.x or a.y + a.h <= b.y or b.y + b.h <= a.y
    expected = [(p, n) for n, _ in nodes for p in prereqs.get(n, [])]
    assert sorted((e.source, e.target) for e in layout.edges) == sorted(expected)
    in_layer: dict[int, list[Any]] = {}
    for r, layer in enumerate(layout.layers):
        in_layer[r] = [by_id[name] for name in layer if name in by_id]
    slots_at: dict[int, list[float]] = {r: [] for r in in_layer}
    for e in layout.edges:
        source, target = by_id[e.source], by_id[e.target]
        span = rank[e.target] - rank[e.source]
        assert span >= 1
        slots = slot_ranks.pop(f"{e.source}>{e.target}", [])
        assert slots == list(range(rank[e.source] + 1, rank[e.target]))
        assert len(e.points) == 2 + 2 * (span - 1)
        (x0, y0), (x1, y1) = e.points[0], e.points[-1]
        assert y0 == source.y + source.h
        assert source.x < x0 < source.x + source.w
        assert y1 == target.y
        assert target.x < x1 < target.x + target.w
        assert all(a[1] <= b[1] for a, b in itertools.pairwise(e.points))  # always downwards
        for i in range(span - 1):
            (x, top), (x_, bottom) = e.points[1 + 2 * i], e.points[2 + 2 * i]
            assert x == x_
            assert top < bottom
            r = rank[e.source] + 1 + i
            slots_at[r].append(x)
            assert all(not b.x <= x <= b.x + b.w for b in in_layer[r]), (e.source, e.target, r)
    assert slot_ranks == {}  # no slot of an edge that is not there
    for r, xs in slots_at.items():
        assert len(set(xs)) == len(xs), f"two slots share a place in layer {r}"


def test_a_dense_graph_of_100_topics_lays_out_with_one_sweep() -> None:
    nodes, prereqs = dense(100)
    layout = layout_graph(nodes, prereqs)
    assert len(layout.layers) == 100
    assert layout.effort.slots == 100 + math.comb(100, 3)  # 161,800 boxes and slots
    assert layout.effort.slots > LARGE_PART
    assert layout.effort.sweeps == 1  # not SWEEPS: each sweep costs time per slot
    assert layout.effort.work <= REORDER_BUDGET
    assert len(layout.edges) == math.comb(100, 2)
    assert_valid(layout, nodes, prereqs)


def test_the_exhaustive_reordering_stops_at_its_budget() -> None:
    nodes, prereqs = rows(15, EXACT_UP_TO)
    layout = layout_graph(nodes, prereqs)
    # Every layer is small enough to try all its orders, and one round of that would cost
    # more than the budget: some layers keep grandalf's order.
    orders = math.factorial(EXACT_UP_TO)
    between_rows = 2 * EXACT_UP_TO  # segments; a middle row has them on both sides
    one_round = orders * between_rows * (2 * (15 - 2) + 2)
    assert one_round > REORDER_BUDGET
    assert layout.effort.sweeps == SWEEPS
    assert 0 < layout.effort.work <= REORDER_BUDGET
    assert 0 < layout.effort.trials < 15 * orders
    assert_valid(layout, nodes, prereqs)


def test_the_shipped_tracks_are_laid_out_with_every_sweep_and_the_whole_reordering() -> None:
    for track_id, layout in shipped_layouts().items():
        assert layout.effort.slots <= LARGE_PART, track_id
        assert layout.effort.sweeps == SWEEPS, track_id
        assert 0 < layout.effort.work < REORDER_BUDGET // 100, track_id


def test_a_layout_is_the_same_every_time() -> None:
    # grandalf keeps a part's edges in a set, whose order follows their memory addresses: the
    # order of the slots must not. Both graphs used to come out in several ways in one run.
    for n in (7, 9):
        nodes, prereqs = dense(n)
        first = layout_graph(nodes, prereqs)
        kept = []
        for _ in range(10):
            kept.append([object() for _ in range(97)])  # move the next addresses along
            again = layout_graph(nodes, prereqs)
            assert (again.layers, again.edges) == (first.layers, first.edges), n


def test_many_unrelated_topics_wrap_to_stay_narrow() -> None:
    nodes = [(f"t{i}", f"Topic {i}") for i in range(30)]
    layout = layout_graph(nodes, {})
    assert layout.width <= MAX_WIDTH
    assert all(b.x >= 0 and b.x + b.w <= layout.width for b in layout.boxes)
    boxes = sorted(layout.boxes, key=lambda b: (b.y, b.x))
    for a, b in itertools.combinations(boxes, 2):  # none overlaps another
        assert a.x + a.w <= b.x or b.x + b.w <= a.x or a.y + a.h <= b.y or b.y + b.h <= a.y
