"""Each curated row becomes one annotated OWL axiom and exactly one plain knowledge-graph edge."""

from __future__ import annotations

from collections import Counter

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

from bcto.ontology.compile import edges, section_iri
from bcto.ontology.vocabulary import BCTO, DEFINITION, EXACT_SYNONYM
from tests.conftest import Release


def _axioms(release: Release, subject: str, predicate: str, obj: str) -> list[URIRef]:
    g = release.owl
    found = []
    for axiom in g.subjects(OWL.annotatedSource, BCTO[subject]):
        target = g.value(axiom, OWL.annotatedTarget)
        if g.value(target, OWL.onProperty) == BCTO[predicate] and g.value(target, OWL.someValuesFrom) == BCTO[obj]:
            assert (BCTO[subject], RDFS.subClassOf, target) in g
            found.append(axiom)
    return found


def _one_edge_per_row(release: Release) -> None:
    rows = list(edges(release.curation))
    kg_edges = Counter((s, p, o) for s, p, o in release.kg)
    assert len(release.kg) == len(rows), "the knowledge graph holds exactly one triple per curated edge"
    for (subject, predicate, obj), citations, _ in rows:
        assert kg_edges[(BCTO[subject], BCTO[predicate], BCTO[obj])] == 1
        axioms = _axioms(release, subject, predicate, obj)
        assert len(axioms) == 1, f"{subject} {predicate} {obj} has {len(axioms)} axioms"
        sources = set(release.owl.objects(axioms[0], DCTERMS.source))
        assert sources == {section_iri(c) for c in citations} and sources


def test_each_row_gives_one_axiom_and_one_edge_minimal(minimal_release: Release) -> None:
    _one_edge_per_row(minimal_release)


def test_each_row_gives_one_axiom_and_one_edge_real(release: Release) -> None:
    _one_edge_per_row(release)


def test_axiom_carries_qualifiers_and_conflict(minimal_release: Release) -> None:
    (axiom,) = _axioms(minimal_release, "PrimaryTumourSurgery", "canBeDoneTogetherWith", "LungMetastasisSurgery")
    g = minimal_release.owl
    assert g.value(axiom, BCTO.frequency) == Literal("often")
    assert g.value(axiom, BCTO.inConflict) == BCTO.LungSurgeryTimingConflict
    (other,) = _axioms(minimal_release, "PrimaryTumourSurgery", "canBeFollowedBy", "LungMetastasisSurgery")
    assert "after further chemotherapy" in str(g.value(other, BCTO.contextNote))


def test_terms_carry_label_definition_synonyms_and_sections(minimal_release: Release) -> None:
    g, node = minimal_release.owl, BCTO.LimbSparingSurgery
    assert (node, RDF.type, OWL.Class) in g
    assert (node, RDFS.subClassOf, BCTO.Procedure) in g
    assert g.value(node, RDFS.label) == Literal("limb-sparing surgery", lang="en")
    assert str(g.value(node, DEFINITION)).startswith("An operation that takes out a limb tumour")
    assert Literal("limb-salvage surgery", lang="en") in set(g.objects(node, EXACT_SYNONYM))
    assert Literal("limb salvage", lang="en") in set(g.objects(node, BCTO.layTerm))
    section = g.value(node, DCTERMS.source)
    assert g.value(section, DCTERMS.title) == Literal("Limb-sparing surgery")
    assert g.value(section, RDFS.label) is None, "a section is not a term: a label search must not find it"
    assert g.value(section, DCTERMS.isPartOf) == URIRef("https://w3id.org/bcto/source/ccs-surgery")


def test_criterion_and_pathway_become_linked_classes(minimal_release: Release) -> None:
    kg = minimal_release.kg
    assert (BCTO.LimbSparingNeedsGoodResponse, BCTO.isCriterionFor, BCTO.LimbSparingSurgery) in kg
    assert (BCTO.LimbSparingNeedsGoodResponse, BCTO.concernsFactor, BCTO.TumourResponseToChemotherapy) in kg
    assert (BCTO.AmputationPathwayStep1, BCTO.precedes, BCTO.AmputationPathwayStep2) in kg
    assert (BCTO.AmputationPathwayStep2, BCTO.precedes, None) not in kg
    assert minimal_release.owl.value(BCTO.AmputationPathwayStep2, BCTO.stepNumber) == Literal(2)
