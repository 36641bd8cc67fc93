"""`bcto query`: every output format, and every error a person can make, said clearly and without a traceback."""

from __future__ import annotations

import csv
import io
import json
import socket
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from bcto.cli import main
from bcto.queries.endpoint import EndpointSettings, running
from tests.conftest import Release

BCTO = "https://w3id.org/bcto/"
CLASSES = "SELECT ?c ?l WHERE { ?c a owl:Class ; rdfs:label ?l . FILTER(?c = bcto:Amputation) }"
EDGES = "CONSTRUCT WHERE { ?s bcto:hasPossibleSideEffect ?o }"


@pytest.fixture(scope="module")
def out(minimal_release: Release) -> Path:
    return minimal_release.output


@pytest.fixture(scope="module")
def endpoint(out: Path) -> Iterator[str]:
    with running(EndpointSettings(out, port=0, workers=1, quiet=True)) as base:
        yield base + "/sparql"


def bcto(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out, captured.err


def test_table_is_aligned_and_compact(capsys, out) -> None:
    code, text, _ = bcto(capsys, "query", "--output", str(out), "--query", CLASSES)
    assert code == 0
    header, rule, row, footer = text.splitlines()
    assert header.split() == ["?c", "?l"]
    assert set(rule.replace(" ", "")) == {"-"}
    assert row.split(maxsplit=1) == ["bcto:Amputation", "amputation"]
    assert row.index("amputation") == header.index("?l")
    assert footer == "(1 row)"


def test_csv_follows_sparql_csv(capsys, out) -> None:
    code, text, _ = bcto(capsys, "query", "--output", str(out), "-f", "csv", "--query", CLASSES)
    assert code == 0
    assert "\r\n" in text
    assert list(csv.reader(io.StringIO(text))) == [["c", "l"], [BCTO + "Amputation", "amputation"]]


def test_tsv_writes_terms_in_ntriples_syntax(capsys, out) -> None:
    code, text, _ = bcto(capsys, "query", "--output", str(out), "-f", "tsv", "--query", CLASSES)
    assert code == 0
    assert text.splitlines() == ["?c\t?l", f'<{BCTO}Amputation>\t"amputation"@en']


def test_json_is_sparql_results_json(capsys, out) -> None:
    code, text, _ = bcto(capsys, "query", "--output", str(out), "-f", "json", "--query", CLASSES)
    assert code == 0
    data = json.loads(text)
    assert data["head"]["vars"] == ["c", "l"]
    assert data["results"]["bindings"] == [
        {"c": {"type": "uri", "value": BCTO + "Amputation"}, "l": {"type": "literal", "value": "amputation", "xml:lang": "en"}}
    ]


def test_xml_is_sparql_results_xml(capsys, out) -> None:
    code, text, _ = bcto(capsys, "query", "--output", str(out), "-f", "xml", "--query", CLASSES)
    assert code == 0
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    root = ET.fromstring(text)
    assert [v.get("name") for v in root.findall("r:head/r:variable", ns)] == ["c", "l"]
    assert root.find("r:results/r:result/r:binding[@name='c']/r:uri", ns).text == BCTO + "Amputation"


@pytest.mark.parametrize(
    ("fmt", "expected"), [("table", "true"), ("csv", "true"), ("tsv", "true"), ("json", '{"head": {}, "boolean": true}')]
)
def test_ask_prints_true_or_false(capsys, out, fmt, expected) -> None:
    code, text, _ = bcto(capsys, "query", "--output", str(out), "-f", fmt, "--query", "ASK { bcto:Amputation ?p ?o }")
    assert (code, text.strip()) == (0, expected)
    code, text, _ = bcto(capsys, "query", "--output", str(out), "-f", fmt, "--query", "ASK { bcto:Nothing ?p ?o }")
    assert (code, text.strip()) == (0, expected.replace("true", "false"))


@pytest.mark.parametrize(
    ("fmt", "rdflib_format"), [(None, "turtle"), ("turtle", "turtle"), ("ntriples", "nt"), ("jsonld", "json-ld")]
)
def test_construct_writes_rdf(capsys, out, fmt, rdflib_format) -> None:
    code, text, _ = bcto(capsys, "query", "--output", str(out), *(["-f", fmt] if fmt else []), "--query", EDGES)
    assert code == 0
    graph = Graph().parse(data=text, format=rdflib_format)
    assert (URIRef(BCTO + "Amputation"), URIRef(BCTO + "hasPossibleSideEffect"), URIRef(BCTO + "PhantomLimbPain")) in graph


def test_construct_as_a_table_lists_triples(capsys, out) -> None:
    code, text, _ = bcto(capsys, "query", "--output", str(out), "-f", "table", "--query", EDGES)
    assert code == 0
    assert "bcto:Amputation  bcto:hasPossibleSideEffect  bcto:PhantomLimbPain" in text


def test_format_that_cannot_carry_the_result_is_refused(capsys, out) -> None:
    code, text, err = bcto(capsys, "query", "--output", str(out), "-f", "turtle", "--query", CLASSES)
    assert (code, text) == (1, "")
    assert "--format turtle cannot carry a SELECT result" in err


def test_standard_prefixes_yield_to_the_querys_own(capsys, out) -> None:
    query = "PREFIX bcto: <http://example.org/other/>\nSELECT ?x WHERE { BIND(bcto:A AS ?x) }"
    code, text, _ = bcto(capsys, "query", "--output", str(out), "-f", "tsv", "--query", query)
    assert (code, text.splitlines()[1]) == (0, "<http://example.org/other/A>")


def test_library_query_runs_by_name_and_by_path(capsys, out) -> None:
    by_name = bcto(capsys, "query", "--output", str(out), "-f", "csv", "duplicate-label-violation")
    by_path = bcto(
        capsys,
        "query",
        "--output",
        str(out),
        "-f",
        "csv",
        str(Path(__file__).parent.parent / "queries" / "qc" / "duplicate-label-violation.rq"),
    )
    assert by_name == by_path
    assert by_name[:2] == (0, "label,first,second\r\n")


def test_list_shows_every_library_query_with_its_summary(capsys) -> None:
    from bcto.queries.library import CQ_DIR, QC_DIR, find_queries

    code, text, _ = bcto(capsys, "query", "--list")
    assert code == 0
    for q in find_queries(CQ_DIR) + find_queries(QC_DIR):
        assert any(line.split(maxsplit=1) == [q.name, q.summary] for line in text.splitlines()), q.name


def test_syntax_error_names_the_users_line_and_column(capsys, out) -> None:
    query = "# a comment\nSELECT ?s WHERE {\n  ?s ?p ?o .\n  BIND(1 AS ?x ?y)\n}"
    code, text, err = bcto(capsys, "query", "--output", str(out), "--query", query)
    assert (code, text) == (1, "")
    assert err.startswith('bcto query: syntax error at line 4, column 16: expected ")"')
    assert err.endswith("\n    BIND(1 AS ?x ?y)\n                 ^\n")  # the line, and a caret under ?y


def test_syntax_error_from_endpoint_query_ignores_prepended_prefixes(capsys, out, endpoint) -> None:
    """Prefixes are prepended for an endpoint; the position must still be the one in the user's text."""
    query = "SELECT ?s WHERE { BIND(1 AS ?x ?y) }"
    local = bcto(capsys, "query", "--output", str(out), "--query", query)
    remote = bcto(capsys, "query", "--endpoint", endpoint, "--query", query)
    assert local[0] == remote[0] == 1
    assert local[2] == remote[2]
    assert "at line 1, column " in local[2]


def test_unknown_prefix_is_named(capsys, out) -> None:
    code, _, err = bcto(capsys, "query", "--output", str(out), "--query", "SELECT * WHERE {\n ?s foo:bar ?o }")
    assert code == 1
    assert "line 2, column 5: unknown prefix 'foo:'" in err


def test_update_is_refused(capsys, out) -> None:
    code, _, err = bcto(capsys, "query", "--output", str(out), "--query", "INSERT DATA { bcto:A bcto:b bcto:C }")
    assert code == 1
    assert "SPARQL Update (INSERT) is refused" in err


def test_service_is_refused_without_federation(capsys, out) -> None:
    code, _, err = bcto(
        capsys, "query", "--output", str(out), "--query", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    )
    assert code == 1
    assert "SERVICE is refused" in err


def test_missing_file_says_what_to_give(capsys, out) -> None:
    code, _, err = bcto(capsys, "query", "--output", str(out), "no-such-query.rq")
    assert code == 1
    assert "no query file no-such-query.rq" in err and "--list" in err


def test_no_query_at_all(capsys, out) -> None:
    code, _, err = bcto(capsys, "query", "--output", str(out))
    assert code == 1
    assert "give a .rq file, --query" in err


def test_missing_build_says_run_build(capsys, tmp_path) -> None:
    code, _, err = bcto(capsys, "query", "--output", str(tmp_path / "output"), "--query", "ASK {}")
    assert code == 2
    assert "run `python build.py` first" in err


def test_unreachable_endpoint_says_so(capsys) -> None:
    with socket.socket() as sock:  # a port that was free a moment ago: nothing listens there
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code, _, err = bcto(capsys, "query", "--endpoint", f"http://127.0.0.1:{port}/sparql", "--query", "ASK {}")
    assert code == 2
    assert f"cannot reach the endpoint http://127.0.0.1:{port}/sparql" in err and "bcto serve" in err


def test_endpoint_refusal_is_reported(capsys, endpoint) -> None:
    code, _, err = bcto(capsys, "query", "--endpoint", endpoint, "--query", "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } LIMIT 20000")
    assert code == 1
    assert "answered HTTP 422" in err


def test_non_http_endpoint_is_refused(capsys) -> None:
    code, _, err = bcto(capsys, "query", "--endpoint", "file:///etc/passwd", "--query", "ASK {}")
    assert code == 1
    assert "is not an http(s) URL" in err


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json", "xml"])
def test_endpoint_and_embedded_give_the_same_answer(capsys, out, endpoint, fmt) -> None:
    query = "SELECT ?c ?l WHERE { ?c rdfs:label ?l } ORDER BY ?c ?l"
    assert bcto(capsys, "query", "--endpoint", endpoint, "-f", fmt, "--query", query) == bcto(
        capsys, "query", "--output", str(out), "-f", fmt, "--query", query
    )


def test_endpoint_construct_gives_the_same_graph(capsys, out, endpoint) -> None:
    remote = bcto(capsys, "query", "--endpoint", endpoint, "-f", "ntriples", "--query", EDGES)
    local = bcto(capsys, "query", "--output", str(out), "-f", "ntriples", "--query", EDGES)
    assert remote[0] == local[0] == 0
    assert sorted(remote[1].splitlines()) == sorted(local[1].splitlines())


# Issue 12: `bcto query` never crashes and never waits forever, whatever the text -------------------------


def test_hidden_deep_nesting_is_a_message_not_a_crash(capsys, out) -> None:
    """50,000 brackets behind an escaped quote once segfaulted the command (exit 139, no message)."""
    from tests.test_endpoint import HIDDEN_DEEP

    code, text, err = bcto(capsys, "query", "--output", str(out), "--query", HIDDEN_DEEP)
    assert (code, text) == (1, "")
    assert err.startswith("bcto query: the query nests brackets too deep")


def test_quadratic_quotes_are_a_syntax_error(capsys, out) -> None:
    from tests.test_endpoint import QUADRATIC

    code, _, err = bcto(capsys, "query", "--output", str(out), "--query", QUADRATIC)
    assert code == 1
    assert err.startswith("bcto query: syntax error at line 1")


def test_runaway_local_query_is_stopped_at_the_timeout(capsys, out) -> None:
    from tests.test_endpoint import CARTESIAN

    code, _, err = bcto(capsys, "query", "--output", str(out), "--timeout", "1", "--query", CARTESIAN)
    assert code == 1
    assert "ran longer than 1 s and was stopped" in err


def test_remote_query_is_checked_here_without_running_it(capsys, endpoint) -> None:
    code, _, err = bcto(capsys, "query", "--endpoint", endpoint, "--query", "LOAD <http://127.0.0.1:9/x.ttl>")
    assert code == 1
    assert "SPARQL Update (LOAD) is refused: `bcto query` is read-only" in err
