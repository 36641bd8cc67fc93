"""Each curated fact as a first-class node, so its qualifiers are one join away from the edge.

The compiled ontology keeps a fact's source and qualifiers on a reified OWL axiom, five patterns from the
edge. Here each such axiom becomes a statement node `https://w3id.org/bcto/statement/<id>` (the id the
axiom carries as dcterms:identifier), typed rdf:Statement with rdf:subject, rdf:predicate and rdf:object
and every annotation the axiom has, so that whatever the curation adds to an axiom (passages, evidence
codes) reaches the statement node without a change here. The same facts are also written as RDF 1.2
Turtle annotations (`s p o ~ <statement> {| ... |}`) for stores that read triple terms.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF

from bcto.ontology.curies import Curies, bracketed
from bcto.ontology.triples import Index, Triples
from bcto.ontology.vocabulary import PREFIXES

STATEMENT = Namespace("https://w3id.org/bcto/statement/")
WRITTEN_PREFIXES = {**PREFIXES, "statement": str(STATEMENT)}  # statement: keeps the files readable
_AXIOM_LINKS = {RDF.type, OWL.annotatedSource, OWL.annotatedProperty, OWL.annotatedTarget}


class Fact(NamedTuple):
    """One annotated axiom read back as subject, predicate, object and its annotations (sorted)."""

    id: str
    subject: URIRef
    predicate: URIRef
    object: URIRef
    annotations: tuple[tuple[URIRef, URIRef | Literal], ...]

    @property
    def iri(self) -> URIRef:
        return STATEMENT[self.id]


def facts(ontology: Triples | Index) -> list[Fact]:
    """Every `S SubClassOf (p some O)` axiom that carries a statement id, in id order (read once per build;
    the build passes the index its graph data was read through)."""
    index = ontology if isinstance(ontology, Index) else Index(ontology)
    found = []
    for axiom in index.subjects(RDF.type, OWL.Axiom):
        restriction = index.value(axiom, OWL.annotatedTarget)
        subject, predicate = index.value(axiom, OWL.annotatedSource), index.value(restriction, OWL.onProperty)
        obj = index.value(restriction, OWL.someValuesFrom)
        annotations = tuple(sorted((p, o) for p, o in index.predicate_objects(axiom) if p not in _AXIOM_LINKS))
        for identifier in index.objects(axiom, DCTERMS.identifier):
            found.append(Fact(str(identifier), subject, predicate, obj, annotations))  # type: ignore[arg-type]
    return sorted(found, key=lambda f: f.id)


def statements_turtle(found: list[Fact]) -> bytes:
    """bcto-statements.ttl: the statement nodes as Turtle, in statement-id order, so byte-identical across builds.

    Written here rather than by Oxigraph's writer, which escapes '/' in prefixed names (`bcto:source\\/…`):
    valid Turtle that Virtuoso 7.2 reads as a backslash in the IRI. An IRI whose local name needs escaping is
    written whole instead."""
    lines = [f"@prefix {p}: <{ns}> ." for p, ns in sorted(WRITTEN_PREFIXES.items())]
    term = _Spelling()
    for fact in found:
        body = " ;\n    ".join(f"{term[p]} {term[o]}" for _, p, o in _statement_triples([fact]))
        lines.append(f"\n{term[fact.iri]}\n    {body} .")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _statement_triples(found: list[Fact]) -> Iterator[tuple[URIRef, URIRef, URIRef | Literal]]:
    for fact in found:
        node = fact.iri
        yield node, RDF.type, RDF.Statement
        yield node, RDF.subject, fact.subject
        yield node, RDF.predicate, fact.predicate
        yield node, RDF.object, fact.object
        yield from ((node, p, o) for p, o in fact.annotations)


def statement_graph(found: list[Fact]) -> Graph:
    """The statement nodes: `?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o` plus the axiom's annotations."""
    graph = Graph(store="SimpleMemory")
    for triple in _statement_triples(found):
        graph.add(triple)
    return graph


_LOCAL = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
_CURIE = Curies(WRITTEN_PREFIXES, fallback=bracketed, local=_LOCAL)


class _Spelling(dict[URIRef | Literal, str]):
    """Each term as Turtle writes it: a prefixed name where one is safe, else the N-Triples form. One per
    document, filled as it is written: predicates, sources and passages repeat across thousands of facts."""

    def __missing__(self, node: URIRef | Literal) -> str:
        self[node] = text = _CURIE(str(node)) if isinstance(node, URIRef) else node.n3()
        return text


def star_turtle(found: list[Fact]) -> bytes:
    """The edges as RDF 1.2 Turtle, each annotated through its statement IRI as the reifier."""
    lines = [f"@prefix {p}: <{ns}> ." for p, ns in sorted(WRITTEN_PREFIXES.items())]
    lines.append("")
    term = _Spelling()
    for fact in found:
        edge = f"{term[fact.subject]} {term[fact.predicate]} {term[fact.object]} ~ {term[fact.iri]}"
        if not fact.annotations:
            lines.append(edge + " .")
            continue
        body = " ;\n    ".join(f"{term[p]} {term[o]}" for p, o in fact.annotations)
        lines.append(f"{edge} {{|\n    {body}\n|}} .")
    return ("\n".join(lines) + "\n").encode("utf-8")
