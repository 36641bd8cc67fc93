"""HermiT runs again only when the logical content changes (issue 7: no reasoning for a definition edit)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, OWL, RDFS

import bcto.ontology.reason as reasoner
from bcto.ontology.compile import compile_ontology
from bcto.ontology.load import load_curation
from bcto.ontology.vocabulary import BCTO, DEFINITION, EXACT_SYNONYM
from tests.conftest import SEEDS


@pytest.fixture
def ontology(tree: Path) -> Graph:
    return compile_ontology(*load_curation(tree, SEEDS if SEEDS.is_dir() else None))


def _copy(graph: Graph) -> Graph:
    copy = Graph()
    copy += graph
    return copy


def test_annotation_edits_keep_the_fingerprint(ontology: Graph) -> None:
    edited = _copy(ontology)
    edited.set((BCTO.Amputation, DEFINITION, Literal("A reworded definition.", lang="en")))
    edited.add((BCTO.Amputation, EXACT_SYNONYM, Literal("limb removal", lang="en")))
    edited.set((BCTO.Amputation, RDFS.label, Literal("amputation surgery", lang="en")))
    for axiom in list(edited.subjects(OWL.annotatedSource, BCTO.Amputation)):
        edited.remove((axiom, DCTERMS.source, None))
    assert reasoner.logical_fingerprint(edited) == reasoner.logical_fingerprint(ontology)


def test_axiom_edits_change_the_fingerprint(ontology: Graph) -> None:
    edited = _copy(ontology)
    edited.add((BCTO.PhantomLimbPain, RDFS.subClassOf, BCTO.Amputation))
    assert reasoner.logical_fingerprint(edited) != reasoner.logical_fingerprint(ontology)


def test_cache_hit_skips_hermit_and_a_change_runs_it(ontology: Graph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first, cached = reasoner.cached_reason(ontology, tmp_path)
    assert not cached and first.ok

    def no_hermit(_: Graph, nt: bytes | None = None, early: object = None) -> reasoner.Reasoning:
        raise AssertionError("HermiT ran although the logical content did not change")

    monkeypatch.setattr(reasoner, "reason", no_hermit)
    edited = _copy(ontology)
    edited.set((BCTO.Amputation, DEFINITION, Literal("A reworded definition.", lang="en")))
    again, cached = reasoner.cached_reason(edited, tmp_path)
    assert cached and again == first

    calls: list[Graph] = []
    monkeypatch.setattr(reasoner, "reason", lambda g, nt=None, early=None: calls.append(g) or first)
    edited.add((BCTO.PhantomLimbPain, RDFS.subClassOf, BCTO.Amputation))
    _, cached = reasoner.cached_reason(edited, tmp_path)
    assert not cached and len(calls) == 1


def test_damaged_cache_entry_is_recomputed(ontology: Graph, tmp_path: Path) -> None:
    reasoner.cached_reason(ontology, tmp_path)
    (entry,) = tmp_path.glob("*.json")
    entry.write_text("{not json")
    result, cached = reasoner.cached_reason(ontology, tmp_path)
    assert not cached and result.ok
