"""bcto.owl as other OWL toolkits read it: a second, independent parser (horned-owl, Rust) and two OWL 2 profile
checkers (pyowl2-profiles; the OWL API, the library under Protégé and ROBOT) must agree it is OWL 2 DL."""

from __future__ import annotations

import subprocess
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from tests.conftest import Release

OWLAPI = Path("/usr/share/java/owlapi-distribution.jar")  # Debian's libowlapi-java
PROFILE_TOOL = Path(__file__).parent / "tools" / "Owl2DlProfile.java"


@pytest.fixture(scope="module")
def rdf_owl(release: Release) -> Graph:
    return Graph().parse(release.output / "bcto.owl", format="xml")


@pytest.fixture(scope="module")
def horned(release: Release) -> Counter[str]:
    import pyhornedowl

    ontology = pyhornedowl.open_ontology(str(release.output / "bcto.owl"))
    return Counter(type(axiom.component).__name__ for axiom in ontology.get_axioms())


def _named(graph: Graph, kind: URIRef) -> set[URIRef]:
    return {s for s in graph.subjects(RDF.type, kind) if isinstance(s, URIRef)}


def test_horned_owl_reads_the_same_axioms_as_rdflib(rdf_owl: Graph, horned: Counter[str]) -> None:
    classes = _named(rdf_owl, OWL.Class)
    assert horned["DeclareClass"] == len(classes)
    assert horned["DeclareObjectProperty"] == len(_named(rdf_owl, OWL.ObjectProperty))
    assert horned["DeclareAnnotationProperty"] == len(_named(rdf_owl, OWL.AnnotationProperty))
    assert horned["SubClassOf"] == sum(1 for s, _ in rdf_owl.subject_objects(RDFS.subClassOf) if isinstance(s, URIRef))
    assert horned["ClassAssertion"] == sum(1 for _, o in rdf_owl.subject_objects(RDF.type) if o in classes)
    assert horned["ClassAssertion"] > 0, "the source documents are individuals"


def test_horned_owl_reads_the_same_classes_as_owlready2(release: Release, horned: Counter[str]) -> None:
    import owlready2

    world = owlready2.World()
    onto = world.get_ontology((release.output / "bcto.owl").as_uri()).load()
    classes = list(onto.classes())
    assert horned["DeclareClass"] == len(classes)
    assert horned["DeclareObjectProperty"] == len(list(onto.object_properties()))
    assert horned["SubClassOf"] == sum(1 for c in classes for parent in c.is_a if parent is not owlready2.Thing)


def test_every_class_used_is_declared(rdf_owl: Graph) -> None:
    """The OWL API's 'use of undeclared class' (OWL 2 DL forbids it): here checked on the RDF directly."""
    declared = _named(rdf_owl, OWL.Class)
    vocabulary = {OWL.Class, OWL.ObjectProperty, OWL.AnnotationProperty, OWL.Ontology, OWL.Axiom, OWL.Restriction}
    vocabulary |= {OWL.AllDisjointClasses, OWL.SymmetricProperty, OWL.TransitiveProperty, OWL.DatatypeProperty}
    vocabulary |= {OWL.NamedIndividual}
    used = {o for _, o in rdf_owl.subject_objects(RDF.type) if isinstance(o, URIRef)} - vocabulary
    used |= {o for _, o in rdf_owl.subject_objects(RDFS.subClassOf) if isinstance(o, URIRef)}
    assert used - declared == set()


def test_pyowl2_profiles_finds_owl2_dl_and_says_why_not_el(release: Release) -> None:
    import pyoxigraph
    from pyowl2_profiles import detect_profiles

    store = pyoxigraph.Store()
    store.load((release.output / "bcto.owl").read_bytes(), pyoxigraph.RdfFormat.RDF_XML)
    result = detect_profiles(store, graph_iri=None)
    assert result["dl"]["in_profile"] and result["dl"]["total_violations"] == 0
    # The README's claim: only the unionOf domains/ranges and the one symmetric property keep BCTO out of EL.
    assert set(result["el"]["violations_by_axiom_type"]) == {"owl:unionOf", "owl:SymmetricProperty"}


def test_owl_api_reports_no_owl2_dl_violation(release: Release) -> None:
    if not OWLAPI.exists():
        pytest.skip("the OWL API is absent: apt-get install libowlapi-java (.ci/run does)")
    run = subprocess.run(
        ["java", "-cp", "/usr/share/java/*", str(PROFILE_TOOL), str(release.output / "bcto.owl")],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    lines = run.stdout.splitlines()
    assert [line for line in lines if line.startswith("DL\t")] == []
    el = {line.split("\t")[1].split(" [")[0].split(":")[0] for line in lines if line.startswith("EL\t")}
    assert el == {"Axiom type not allowed in profile", "Class expressions not allowed in profile"}
    assert int(lines[-1].split("\t")[1]) > 1000, "the OWL API read the whole ontology"
