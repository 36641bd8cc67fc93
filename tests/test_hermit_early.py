"""HermiT's JVM started before the build has its ontology: the same answers as a JVM started afresh, and a
fresh run wherever the early one cannot answer, never a hang and never a wrong answer."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, RDFS, XSD

from bcto.ontology import hermit
from bcto.ontology.reason import reason
from bcto.ontology.serialise import ntriples, rdfxml_ntriples
from bcto.ontology.vocabulary import BCTO
from tests.conftest import build_py

pytestmark = pytest.mark.reasoner


def _ontology(*, unsatisfiable: bool = False, inconsistent: bool = False) -> Graph:
    g = Graph()
    g.add((BCTO.Early, RDF.type, OWL.Ontology))
    for name in ("Site", "Bone", "Femur", "Condition", "Tumour"):
        g.add((BCTO[name], RDF.type, OWL.Class))
    g.add((BCTO.Bone, RDFS.subClassOf, BCTO.Site))
    g.add((BCTO.Femur, RDFS.subClassOf, BCTO.Bone))
    g.add((BCTO.Tumour, RDFS.subClassOf, BCTO.Condition))
    g.add((BCTO.locatedIn, RDF.type, OWL.ObjectProperty))
    where = BNode()
    g.add((BCTO.Tumour, RDFS.subClassOf, where))
    g.add((where, RDF.type, OWL.Restriction))
    g.add((where, OWL.onProperty, BCTO.locatedIn))
    g.add((where, OWL.someValuesFrom, BCTO.Bone))
    g.add((BCTO.Site, OWL.disjointWith, BCTO.Condition))
    if unsatisfiable:
        g.add((BCTO.BoneCondition, RDF.type, OWL.Class))
        g.add((BCTO.BoneCondition, RDFS.subClassOf, BCTO.Bone))
        g.add((BCTO.BoneCondition, RDFS.subClassOf, BCTO.Condition))
    if inconsistent:
        g.add((BCTO.both, RDF.type, OWL.NamedIndividual))
        g.add((BCTO.both, RDF.type, BCTO.Femur))
        g.add((BCTO.both, RDF.type, BCTO.Tumour))
    return g


@pytest.fixture
def early() -> Iterator[hermit.Early]:
    with hermit.early() as started:
        if started is None:
            pytest.skip("no early JVM on this machine (one core, no named pipes, or no Java)")
        yield started


@pytest.mark.parametrize("kind", ["plain", "unsatisfiable", "inconsistent"])
def test_the_early_jvm_answers_as_a_fresh_one(kind: str, early: hermit.Early) -> None:
    g = _ontology(unsatisfiable=kind == "unsatisfiable", inconsistent=kind == "inconsistent")
    fresh = reason(g)
    assert reason(g, early=early) == fresh
    assert early.answered, "the answer came from a fresh JVM, not the early one"
    assert early.process.poll() is not None and not early.folder.exists(), "its folder goes with its answer"
    assert fresh.consistent == (kind != "inconsistent")
    if kind == "unsatisfiable":
        assert fresh.unsatisfiable == (str(BCTO.BoneCondition),)
    if kind == "plain":
        assert fresh.direct_superclasses[str(BCTO.Femur)] == {str(BCTO.Bone)}


def test_an_early_jvm_that_has_ended_leaves_the_answer_to_a_fresh_one(early: hermit.Early) -> None:
    early.process.kill()
    early.process.wait()
    g = _ontology()
    assert reason(g, early=early) == reason(g)
    assert not early.answered


def test_an_early_jvm_that_does_not_suit_is_stopped_before_hermit_runs_afresh(
    early: hermit.Early, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Started with the client compiler only, it does not run as a fresh JVM would for a large ontology."""
    monkeypatch.setattr(hermit, "C1_ONLY_BELOW", 0)  # every ontology is now "large"
    g = _ontology()
    assert not early.suits(len(g))
    assert reason(g, early=early).direct_superclasses[str(BCTO.Femur)] == {str(BCTO.Bone)}
    assert not early.answered
    assert early.process.poll() is not None and not early.folder.exists(), "stopped when it was found not to suit"


def test_a_document_the_early_jvm_cannot_read_gives_no_answer_and_no_hang(early: hermit.Early) -> None:
    """OWLAPI reopens the pipe for each parser it tries: each open gets the document, and all fail."""
    assert early.classify(b'<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">') is None
    assert early.process.poll() is not None and not early.answered
    assert early.classify(rdfxml_ntriples(ntriples(_ontology())) or b"") is None, "an early JVM answers once"


