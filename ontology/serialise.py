"""Deterministic serialisations: the same graph always gives the same bytes.

rdflib builds the graphs; Oxigraph's serialisers write them, about ten times faster than rdflib's.
Triples go in sorted, so every format comes out grouped by subject and in a stable order.
"""

from __future__ import annotations

import json

import pyoxigraph as ox
from rdflib import Graph

from ontology.vocabulary import PREFIXES


def ntriples(graph: Graph) -> bytes:
    """Canonical-ish N-Triples: one triple per line, lines sorted."""
    lines = sorted(set(graph.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines()) - {""})
    return ("\n".join(lines) + "\n").encode("utf-8")


def _sorted_triples(graph: Graph) -> list[ox.Triple]:
    triples = ox.parse(ntriples(graph), format=ox.RdfFormat.N_TRIPLES)
    return sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


def _write(graph: Graph, fmt: ox.RdfFormat) -> bytes:
    return ox.serialize(_sorted_triples(graph), format=fmt, prefixes=PREFIXES)


def turtle(graph: Graph) -> bytes:
    return _write(graph, ox.RdfFormat.TURTLE)


def rdfxml(graph: Graph) -> bytes:
    return _write(graph, ox.RdfFormat.RDF_XML)


def _compact(iri: str) -> str:
    for prefix, namespace in _BY_LENGTH:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


_BY_LENGTH = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))  # longest namespace wins


def _compact_node(node: object) -> object:
    """Compact property keys, @id and @type values; leave literal values alone."""
    if isinstance(node, list):
        return [_compact_node(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key in ("@id", "@type") and isinstance(value, str):
            out[key] = _compact(value)
        elif key.startswith("@"):
            out[key] = value
        else:
            out[_compact(key)] = _compact_node(value)
    return out


def jsonld(graph: Graph) -> bytes:
    """JSON-LD with an @context of our prefixes: Oxigraph's flat expanded form, with IRIs compacted."""
    nodes = json.loads(_write(graph, ox.RdfFormat.JSON_LD))
    body = ",\n".join(json.dumps(_compact_node(n), sort_keys=True, ensure_ascii=False) for n in nodes)
    context = json.dumps(dict(sorted(PREFIXES.items())), sort_keys=True)
    return f'{{"@context": {context},\n"@graph": [\n{body}\n]}}\n'.encode()


FORMATS = {"bcto.owl": rdfxml, "bcto.ttl": turtle, "bcto.jsonld": jsonld, "bcto.nt": ntriples}
