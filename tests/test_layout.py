"""The viewer's layouts: its own force layout (networkx's spring layout without importing networkx), the opening
view's columns, and the pathways' steps."""

from __future__ import annotations

import math
import os
import subprocess
import sys
from dataclasses import replace

import networkx as nx
import pytest

from bcto.graph import layout
from bcto.graph.extract import graph_data
from bcto.graph.model import SUBCLASS, Link
from tests.conftest import REPO, Release


@pytest.fixture
def data(minimal_release: Release):
    return graph_data(minimal_release.owl, minimal_release.kg, minimal_release.inferred, minimal_release.curation.families)


def test_force_layout_matches_networkx_spring_layout(release: Release) -> None:
    data = graph_data(release.owl, release.kg, release.inferred, release.curation.families)
    near = layout._adjacency(data)
    part = layout._parts(near)[0]
    start = layout._starting_positions(data)
    ours = layout._force_directed(part, near, start, iterations=5)
    g = nx.Graph()
    g.add_nodes_from(part)
    g.add_edges_from((a, b) for a in part for b in near[a])
    scale = 110 * math.sqrt(len(part))
    theirs = nx.spring_layout(g, pos={n: start[n] for n in part}, seed=layout.SEED, iterations=5, scale=scale)
    assert len(part) > 200
    worst = max(math.dist(ours[n], theirs[n]) for n in part)
    # The same forces and cooling, up to rounding. (Over 50 iterations the rounding grows, as it does in any
    # force layout, to a few pixels for most terms; so compare early, where it is still rounding.)
    assert worst < 1e-6 * scale, worst


def test_parts_are_connected_components_largest_first(data) -> None:
    near = layout._adjacency(data)
    parts = layout._parts(near)
    g = nx.Graph(near)
    assert sorted(map(sorted, parts)) == sorted(sorted(c) for c in nx.connected_components(g))
    assert [len(p) for p in parts] == sorted((len(p) for p in parts), reverse=True)
    assert all(p == sorted(p) for p in parts)


def test_inferred_links_are_not_laid_out(data) -> None:
    near = layout._adjacency(data)
    a, b = next((a, b) for a in near for b in near if a != b and b not in near[a])
    inferred = replace(data, links=[*data.links, Link(a, SUBCLASS, b, inferred=True)])
    assert b not in layout._adjacency(inferred)[a]
    asserted = replace(data, links=[*data.links, Link(a, SUBCLASS, b)])
    assert b in layout._adjacency(asserted)[a] and a in layout._adjacency(asserted)[b]


def test_laying_out_a_small_graph_does_not_import_networkx(minimal_release: Release) -> None:
    script = (
        "import sys; from rdflib import Graph; from bcto.graph.extract import asserted_data; from bcto.graph.layout import "
        "graph_layout; o = sys.argv[1]; graph_layout(asserted_data(*(Graph().parse(f'{o}/{n}') for n in "
        "('bcto.ttl', 'bcto-kg.ttl')))); print('networkx' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(minimal_release.output)], cwd=REPO, check=True, capture_output=True, text=True
    )
    assert done.stdout.strip() == "False"


def test_community_layout_is_the_same_under_any_hash_seed(release: Release) -> None:
    """Parts over LARGE terms are laid out by communities; Louvain follows the order edges are added in,
    so that order must not come from set iteration (which changes with PYTHONHASHSEED)."""
    script = (
        "import sys, json, hashlib; from rdflib import Graph; from bcto.graph.extract import asserted_data; "
        "from bcto.graph import layout; o = sys.argv[1]; "
        "data = asserted_data(*(Graph().parse(f'{o}/{n}') for n in ('bcto.ttl', 'bcto-kg.ttl'))); "
        "near = layout._adjacency(data); part = layout._parts(near)[0]; "
        "pos = layout._clustered_layout(part, near, layout._starting_positions(data)); "
        "print(len(part), hashlib.sha256(json.dumps(sorted(pos.items())).encode()).hexdigest())"
    )
    answers = {
        subprocess.run(
            [sys.executable, "-c", script, str(release.output)],
            cwd=REPO,
            check=True,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(answers) == 1, answers
    assert int(next(iter(answers)).split()[0]) > 200  # a part big enough to have several communities


def test_overview_is_conditions_then_their_options_then_aims(release: Release) -> None:
    data = graph_data(release.owl, release.kg, release.inferred, release.curation.families)
    roots = ["Osteosarcoma", "EwingSarcoma", "Chondrosarcoma", "SecondaryBoneCancer"]
    view = layout.overview(data, roots)
    (_, conditions), (_, options), (_, aims) = view.columns
    assert conditions[-4:] == tuple(roots) and set(conditions[:-4]) <= {"BoneCancer", "PrimaryBoneCancer"}
    stated = {(k.subject, k.object) for k in data.links if k.predicate == "hasTreatmentOption"}
    assert set(options) == {o for c, o in stated if c in conditions}
    assert not set(aims) & set(options)
    columns_x = []
    for _, ids in view.columns:
        xs = {view.positions[t][0] for t in ids}
        assert len(xs) == 1  # each column is one vertical line
        columns_x.append(xs.pop())
    assert columns_x == sorted(columns_x) and len(set(columns_x)) == 3
    assert len(set(view.positions.values())) == len(view.positions)  # no two terms in one place


def test_pathway_steps_keep_order_optional_and_unordered_runs(minimal_release: Release) -> None:
    data = graph_data(minimal_release.owl, minimal_release.kg, minimal_release.inferred, minimal_release.curation.families)
    (pathway,) = layout.pathways(data)
    assert [s.id for s in pathway.steps] == ["AmputationPathwayStep1", "AmputationPathwayStep2"]
    # the fixture's second step is optional (pathway_steps.tsv: optional=yes, strength may-be-done)
    assert [s.after_previous for s in pathway.steps] == [False, True] and [s.optional for s in pathway.steps] == [False, True]
    loose = replace(data, links=[k for k in data.links if k.predicate != "precedes"])
    (pathway,) = layout.pathways(loose)
    assert [s.after_previous for s in pathway.steps] == [False, False]  # no stated order: one unordered run
    assert [s.optional for s in pathway.steps] == [False, True]
    assert pathway.steps[0].activities == ("Amputation",)
