"""Deterministic serialisations: the same graph always gives the same bytes.

rdflib builds the graphs; Oxigraph's serialisers write them, about ten times faster than rdflib's.
Triples go in sorted, so every format comes out grouped by subject and in a stable order.
"""

from __future__ import annotations

import json
import re
import xml.parsers.expat
from collections.abc import Iterator
from itertools import groupby
from operator import attrgetter

import pyoxigraph as ox
from rdflib import Graph, Literal

from bcto.ontology.curies import Curies
from bcto.ontology.triples import Triples
from bcto.ontology.vocabulary import PREFIXES


def _nt_literal(literal: Literal) -> str:
    """A literal exactly as rdflib's N-Triples serialiser writes it."""
    escaped = literal.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"').replace("\r", "\\r")
    text = f'"{escaped}"'
    if literal.language:
        return f"{text}@{literal.language}"
    return f"{text}^^<{literal.datatype}>" if literal.datatype else text


def ntriples(graph: Triples) -> bytes:
    """Canonical-ish N-Triples: one triple per line, lines sorted.

    The bytes rdflib's serialiser gives, written here with each distinct term formatted once (terms repeat:
    a graph of 1M triples has ~100k distinct terms), which saves a third of the time at scale.
    """
    memo: dict[object, str] = {}

    def term(node: object) -> str:
        text = memo.get(node)
        if text is None:
            text = memo[node] = _nt_literal(node) if isinstance(node, Literal) else node.n3()  # type: ignore[attr-defined]
        return text

    lines = sorted({f"{term(s)} {term(p)} {term(o)} ." for s, p, o in graph})
    return ("\n".join(lines) + "\n").encode("utf-8")


def _ordered_triples(nt: bytes) -> list[ox.Triple]:
    """The triples in the order of ntriples()' sorted lines, which groups them by subject: no second sort
    (sorting ~1M triples by their terms' text took seconds and grew faster than the graph)."""
    return list(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES))


def _write_triples(triples: list[ox.Triple], fmt: ox.RdfFormat) -> bytes:
    written = ox.serialize(triples, format=fmt, prefixes=PREFIXES)
    assert written is not None  # serialize returns bytes when given no output file
    return written


def turtle(graph: Graph) -> bytes:
    return _write_triples(_ordered_triples(ntriples(graph)), ox.RdfFormat.TURTLE)


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _jsonld_nodes(triples: list[ox.Triple]) -> Iterator[str]:
    """One flat node object per subject, as JSON-LD's expanded form has it with IRIs compacted by our
    prefixes; triples come grouped by subject, so each node is written as soon as it is complete.

    Written as text, not as dicts through json.dumps: 0.6-0.67 of the time (0.97 s -> 0.58 s at 10x), each
    IRI's text made once per document. The bytes are json.dumps(node, sort_keys=True, ensure_ascii=False)'s:
    strings quoted by the same encode_basestring, keys sorted by their unquoted text, a value object's keys
    written in their sorted order.
    """
    curie = Curies()  # remembered per document: a process-wide LRU of 65k entries thrashed at 100x
    quote = json.encoder.encode_basestring
    names: dict[object, str] = {}  # an IRI or blank node -> its compacted name
    refs: dict[object, str] = {}  # an IRI or blank node object -> its value object (literals are not kept)

    def name(node: ox.NamedNode | ox.BlankNode) -> str:
        text = names.get(node)
        if text is None:
            text = names[node] = curie[node.value] if isinstance(node, ox.NamedNode) else f"_:{node.value}"
        return text

    def value(node: object) -> str:
        if isinstance(node, ox.Literal):
            if node.language:
                return f'{{"@language": {quote(node.language)}, "@value": {quote(node.value)}}}'
            datatype = node.datatype.value
            if datatype == _XSD_STRING:
                return f'{{"@value": {quote(node.value)}}}'
            return f'{{"@type": {quote(curie[datatype])}, "@value": {quote(node.value)}}}'
        text = refs.get(node)
        if text is None:
            text = refs[node] = f'{{"@id": {quote(name(node))}}}'  # type: ignore[arg-type]
        return text

    for subject, group in groupby(triples, key=attrgetter("subject")):
        node: dict[str, list[str] | None] = {"@id": None}  # sorted with the predicates, as sort_keys sorts it
        for triple in group:
            node.setdefault(name(triple.predicate), []).append(value(triple.object))  # type: ignore[union-attr]
        members = [
            f'"@id": {quote(name(subject))}' if values is None else f"{quote(key)}: [{', '.join(values)}]"
            for key, values in sorted(node.items())
        ]
        yield "{" + ", ".join(members) + "}"


def _jsonld_of(triples: list[ox.Triple]) -> bytes:
    """JSON-LD with an @context of our prefixes and one flat node object per subject. Written here rather
    than by Oxigraph's JSON-LD writer plus a compaction pass over the parsed result: that held the whole
    document as Python objects (~0.7 GB at 100x) and grew faster than the graph."""
    context = json.dumps(dict(sorted(PREFIXES.items())), sort_keys=True)
    body = ",\n".join(_jsonld_nodes(triples))
    return f'{{"@context": {context},\n"@graph": [\n{body}\n]}}\n'.encode()


def ntriples_formats(nt: bytes) -> dict[str, bytes]:
    """The ontology's files in its other three formats (RDF/XML, Turtle, JSON-LD), byte for byte, from
    ntriples()' bytes (bcto.nt itself): one parse and no sort for the three, and no graph, so a process sent
    only the bytes writes them."""
    triples = _ordered_triples(nt)
    return {
        "bcto.owl": _write_triples(triples, ox.RdfFormat.RDF_XML),
        "bcto.ttl": _write_triples(triples, ox.RdfFormat.TURTLE),
        "bcto.jsonld": _jsonld_of(triples),
    }


XML_FILES = (".owl", ".graphml", ".gexf")  # the release files that are XML documents


_XML_LOCAL_NAME = re.compile(r"[/#][A-Za-z_][A-Za-z0-9_.-]*$")


def rdfxml_ntriples(nt: bytes) -> bytes | None:
    """N-Triples as RDF/XML, the format OWLAPI tries first (bcto/ontology/hermit.py), or None where this RDF/XML
    would not say the same: a predicate with no XML local name after its last / or #, a character XML forbids,
    a carriage return (the writer leaves it raw, and XML reads it as a line feed). The writer refuses none of
    them, so they are checked here."""
    if b"\\r" in nt:  # N-Triples escapes a carriage return in a literal as \r
        return None
    triples = _ordered_triples(nt)
    if not all(_XML_LOCAL_NAME.search(predicate) for predicate in {t.predicate.value for t in triples}):
        return None
    written = _write_triples(triples, ox.RdfFormat.RDF_XML)
    return written if xml_problem(written) is None else None


XmlProblem = tuple[int, int, str]  # line, 1-based column, expat's message


def xml_problem(data: bytes) -> XmlProblem | None:
    """Where and why data is not a well-formed XML document (line, 1-based column, message), or None.
    Expat reads a megabyte in ~25 ms, so the build checks every XML file it is about to write."""
    parser = xml.parsers.expat.ParserCreate()
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as err:
        return err.lineno, err.offset + 1, xml.parsers.expat.errors.messages[err.code]
    return None
