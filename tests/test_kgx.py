"""KGX node and edge tables: complete, consistent, and using only current Biolink elements.

kgx itself did not install cleanly here (pip was still resolving its dependencies after 10 minutes), so the
tables are checked against the Biolink Model's own YAML, read into tests/data/biolink_elements.tsv.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from bcto.graph.kgx import EDGE_COLUMNS, NODE_COLUMNS, PREDICATES
from bcto.ontology.compile import edges
from tests.conftest import Release

BIOLINK = Path(__file__).parent / "data" / "biolink_elements.tsv"


def _biolink() -> dict[str, tuple[str, str, str]]:
    lines = [line for line in BIOLINK.read_text().splitlines() if not line.startswith("#")]
    return {r["element"]: (r["kind"], r["is_a"], r["deprecated"]) for r in csv.DictReader(lines, delimiter="\t")}


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.fixture(scope="module")
def tables(release: Release) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    return _rows(release.output / "bcto-kgx-nodes.tsv"), _rows(release.output / "bcto-kgx-edges.tsv")


def test_columns_are_the_documented_ones(release: Release) -> None:
    assert (release.output / "bcto-kgx-nodes.tsv").read_text().split("\n")[0].split("\t") == list(NODE_COLUMNS)
    assert (release.output / "bcto-kgx-edges.tsv").read_text().split("\n")[0].split("\t") == list(EDGE_COLUMNS)


def test_every_category_and_predicate_is_current_biolink(tables) -> None:
    biolink = _biolink()
    nodes, edge_rows = tables
    for category in {n["category"] for n in nodes} | {e["category"] for e in edge_rows}:
        kind, chain, deprecated = biolink[category]
        assert kind == "class" and deprecated == "False" and chain.endswith("entity")
    for predicate in {e["predicate"] for e in edge_rows}:
        kind, chain, deprecated = biolink[predicate]
        assert kind == "predicate" and deprecated == "False" and chain.endswith("related to")
    assert {e["knowledge_level"] for e in edge_rows} == {"knowledge_assertion"}
    assert biolink["knowledge_assertion"][0] == "KnowledgeLevelEnum"
    assert {e["agent_type"] for e in edge_rows} == {"manual_agent"}
    assert biolink["manual_agent"][0] == "AgentTypeEnum"


def test_mapping_tables_only_use_listed_biolink_elements(release: Release) -> None:
    biolink = _biolink()
    assert {f.biolink_category for f in release.curation.families.values()} <= set(biolink)
    assert {p for p, _ in PREDICATES.values()} <= set(biolink)


def test_edges_cover_every_curated_fact_with_provenance(release: Release, tables) -> None:
    nodes, edge_rows = tables
    ids = {n["id"] for n in nodes}
    assert len(ids) == len(nodes), "node ids are unique"
    assert all(e["subject"] in ids and e["object"] in ids for e in edge_rows), "no edge dangles"
    curated = [e for e in edge_rows if e["original_predicate"] != "rdfs:subClassOf"]
    assert len(curated) == len(list(edges(release.curation)))
    assert all(e["primary_knowledge_source"] == "infores:bcto" and e["supporting_documents"] for e in edge_rows)
    assert len({e["id"] for e in edge_rows}) == len(edge_rows)


def test_an_inverted_predicate_keeps_its_meaning(tables) -> None:
    _, edge_rows = tables
    treat = [e for e in edge_rows if e["original_predicate"] == "bcto:hasTreatmentOption"]
    assert treat and all(e["predicate"] == "biolink:applied_to_treat" for e in treat)
    nodes = {n["id"]: n for n in tables[0]}
    assert all(nodes[e["object"]]["category"] == "biolink:Disease" for e in treat), "the condition is the object"
