"""bcto:directParent is the transitive reduction of the stated and inferred named hierarchy, and
oboInOwl:inSubset bcto:ClinicalTerm marks exactly the terms of the clinical families' tables."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDFS

from bcto.graph.extract import asserted_data
from bcto.ontology.hierarchy import ancestors
from bcto.ontology.parents import DIRECT_PARENT, direct_parents
from bcto.ontology.vocabulary import BCTO, CLINICAL_SUBSET, IN_SUBSET
from tests.conftest import Release

# A small hand-made hierarchy (arrows point up):
#   Sarcoma -> Cancer; BoneSarcoma -> Sarcoma (inferred only); Osteosarcoma -> Cancer (stated), -> BoneSarcoma (inferred);
#   a diamond: Both -> Left, Both -> Right, Left -> Top, Right -> Top.
STATED = {"Sarcoma": {"Cancer"}, "Osteosarcoma": {"Cancer"}, "Both": {"Left", "Right"}, "Left": {"Top"}, "Right": {"Top"}}
INFERRED = {"BoneSarcoma": {"Sarcoma"}, "Osteosarcoma": {"BoneSarcoma", "Cancer"}, "Sarcoma": {"Cancer"}}


def test_a_stated_parent_also_reached_through_an_inferred_one_is_dropped() -> None:
    assert direct_parents(STATED, INFERRED)["Osteosarcoma"] == ("BoneSarcoma",)


def test_a_diamond_keeps_both_branches() -> None:
    reduced = direct_parents(STATED, INFERRED)
    assert reduced["Both"] == ("Left", "Right")
    assert reduced["Left"] == reduced["Right"] == ("Top",)


def test_without_the_reasoner_the_stated_links_alone_are_reduced() -> None:
    reduced = direct_parents({**STATED, "Osteosarcoma": {"Cancer", "Sarcoma"}}, {})
    assert reduced["Osteosarcoma"] == ("Sarcoma",)
    assert "BoneSarcoma" not in reduced


def test_no_self_links_no_retired_classes_and_equivalent_parents_both_kept() -> None:
    reduced = direct_parents({"A": {"A", "B", "C"}, "B": {"C"}, "C": {"B"}, "Old": {"B"}}, {}, retired={"Old"})
    assert reduced["A"] == ("B", "C")  # B and C are each above the other (equivalent): neither hides the other
    assert "Old" not in reduced
    assert direct_parents({"Loop": {"Loop"}}, {}) == {}


def test_the_told_parents_the_reduction_starts_from_are_named_bcto_classes_only() -> None:
    """The build reduces the extraction's told parents (the viewer's, too): no restriction blank nodes, no
    owl:Thing, no other namespace, no self-link."""
    graph = Graph()
    restriction = BNode()
    graph.add((BCTO.Child, RDFS.subClassOf, BCTO.Parent))
    graph.add((BCTO.Child, RDFS.subClassOf, restriction))
    graph.add((BCTO.Child, RDFS.subClassOf, OWL.Thing))
    graph.add((BCTO.Child, RDFS.subClassOf, URIRef("http://example.org/Elsewhere")))
    graph.add((BCTO.Child, RDFS.subClassOf, BCTO.Child))
    assert asserted_data(graph, Graph()).parents == {"Child": frozenset({"Parent"})}


def _named_parents(release: Release) -> dict[str, set[str]]:
    """Every named BCTO superclass link, stated (bcto.ttl) or inferred (bcto-inferred.ttl)."""
    links: dict[str, set[str]] = {}
    for graph in (release.owl, release.inferred):
        for child, parent in graph.subject_objects(RDFS.subClassOf):
            if isinstance(parent, URIRef) and str(parent).startswith(str(BCTO)) and parent != child:
                links.setdefault(str(child), set()).add(str(parent))
    return links


def test_the_release_has_direct_parents_that_reduce_its_hierarchy(release: Release) -> None:
    links = _named_parents(release)
    direct: dict[str, set[str]] = {}
    for child, parent in release.inferred.subject_objects(DIRECT_PARENT):
        direct.setdefault(str(child), set()).add(str(parent))
    assert len(direct) > 400
    assert sorted(c for c in links if c not in direct) == [], "a class with a named parent has no directParent"
    for child, parents in direct.items():
        above = ancestors(links, child)
        assert parents <= above, f"{child}: a directParent that is no ancestor"
        for parent in parents:
            assert not any(parent in ancestors(links, other) for other in parents - {parent}), f"{child}: {parent} is redundant"
    assert direct[str(BCTO.Osteosarcoma)] == {str(BCTO.PrimaryBoneCancer)}
    retired = {str(c) for c in release.owl.subjects(OWL.deprecated, Literal(True))}
    assert retired and not retired & set(direct)


def test_clinical_subset_is_exactly_the_clinical_tables_terms(release: Release) -> None:
    families = release.curation.families
    clinical = {f for f, family in families.items() if family.clinical}
    assert clinical and not clinical & {"DecisionCriterion", "PathwayStep", "SourceConflict"}
    assert all(families[f].table for f in clinical)
    expected = {str(BCTO[t.id]) for t in release.curation.terms.values() if t.family in clinical}
    found = {str(s) for s in release.owl.subjects(IN_SUBSET, CLINICAL_SUBSET)}
    assert found == expected
    assert str(BCTO.Osteosarcoma) in found and not {str(BCTO[c]) for c in release.curation.criteria} & found
