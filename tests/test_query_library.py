"""The query library as data (output/bcto-queries.ttl, SIB/SHACL style), its keywords, and the CLI's
answers to common slips: a mistyped library name or bcto: name, a file and -q together, a graph as CSV."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, Namespace
from rdflib.namespace import RDF, RDFS, SH

from bcto import __version__
from bcto.cli import main
from bcto.queries.library import CQ_DIR, QUERY, TARGET, find_queries
from tests.conftest import Release

SCHEMA = Namespace("https://schema.org/")
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QUESTIONS = find_queries(CQ_DIR)


@pytest.fixture(scope="module")
def library(release: Release) -> Graph:
    return Graph().parse(release.output / "bcto-queries.ttl")


def bcto(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out, captured.err


def test_every_question_has_keywords() -> None:
    assert QUESTIONS
    assert [q.name for q in QUESTIONS if not q.tags] == []


@pytest.mark.parametrize("question", QUESTIONS, ids=[q.name for q in QUESTIONS])
def test_each_question_is_a_shacl_executable(question, library: Graph) -> None:
    node = QUERY[question.name]
    assert (node, RDF.type, SH.SPARQLExecutable) in library
    holder = {"SELECT": SH.select, "ASK": SH.ask, "CONSTRUCT": SH.construct}[question.form]
    assert library.value(node, holder) == Literal(question.text)
    assert library.value(node, RDFS.comment) == Literal(question.summary, lang="en")
    assert str(library.value(node, SCHEMA.target)) == TARGET
    assert sorted(str(k) for k in library.objects(node, SCHEMA.keywords)) == sorted(question.tags)
    assert str(library.value(node, MF.result)) == question.expected.read_text(encoding="utf-8")
    declared = {str(library.value(d, SH.prefix)) for d in library.objects(library.value(node, SH.prefixes), SH.declare)}
    assert "bcto" in declared


def test_list_shows_keywords(capsys) -> None:
    code, text, _ = bcto(capsys, "query", "--list")
    assert code == 0
    q = QUESTIONS[0]
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.split(maxsplit=1)[:1] == [q.name])
    assert lines[at + 1].split()[:1] == ["keywords:"] and ", ".join(q.tags) in lines[at + 1]


def test_mistyped_library_name_gets_a_suggestion(capsys, minimal_release: Release) -> None:
    code, text, err = bcto(capsys, "query", "--output", str(minimal_release.output), "allograft-risk")
    assert (code, text) == (1, "")
    assert "did you mean 'allograft-risks'" in err


def test_mistyped_bcto_name_gets_a_suggestion(capsys, minimal_release: Release) -> None:
    query = "SELECT ?o WHERE { bcto:Amputation bcto:hasPosibleSideEffect ?o }"
    code, _, err = bcto(capsys, "query", "--output", str(minimal_release.output), "-q", query)
    assert code == 0
    assert "bcto:hasPosibleSideEffect is not in the release; did you mean bcto:hasPossibleSideEffect?" in err
    code, _, err = bcto(capsys, "query", "--output", str(minimal_release.output), "-q", query.replace("Posible", "Possible"))
    assert (code, err) == (0, "")


def test_a_file_and_a_query_together_are_refused(capsys, minimal_release: Release) -> None:
    code, text, err = bcto(capsys, "query", "--output", str(minimal_release.output), "allograft-risks", "-q", "ASK {}")
    assert (code, text) == (1, "")
    assert "not both" in err


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "xml"])
def test_construct_in_a_result_format_exits_1(capsys, minimal_release: Release, fmt: str) -> None:
    query = "CONSTRUCT WHERE { ?s bcto:hasPossibleSideEffect ?o }"
    code, text, err = bcto(capsys, "query", "--output", str(minimal_release.output), "-f", fmt, "-q", query)
    assert (code, text) == (1, "")
    assert f"--format {fmt} cannot carry a CONSTRUCT" in err


def test_version(capsys) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out.strip() == f"bcto {__version__}"


@pytest.mark.parametrize("argv", [["query", "-q", "ASK {}"], ["path", "a", "b"], ["stats"], ["serve", "--port", "0"]])
def test_no_release_is_worded_the_same_everywhere(capsys, tmp_path, argv: list[str]) -> None:
    code, _, err = bcto(capsys, *argv, "--output", str(tmp_path / "none"))
    assert code == 2
    assert err.startswith(f"bcto {argv[0]}: no built release in {tmp_path / 'none'}")
