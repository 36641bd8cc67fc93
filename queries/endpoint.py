"""`bcto serve`: a read-only SPARQL 1.1 Protocol endpoint on loopback, a query page, and the graph viewer.

Standard-library http.server is enough for one researcher's machine; the work that can run away (the
query) happens in worker processes (queries.pool), so a bad request costs one worker, never the server.
"""

from __future__ import annotations

import ipaddress
import json
import os
import socket
import sys
import threading
import traceback
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from pathlib import Path

from bcto.ontology.vocabulary import PREFIXES
from bcto.queries.library import CQ_DIR, QC_DIR, find_queries
from bcto.queries.negotiate import negotiate
from bcto.queries.pool import TEXT, Job, Pool, Reply
from bcto.queries.runner import release_data

STATIC = Path(str(files("bcto.queries"))) / "static"
FORM = "application/x-www-form-urlencoded"
DRAIN_BYTES = 64 * 1024 * 1024  # a too-large body up to this size is read and dropped; a larger one is not read
PAGE_POLICY = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; "
    "img-src 'self' data:; form-action 'self'; base-uri 'none'"
)


@dataclass(frozen=True)
class EndpointSettings:
    output: Path
    host: str = "127.0.0.1"
    port: int = 8000
    timeout: float = 10.0  # seconds per query
    max_rows: int = 10_000
    max_query_bytes: int = 1_000_000
    workers: int = max(1, os.cpu_count() or 1)  # long slots: at most this many queries run longer than SHORT
    memory_mb: int = 2048  # address space per worker; 0 for no limit
    max_result_mb: float = 64  # bytes of one answer, in MB
    reserved_workers: int = 2  # further workers that only queries shorter than SHORT can hold
    allow_federation: bool = False
    quiet: bool = False


def error(status: int, message: str) -> Reply:
    return status, TEXT, (message.rstrip("\n") + "\n").encode("utf-8")


def _host_name(value: str) -> str | None:
    """The host of a Host header or an origin's authority, lower-cased; None when it does not parse."""
    try:
        return (urllib.parse.urlsplit("//" + value).hostname or "").rstrip(".") or None
    except ValueError:
        return None


def host_allowed(value: str, bound: str) -> bool:
    """Whether a Host header names this endpoint: localhost, a loopback address, or the address it was started
    on. A DNS name that merely resolves here (DNS rebinding) is refused; an IP literal cannot be rebound, so
    any is accepted when the endpoint listens on every address (--host 0.0.0.0 or ::)."""
    name = _host_name(value)
    if name is None:
        return False
    if name in {"localhost", bound.lower().strip("[]")}:
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    return address.is_loopback or bound in {"0.0.0.0", "::", ""}


def foreign(headers: dict[str, str], method: str, bound: str) -> Reply | None:
    """The refusal for a request that another web site's page could have made, or None.

    No CORS headers are ever sent, so other sites' scripts cannot read an answer; these checks also stop them
    from sending queries (CSRF) or reaching the endpoint under their own name (DNS rebinding)."""
    host, origin = headers.get("Host"), headers.get("Origin")
    if host is not None and not host_allowed(host, bound):
        return error(403, f"Host {host!r} is not this endpoint; use http://127.0.0.1 or http://localhost (or the --host given)")
    if origin is not None and origin.lower() != f"http://{host or ''}".lower():
        return error(
            403, f"a request from the web page at {origin!r} is refused: only the endpoint's own query page may query it"
        )
    site, mode = (headers.get("Sec-Fetch-Site") or "").lower(), (headers.get("Sec-Fetch-Mode") or "").lower()
    if site in {"cross-site", "same-site"} and not (method in {"GET", "HEAD"} and mode == "navigate"):
        return error(403, "a request made by another web site's page is refused; open the query page at / instead")
    return None


def library_json() -> str:
    """The example library for the query page, safe to place inside a <script> element."""
    entries = [
        {"name": f"{group}/{q.name}", "summary": q.summary, "text": q.text}
        for group, folder in (("cq", CQ_DIR), ("qc", QC_DIR))
        for q in find_queries(folder)
    ]
    return json.dumps(entries, ensure_ascii=True).replace("</", "<\\/")


