"""Deterministic serialisations: the same graph always gives the same bytes.

rdflib builds the graphs; Oxigraph's serialisers write them, about ten times faster than rdflib's.
Triples go in sorted, so every format comes out grouped by subject and in a stable order.
"""

from __future__ import annotations

import json
from functools import lru_cache

import pyoxigraph as ox
from rdflib import Graph, Literal

from ontology.vocabulary import PREFIXES


def _nt_literal(literal: Literal) -> str:
    """A literal exactly as rdflib's N-Triples serialiser writes it."""
    escaped = literal.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"').replace("\r", "\\r")
    text = f'"{escaped}"'
    if literal.language:
        return f"{text}@{literal.language}"
    return f"{text}^^<{literal.datatype}>" if literal.datatype else text


def ntriples(graph: Graph) -> bytes:
    """Canonical-ish N-Triples: one triple per line, lines sorted.

    The bytes rdflib's serialiser gives, written here with each distinct term formatted once (terms repeat:
    a graph of 1M triples has ~100k distinct terms), which saves a third of the time at scale.
    """
    memo: dict[object, str] = {}

    def term(node: object) -> str:
        text = memo.get(node)
        if text is None:
            text = memo[node] = _nt_literal(node) if isinstance(node, Literal) else node.n3()
        return text

    lines = sorted({f"{term(s)} {term(p)} {term(o)} ." for s, p, o in graph})
    return ("\n".join(lines) + "\n").encode("utf-8")


def _sorted_triples(graph: Graph, nt: bytes | None = None) -> list[ox.Triple]:
    """The triples in the order of ntriples()' sorted lines, which groups them by subject: no second sort
    (sorting ~1M triples by their terms' text took seconds and grew faster than the graph)."""
    return list(ox.parse(ntriples(graph) if nt is None else nt, format=ox.RdfFormat.N_TRIPLES))


def _write(graph: Graph, fmt: ox.RdfFormat) -> bytes:
    return _write_triples(_sorted_triples(graph), fmt)


def _write_triples(triples: list[ox.Triple], fmt: ox.RdfFormat) -> bytes:
    return ox.serialize(triples, format=fmt, prefixes=PREFIXES)


def turtle(graph: Graph) -> bytes:
    return _write(graph, ox.RdfFormat.TURTLE)


def rdfxml(graph: Graph) -> bytes:
    return _write(graph, ox.RdfFormat.RDF_XML)


@lru_cache(maxsize=1 << 16)
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
    return _jsonld_of(_write(graph, ox.RdfFormat.JSON_LD))


def _jsonld_of(expanded: bytes) -> bytes:
    nodes = json.loads(expanded)
    body = ",\n".join(json.dumps(_compact_node(n), sort_keys=True, ensure_ascii=False) for n in nodes)
    context = json.dumps(dict(sorted(PREFIXES.items())), sort_keys=True)
    return f'{{"@context": {context},\n"@graph": [\n{body}\n]}}\n'.encode()


FORMATS = {"bcto.owl": rdfxml, "bcto.ttl": turtle, "bcto.jsonld": jsonld, "bcto.nt": ntriples}


def all_formats(graph: Graph, nt: bytes | None = None) -> dict[str, bytes]:
    """Every FORMATS file, byte for byte, from one N-Triples pass, one parse and one sort (not one per format).

    Pass nt when the caller already holds ntriples(graph).
    """
    nt = ntriples(graph) if nt is None else nt
    triples = _sorted_triples(graph, nt)
    return {"bcto.owl": _write_triples(triples, ox.RdfFormat.RDF_XML),
            "bcto.ttl": _write_triples(triples, ox.RdfFormat.TURTLE),
            "bcto.jsonld": _jsonld_of(_write_triples(triples, ox.RdfFormat.JSON_LD)),
            "bcto.nt": nt}
