"""`bcto path` on the real release: routes through clinical relations come before routes through tests,
anatomy and generic classes (osteosarcoma -> phantom limb pain once went via MRI and preoperative testing)."""

from __future__ import annotations

import networkx as nx
import pytest

from bcto.graph.explain import describe, routes
from bcto.graph.extract import graph_data
from bcto.graph.model import GraphData
from bcto.graph.network import walkable
from tests.conftest import Release


@pytest.fixture(scope="module")
def data(release: Release) -> GraphData:
    return graph_data(release.owl, release.kg, release.inferred, release.curation.families)


def test_the_best_route_is_clinical(data: GraphData) -> None:
    best = routes(data, "Osteosarcoma", "PhantomLimbPain")[0]
    passed = [step.end for step in best[:-1]]
    assert passed, "a one-hop route would not test the preference"
    assert all(data.terms[t].family not in {"DiagnosticTest", "AnatomicalSite"} for t in passed), passed
    assert not set(passed) & set(data.families), f"the best route passes a generic top class: {passed}"


def test_a_route_through_a_test_is_as_short_but_not_first(data: GraphData) -> None:
    g = walkable(data)
    shortest = list(nx.all_shortest_paths(g, "Osteosarcoma", "PhantomLimbPain"))
    via_tests = [p for p in shortest if any(data.terms[t].family == "DiagnosticTest" for t in p)]
    assert via_tests, "no equally short route through a test, so the ranking is not exercised"
    best = routes(data, "Osteosarcoma", "PhantomLimbPain")[0]
    assert ["Osteosarcoma", *(s.end for s in best)] not in via_tests
    assert len(best) == len(shortest[0]) - 1, "the preferred route is still one of the shortest"


def test_describe_gives_each_route_its_length(data: GraphData) -> None:
    found = routes(data, "Osteosarcoma", "PhantomLimbPain")
    text = describe(data, "Osteosarcoma", "PhantomLimbPain", found)
    assert f"Route 1 ({len(found[0])} links)" in text
    assert "source: Surgery for bone cancer — Side effects" in text
