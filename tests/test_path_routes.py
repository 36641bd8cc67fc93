"""`bcto path` on the real release: routes through clinical relations come before routes through tests,
anatomy and generic classes (osteosarcoma -> phantom limb pain once went via MRI and preoperative testing)."""

from __future__ import annotations

import pytest

from bcto.graph.explain import describe, routes
from bcto.graph.extract import graph_data
from bcto.graph.model import GraphData, Link, Node
from bcto.ontology.model import Family
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


def _toy() -> GraphData:
    """Two equally short routes from a tumour to a side effect: through an MRI scan (a test) or through an
    operation; and a third through a family's top class."""
    terms = {
        "Tumour": Node("Tumour", "tumour", "MedicalCondition"),
        "Scan": Node("Scan", "MRI scan", "DiagnosticTest"),
        "Operation": Node("Operation", "operation", "Procedure"),
        "Procedure": Node("Procedure", "procedure", "Procedure"),
        "Pain": Node("Pain", "pain", "ClinicalFinding"),
    }
    links = [
        Link("Scan", "canShow", "Tumour"),
        Link("Scan", "canCause", "Pain"),
        Link("Tumour", "hasTreatmentOption", "Operation"),
        Link("Operation", "hasPossibleSideEffect", "Pain"),
        Link("Tumour", "hasTreatmentOption", "Procedure"),
        Link("Procedure", "hasPossibleSideEffect", "Pain"),
    ]
    families = {"Procedure": Family("Procedure", "procedure", "procedures", "biolink:Procedure", "#000", "box")}
    return GraphData(terms=terms, links=links, families=families)


def test_a_route_through_a_test_or_a_top_class_comes_after_a_clinical_one() -> None:
    found = routes(_toy(), "Tumour", "Pain", limit=3)
    assert [[s.end for s in r] for r in found] == [["Operation", "Pain"], ["Scan", "Pain"], ["Procedure", "Pain"]]


def test_describe_gives_each_route_its_length(data: GraphData) -> None:
    found = routes(data, "Osteosarcoma", "PhantomLimbPain")
    text = describe(data, "Osteosarcoma", "PhantomLimbPain", found)
    assert f"Route 1 ({len(found[0])} links)" in text
    assert "source: Surgery for bone cancer — Side effects" in text