def test_the_early_jvm_is_stopped_and_its_folder_deleted_when_unused() -> None:
    with hermit.early() as started:
        if started is None:
            pytest.skip("no early JVM on this machine (one core, no named pipes, or no Java)")
        assert started.process.poll() is None and started.folder.is_dir()
    assert started.process.poll() is not None
    assert not started.folder.exists()


def test_a_large_document_is_served_whole_to_every_open(early: hermit.Early) -> None:
    """Far more than a pipe holds (64 KB): OWLAPI must read it all, in one piece."""
    g = _ontology()
    for i in range(3000):
        g.add((BCTO[f"Part{i}"], RDF.type, OWL.Class))
        g.add((BCTO[f"Part{i}"], RDFS.subClassOf, BCTO.Femur))
    answer = reason(g, early=early)
    assert early.answered
    assert answer.direct_superclasses[str(BCTO.Part2999)] == {str(BCTO.Femur)}
    assert len(answer.direct_superclasses) == 3005


def test_rdfxml_says_what_the_ntriples_say() -> None:
    g = Graph()
    s, node = URIRef("https://example.org/s"), BNode("n1")
    g.add((s, RDFS.comment, Literal('a "quoted" line\nand a < & > \\ backslash', lang="en")))
    g.add((s, RDFS.label, Literal("2", datatype=XSD.integer)))
    g.add((s, RDFS.seeAlso, node))
    g.add((node, RDFS.label, Literal("ünïcode ✓")))
    written = rdfxml_ntriples(ntriples(g))
    assert written is not None
    assert isomorphic(Graph().parse(data=written, format="xml"), g)


@pytest.mark.parametrize(
    "line",
    [
        '<https://example.org/s> <https://example.org/p/> "no local name" .\n',
        '<https://example.org/s> <https://example.org/9p> "a local name must not start with a digit" .\n',
        '<https://example.org/s> <https://example.org/p> "a control character \\u0001" .\n',
        '<https://example.org/s> <https://example.org/p> "a carriage\\rreturn" .\n',
    ],
)
def test_what_rdfxml_cannot_say_is_refused(line: str) -> None:
    assert rdfxml_ntriples(line.encode()) is None


def test_a_build_with_nothing_cached_reasons_on_the_early_jvm(tree: Path, tmp_path: Path) -> None:
    if (probe := hermit.start()) is None:
        pytest.skip("no early JVM on this machine (one core, no named pipes, or no Java)")
    probe.discard()
    done = build_py(tree, tmp_path / "output")
    assert done.returncode == 0, done.stderr
    assert "HermiT on the JVM started before the imports" in done.stdout


def test_a_build_that_reuses_a_kept_answer_starts_no_jvm(tmp_path: Path) -> None:
    """With answers kept, the JVM is not started before the imports: most rebuilds reuse one."""
    from argparse import Namespace

    from bcto.cli import _reasons_afresh

    kept = tmp_path / "cache"
    assert _reasons_afresh(Namespace(watch=False), kept)
    (kept / "reasoner").mkdir(parents=True)
    (kept / "reasoner" / "0123.json").write_text("{}")
    assert not _reasons_afresh(Namespace(watch=False), kept)
    assert _reasons_afresh(Namespace(watch=False), None)
    assert not _reasons_afresh(Namespace(watch=True), None)


def test_the_early_jvm_ends_with_the_build_however_the_build_ends(tmp_path: Path) -> None:
    """A build killed before it gave the JVM anything (SIGTERM, os._exit) must not leave it waiting on its pipe."""
    script = (
        "import os; from bcto.ontology import hermit; e = hermit.start(); "
        "print(e.process.pid if e else 0, e.folder if e else '', flush=True); os._exit(0)"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True)
    started, *folder = done.stdout.split()
    pid = int(started)
    if not pid:
        pytest.skip("no early JVM on this machine (one core, no named pipes, or no Java)")
    shutil.rmtree(folder[0])  # what a build killed this way leaves behind: the JVM must not be
    for _ in range(500):
        if not Path(f"/proc/{pid}").exists() or Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z":
            return
        time.sleep(0.01)
    os.kill(pid, signal.SIGKILL)
    pytest.fail("the early JVM outlived the process that started it")
