"""Statement nodes: one per curated fact, with the id its OWL axiom and its KGX edge carry, every annotation
of the axiom on it, and the same facts as RDF 1.2 annotations in bcto-kg-star.ttl."""

from __future__ import annotations

import csv
import io

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF

from bcto.ontology.compile import edges
from bcto.ontology.model import statement_id
from bcto.ontology.statements import STATEMENT, facts, statement_graph
from bcto.ontology.vocabulary import BCTO
from tests.conftest import Release

REIFIES = "http://www.w3.org/1999/02/22-rdf-syntax-ns#reifies"


@pytest.fixture(scope="module")
def statements(release: Release) -> Graph:
    return Graph().parse(release.output / "bcto-statements.ttl")


def _spo(graph: Graph, node: URIRef) -> tuple[URIRef, URIRef, URIRef]:
    return tuple(graph.value(node, p) for p in (RDF.subject, RDF.predicate, RDF.object))  # type: ignore[return-value]


def test_one_statement_node_per_knowledge_graph_edge(statements: Graph, release: Release) -> None:
    nodes = sorted(statements.subjects(RDF.type, RDF.Statement))
    assert len(nodes) == len(release.kg) > 600
    assert {_spo(statements, n) for n in nodes} == set(release.kg)


def test_statement_ids_are_the_axioms_and_the_kgx_edges(statements: Graph, release: Release) -> None:
    curated = {(s, p, o) for (s, p, o), _, _ in edges(release.curation)}
    kgx = (release.output / "bcto-kgx-edges.tsv").read_text(encoding="utf-8")
    kgx_ids = {row["id"] for row in csv.DictReader(io.StringIO(kgx), delimiter="\t")}
    axiom_ids = {str(i) for a, i in release.owl.subject_objects(DCTERMS.identifier) if (a, RDF.type, OWL.Axiom) in release.owl}
    for s, p, o in curated:
        key = statement_id(s, p, o)
        node = STATEMENT[key]
        assert _spo(statements, node) == (BCTO[s], BCTO[p], BCTO[o])
        assert statements.value(node, DCTERMS.identifier) == Literal(key)
        assert key in axiom_ids
        assert f"bcto:edge-{key}" in kgx_ids


def test_qualifiers_and_sources_reach_the_statement_node(statements: Graph, release: Release) -> None:
    (s, p, o), citations, qualifiers = next(e for e in edges(release.curation) if e[2].frequency and e[2].context)
    node = STATEMENT[statement_id(s, p, o)]
    assert str(statements.value(node, BCTO.frequency)) == qualifiers.frequency
    assert str(statements.value(node, BCTO.contextNote)) == qualifiers.context
    assert len(set(statements.objects(node, DCTERMS.source))) == len({(c.source, c.section) for c in citations})


def test_whatever_an_axiom_carries_reaches_its_statement(release: Release) -> None:
    """Passages and evidence codes, once the curation has them, need no change here."""
    owl = Graph()
    for triple in release.owl:
        owl.add(triple)
    axiom, key = next((a, i) for a, i in owl.subject_objects(DCTERMS.identifier) if (a, RDF.type, OWL.Axiom) in owl)
    owl.add((axiom, BCTO.passage, Literal("#char=10,20;sha256=00")))
    assert (STATEMENT[str(key)], BCTO.passage, Literal("#char=10,20;sha256=00")) in statement_graph(facts(owl))


def test_rdf_star_file_holds_the_same_edges_and_annotations(statements: Graph, release: Release) -> None:
    triples = list(ox.parse(path=str(release.output / "bcto-kg-star.ttl"), format=ox.RdfFormat.TURTLE))
    reified = {t.subject.value: t.object for t in triples if t.predicate.value == REIFIES}
    plain = [t for t in triples if t.predicate.value != REIFIES]
    asserted = {(t.subject.value, t.predicate.value, t.object.value) for t in plain}
    kg = {(str(s), str(p), str(o)) for s, p, o in release.kg}
    assert kg <= asserted
    assert len(reified) == len(kg)
    for node in statements.subjects(RDF.type, RDF.Statement):
        inner = reified[str(node)]
        assert (inner.subject.value, inner.predicate.value, inner.object.value) == tuple(str(x) for x in _spo(statements, node))
    on_star = {(t.subject.value, t.predicate.value, t.object.value) for t in plain if t.subject.value in reified}
    on_nodes = {(str(s), str(p), str(o)) for s, p, o in statements if p not in {RDF.type, RDF.subject, RDF.predicate, RDF.object}}
    assert on_star == on_nodes


def test_three_patterns_answer_what_how_often_and_says_whom(release: Release) -> None:
    store = ox.Store()
    for name in ("bcto.ttl", "bcto-statements.ttl"):
        store.load(path=str(release.output / name), format=ox.RdfFormat.TURTLE)
    rows = list(
        store.query(
            "PREFIX bcto: <https://w3id.org/bcto/> PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> "
            "PREFIX dcterms: <http://purl.org/dc/terms/> SELECT ?s ?p ?o ?f ?section WHERE { "
            "?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o . ?st bcto:frequency ?f . ?st dcterms:source ?section }"
        )
    )
    expected = {
        (str(BCTO[s]), str(BCTO[p]), str(BCTO[o]), q.frequency) for (s, p, o), _, q in edges(release.curation) if q.frequency
    }
    assert expected, "some curated fact has a frequency"
    assert {(r["s"].value, r["p"].value, r["o"].value, r["f"].value) for r in rows} == expected
