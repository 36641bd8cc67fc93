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
from bcto.queries.guard import MAX_DEPTH, analyse, refusal, with_prefixes
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


def syntax_error(err: SyntaxError, text: str, shift: int = 0) -> QueryError:
    """pyoxigraph's 'error at L:C: expected …' as the user's line and column, with that line quoted.

    `shift` is how many characters were put before the user's first line; oxigraph reports the place where
    it stopped reading, which is at or just after the mistake."""
    message = str(err).splitlines()[0]
    where, _, what = message.partition(": ")
    try:
        line, column = (int(n) for n in where.removeprefix("error at ").split(":"))
    except ValueError:
        return QueryError(f"syntax error: {message}")
    if line == 1:
        column = max(1, column - shift)
    if len(what) > 160:
        what = what[:157] + "..."
    lines = text.splitlines()
    quoted = f"\n  {lines[line - 1]}\n  {' ' * (column - 1)}^" if 0 < line <= len(lines) else ""
    return QueryError(f"syntax error at line {line}, column {column}: {what}{quoted}")


def execute(store: ox.Store, text: str, max_rows: int | None = None, allow_federation: bool = False) -> Result:
    """Run a query on the store with the standard prefixes bound; at most max_rows rows are read."""
    refused = refusal(text, PREFIXES, allow_federation)
    if refused:
        raise QueryError(refused.message, refused.status)
    try:
        answer = store.query(text, prefixes=PREFIXES)
        if isinstance(answer, ox.QueryBoolean):
            return Boolean(bool(answer))
        if isinstance(answer, ox.QueryTriples):
            return Triples(_take(answer, max_rows))
        variables = list(answer.variables)
        rows = _take(answer, max_rows)
    except SyntaxError as err:
        raise syntax_error(err, text) from None
    except OSError as err:
        raise QueryError(f"the query could not be evaluated: {err}") from None
    return Solutions([v.value for v in variables], [tuple(s[v] for v in variables) for s in rows])


def _take(items: ox.QuerySolutions | ox.QueryTriples, cap: int | None) -> list:
    taken = []
    for item in items:
        if cap is not None and len(taken) >= cap:
            raise TooManyRows(cap)
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
    found = analyse(text)
    if found.is_update:
        raise QueryError(f"SPARQL Update ({found.form}) is refused: `bcto query` only reads")
    full, shift = with_prefixes(text, PREFIXES)
    if not found.services and found.depth <= MAX_DEPTH:  # check the syntax here, where the message can name the user's line
        try:
            ox.Store().query(full)
        except SyntaxError as err:
            raise syntax_error(err, text, shift) from None
    accept = "application/n-triples, text/turtle;q=0.9" if found.is_graph else "application/sparql-results+json"
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
