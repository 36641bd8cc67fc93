"""Every XML file of a release is well-formed, whatever text the curators wrote; a release that would not be is not written."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from rdflib import Graph, Literal

import bcto.release as release_stage
from bcto.ontology.serialise import XML_FILES, xml_problem
from bcto.ontology.vocabulary import BCTO, DEFINITION
from bcto.release import EXIT_QC_VIOLATIONS, Settings, build
from tests.conftest import SEEDS, Release

# Markup, an XML end-of-CDATA, quotes, an astral character, a combining accent, U+FFFD and a zero-width joiner:
# all allowed in a cell, all to be escaped or carried as they are.
TRICKY = "A test <b>operation</b> & ]]> \"quoted\" 'single' \U0001f9b4 e\u0301 \ufffd a\u200db."


def test_every_xml_file_of_the_release_parses(release: Release) -> None:
    names = sorted(p for p in release.output.rglob("*") if p.name.endswith(XML_FILES))
    assert {p.name for p in names} == {"bcto.owl", "bcto.graphml", "bcto.gexf"}
    for path in names:
        assert xml_problem(path.read_bytes()) is None, path
        ET.parse(path)


def test_tricky_text_gives_well_formed_xml(tree: Path, tmp_path: Path) -> None:
    procedures = tree / "terms" / "procedures.tsv"
    procedures.write_text(
        procedures.read_text(encoding="utf-8").replace("An operation that takes off part or all of a limb.", TRICKY),
        encoding="utf-8",
    )
    output = tmp_path / "output"
    assert build(Settings(ontology=tree, seeds=SEEDS, output=output), say=lambda _: None) == 0
    for name in ("bcto.owl", "bcto.graphml", "bcto.gexf"):
        assert xml_problem((output / name).read_bytes()) is None, name
        ET.parse(output / name)
    owl = Graph().parse(output / "bcto.owl", format="xml")
    assert owl.value(BCTO.Amputation, DEFINITION) == Literal(TRICKY, lang="en")


def test_xml_problem_names_the_place() -> None:
    assert xml_problem(b"<a>ok</a>") is None
    line, column, why = xml_problem(b"<a>\n  bad \x00 here</a>") or (0, 0, "")
    assert (line, column) == (2, 7) and "invalid token" in why


@pytest.mark.parametrize(
    ("writer", "name", "broken", "where"),
    [
        ("graph_files", "bcto.graphml", b"<graphml>\x1b</graphml>", "1:10"),  # made and checked in the first process
        ("ntriples_formats", "bcto.owl", b"<rdf:RDF>\n\x01</rdf:RDF>", "2:1"),  # in the second (release.py: _second)
    ],
)
def test_a_release_that_would_not_parse_is_not_written(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, writer: str, name: str, broken: bytes, where: str
) -> None:
    real = getattr(release_stage, writer)
    monkeypatch.setattr(release_stage, writer, lambda *args, **kwargs: {**real(*args, **kwargs), name: broken})
    said: list[str] = []
    output = tmp_path / "output"
    code = build(Settings(ontology=tree, seeds=SEEDS, output=output), say=lambda _: None, warn=said.append)
    assert code == EXIT_QC_VIOLATIONS
    assert any(f"{output / name}:{where}: the release would not be well-formed XML" in line for line in said), said
    assert not output.exists()
