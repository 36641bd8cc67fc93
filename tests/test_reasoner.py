"""HermiT must find the ontology consistent with no unsatisfiable class; failures name the classes."""

from __future__ import annotations

from pathlib import Path

from rdflib import URIRef
from rdflib.namespace import OWL, RDFS

import bcto.ontology.reason as reasoner
from bcto.ontology.vocabulary import BCTO
from tests.conftest import Release, build_py

BROKEN_CLASS = """
bcto:SiteAndDisease a owl:Class ; rdfs:label "site and disease"@en ;
    rdfs:subClassOf bcto:MedicalCondition , bcto:AnatomicalSite .
"""
BROKEN_INDIVIDUAL = """
bcto:impossible a owl:NamedIndividual , bcto:MedicalCondition , bcto:AnatomicalSite .
"""


def test_unsatisfiable_class_fails_the_build_and_is_named(tree: Path, tmp_path: Path) -> None:
    with (tree / "core.ttl").open("a") as core:
        core.write(BROKEN_CLASS)
    done = build_py(tree, tmp_path / "output")
    assert done.returncode == 3, done.stderr
    assert "unsatisfiable" in done.stderr and "https://w3id.org/bcto/SiteAndDisease" in done.stderr
    assert not (tmp_path / "output").exists()


def test_inconsistent_ontology_fails_the_build(tree: Path, tmp_path: Path) -> None:
    with (tree / "core.ttl").open("a") as core:
        core.write(BROKEN_INDIVIDUAL)
    done = build_py(tree, tmp_path / "output")
    assert done.returncode == 3, done.stderr
    assert "inconsistent" in done.stderr


def test_inferred_hierarchy_is_published(minimal_release: Release) -> None:
    """bcto-inferred.ttl holds each class's direct entailed superclasses; the rest follow by rdfs:subClassOf+."""
    inferred = minimal_release.inferred
    assert (BCTO.LimbSparingSurgery, RDFS.subClassOf, BCTO.Procedure) in inferred
    assert (BCTO.LimbSparingSurgery, RDFS.subClassOf, BCTO.ClinicalActivity) not in inferred, "no transitive shortcut"
    above = set(inferred.transitive_objects(BCTO.LimbSparingSurgery, RDFS.subClassOf))
    assert BCTO.ClinicalActivity in above and BCTO.MedicalCondition not in above
    assert BCTO.DecisionCriterion in set(inferred.transitive_objects(BCTO.LimbSparingNeedsGoodResponse, RDFS.subClassOf))


def test_a_deep_chain_exports_one_link_per_level() -> None:
    """A 900-level chain gives 900 inferred links, not the closure's 405,450 (which wrote 474 MB), and no recursion."""
    iri = [f"{BCTO}Deep{i}" for i in range(900)]
    taxonomy = "\n".join(f"SubClassOf( <{iri[i]}> <{iri[i - 1] if i else OWL.Thing}> )" for i in range(900))
    reasoning = reasoner._read_taxonomy(taxonomy + "\n", iri)
    inferred = reasoner.inferred_hierarchy(reasoning)
    assert len(inferred) == 899
    assert (URIRef(iri[899]), RDFS.subClassOf, URIRef(iri[898])) in inferred
    assert reasoning.direct_superclasses[iri[0]] == frozenset()  # owl:Thing is walked through, never exported
