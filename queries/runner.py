"""Run one SPARQL query: on the built release in memory, or on any SPARQL 1.1 endpoint over HTTP.

Every failure a person can fix is a QueryError whose message says what went wrong and what to do; the
command line prints it and exits non-zero, the endpoint sends it with its HTTP status.
"""

from __future__ import annotations

import ipaddress
import json
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox

from bcto.ontology.locations import QUERYABLE, missing_release
from bcto.ontology.vocabulary import PREFIXES
from bcto.queries.guard import Refusal, check, syntax_message, with_prefixes
from bcto.queries.results import Boolean, Result, Solutions, Triples
from bcto.queries.store import store_from


class QueryError(Exception):
    """A failure with a message for people and an HTTP status for the endpoint."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


class TooManyRows(QueryError):
    def __init__(self, cap: int) -> None:
        super().__init__(
            f"the result has more than {cap} rows, the endpoint's cap; add a LIMIT (and ORDER BY to page "
            "with OFFSET), or start the endpoint with a higher --max-rows",
            status=422,
        )


def release_store(output: Path) -> ox.Store:
    """The built release (ontology, plain edges, inferred hierarchy) in one in-memory store."""
    return store_from(release_data(output), ox.RdfFormat.TURTLE)


def release_data(output: Path) -> list[bytes]:
    """The Turtle of the three release files a query reads; QueryError when the release is not built."""
    problem = missing_release(output)
    if problem:
        raise QueryError(problem, status=503)
    return [(output / name).read_bytes() for name in QUERYABLE]


def syntax_error(err: SyntaxError, text: str) -> QueryError:
    return QueryError(syntax_message(text, err) or f"syntax error: {str(err).splitlines()[0]}")


class TooManyBytes(QueryError):
    def __init__(self, cap: int) -> None:
        super().__init__(
            f"the answer is larger than {cap} bytes, the endpoint's cap; ask for fewer rows (LIMIT) or shorter "
            "values, or start the endpoint with a higher --max-result-mb",
            status=422,
        )


def execute(
    store: ox.Store,
    text: str,
    max_rows: int | None = None,
    allow_federation: bool = False,
    max_bytes: int | None = None,
) -> Result:
    """Check the text (queries.guard), then run it with the standard prefixes bound; at most max_rows rows,
    and rows whose values add up to at most max_bytes, are read."""
    reading = check(text, PREFIXES, allow_federation)
    if isinstance(reading, Refusal):
        raise QueryError(reading.message, reading.status)
    try:
        answer = store.query(reading.text, prefixes=PREFIXES)
        if isinstance(answer, ox.QueryBoolean):
            return Boolean(bool(answer))
        if isinstance(answer, ox.QueryTriples):
            return Triples(_take(answer, max_rows, max_bytes, lambda t: (t.subject, t.predicate, t.object)))
        variables = list(answer.variables)
        rows = _take(answer, max_rows, max_bytes, lambda s: tuple(s[v] for v in variables))
    except SyntaxError as err:
        raise syntax_error(err, reading.text) from None
    except OSError as err:
        raise QueryError(f"the query could not be evaluated: {err}") from None
    return Solutions([v.value for v in variables], [tuple(s[v] for v in variables) for s in rows])


def _size(term: object) -> int:
    """A lower bound on the bytes a term takes in any result format: its value's length."""
    if term is None:
        return 0
    value = getattr(term, "value", None)
    return len(value) if isinstance(value, str) else len(str(term))


def _take(items: ox.QuerySolutions | ox.QueryTriples, cap: int | None, max_bytes: int | None, terms) -> list:
    taken: list = []
    size = 0
    for item in items:
        if cap is not None and len(taken) >= cap:
            raise TooManyRows(cap)
        if max_bytes is not None:
            size += sum(_size(t) for t in terms(item))
            if size > max_bytes:
                raise TooManyBytes(max_bytes)
        taken.append(item)
    return taken


def _opener(url: str) -> urllib.request.OpenerDirector:
    """Loopback addresses never go through a proxy from the environment (which would take them off the machine)."""
    host = urllib.parse.urlsplit(url).hostname or ""
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    return urllib.request.build_opener(urllib.request.ProxyHandler({})) if loopback else urllib.request.build_opener()


def remote(url: str, text: str, timeout: float = 60.0) -> Result:
    """Run a query on a SPARQL 1.1 endpoint (protocol POST, form-encoded), standard prefixes prepended."""
    if urllib.parse.urlsplit(url).scheme not in {"http", "https"}:
        raise QueryError(f"--endpoint {url!r} is not an http(s) URL; give e.g. http://127.0.0.1:8000/sparql")
    reading = check(text, PREFIXES, allow_federation=True)  # the endpoint decides about federation
    if isinstance(reading, Refusal):
        raise QueryError(reading.message.replace("BCTO's query tools are", "`bcto query` is"), reading.status)
    full, _ = with_prefixes(reading.text, PREFIXES, reading.declared)
    accept = "application/n-triples, text/turtle;q=0.9" if reading.is_graph else "application/sparql-results+json"
    request = urllib.request.Request(
        url,
        data=urllib.parse.urlencode({"query": full}).encode(),
        headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"},
    )
    try:
        with _opener(url).open(request, timeout=timeout) as response:
            body, media = response.read(), response.headers.get_content_type()
    except urllib.error.HTTPError as err:
        detail = err.read(2000).decode("utf-8", "replace").strip()
        raise QueryError(f"the endpoint {url} answered HTTP {err.code}: {detail or err.reason}") from None
    except (urllib.error.URLError, OSError) as err:
        reason = getattr(err, "reason", err)
        raise QueryError(
            f"cannot reach the endpoint {url} ({reason}); check the address, and that the server "
            "is running (`bcto serve` starts one)",
            status=503,
        ) from None
    return _parse_remote(body, media, url)


def _parse_remote(body: bytes, media: str, url: str) -> Result:
    try:
        if media in {"application/sparql-results+json", "application/json"}:
            answer = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
            if isinstance(answer, ox.QueryBoolean):
                return Boolean(bool(answer))
            variables = list(answer.variables)
            return Solutions([v.value for v in variables], [tuple(s[v] for v in variables) for s in answer])
        rdf = ox.RdfFormat.from_media_type(media)
        if rdf is None:
            raise QueryError(f"the endpoint {url} answered with {media}, which is neither SPARQL results nor RDF")
        return Triples([q.triple for q in ox.parse(body, format=rdf)])
    except (SyntaxError, ValueError, json.JSONDecodeError) as err:
        raise QueryError(f"the endpoint {url} sent a {media} answer that does not parse: {err}") from None
