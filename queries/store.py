"""The embedded SPARQL engine: pyoxigraph, loaded from rdflib graphs through N-Triples."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import Graph

from bcto.ontology.curies import Curies, bracketed
from bcto.ontology.serialise import ntriples
from bcto.ontology.vocabulary import BCTO

Row = tuple[str, ...]


def store_from(chunks: Iterable[bytes], fmt: ox.RdfFormat = ox.RdfFormat.N_TRIPLES) -> ox.Store:
    """One in-memory store whose default graph is the union of the given documents (N-Triples by default)."""
    store = ox.Store()
    for chunk in chunks:
        store.load(chunk, format=fmt)
    return store


def store_of(graphs: Iterable[Graph]) -> ox.Store:
    """One in-memory store whose default graph is the union of the given graphs."""
    return store_from(ntriples(graph) for graph in graphs)


_CELL = Curies({"bcto": str(BCTO)}, fallback=bracketed)  # called, never indexed: a server must not remember


def compact(term: object) -> str:
    """A readable cell: bcto:Local for our IRIs, <iri> for others, the lexical form for literals."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return _CELL(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value if isinstance(term, ox.Literal) else str(term)


def select(store: ox.Store, query: str) -> tuple[list[str], list[Row]]:
    """Run a SELECT; return its variable names and its rows as compact strings."""
    solutions = store.query(query)
    assert isinstance(solutions, ox.QuerySolutions), "select() runs SELECT queries"
    variables = [v.value for v in solutions.variables]
    return variables, [tuple(compact(solution[v]) for v in variables) for solution in solutions]
