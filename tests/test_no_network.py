"""Nothing a query says makes BCTO open a connection: not through `bcto serve`, not through `bcto query`.

A plain TCP listener on 127.0.0.1 counts the connections it accepts. Every text below names it, in a form
that once slipped past the old lexical guard or might slip past a new one; after each, the count must still
be zero. Two positive controls (federation allowed) show that the listener does see a request when one is
made, so a zero is a real zero.
"""

from __future__ import annotations

import multiprocessing
import socket
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from bcto.cli import main
from bcto.queries.endpoint import EndpointSettings, running
from bcto.queries.sandbox import isolate
from tests.conftest import Release
from tests.test_endpoint import alive, post_form


class Listener:
    """A TCP server on a free loopback port that accepts, counts and closes each connection."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.1)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.count = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.count += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self.sock.close()


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    found = Listener()
    yield found
    found.close()


@pytest.fixture(scope="module")
def out(minimal_release: Release) -> Path:
    return minimal_release.output


@pytest.fixture(scope="module")
def served(out: Path) -> Iterator[str]:
    with running(EndpointSettings(out, port=0, timeout=5, workers=1, reserved_workers=1, quiet=True)) as base:
        yield base


S = "SELECT * WHERE { ?s ?p ?o } LIMIT 1"
BYPASSES = {
    # the two forms from the review
    "keyword-named-prefix": "PREFIX SERVICE: <http://u.invalid/> PREFIX : <{u}/> SELECT * WHERE { SERVICE:x { ?s ?p ?o } }",
    "escaped-quote-pname": "PREFIX ex: <http://e/> SELECT * WHERE { ?s ?p ex:a\\' . SERVICE <{u}/sparql> { ?s ?p ?o } }",
    "escaped-quote-pname-closed-later": (
        "PREFIX ex: <http://e/> SELECT * WHERE { ?s ?p ex:a\\' . SERVICE <{u}/sparql> { ?s ?p ?o } } # '"
    ),
    "escaped-quote-pname-std-prefix": "SELECT * WHERE { ?s ?p bcto:a\\' . SERVICE <{u}/sparql> { ?s ?p ?o } }",
    # case, spacing, comments
    "plain": "SELECT * WHERE { SERVICE <{u}/sparql> { ?s ?p ?o } }",
    "lowercase": "select * where { service <{u}/sparql> { ?s ?p ?o } }",
    "mixed-case": "SeLeCt * WhErE { SeRvIcE <{u}/sparql> { ?s ?p ?o } }",
    "silent": "SELECT * WHERE { SERVICE SILENT <{u}/sparql> { ?s ?p ?o } }",
    "no-spaces": "SELECT*WHERE{SERVICE<{u}/sparql>{?s ?p ?o}}",
    "newline-tab": "SELECT * WHERE {\n\tSERVICE\n\t<{u}/sparql>\n\t{ ?s ?p ?o } }",
    "comment-before": "# SERVICE is mentioned here\nSELECT * WHERE { SERVICE <{u}/sparql> { ?s ?p ?o } }",
    "comment-with-quote": "SELECT * WHERE { # it's a comment\n SERVICE <{u}/sparql> { ?s ?p ?o } }",
    # \u escapes
    "u-escaped-keyword": "SELECT * WHERE { \\u0053ERVICE <{u}/sparql> { ?s ?p ?o } }",
    "U-escaped-keyword": "SELECT * WHERE { \\U00000053ERVICE <{u}/sparql> { ?s ?p ?o } }",
    "u-escape-in-iri": "SELECT * WHERE { SERVICE <http\\u003A//127.0.0.1:{port}/sparql> { ?s ?p ?o } }",
    "u-escaped-quote-in-string": 'SELECT * WHERE { BIND("x\\u0022" AS ?a) SERVICE <{u}/sparql> { ?s ?p ?o } }',
    # prefixes and base
    "prefixed-iri": "PREFIX svc: <{u}/> SELECT * WHERE { SERVICE svc:sparql { ?s ?p ?o } }",
    "prefix-named-select": "PREFIX select: <{u}/> SELECT * WHERE { SERVICE select:x { ?s ?p ?o } }",
    "prefix-named-service-empty-local": "PREFIX service: <{u}/> SELECT * WHERE { SERVICE service: { ?s ?p ?o } }",
    "base-relative": "BASE <{u}/> SELECT * WHERE { SERVICE <sparql> { ?s ?p ?o } }",
    # where it sits
    "nested-groups": "SELECT * WHERE { { { OPTIONAL { SERVICE <{u}/sparql> { ?s ?p ?o } } } } }",
    "sub-select": "SELECT * WHERE { { SELECT * WHERE { SERVICE <{u}/sparql> { ?s ?p ?o } } } }",
    "filter-exists": "SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <{u}/sparql> { ?s ?p ?o } } }",
    "minus": "SELECT * WHERE { ?s ?p ?o MINUS { SERVICE <{u}/sparql> { ?s ?p ?o } } }",
    "union": "SELECT * WHERE { { ?s ?p ?o } UNION { SERVICE <{u}/sparql> { ?s ?p ?o } } }",
    "variable-endpoint": "SELECT * WHERE { VALUES ?e { <{u}/sparql> } SERVICE ?e { ?s ?p ?o } }",
    "ask": "ASK { SERVICE <{u}/sparql> { ?s ?p ?o } }",
    "construct": "CONSTRUCT WHERE { SERVICE <{u}/sparql> { ?s ?p ?o } }",
    "describe": "DESCRIBE ?s WHERE { SERVICE <{u}/sparql> { ?s ?p ?o } }",
    # strings that might hide it
    "long-string-with-quote": "SELECT * WHERE { BIND('''it's''' AS ?x) SERVICE <{u}/sparql> { ?s ?p ?o } }",
    "escaped-double-quote": 'SELECT * WHERE { BIND("a\\"b" AS ?x) SERVICE <{u}/sparql> { ?s ?p ?o } }',
    "quadratic-quotes": "SELECT * WHERE { ?s ?p '" + "\\'" * 2000 + " SERVICE <{u}/sparql> { ?s ?p ?o } }",
    "deep-nesting": "SELECT * WHERE " + "{" * 400 + " SERVICE <{u}/sparql> { ?s ?p ?o } " + "}" * 400,
    # other ways to fetch
    "from": "SELECT * FROM <{u}/data.ttl> WHERE { ?s ?p ?o }",
    "from-named": "SELECT * FROM NAMED <{u}/data.ttl> WHERE { GRAPH ?g { ?s ?p ?o } }",
    "load": "LOAD <{u}/data.ttl>",
    "load-silent-into": "LOAD SILENT <{u}/data.ttl> INTO GRAPH <urn:g>",
    "update-with-service": "INSERT { ?s ?p ?o } WHERE { SERVICE <{u}/sparql> { ?s ?p ?o } }",
}
STILL_REFUSED_WITH_FEDERATION = ["load", "load-silent-into", "update-with-service"]


def text(name: str, listener: Listener) -> str:
    port = urllib.parse.urlsplit(listener.url).port
    return BYPASSES[name].replace("{u}", listener.url).replace("{port}", str(port))


def bcto_query(out: Path, query: str, *flags: str) -> int:
    return main(["query", "--output", str(out), "--timeout", "20", *flags, "--query", query])


def test_the_variants_are_many() -> None:
    assert len(BYPASSES) >= 22


@pytest.mark.parametrize("name", sorted(BYPASSES))
def test_serve_makes_no_connection(served, listener, name) -> None:
    before = listener.count
    status, _, body = post_form(served, query=text(name, listener))
    assert 400 <= status < 500, body
    assert listener.count == before
    assert alive(served)


@pytest.mark.parametrize("name", ["load", "load-silent-into", "update-with-service"])
def test_serve_update_parameter_makes_no_connection(served, listener, name) -> None:
    before = listener.count
    status, _, _ = post_form(served, update=text(name, listener))
    assert status == 403
    assert listener.count == before


@pytest.mark.parametrize("name", sorted(BYPASSES))
def test_query_command_makes_no_connection(out, listener, capsys, name) -> None:
    before = listener.count
    assert bcto_query(out, text(name, listener)) == 1
    err = capsys.readouterr().err
    assert err.startswith("bcto query: ") and "Traceback" not in err
    assert listener.count == before


def test_federation_allowed_reaches_the_listener_but_never_loads(out, listener, capsys) -> None:
    """The positive control: with --allow-federation the same listener sees SERVICE; LOAD and updates stay refused."""
    with running(
        EndpointSettings(out, port=0, timeout=5, workers=1, reserved_workers=0, allow_federation=True, quiet=True)
    ) as base:
        for name in STILL_REFUSED_WITH_FEDERATION:
            before = listener.count
            assert post_form(base, query=text(name, listener))[0] == 403
            assert post_form(base, update=text(name, listener))[0] == 403
            assert listener.count == before, name
        before = listener.count
        post_form(base, query=text("plain", listener))
        assert listener.count > before
    for name in STILL_REFUSED_WITH_FEDERATION:
        before = listener.count
        assert bcto_query(out, text(name, listener), "--allow-federation") == 1
        assert listener.count == before, name
    before = listener.count
    bcto_query(out, text("plain", listener), "--allow-federation")
    capsys.readouterr()
    assert listener.count > before


def _userns_possible() -> bool:
    for knob, off in (("/proc/sys/kernel/unprivileged_userns_clone", "0"), ("/proc/sys/user/max_user_namespaces", "0")):
        try:
            if Path(knob).read_text().strip() == off:
                return False
        except OSError:
            pass
    return True


def _connect_after_isolating(url: str, answers: multiprocessing.Queue) -> None:
    why = isolate()
    results: list[str | None] = [why]
    host, port = urllib.parse.urlsplit(url).hostname, urllib.parse.urlsplit(url).port
    try:
        socket.create_connection((host, port), timeout=5).close()
        results.append("connected")
    except OSError as err:
        results.append(f"refused: {err}")
    import pyoxigraph as ox

    try:  # the engine's own HTTP client, with no guard in front of it
        list(ox.Store().query(f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}"))
        results.append("answered")
    except OSError as err:
        results.append(f"failed: {err}")
    answers.put(results)


@pytest.mark.skipif(not _userns_possible(), reason="this kernel forbids unprivileged user namespaces")
def test_an_isolated_worker_cannot_connect(listener) -> None:
    context = multiprocessing.get_context("spawn")
    answers = context.Queue()
    child = context.Process(target=_connect_after_isolating, args=(listener.url, answers))
    before = listener.count
    child.start()
    why, connect, service = answers.get(timeout=60)
    child.join(10)
    assert why is None
    assert connect.startswith("refused")
    assert service.startswith("failed")
    assert listener.count == before


@pytest.mark.skipif(not _userns_possible(), reason="this kernel forbids unprivileged user namespaces")
def test_query_workers_say_they_are_isolated(out) -> None:
    from bcto.queries.pool import Pool
    from bcto.queries.runner import release_data

    pool = Pool(release_data(out), 1, 5)
    try:
        assert pool.why_online is None
    finally:
        pool.close()
    online = Pool(release_data(out), 1, 5, offline=False)
    try:
        assert online.why_online and "federation" in online.why_online
    finally:
        online.close()
