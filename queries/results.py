"""Query results as data, and every way BCTO writes them: terminal table, SPARQL 1.1 JSON/CSV/TSV/XML, RDF.

Serialisation is ours for solutions (rather than pyoxigraph's) so that a capped or remote result — a plain
list of rows — is written exactly like a local one.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


@dataclass(frozen=True)
class Solutions:
    variables: list[str]
    rows: list[tuple[Term | None, ...]]


@dataclass(frozen=True)
class Boolean:
    value: bool


@dataclass(frozen=True)
class Triples:
    triples: list[ox.Triple]


Result = Solutions | Boolean | Triples

# format name -> media type; the first group is for solutions and booleans, the second for graphs.
RESULT_MEDIA = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
}
GRAPH_MEDIA = {
    "turtle": "text/turtle; charset=utf-8",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
}
GRAPH_RDF_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}
TABULAR = {"table", "csv", "tsv"}


class FormatMismatch(ValueError):
    """The chosen format cannot carry this kind of result (e.g. Turtle for a SELECT)."""


def formats_for(result: Result) -> list[str]:
    if isinstance(result, Triples):
        return ["table", "turtle", "ntriples", "jsonld"]  # CSV/TSV are SPARQL result formats, not graph formats
    return ["table", "csv", "tsv", "json", "xml"]


def as_solutions(triples: Triples) -> Solutions:
    """A graph as subject/predicate/object rows, for the tabular formats."""
    return Solutions(["subject", "predicate", "object"], [(t.subject, t.predicate, t.object) for t in triples.triples])


def serialise(result: Result, fmt: str, prefixes: dict[str, str] | None = None) -> bytes:
    """The result in one named format; FormatMismatch names the formats that fit instead."""
    if fmt not in formats_for(result):
        raise FormatMismatch(f"--format {fmt} cannot carry a {kind(result)} result; use one of " + ", ".join(formats_for(result)))
    if isinstance(result, Triples):
        if fmt in TABULAR:
            return serialise(as_solutions(result), fmt, prefixes)
        written = ox.serialize(result.triples, format=GRAPH_RDF_FORMATS[fmt], prefixes=prefixes if fmt == "turtle" else None)
        assert written is not None  # serialize returns bytes when given no output file
        return written
    if fmt == "table":
        return table(result, prefixes or {}).encode("utf-8")
    writer = {"json": to_json, "xml": to_xml, "csv": to_csv, "tsv": to_tsv}[fmt]
    return writer(result).encode("utf-8")


def kind(result: Result) -> str:
    return {Solutions: "SELECT", Boolean: "ASK", Triples: "CONSTRUCT/DESCRIBE"}[type(result)]


def _json_term(term: Term) -> dict[str, object]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        cell: dict[str, object] = {"type": "literal", "value": term.value}
        if term.language:
            cell["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            cell["datatype"] = term.datatype.value
        return cell
    return {
        "type": "triple",
        "value": {
            "subject": _json_term(term.subject),
            "predicate": _json_term(term.predicate),
            "object": _json_term(term.object),
        },
    }


def to_json(result: Solutions | Boolean) -> str:
    """SPARQL 1.1 Query Results JSON."""
    if isinstance(result, Boolean):
        return json.dumps({"head": {}, "boolean": result.value})
    bindings = [{v: _json_term(t) for v, t in zip(result.variables, row) if t is not None} for row in result.rows]
    return json.dumps({"head": {"vars": result.variables}, "results": {"bindings": bindings}}, ensure_ascii=False)


def _xml_term(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    return f"<literal>{escape(str(term))}</literal>"


def to_xml(result: Solutions | Boolean) -> str:
    """SPARQL Query Results XML."""
    out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
    if isinstance(result, Boolean):
        out += ["<head/>", f"<boolean>{'true' if result.value else 'false'}</boolean>"]
    else:
        out.append("<head>" + "".join(f"<variable name={quoteattr(v)}/>" for v in result.variables) + "</head>")
        out.append("<results>")
        for row in result.rows:
            cells = "".join(
                f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>" for v, t in zip(result.variables, row) if t is not None
            )
            out.append(f"<result>{cells}</result>")
        out.append("</results>")
    out.append("</sparql>")
    return "\n".join(out) + "\n"


def _csv_cell(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)


def to_csv(result: Solutions | Boolean) -> str:
    """SPARQL 1.1 Query Results CSV: plain values, CRLF line ends; an ASK answer is a bare true/false."""
    if isinstance(result, Boolean):
        return "true\r\n" if result.value else "false\r\n"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(result.variables)
    writer.writerows([_csv_cell(t) for t in row] for row in result.rows)
    return buffer.getvalue()


def to_tsv(result: Solutions | Boolean) -> str:
    """SPARQL 1.1 Query Results TSV: terms in N-Triples syntax, so tabs and newlines stay escaped."""
    if isinstance(result, Boolean):
        return "true\n" if result.value else "false\n"
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def short(term: Term | None, prefixes: dict[str, str]) -> str:
    """A readable cell: prefix:local for known namespaces, <iri> for others, the lexical form for literals."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        best = max((p for p, ns in prefixes.items() if term.value.startswith(ns)), key=lambda p: len(prefixes[p]), default=None)
        return f"{best}:{term.value[len(prefixes[best]) :]}" if best is not None else f"<{term.value}>"
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return term.value.replace("\n", " ").replace("\t", " ")
    return str(term)


def table(result: Solutions | Boolean, prefixes: dict[str, str], width: int = 60) -> str:
    """An aligned table for a terminal; cells longer than `width` are cut (the other formats keep them whole)."""
    if isinstance(result, Boolean):
        return ("true" if result.value else "false") + "\n"
    cut = False

    def fit(text: str) -> str:
        nonlocal cut
        if len(text) <= width:
            return text
        cut = True
        return text[: width - 1] + "…"

    cells = [[fit(short(t, prefixes)) for t in row] for row in result.rows]
    widths = [max([len(v) + 1, *(len(r[i]) for r in cells)]) for i, v in enumerate(result.variables)]
    lines = ["  ".join(f"?{v}".ljust(w) for v, w in zip(result.variables, widths)).rstrip(), "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells]
    count = len(result.rows)
    lines.append(
        f"({count} row{'' if count == 1 else 's'}"
        + (f"; cells cut at {width} characters, --format tsv shows them whole)" if cut else ")")
    )
    return "\n".join(lines) + "\n"
