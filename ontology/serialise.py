"""Deterministic serialisations: the same graph always gives the same bytes."""

from __future__ import annotations

import json

from rdflib import Graph
from rdflib.term import Node

from ontology.compile import bind_prefixes
from ontology.vocabulary import PREFIXES


def _key(node: Node) -> tuple[str, str]:
    return type(node).__name__, node.n3()


def sorted_copy(graph: Graph) -> Graph:
    """A copy whose store holds the triples in sorted order, so serialisers walk them in that order."""
    copy = bind_prefixes(Graph())
    for triple in sorted(graph, key=lambda t: tuple(_key(n) for n in t)):
        copy.add(triple)
    return copy


def ntriples(graph: Graph) -> bytes:
    lines = sorted(set(graph.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines()) - {""})
    return ("\n".join(lines) + "\n").encode("utf-8")


def turtle(graph: Graph) -> bytes:
    return sorted_copy(graph).serialize(format="longturtle", encoding="utf-8")


def rdfxml(graph: Graph) -> bytes:
    """Flat RDF/XML (lossless, unlike pretty-xml) with its top-level descriptions in sorted order.

    rdflib walks subjects in set order, which changes with the hash seed; the blocks are
    independent, so sorting them changes nothing but the bytes.
    """
    text = sorted_copy(graph).serialize(format="xml", encoding="utf-8").decode("utf-8")
    head, _, rest = text.partition("\n  <rdf:Description")
    body, _, tail = ("  <rdf:Description" + rest).rpartition("\n</rdf:RDF>")
    blocks = [block + "</rdf:Description>" for block in body.split("</rdf:Description>")[:-1]]
    blocks = sorted(block.strip("\n") for block in blocks)
    return (head + "\n" + "\n".join(blocks) + "\n</rdf:RDF>" + tail).encode("utf-8")


def jsonld(graph: Graph) -> bytes:
    context = dict(sorted(PREFIXES.items()))
    data = json.loads(sorted_copy(graph).serialize(format="json-ld", context=context, auto_compact=True))
    items = data.get("@graph", [])
    items.sort(key=lambda item: json.dumps(item, sort_keys=True))
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


FORMATS = {"bcto.owl": rdfxml, "bcto.ttl": turtle, "bcto.jsonld": jsonld, "bcto.nt": ntriples}
