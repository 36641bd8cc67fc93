"""Virtuoso, the store large health knowledge bases run on, gives the embedded engine's answers.

One Virtuoso per session, set up and loaded by the README's own blocks (tests/virtuoso.py). Every library query
outside queries/qc/ (the competency questions, and any other query folder that joins later) and every SELECT or
ASK recipe of docs/querying.md, once that file exists, runs on both; a query whose description says
"Virtuoso differs:" must still differ, so the note cannot go stale. The README's reasons for its recipe are
checked here too.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

import pytest

from bcto.ontology.vocabulary import PREFIXES
from bcto.queries.guard import with_prefixes
from bcto.queries.library import HERE as QUERY_DIR
from bcto.queries.library import read_query
from bcto.queries.runner import QueryError, release_store, remote
from tests import virtuoso as vt
from tests.conftest import Release

QUERYING_DOC = vt.REPO / "docs" / "querying.md"


def _library() -> list[tuple[str, str, str]]:
    """(id, query text, description) for every query to compare, found by glob."""
    found = [
        (f"{p.parent.name}/{p.stem}", q.text, q.description)
        for p in sorted(QUERY_DIR.glob("**/*.rq"))
        if p.parent.name != "qc" and (q := read_query(p))
    ]
    if QUERYING_DOC.is_file():
        text = QUERYING_DOC.read_text(encoding="utf-8")
        for block in re.finditer(r"```sparql\n(.*?)```", text, re.S):
            body = block.group(1)
            if re.search(r"^# needs: ", body, re.M):  # RDF 1.2 or federation: Virtuoso 7.2 reads neither
                continue
            if re.search(r"^\s*(SELECT|ASK)\b", re.sub(r"(?m)^\s*(#.*|PREFIX.*)$", "", body), re.I | re.M):
                line = text.count("\n", 0, block.start()) + 1
                found.append((f"docs/querying.md:{line}", body, ""))
    return found


LIBRARY = _library()


@pytest.fixture(scope="session")
def virtuoso(release: Release, tmp_path_factory: pytest.TempPathFactory) -> Iterator[vt.Virtuoso]:
    why = vt.missing()
    if why:
        if os.environ.get("CI"):
            pytest.fail(f"{why}; CI must run these tests")
        pytest.skip(why)
    with vt.running(tmp_path_factory.mktemp("virtuoso"), release.output) as server:
        report = vt.load_release(server, release.output)
        assert "0 Rows." in report, f"the README's load reported failed files:\n{report[-2000:]}"
        yield server


@pytest.fixture(scope="session")
def embedded(release: Release):
    return release_store(release.output)


def _both(query: str, server: vt.Virtuoso, store) -> tuple[vt.Answer | bool, vt.Answer | bool]:
    full, _ = with_prefixes(query, PREFIXES)
    return vt.ask(server, full), vt.answer_from_oxigraph(store.query(full))


@pytest.mark.parametrize(("name", "query", "description"), LIBRARY, ids=[q[0] for q in LIBRARY])
def test_virtuoso_answers_like_the_embedded_engine(name, query, description, virtuoso, embedded) -> None:
    remote_answer, local_answer = _both(query, virtuoso, embedded)
    if vt.DIFFERENCE_MARK in description:
        assert remote_answer != local_answer, f"{name} says Virtuoso differs, but it no longer does: remove the note"
        assert name.split("/")[-1] in vt.README.read_text(encoding="utf-8"), f"the README should name {name}"
        return
    if isinstance(local_answer, vt.Answer):
        assert local_answer.rows, "an empty answer would compare equal without testing anything"
    assert remote_answer == local_answer


def test_the_release_loads_whole(virtuoso, embedded) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert vt.ask(virtuoso, count) == vt.answer_from_oxigraph(embedded.query(count))


def test_the_readme_bcto_query_line_works(virtuoso, embedded) -> None:
    """`bcto query NAME --endpoint URL` as the README writes it (the URL carries default-graph-uri)."""
    found = re.search(r"bcto query (\S+) --endpoint '([^']+)'", "".join(vt.readme_blocks("sh")))
    assert found, "the README's Virtuoso part should show `bcto query NAME --endpoint '...'`"
    name, url = found.groups()
    query = read_query(QUERY_DIR / "cq" / f"{name}.rq").text
    result = remote(url.replace(vt.HTTP_PORT, f"127.0.0.1:{virtuoso.http_port}"), query)
    rows = tuple(sorted(tuple(vt.from_oxigraph(t) for t in row) for row in result.rows))  # type: ignore[union-attr]
    assert rows and rows == vt.answer_from_oxigraph(embedded.query(query)).rows  # type: ignore[union-attr]


def test_every_readme_query_names_the_loaded_graph() -> None:
    named = re.findall(r"default-graph-uri=([^'\s&]+)|FROM <([^>]+)>", vt.section())
    assert named and {a or b for a, b in named} == {vt.readme_graph()}


# --- the README's reasons, checked: each fails when Virtuoso stops behaving as the README says ------------------


def _count(server: vt.Virtuoso, where: str, graphs: list[str] | None) -> int:
    fields = [("query", f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")]
    fields += [("default-graph-uri", g) for g in graphs or []]
    answer = vt.answer_from_json(vt.post(server.sparql, fields, "application/sparql-results+json", 60))
    return int(answer.rows[0][0])  # type: ignore[union-attr]


def test_turtle_escapes_are_why_the_readme_loads_ntriples(virtuoso, release: Release) -> None:
    assert "\\/" in (release.output / "bcto.ttl").read_text(encoding="utf-8"), "bcto.ttl no longer escapes; load it"
    graph = "urn:bcto-test:turtle"
    virtuoso.isql(f"ld_dir('{release.output}', 'bcto.ttl', '{graph}');\nrdf_loader_run();\n")
    backslash = 'FILTER(CONTAINS(STR(?s), "\\\\") || CONTAINS(STR(?o), "\\\\"))'
    assert _count(virtuoso, f"?s ?p ?o {backslash}", [graph]) > 0
    assert _count(virtuoso, f"?s ?p ?o {backslash}", [virtuoso.graph]) == 0


def test_several_default_graphs_are_not_merged_so_the_readme_uses_one(virtuoso, release: Release) -> None:
    copy = "urn:bcto-test:inferred-again"
    inferred = release.output / "bcto-inferred.ttl"
    virtuoso.isql(f"DB.DBA.TTLP(file_to_string_output('{inferred}'), '', '{copy}');\n")
    once = _count(virtuoso, "?s ?p ?o", [virtuoso.graph])
    assert once == _count(virtuoso, "SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o }", [virtuoso.graph, copy])
    assert _count(virtuoso, "?s ?p ?o", [virtuoso.graph, copy]) > once


def test_without_default_graph_uri_every_graph_is_the_default(virtuoso) -> None:
    assert _count(virtuoso, "?s ?p ?o", None) > _count(virtuoso, "?s ?p ?o", [virtuoso.graph])


# The README's list of SPARQL differences: each query answers differently on Virtuoso.
DIFFERENCES = {
    "paths give a row per path": "SELECT ?o WHERE { bcto:Osteosarcoma rdfs:subClassOf+ ?o }",
    "booleans are integers": "SELECT ?b WHERE { BIND(true AS ?b) }",
    "DATATYPE of a language-tagged literal": "SELECT (DATATYPE(?l) AS ?d) WHERE { bcto:BoneCancer rdfs:label ?l }",
    "answers are cut at ResultSetMaxRows": "SELECT ?s ?p ?o WHERE { ?s ?p ?o }",
    "a path closing a cycle of joins": """SELECT DISTINCT ?cancer ?site ?document WHERE {
  ?cancer rdfs:subClassOf* bcto:PrimaryBoneCancer ; bcto:canSpreadTo ?site .
  ?axiom owl:annotatedSource ?cancer ; owl:annotatedTarget ?restriction ; dcterms:source ?section .
  ?restriction owl:onProperty bcto:canSpreadTo ; owl:someValuesFrom ?site .
  ?section dcterms:isPartOf ?document . }""",
}


@pytest.mark.parametrize("query", DIFFERENCES.values(), ids=list(DIFFERENCES))
def test_documented_sparql_difference_still_holds(query: str, virtuoso, embedded) -> None:
    remote_answer, local_answer = _both(query, virtuoso, embedded)
    assert isinstance(local_answer, vt.Answer) and local_answer.rows, "the probe must find something to differ on"
    assert remote_answer != local_answer


def test_blank_nodes_from_virtuoso_are_unreadable_for_bcto_query(virtuoso) -> None:
    with pytest.raises(QueryError, match="blank node"):
        remote(f"{virtuoso.sparql}?default-graph-uri={virtuoso.graph}", "SELECT ?r WHERE { ?r a owl:Restriction } LIMIT 1")


def test_configured_ini_changes_only_the_named_settings() -> None:
    packaged = "[A]\nx = 1\n; x = 2\n[B]\nx = 3\ny = 4\n"
    assert vt.configured(packaged, {("B", "x"): "9"}) == "[A]\nx = 1\n; x = 2\n[B]\nx = 9\ny = 4\n"
    with pytest.raises(AssertionError, match="not in the packaged"):
        vt.configured(packaged, {("C", "x"): "9"})


def test_numbers_compare_by_value_and_strings_without_xsd_string() -> None:
    double = "http://www.w3.org/2001/XMLSchema#double"
    assert vt.from_json({"type": "typed-literal", "datatype": double, "value": "1.0"}) == vt.from_json(
        {"type": "literal", "datatype": double, "value": "1"}
    )
    assert vt.from_json({"type": "literal", "value": "a"}) == vt.from_json(
        {"type": "literal", "datatype": "http://www.w3.org/2001/XMLSchema#string", "value": "a"}
    )
    assert vt.from_json({"type": "literal", "xml:lang": "EN-gb", "value": "a"}) == '"a"@en-gb'
    assert vt.from_json({"type": "literal", "value": "1"}) != vt.from_json({"type": "literal", "datatype": double, "value": "1"})
