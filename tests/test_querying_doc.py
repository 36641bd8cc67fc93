"""Every recipe in docs/querying.md runs against the release, on the embedded engine and on the Oxigraph
server, with the same non-empty answer; the RDF 1.2 recipe on both loaded with bcto-kg-star.ttl; the
federated one through a local stand-in for the Mondo endpoint (nothing leaves the machine)."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from bcto.ontology.locations import QUERYABLE
from bcto.ontology.vocabulary import BCTO, PREFIXES
from bcto.queries.results import Solutions
from bcto.queries.runner import execute, release_store
from tests.conftest import REPO, Release
from tests.test_other_engine import SERVER, _free_port, _request

DOC = REPO / "docs" / "querying.md"
RECIPES = re.findall(r"^### (\d+)\. [^\n]*\n(?:.*?\n)*?```sparql\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S | re.M)
UBERGRAPH = "https://ubergraph.apps.renci.org/sparql"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
Cell = tuple[str, ...]


def _needs(text: str) -> str:
    found = re.search(r"^# needs: (.+)$", text, re.M)
    return found.group(1).strip() if found else ""


def _declared(text: str) -> str:
    """The recipe as another store needs it: with the prefixes bcto query binds by itself."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items()) + text


def _local_cell(term: object) -> Cell:
    if term is None:
        return ("",)
    if isinstance(term, ox.NamedNode):
        return ("uri", term.value)
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        return ("literal", term.value, term.language or ("" if datatype == XSD_STRING else datatype))
    return ("bnode",)


def _remote_cell(binding: dict[str, str] | None) -> Cell:
    if binding is None:
        return ("",)
    if binding["type"] == "uri":
        return ("uri", binding["value"])
    if binding["type"] == "literal":
        datatype = binding.get("datatype", "")
        return ("literal", binding["value"], binding.get("xml:lang", "") or ("" if datatype == XSD_STRING else datatype))
    return ("bnode",)


def _server(location: Path) -> tuple[subprocess.Popen, str]:
    if SERVER is None:
        pytest.fail("the oxigraph server is not installed: pip install -e '.[test]'")
    port = _free_port()
    process = subprocess.Popen(
        [SERVER, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            _request(f"{base}/query?query=ASK%7B%7D")
            return process, base
        except OSError:
            process.poll()
            if process.returncode is not None:
                break
            time.sleep(0.1)
    process.terminate()
    pytest.fail("the oxigraph server did not start")


def _load(base: str, data: bytes) -> None:
    _request(f"{base}/store?default", data, "POST", {"Content-Type": "text/turtle"})


@pytest.fixture(scope="module")
def servers(release: Release, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """(BCTO on the Oxigraph server, a stand-in Mondo endpoint holding the recorded Mondo labels)."""
    bcto, bcto_base = _server(tmp_path_factory.mktemp("bcto-oxigraph"))
    mondo, mondo_base = _server(tmp_path_factory.mktemp("mondo-stand-in"))
    try:
        for name in (*QUERYABLE, "bcto-kg-star.ttl"):
            _load(bcto_base, (release.output / name).read_bytes())
        _load(mondo_base, _mondo_labels())
        yield bcto_base, mondo_base
    finally:
        for process in (bcto, mondo):
            process.terminate()
            process.wait(timeout=10)


def _mondo_labels() -> bytes:
    rows = (REPO / "tests" / "data" / "external_ids.tsv").read_text(encoding="utf-8").splitlines()
    table = csv.DictReader((r for r in rows if not r.startswith("#")), delimiter="\t")
    lines = [
        f"<http://purl.obolibrary.org/obo/MONDO_{r['id'].split(':')[1]}> <{RDFS_LABEL}> {json.dumps(r['label'])} ."
        for r in table
        if r["id"].startswith("MONDO:")
    ]
    assert lines, "no Mondo ids recorded"
    return "\n".join(lines).encode("utf-8")


@pytest.fixture(scope="module")
def store(release: Release) -> ox.Store:
    store = release_store(release.output)
    store.load((release.output / "bcto-kg-star.ttl").read_bytes(), format=ox.RdfFormat.TURTLE)
    return store


def test_the_doc_has_a_dozen_recipes() -> None:
    assert len(RECIPES) >= 12
    assert [int(n) for n, _ in RECIPES] == list(range(1, len(RECIPES) + 1))
    assert {_needs(text) for _, text in RECIPES} == {"", "bcto-kg-star.ttl", "federation"}


@pytest.mark.parametrize("number,text", RECIPES, ids=[f"recipe-{n}" for n, _ in RECIPES])
def test_recipe_answers_the_same_on_both_engines(number: str, text: str, store: ox.Store, servers: tuple[str, str]) -> None:
    bcto_base, mondo_base = servers
    federated = _needs(text) == "federation"
    if federated:
        assert UBERGRAPH in text
        text = text.replace(UBERGRAPH, f"{mondo_base}/query")
    local = execute(store, text, allow_federation=federated)
    assert isinstance(local, Solutions)
    body = _request(
        f"{bcto_base}/query",
        _declared(text).encode("utf-8"),
        "POST",
        {"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
    )
    remote = json.loads(body)
    assert remote["head"]["vars"] == local.variables
    local_rows = [tuple(_local_cell(t) for t in row) for row in local.rows]
    remote_rows = [tuple(_remote_cell(b.get(v)) for v in local.variables) for b in remote["results"]["bindings"]]
    assert local_rows, f"recipe {number} answers nothing, so the comparison would prove nothing"
    if "ORDER BY" in text:
        assert remote_rows == local_rows
    else:
        assert sorted(remote_rows) == sorted(local_rows)


def test_federated_recipe_is_refused_without_permission(store: ox.Store) -> None:
    from bcto.queries.runner import QueryError

    (text,) = [t for _, t in RECIPES if _needs(t) == "federation"]
    with pytest.raises(QueryError, match="SERVICE is refused"):
        execute(store, text)


def test_every_bcto_name_in_the_doc_is_in_the_release(store: ox.Store) -> None:
    """A rename in the ontology must not leave the schema page describing names that no longer exist."""
    names = sorted(set(re.findall(r"\bbcto:([A-Za-z][A-Za-z0-9]*)(?![\w-])", DOC.read_text(encoding="utf-8"))))
    assert len(names) > 20
    missing = [n for n in names if not store.query(f"ASK {{ {{ <{BCTO[n]}> ?p ?o }} UNION {{ ?s <{BCTO[n]}> ?o }} }}")]
    assert missing == []