def query_page(viewer: bool) -> bytes:
    page = (STATIC / "index.html").read_text(encoding="utf-8")
    page = page.replace("/*LIBRARY*/[]", library_json()).replace("/*PREFIXES*/{}", json.dumps(PREFIXES))
    link = '<a href="/viewer">graph viewer</a>' if viewer else "graph viewer: not built"
    return page.replace("<!--VIEWER-->", link).encode("utf-8")


class Endpoint:
    """What the server answers, apart from HTTP plumbing: one method per route."""

    def __init__(self, settings: EndpointSettings, pool: Pool) -> None:
        self.settings, self.pool = settings, pool
        self.viewer = settings.output / "bcto.html"

    def page(self) -> Reply:
        return 200, "text/html; charset=utf-8", query_page(self.viewer.is_file())

    def view(self) -> Reply:
        if not self.viewer.is_file():
            return error(404, f"no viewer at {self.viewer}; build it with `python build.py`")
        return 200, "text/html; charset=utf-8", self.viewer.read_bytes()

    def sparql(self, params: dict[str, list[str]], accept: str | None) -> Reply:
        """One SPARQL Protocol request, its parameters already decoded from the URL or the form body."""
        if "update" in params:
            return error(403, "SPARQL Update is refused: this endpoint is read-only")
        if "default-graph-uri" in params or "named-graph-uri" in params:
            return error(400, "default-graph-uri and named-graph-uri are not supported: the endpoint has one dataset")
        queries = params.get("query", [])
        if len(queries) != 1:
            return error(
                400,
                "send exactly one `query` parameter (GET ?query=… or a POST form), or POST the query "
                "itself as application/sparql-query",
            )
        return self.run(queries[0], accept, next(iter(params.get("format") or []), None))

    def run(self, text: str, accept: str | None, format_param: str | None = None) -> Reply:
        if len(text.encode("utf-8")) > self.settings.max_query_bytes:
            return error(413, f"the query is longer than {self.settings.max_query_bytes} bytes")
        if "\x00" in text:
            return error(400, "the query contains a NUL character; send SPARQL text in UTF-8")
        result_format, graph_format = negotiate(accept, format_param)
        if not result_format and not graph_format:
            return error(
                406,
                "none of the media types in the Accept header is one this endpoint writes: "
                "application/sparql-results+json, application/sparql-results+xml, text/csv, "
                "text/tab-separated-values, text/turtle, application/n-triples, application/ld+json",
            )
        max_bytes = int(self.settings.max_result_mb * 1_000_000)
        return self.pool.run(
            Job(text, result_format, graph_format, self.settings.max_rows, self.settings.allow_federation, max_bytes)
        )


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "bcto-sparql"
    default_request_version = "HTTP/1.0"  # so that even a garbled request line gets a status line back
    timeout = 30  # seconds a client may take to send its request
    wbufsize = 1 << 16  # headers and body leave in one write (two small writes meet delayed ACKs: +40 ms)

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    endpoint: Endpoint  # set on the subclass made by make_server

    def do_GET(self) -> None:
        self._answer(self._get, head=False)

    def do_HEAD(self) -> None:
        self._answer(self._get, head=True)

    def do_POST(self) -> None:
        self._answer(self._post, head=False)

    def _refuse_method(self) -> None:
        self._answer(lambda: error(405, "use GET or POST"), head=False)

    do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _refuse_method

    def _get(self) -> Reply:
        path, _, query = self.path.partition("?")
        if path == "/":
            return self.endpoint.page()
        if path == "/viewer":
            return self.endpoint.view()
        if path == "/sparql":
            if not query:
                return error(400, "no query: GET /sparql?query=… (URL-encoded), or open / for the query page")
            return self.endpoint.sparql(urllib.parse.parse_qs(query, keep_blank_values=True), self.headers["Accept"])
        return error(404, f"nothing at {path}; the endpoint is /sparql, the query page /")

    def _post(self) -> Reply:
        path = self.path.partition("?")[0]
        if path != "/sparql":
            self.close_connection = True
            return error(404, f"nothing to POST to at {path}; the endpoint is /sparql")
        body = self._body()
        if isinstance(body, tuple):
            return body
        media = (self.headers.get_content_type() if self.headers["Content-Type"] else "").lower()
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return error(400, "the request body is not UTF-8 text")
        if media == FORM:
            return self.endpoint.sparql(urllib.parse.parse_qs(text, keep_blank_values=True), self.headers["Accept"])
        if media == "application/sparql-query":
            return self.endpoint.run(text, self.headers["Accept"], None)
        if media == "application/sparql-update":
            return error(403, "SPARQL Update is refused: this endpoint is read-only")
        return error(415, f"unsupported Content-Type {media or '(none)'}; POST {FORM} (query=…) or application/sparql-query")

    def _body(self) -> bytes | Reply:
        """The request body, or the error reply when it is missing, unbounded or too large (then unread)."""
        if "chunked" in (self.headers["Transfer-Encoding"] or "").lower():
            self.close_connection = True
            return error(411, "send the body with a Content-Length, not chunked")
        length = self.headers["Content-Length"]
        if length is None:
            self.close_connection = True
            return error(411, "a POST needs a Content-Length header")
        try:
            size = int(length)
        except ValueError:
            self.close_connection = True
            return error(400, f"Content-Length {length!r} is not a number")
        if size < 0 or size > self.endpoint.settings.max_query_bytes:
            self.close_connection = True
            if 0 < size <= DRAIN_BYTES:  # read and drop it, so that the client sees the 413 rather than a broken pipe
                left = size
                while left > 0 and (chunk := self.rfile.read(min(1 << 16, left))):
                    left -= len(chunk)
            return error(413, f"the request body is {size} bytes; at most {self.endpoint.settings.max_query_bytes} are accepted")
        return self.rfile.read(size)

    def _answer(self, route, head: bool) -> None:
        refused = foreign({k.title(): v for k, v in self.headers.items()}, self.command, self.endpoint.settings.host)
        try:
            if refused:
                self.close_connection = True  # a body, if any, is left unread
            status, media, body = refused or route()
        except Exception:  # a bug, not bad input: say so and keep serving
            traceback.print_exc(file=sys.stderr)
            status, media, body = error(500, "internal error; the server log has the details")
        self.send_response(status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-store")
        if media.startswith("text/html"):
            self.send_header("Content-Security-Policy", PAGE_POLICY)
        if status == 503:
            self.send_header("Retry-After", "1")
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        if not self.endpoint.settings.quiet:
            line = "".join(c if c.isprintable() else repr(c)[1:-1] for c in format % args)  # no terminal escapes
            sys.stderr.write(f"{self.address_string()} {line}\n")


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128


def make_server(settings: EndpointSettings) -> tuple[Server, Pool]:
    """Bind the socket and start the workers; QueryError when there is no built release."""
    pool = Pool(
        release_data(settings.output),
        settings.workers,
        settings.timeout,
        settings.memory_mb * 1024 * 1024 if settings.memory_mb else None,
        reserved=settings.reserved_workers,
        offline=not settings.allow_federation,
    )
    handler = type("BoundHandler", (Handler,), {"endpoint": Endpoint(settings, pool)})
    try:
        return Server((settings.host, settings.port), handler), pool
    except OSError:
        pool.close()
        raise


@contextmanager
def running(settings: EndpointSettings) -> Iterator[str]:
    """An endpoint served from a background thread for the duration of a with-block; yields its base URL."""
    server, pool = make_server(settings)
    thread = threading.Thread(target=server.serve_forever, daemon=True, name="bcto-endpoint")
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host.decode() if isinstance(host, bytes) else host}:{port}"
    finally:
        server.shutdown()
        server.server_close()
        pool.close()
        thread.join(10)
