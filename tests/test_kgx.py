"""KGX node and edge tables: complete, consistent, specific, and accepted by the kgx validator.

The tables are checked against the Biolink Model's own YAML (read into tests/data/biolink_elements.tsv) and by kgx
itself, which runs in its own environment (.cache/kgx-venv, made by .ci/run; or $BCTO_KGX_PYTHON).
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
from pathlib import Path

import networkx as nx
import pytest

from bcto.graph.kgx import BIOLINK_VERSION, EDGE_COLUMNS, NODE_COLUMNS, PREDICATES, RANGES, RELATED
from bcto.ontology.compile import edges, section_iri
from bcto.ontology.model import Citation, statement_id
from bcto.ontology.vocabulary import BCTO, STRENGTHS
from tests.conftest import REPO, Release

BIOLINK = Path(__file__).parent / "data" / "biolink_elements.tsv"
KGX_PYTHON = Path(os.environ.get("BCTO_KGX_PYTHON", REPO / ".cache" / "kgx-venv" / "bin" / "python"))
KGX_VALIDATE = Path(__file__).parent / "tools" / "kgx_validate.py"


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
    assert {p for p, _ in PREDICATES.values()} | set(RANGES) <= set(biolink)


def test_few_edges_are_generic(tables) -> None:
    _, edge_rows = tables
    generic = [e for e in edge_rows if e["predicate"] == RELATED]
    assert len(generic) < 0.10 * len(edge_rows), f"{len(generic)} of {len(edge_rows)} edges are biolink:related_to"
    assert all(e["original_predicate"].startswith("bcto:") for e in generic), "the BCTO property is kept"


def test_a_test_diagnoses_conditions_but_not_decision_factors(tables) -> None:
    nodes = {n["id"]: n for n in tables[0]}
    shows = [e for e in tables[1] if e["original_predicate"] == "bcto:canShow"]
    assert shows
    for edge in shows:
        disease_or_phenotype = nodes[edge["object"]]["category"] in RANGES["biolink:diagnoses"]
        assert edge["predicate"] == ("biolink:diagnoses" if disease_or_phenotype else RELATED), edge
    assert {e["predicate"] for e in shows} == {"biolink:diagnoses", RELATED}, "both kinds of object occur"


def test_criteria_mention_what_they_name_and_keep_their_direction_and_strength(release: Release, tables) -> None:
    by_subject: dict[str, list[dict[str, str]]] = {}
    for edge in tables[1]:
        by_subject.setdefault(edge["subject"], []).append(edge)
    for criterion in release.curation.criteria.values():
        out = by_subject[f"bcto:{criterion.id}"]
        assert {e["predicate"] for e in out} == {"biolink:mentions"}
        named = {criterion.activity, criterion.factor, *criterion.values, *criterion.scope_terms}
        assert {e["object"] for e in out} == {f"bcto:{n}" for n in named}
        assert "bcto:concernsFactor" in {e["original_predicate"] for e in out}
        (bears_on,) = [e for e in out if e["original_predicate"] == "bcto:isCriterionFor"]
        assert (bears_on["bcto_direction"], bears_on["bcto_strength"]) == (
            criterion.direction,
            STRENGTHS[criterion.strength].label,
        )


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


def test_a_secondary_cancer_is_the_object_of_what_it_originates_from(release: Release, tables) -> None:
    originates = [e for e in tables[1] if e["original_predicate"] == "bcto:canOriginateFrom"]
    assert originates and all(e["predicate"] == "biolink:causes" for e in originates)
    kg = {
        (f"bcto:{str(s).removeprefix(str(BCTO))}", f"bcto:{str(o).removeprefix(str(BCTO))}")
        for s, o in release.kg.subject_objects(BCTO.canOriginateFrom)
    }
    assert {(e["object"], e["subject"]) for e in originates} == kg


def _statements_in_kgx(edge_rows: list[dict[str, str]]) -> dict[tuple[str, str, str], tuple[str, ...]]:
    """(subject, BCTO predicate, object) as curated, with its qualifiers, from the KGX edge rows (Biolink's
    canonical direction swapped back)."""
    found = {}
    for e in edge_rows:
        predicate = e["original_predicate"].removeprefix("bcto:").replace("rdfs:subClassOf", "subClassOf")
        swapped = e["predicate"] != RELATED and PREDICATES.get(predicate, (RELATED, False))[1]
        s, o = (e["object"], e["subject"]) if swapped else (e["subject"], e["object"])
        qualifiers = (e["bcto_frequency"], e["bcto_context"], e["bcto_conflict"].removeprefix("bcto:"), e["supporting_documents"])
        found[(s.removeprefix("bcto:"), predicate, o.removeprefix("bcto:"))] = qualifiers
    return found


def _statements_in_graphml(release: Release) -> dict[tuple[str, str, str], tuple[str, ...]]:
    """The same from GraphML's asserted edges; its sources are 'Document — Section' text, read as section IRIs."""
    graph = nx.read_graphml(io.BytesIO((release.output / "bcto.graphml").read_bytes()))
    source_of = {s.title: s.id for s in release.curation.sources.values()}
    nodes = {n: graph.nodes[n] for n in graph.nodes}
    found = {}
    for s, o, attrs in graph.edges(data=True):
        if attrs["inferred"]:
            continue
        cited = attrs["sources"] or (nodes[s]["sources"] if attrs["predicate"] == "subClassOf" else "")
        pairs = [c.split(" — ", 1) for c in cited.split("; ") if c]
        sections = "|".join(sorted({str(section_iri(Citation(source_of[title], section))) for title, section in pairs}))
        found[(s, attrs["predicate"], o)] = (attrs["frequency"], " ".join(attrs["context"].split()), attrs["conflict"], sections)
    return found


