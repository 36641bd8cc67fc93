"""Positions computed once in Python, so the page opens already settled (physics off) and never moves.

The whole graph is force-directed from a fixed seed, families starting in their own sector so they stay
grouped; the opening view is three columns (conditions, options, aims). The pathways themselves are
drawn as flowcharts by the page, from the ordered steps computed here.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
from pathlib import Path
from typing import NamedTuple

from bcto.graph.model import OTHER_FAMILY, SUBCLASS, GraphData
from bcto.ontology.cache_entry import keep

SEED = 20261122
ALGORITHM = 2  # part of the cache key: bump it whenever the positions a structure gets would change
Position = tuple[int, int]


def _starting_positions(data: GraphData) -> dict[str, tuple[float, float]]:
    """Each family's terms start scattered around their own point on a circle."""
    rng = random.Random(SEED)
    families = [*data.families, OTHER_FAMILY]
    start = {}
    for tid, term in data.terms.items():
        angle = 2 * math.pi * families.index(term.family) / len(families)
        start[tid] = (math.cos(angle) + rng.uniform(-0.25, 0.25), math.sin(angle) + rng.uniform(-0.25, 0.25))
    return start


LARGE = 1500  # above this many terms in one connected part, lay out communities first (see _clustered_layout)
Adjacency = dict[str, set[str]]


def _adjacency(data: GraphData) -> Adjacency:
    """The asserted links as an undirected graph (inferred is-a links shortcut the hierarchy and are not laid out)."""
    near: Adjacency = {tid: set() for tid in data.terms}
    for link in data.links:
        if not link.inferred and link.subject != link.object:
            near[link.subject].add(link.object)
            near[link.object].add(link.subject)
    return near


def _parts(near: Adjacency) -> list[list[str]]:
    """Connected parts, largest first, each in the graph's own (sorted) node order."""
    part_of: dict[str, int] = {}
    for first in near:
        if first in part_of:
            continue
        number, stack = len(part_of), [first]
        part_of[first] = number
        while stack:
            for other in near[stack.pop()]:
                if other not in part_of:
                    part_of[other] = number
                    stack.append(other)
    parts: dict[int, list[str]] = {}
    for tid in near:
        parts.setdefault(part_of[tid], []).append(tid)
    return sorted(parts.values(), key=lambda c: (-len(c), c[0]))


def _force_directed(
    nodes: list[str], near: Adjacency, start: dict[str, tuple[float, float]], iterations: int = 50
) -> dict[str, tuple[float, float]]:
    """Fruchterman-Reingold as networkx's spring_layout computes it for small graphs (same forces, cooling
    and stopping rule), written on complex numbers: half the numpy work, and no networkx or scipy to import
    (~0.3 s) when only a small graph is laid out. O(n^2) per iteration, so used up to LARGE terms."""
    import numpy as np

    if len(nodes) == 1:
        return {nodes[0]: (0.0, 0.0)}
    index = {n: i for i, n in enumerate(nodes)}
    adjacency = np.zeros((len(nodes), len(nodes)))
    for n in nodes:  # links leaving these nodes (to another community) exert no force here
        adjacency[index[n], [index[m] for m in near[n] if m in index]] = 1.0
    z = np.array([complex(*start[n]) for n in nodes])
    k = math.sqrt(1.0 / len(nodes))
    t = max(np.ptp(z.real), np.ptp(z.imag)) * 0.1
    cooling = t / (iterations + 1)
    # The n x n arrays are made once and overwritten (out=): the same operations in the same order, so the same
    # bits, without allocating and page-faulting ~10 MB per iteration (1.5x faster at BCTO's size).
    delta = np.empty(adjacency.shape, dtype=complex)
    distance, force, pull = np.empty(adjacency.shape), np.empty(adjacency.shape), np.empty(adjacency.shape)
    for _ in range(iterations):
        np.subtract(z[:, np.newaxis], z[np.newaxis, :], out=delta)
        np.maximum(np.abs(delta, out=distance), 0.01, out=distance)
        np.divide(np.multiply(adjacency, distance, out=pull), k, out=pull)  # attraction along links
        np.divide(k * k, np.multiply(distance, distance, out=force), out=force)  # repulsion between all pairs
        displacement = np.multiply(delta, np.subtract(force, pull, out=force), out=delta).sum(axis=1)
        length = np.abs(displacement)
        step = displacement * (t / np.where(length < 0.01, 0.1, length))
        z += step
        t -= cooling
        if np.sqrt((np.abs(step) ** 2).sum()) / len(nodes) < 1e-4:
            break
    z -= z.mean()
    limit = max(np.abs(z.real).max(), np.abs(z.imag).max())
    z *= (110 * math.sqrt(len(nodes)) / limit) if limit > 0 else 1.0
    return {n: (float(z[i].real), float(z[i].imag)) for n, i in index.items()}


