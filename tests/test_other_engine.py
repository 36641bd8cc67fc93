"""Another engine, same answers: the Oxigraph server, loaded over the Graph Store Protocol, answers every
competency question over HTTP exactly as the embedded engine does."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from bcto.ontology.locations import QUERYABLE as RELEASE_FILES
from bcto.queries.library import CQ_DIR, find_queries
from bcto.queries.store import select, store_of
from tests.conftest import Release

_BESIDE = Path(sys.executable).parent / "oxigraph"  # the venv's bin is not on PATH unless activated
SERVER = str(_BESIDE) if _BESIDE.exists() else shutil.which("oxigraph")
QUESTIONS = find_queries(CQ_DIR)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _request(url: str, data: bytes | None = None, method: str = "GET", headers: dict[str, str] | None = None) -> bytes:
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    with urllib.request.urlopen(request, timeout=30) as response:  # loopback only
        return response.read()


@pytest.fixture(scope="module")
def endpoint(release: Release, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if SERVER is None:
        pytest.fail("the oxigraph server is not installed: pip install -e '.[test]'")
    port = _free_port()
    location = tmp_path_factory.mktemp("oxigraph")
    process = subprocess.Popen(
        [SERVER, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                _request(f"{base}/query?query=ASK%7B%7D")
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        for name in RELEASE_FILES:  # SPARQL 1.1 Graph Store HTTP Protocol: POST merges into the default graph
            _request(f"{base}/store?default", (release.output / name).read_bytes(), "POST", {"Content-Type": "text/turtle"})
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def _compact(binding: dict[str, str] | None) -> str:
    if binding is None:
        return ""
    value = binding["value"]
    if binding["type"] == "uri":
        return "bcto:" + value[len("https://w3id.org/bcto/") :] if value.startswith("https://w3id.org/bcto/") else f"<{value}>"
    return f"_:{value}" if binding["type"] == "bnode" else value


@pytest.mark.parametrize("question", QUESTIONS, ids=[q.name for q in QUESTIONS])
def test_server_answers_like_the_embedded_engine(question, endpoint: str, release: Release) -> None:
    body = _request(
        f"{endpoint}/query",
        question.text.encode(),
        "POST",
        {"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
    )
    results = json.loads(body)
    variables = results["head"]["vars"]
    remote = [tuple(_compact(b.get(v)) for v in variables) for b in results["results"]["bindings"]]
    local_variables, local = select(store_of([release.owl, release.kg, release.inferred]), question.text)
    assert variables == local_variables
    assert remote, "an empty answer would compare equal without testing anything"
    assert sorted(remote) == sorted(local)
