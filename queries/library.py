"""SPARQL files with grlc-style headers, found by glob, never by a hand-kept list; and the library as data.

A file's `#+ key: value` lines document it: `summary` (the question in one sentence), `description` (the
assumptions), `tags` (keywords, a YAML flow list as grlc reads it: `[side effects, surgery]`) and, rarely,
`endpoint` (where the query is meant to run; default: the local `bcto serve`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from importlib.resources import files
from pathlib import Path
from typing import NamedTuple

import pyoxigraph as ox
from rdflib import BNode, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SH, XSD

from bcto.ontology.serialise import ntriples
from bcto.ontology.triples import TripleSet
from bcto.ontology.vocabulary import BCTO, PREFIXES

HERE = Path(str(files("bcto.queries")))
QC_DIR = HERE / "qc"
CQ_DIR = HERE / "cq"
TARGET = "http://127.0.0.1:8000/sparql"  # `bcto serve`'s default address
QUERY = Namespace("https://w3id.org/bcto/query/")
SCHEMA = Namespace("https://schema.org/")
SPEX = Namespace("https://purl.expasy.org/sparql-examples/ontology#")
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")  # mf:result, the expected answer
# Query form -> (SHACL executable class, property holding the text); DESCRIBE is the SIB extension.
FORMS = {
    "SELECT": (SH.SPARQLSelectExecutable, SH.select),
    "ASK": (SH.SPARQLAskExecutable, SH.ask),
    "CONSTRUCT": (SH.SPARQLConstructExecutable, SH.construct),
    "DESCRIBE": (SPEX.SPARQLDescribeExecutable, SPEX.describe),
}
_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


class Query(NamedTuple):
    name: str
    path: Path
    summary: str
    description: str
    text: str
    tags: tuple[str, ...] = ()
    endpoint: str = TARGET

    @property
    def form(self) -> str:
        """SELECT, ASK, CONSTRUCT or DESCRIBE: the first such word outside comments, IRIs and strings."""
        body = re.sub(r"#[^\n]*|<[^>\s]*>|\"[^\"\n]*\"", " ", self.text)
        found = _FORM.search(body)
        return found.group(1).upper() if found else "SELECT"

    @property
    def expected(self) -> Path:
        """The expected answer the tests compare, beside the query (cq/ only)."""
        return self.path.with_suffix(".tsv")


def _tags(value: str) -> tuple[str, ...]:
    return tuple(t.strip() for t in value.strip().strip("[]").split(",") if t.strip())


def read_query(path: Path) -> Query:
    """Read one .rq file and its '#+' header lines."""
    text = path.read_text(encoding="utf-8")
    headers: dict[str, str] = {}
    for line in text.splitlines():
        if line.startswith("#+ ") and ":" in line:
            key, _, value = line[3:].partition(":")
            headers[key.strip()] = value.strip()
    return Query(
        path.stem,
        path,
        headers.get("summary", ""),
        headers.get("description", ""),
        text,
        _tags(headers.get("tags", "")),
        headers.get("endpoint", TARGET),
    )


def find_queries(folder: Path, pattern: str = "*.rq") -> list[Query]:
    return [read_query(p) for p in sorted(folder.glob(pattern))]


def qc_checks(folder: Path = QC_DIR) -> list[Query]:
    return find_queries(folder, "*-violation.rq")


def library_turtle(queries: Iterable[Query]) -> bytes:
    """output/bcto-queries.ttl, byte-identical for the same files."""
    triples = ox.parse(ntriples(library_graph(list(queries))), format=ox.RdfFormat.N_TRIPLES)
    written = {**PREFIXES, "query": str(QUERY), "schema": str(SCHEMA), "spex": str(SPEX), "mf": str(MF)}
    return ox.serialize(list(triples), format=ox.RdfFormat.TURTLE, prefixes=written) or b""


def library_graph(queries: list[Query]) -> TripleSet:
    """The competency questions as SHACL SPARQL executables, as the SIB sparql-examples collections publish
    theirs (rdfs:comment, sh:select/ask/construct, sh:prefixes, schema:target, schema:keywords), so example
    catalogues can harvest them; each also carries its expected answer (mf:result, the TSV the tests compare).
    Plain triples, not an rdflib Graph, whose store would index them three ways only to write them out."""
    graph = TripleSet()
    prefixes = BNode("prefixes")
    for prefix, namespace in sorted(PREFIXES.items()):
        declaration = BNode(f"prefix-{prefix}")
        graph.add((prefixes, SH.declare, declaration))
        graph.add((declaration, SH.prefix, Literal(prefix)))
        graph.add((declaration, SH.namespace, Literal(namespace, datatype=XSD.anyURI)))
    for q in queries:
        node = QUERY[q.name]
        kind, holder = FORMS[q.form]
        graph.add((node, RDF.type, SH.SPARQLExecutable))
        graph.add((node, RDF.type, kind))
        graph.add((node, RDFS.label, Literal(q.name)))
        graph.add((node, RDFS.comment, Literal(q.summary, lang="en")))
        if q.description:
            graph.add((node, DCTERMS.description, Literal(q.description, lang="en")))
        graph.add((node, holder, Literal(q.text)))
        graph.add((node, SH.prefixes, prefixes))
        graph.add((node, SCHEMA.target, URIRef(q.endpoint)))
        graph.add((node, DCTERMS.isPartOf, BCTO["bcto.owl"]))
        for tag in q.tags:
            graph.add((node, SCHEMA.keywords, Literal(tag)))
        if q.expected.is_file():
            graph.add((node, MF.result, Literal(q.expected.read_text(encoding="utf-8"))))
    return graph