def test_kgx_and_graphml_are_one_edge_list(release: Release, tables) -> None:
    """The two encodings agree on every statement: the same (subject, predicate, object) triples and, for each,
    the same frequency, context, conflict and sources."""
    kgx, graphml = _statements_in_kgx(tables[1]), _statements_in_graphml(release)
    assert len(kgx) == len(tables[1]) and graphml, "one row per statement"
    assert set(kgx) == set(graphml)
    assert {k: v for k, v in kgx.items() if graphml[k] != v} == {}


def test_kgx_keeps_every_curated_qualifier_read_back_from_the_release(release: Release, tables) -> None:
    """KGX is written from the release graphs, not the tables: each curated fact keeps its passages, evidence
    and sources (multi-valued cells in a defined order, as RDF holds no order)."""
    rows = {e["id"]: e for e in tables[1]}
    for (s, p, o), citations, q in edges(release.curation):
        row = rows[f"bcto:edge-{statement_id(s, p, o)}"]
        assert (
            sorted(row["bcto_passage"].split("|")) == sorted(x.cell for x in q.passages)
            if q.passages
            else not row["bcto_passage"]
        )
        assert row["bcto_evidence"] == q.evidence
        assert row["supporting_documents"].split("|") == sorted({str(section_iri(c)) for c in citations})
        assert (row["bcto_frequency"], row["bcto_context"]) == (q.frequency, " ".join(q.context.split()))


def _kgx_validate(*args: str) -> dict:
    if not KGX_PYTHON.exists():
        pytest.skip(f"kgx is absent: {KGX_PYTHON} (.ci/run makes it; or set BCTO_KGX_PYTHON)")
    run = subprocess.run([str(KGX_PYTHON), str(KGX_VALIDATE), *args], check=False, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    return json.loads(run.stdout)


def test_the_kgx_validator_accepts_the_tables(release: Release) -> None:
    report = _kgx_validate(
        f"--prefix=bcto={BCTO}", str(release.output / "bcto-kgx-nodes.tsv"), str(release.output / "bcto-kgx-edges.tsv")
    )
    assert report["biolink_version"] == BIOLINK_VERSION
    assert report["errors"] == {}


def test_the_kgx_validator_rejects_an_unknown_prefix_and_predicate(tmp_path: Path) -> None:
    nodes, edge_file = tmp_path / "bad_nodes.tsv", tmp_path / "bad_edges.tsv"
    nodes.write_text("id\tcategory\tname\nbcto:A\tbiolink:Disease\ta\nzzz:B\tbiolink:Disease\tb\n")
    edge_file.write_text("id\tsubject\tpredicate\tobject\nbcto:e1\tbcto:A\tbiolink:cures_everything\tzzz:B\n")
    report = _kgx_validate(f"--prefix=bcto={BCTO}", str(nodes), str(edge_file))
    text = json.dumps(report["errors"])
    assert "'zzz'" in text and "cures_everything" in text