def _clustered_layout(nodes: list[str], near: Adjacency, start: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
    """Large graphs: Louvain communities laid out one by one, then placed by a layout of the community graph.

    A force layout costs O(n^2) per iteration (minutes at 8,000 terms); this costs about that of the
    largest community, and keeps each community together on screen.
    """
    import networkx as nx

    g = nx.Graph()
    g.add_nodes_from(nodes)
    g.add_edges_from((a, b) for a in nodes for b in sorted(near[a]) if a < b)  # sorted: Louvain follows edge order
    communities = sorted((sorted(c) for c in nx.community.louvain_communities(g, seed=SEED)), key=lambda c: (-len(c), c[0]))
    home = {n: i for i, members in enumerate(communities) for n in members}
    quotient = nx.Graph()
    quotient.add_nodes_from(range(len(communities)))
    for a, b in g.edges():
        if home[a] != home[b]:
            weight = quotient.get_edge_data(home[a], home[b], {"weight": 0})["weight"]
            quotient.add_edge(home[a], home[b], weight=weight + 1)
    local = [_force_directed(members, near, start) for members in communities]
    radius = [110 * math.sqrt(len(members)) for members in communities]
    spread = 2.2 * (sum(radius) / len(radius)) * math.sqrt(len(communities))
    centres = nx.spring_layout(quotient, seed=SEED, iterations=200, weight="weight", scale=spread)
    return {n: (float(centres[i][0]) + x, float(centres[i][1]) + y) for i, pos in enumerate(local) for n, (x, y) in pos.items()}


def _component_layout(nodes: list[str], near: Adjacency, start: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
    return _force_directed(nodes, near, start) if len(nodes) <= LARGE else _clustered_layout(nodes, near, start)


def structure_key(data: GraphData) -> str:
    """What the whole-graph layout depends on: terms, their families and the asserted links (inferred
    links are not laid out), so a definition, label or source edit keeps the key."""
    terms = sorted((tid, t.family) for tid, t in data.terms.items())
    links = sorted({(link.subject, link.object) for link in data.links if not link.inferred})
    text = json.dumps([SEED, ALGORITHM, terms, links], separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


_MEMO: dict[str, dict[str, Position]] = {}  # within one process: the build lays out early, the page reuses it


def graph_layout(data: GraphData, cache: Path | None = None) -> dict[str, Position]:
    """Whole-graph positions, computed once per structure: kept for the process, and on disk in cache if given."""
    key = structure_key(data)
    if key in _MEMO:
        return _MEMO[key]
    entry = cache / f"{key}.json" if cache is not None else None
    if entry is not None and entry.is_file():
        try:
            _MEMO[key] = {n: (int(x), int(y)) for n, (x, y) in json.loads(entry.read_text()).items()}
            return _MEMO[key]
        except (ValueError, TypeError):
            entry.unlink()  # a damaged entry is recomputed, never trusted
    _MEMO[key] = positions = _graph_layout(data)
    if entry is not None:
        keep(entry, json.dumps(positions, separators=(",", ":")).encode("utf-8"))
    return positions


def _graph_layout(data: GraphData) -> dict[str, Position]:
    """Whole-graph positions in screen pixels, identical for identical data.

    Each connected part is laid out on its own (a lone term would otherwise be flung to the edge
    and squeeze everything else into the middle); the largest sits at the centre, the rest in rows below.
    """
    if not data.terms:
        return {}
    near = _adjacency(data)
    start = _starting_positions(data)
    parts = _parts(near)
    placed: dict[str, Position] = {}
    cursor_x, cursor_y, row_height, row_left = 0.0, 0.0, 0.0, 0.0
    for i, part in enumerate(parts):
        pos = _component_layout(part, near, start)
        xs, ys = [x for x, _ in pos.values()], [y for _, y in pos.values()]
        min_x, min_y = min(xs), min(ys)
        width, height = max(xs) - min_x, max(ys) - min_y
        if i == 0:
            left, top = -width / 2, -height / 2
            row_left, cursor_x, cursor_y = left, left, top + height + 150
        else:
            if cursor_x - row_left > max(1200.0, width):
                cursor_x, cursor_y, row_height = row_left, cursor_y + row_height + 120, 0.0
            left, top = cursor_x, cursor_y
            cursor_x += width + 120
            row_height = max(row_height, height)
        for n, (x, y) in pos.items():
            placed[n] = (round(left + x - min_x), round(top + y - min_y))
    return dict(sorted(placed.items()))


class DrawnStep(NamedTuple):
    """A pathway step as the pathway view draws it: its activities and whether an arrow orders it."""

    id: str
    activities: tuple[str, ...]
    optional: bool  # the source marks the step as optional
    after_previous: bool  # a `precedes` link orders it after the step before; False: order not stated


class Pathway(NamedTuple):
    id: str
    label: str
    conditions: tuple[str, ...]  # what the pathway is for
    steps: tuple[DrawnStep, ...]  # in order; runs of steps not ordered among themselves stay together
    members: tuple[str, ...]  # every term the pathway view shows for it


def _step_columns(steps: set[str], follows: dict[str, set[str]]) -> dict[str, int]:
    """Each step's position: 1 for a step nothing precedes, else one more than the latest step before it.
    Steps that bcto:precedes does not order among themselves (the source gives no order) share a position."""
    before: dict[str, set[str]] = {s: set() for s in steps}
    for s in steps:
        for t in follows.get(s, ()):
            if t in before:
                before[t].add(s)
    column: dict[str, int] = {}
    todo = sorted(steps)
    while todo:  # a cycle (never built, only hand-made input) leaves its steps at the end
        ready = [s for s in todo if before[s] <= set(column)]
        if not ready:
            last = max(column.values(), default=0)
            column.update({s: last + 1 for s in todo})
            break
        for s in ready:
            column[s] = 1 + max((column[b] for b in before[s]), default=0)
        todo = [s for s in todo if s not in column]
    return column


def pathways(data: GraphData) -> list[Pathway]:
    """Every treatment pathway with its steps in order, its activities and the conditions it is for."""
    step_of: dict[str, set[str]] = {}
    follows: dict[str, set[str]] = {}  # a step precedes every step at the next position
    activity: dict[str, list[str]] = {}
    condition: dict[str, list[str]] = {}
    optional: set[str] = set()
    for link in data.links:
        if link.predicate == "isStepOf":
            step_of.setdefault(link.object, set()).add(link.subject)
        elif link.predicate == "precedes":
            follows.setdefault(link.subject, set()).add(link.object)
        elif link.predicate == "hasStepActivity":
            activity.setdefault(link.subject, []).append(link.object)
        elif link.predicate == "isPathwayFor":
            condition.setdefault(link.subject, []).append(link.object)
        if link.optional and link.predicate in ("isStepOf", "hasStepActivity"):
            optional.add(link.subject)
    found = []
    for tid, term in data.terms.items():
        if term.family != "TreatmentPathway":
            continue
        column = _step_columns(step_of.get(tid, set()), follows)
        order = sorted(column, key=lambda s: (column[s], s))
        steps = tuple(
            DrawnStep(s, tuple(sorted(activity.get(s, []))), s in optional, i > 0 and column[s] > column[order[i - 1]])
            for i, s in enumerate(order)
        )
        conditions = tuple(sorted(condition.get(tid, [])))
        members = dict.fromkeys([*conditions, tid, *order, *(a for s in steps for a in s.activities)])
        found.append(Pathway(tid, term.label, conditions, steps, tuple(members)))
    return sorted(found, key=lambda p: (p.label.lower(), p.id))


OVERVIEW_PREDICATES = ("hasTreatmentOption", "hasAim")


class Overview(NamedTuple):
    """The opening view: kinds of bone cancer, the treatment options stated for them, and the aims."""

    columns: tuple[tuple[str, tuple[str, ...]], ...]  # (heading, term ids top to bottom)
    positions: dict[str, Position]
    predicates: tuple[str, ...] = OVERVIEW_PREDICATES  # the links it draws; empty: every link between its terms
    caption: str = "kinds of bone cancer, their treatment options and aims"


HUBS = 40


def hubs(data: GraphData, positions: dict[str, Position]) -> Overview:
    """The opening view of a graph without the usual tumour types: its most connected terms where the whole
    graph puts them, so the first picture is a few labelled landmarks rather than every term at once."""
    degree: dict[str, int] = dict.fromkeys(data.terms, 0)
    for link in data.links:
        if not link.inferred:
            degree[link.subject] += 1
            degree[link.object] += 1
    top = sorted(degree, key=lambda t: (-degree[t], t))[:HUBS]
    return Overview((), {t: positions[t] for t in sorted(top)}, (), f"the {len(top)} most connected terms")


def _barycentre_order(ids: list[str], linked: dict[str, list[int]], label: dict[str, str]) -> list[str]:
    """Order a column by the mean row of what it links to in the column before (fewer crossings)."""
    return sorted(ids, key=lambda t: (sum(linked[t]) / len(linked[t]), label[t].lower(), t))


def overview(data: GraphData, roots: list[str]) -> Overview:
    """Three labelled columns: the root conditions (and any ancestor that states options for them), the
    treatment options stated for those, and the aims stated for the conditions or the options."""
    parents: dict[str, set[str]] = {}
    out: dict[tuple[str, str], list[str]] = {}
    for link in data.links:
        if link.predicate == SUBCLASS:
            parents.setdefault(link.subject, set()).add(link.object)
        elif link.predicate in OVERVIEW_PREDICATES:
            out.setdefault((link.subject, link.predicate), []).append(link.object)
    ancestors: list[str] = []
    for root in roots:
        seen, stack = set(), list(parents.get(root, ()))
        while stack:
            if (current := stack.pop()) not in seen:
                seen.add(current)
                stack.extend(parents.get(current, ()))
        ancestors += sorted(a for a in seen if (a, "hasTreatmentOption") in out and a not in ancestors and a not in roots)
    conditions = [*ancestors, *roots]
    label = {tid: term.label for tid, term in data.terms.items()}
    columns: list[tuple[str, list[str]]] = [("kinds of bone cancer", conditions)]
    for heading, sources, predicates in (
        ("treatment options stated for them", conditions, ("hasTreatmentOption",)),
        ("aims", None, ("hasAim",)),
    ):
        before = sources if sources is not None else [*conditions, *columns[1][1]]
        linked: dict[str, list[int]] = {}
        for row, tid in enumerate(before):
            for predicate in predicates:
                for target in out.get((tid, predicate), []):
                    if all(target not in ids for _, ids in columns):
                        linked.setdefault(target, []).append(row)
        columns.append((heading, _barycentre_order(list(linked), linked, label)))
    positions: dict[str, Position] = {}
    x, row = 0.0, 40
    for _, ids in columns:
        top = -row * (len(ids) - 1) / 2
        for i, tid in enumerate(ids):
            positions.setdefault(tid, (round(x), round(top + i * row)))
        x += max([300, *(8.5 * len(label[t]) + 120 for t in ids)])
    return Overview(tuple((h, tuple(ids)) for h, ids in columns if ids), dict(sorted(positions.items())))
