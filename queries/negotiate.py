"""HTTP content negotiation for SPARQL answers: which format a client's Accept header (or format=) asks for."""

from __future__ import annotations

RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/n-triples": "ntriples",
    "text/plain": "ntriples",
    "application/ld+json": "jsonld",
    "application/json": "jsonld",
}
WILDCARDS = {"*/*": ("json", "turtle"), "application/*": ("json", "ntriples"), "text/*": ("csv", "turtle")}
DEFAULTS = ("json", "turtle")


def accepted(accept: str) -> list[str]:
    """Media ranges of an Accept header, best first (by q, then by order); q=0 and unparsable q are dropped."""
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(accept.split(",")):
        media, *params = (piece.strip() for piece in part.split(";"))
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if media and q > 0:
            ranked.append((-q, index, media.lower()))
    return [media for _, _, media in sorted(ranked)]


def negotiate(accept: str | None, format_param: str | None = None) -> tuple[str, str]:
    """(format for SELECT/ASK, format for CONSTRUCT/DESCRIBE); "" where the client accepts nothing that fits."""
    if format_param:
        name = format_param.lower()
        return (name if name in RESULT_TYPES.values() else "", name if name in GRAPH_TYPES.values() else "")
    if not accept or not accept.strip():
        return DEFAULTS
    result = graph = ""
    for media in accepted(accept):
        result = result or RESULT_TYPES.get(media, "") or WILDCARDS.get(media, ("", ""))[0]
        graph = graph or GRAPH_TYPES.get(media, "") or WILDCARDS.get(media, ("", ""))[1]
    return result, graph
