"""The release: complete, deterministic, round-trippable, with the metadata importers look for."""

from __future__ import annotations

import gc
import os
import re
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, XSD

from bcto.manifest import FILES
from bcto.ontology.serialise import ntriples
from bcto.ontology.stats import counts
from bcto.ontology.vocabulary import ONTOLOGY_IRI, SOURCE, VANN
from bcto.release import Settings, build
from bcto.swap import write_atomically
from tests.conftest import REPO, SEEDS, Release


def _build(output: Path, *extra: str, seed: str = "0") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    return subprocess.run(
        [sys.executable, str(REPO / "build.py"), "--seeds", str(SEEDS), "--output", str(output), "--no-cache", *extra],
        check=False,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )


def test_release_holds_exactly_the_manifest(release: Release) -> None:
    present = sorted(str(p.relative_to(release.output)) for p in release.output.rglob("*") if p.is_file())
    assert present == sorted(FILES)


def test_the_readme_lists_exactly_the_manifest() -> None:
    """The README's table of what lands in output/ names every release file, and no other."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    table = readme.split("## What lands in `output/`", 1)[1].split("\n\n", 2)[1]
    listed = {name for row in table.splitlines()[2:] for name in re.findall(r"`([^`]+)`", row.split("|")[1])}
    assert listed == set(FILES)


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    assert _build(first, seed="1").returncode == 0
    assert _build(second, seed="2").returncode == 0
    names = sorted(str(p.relative_to(first)) for p in first.rglob("*") if p.is_file())
    assert names == sorted(str(p.relative_to(second)) for p in second.rglob("*") if p.is_file())
    differing = [n for n in names if (first / n).read_bytes() != (second / n).read_bytes()]
    assert differing == []


def test_check_writes_nothing_and_prints_stages(tmp_path: Path) -> None:
    done = _build(tmp_path / "output", "--check")
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "output").exists()
    for stage in ("load", "compile", "reason", "qc", "serialise"):
        assert f"  {stage} " in done.stdout


@pytest.mark.parametrize(
    ("name", "fmt"), [("bcto.owl", "xml"), ("bcto.ttl", "turtle"), ("bcto.jsonld", "json-ld"), ("bcto.nt", "nt")]
)
def test_every_serialisation_reparses_to_the_same_graph(release: Release, name: str, fmt: str) -> None:
    """Parsed back by rdflib, each file is the same graph (compared after RDFC-1.0 blank-node canonicalisation)."""
    assert _canonical(Graph().parse(release.output / name, format=fmt)) == _canonical(release.owl)


def _canonical(graph: Graph) -> set[ox.Quad]:
    dataset = ox.Dataset(
        ox.Quad(t.subject, t.predicate, t.object) for t in ox.parse(ntriples(graph), format=ox.RdfFormat.N_TRIPLES)
    )
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return set(dataset)


def test_owl_loads_in_owlready2(release: Release) -> None:
    import owlready2

    world = owlready2.World()
    onto = world.get_ontology((release.output / "bcto.owl").as_uri()).load()
    labels = {str(c.label.first()) for c in onto.classes()}
    assert "medical condition" in labels
    assert len(list(onto.classes())) >= len(release.curation.terms)


def test_header_carries_fair_metadata(release: Release) -> None:
    g = release.owl
    assert g.value(ONTOLOGY_IRI, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.creator, OWL.versionInfo):
        assert g.value(ONTOLOGY_IRI, prop) is not None, prop
    assert g.value(ONTOLOGY_IRI, DCTERMS.created).datatype == XSD.date
    version = str(g.value(ONTOLOGY_IRI, OWL.versionIRI))
    assert version.startswith("https://w3id.org/bcto/releases/") and str(g.value(ONTOLOGY_IRI, OWL.versionInfo)) in version
    assert g.value(ONTOLOGY_IRI, VANN.preferredNamespacePrefix) == Literal("bcto")
    assert g.value(ONTOLOGY_IRI, VANN.preferredNamespaceUri) == Literal("https://w3id.org/bcto/")
    documents = set(g.objects(ONTOLOGY_IRI, DCTERMS.source))
    assert documents == {SOURCE[s] for s in release.curation.sources}


def test_stats_report_matches_the_model(release: Release) -> None:
    lines = (release.output / "reports" / "stats.tsv").read_text().splitlines()
    assert lines[0] == "kind\tname\tcount"
    assert [tuple(line.split("\t")) for line in lines[1:]] == [(k, n, str(c)) for k, n, c in counts(release.curation)]
    totals = {n: int(c) for k, n, c in (line.split("\t") for line in lines[1:]) if k == "total"}
    assert totals["knowledge-graph edges"] == len(release.kg)
    assert totals["terms"] == len(release.curation.terms)


def test_qc_report_lists_every_check_with_zero(release: Release) -> None:
    rows = [line.split("\t") for line in (release.output / "reports" / "qc.tsv").read_text().splitlines()[1:]]
    assert rows and all(row[1] == "0" for row in rows)


def test_failed_swap_keeps_the_previous_output(tmp_path: Path) -> None:
    output = tmp_path / "output"
    write_atomically({"a.txt": b"old"}, output)

    class Boom(Exception):
        pass

    class Exploding(dict):
        def items(self):  # type: ignore[override]
            yield "a.txt", b"new"
            raise Boom

    with pytest.raises(Boom):
        write_atomically(Exploding(), output)
    assert (output / "a.txt").read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["output"], "no temporary folder is left behind"


@pytest.mark.parametrize("enabled", [True, False])
def test_build_gives_back_the_garbage_collector_as_it_found_it(tmp_path: Path, enabled: bool) -> None:
    """A build turns the cyclic collector off while it runs; a program that calls it must get it back."""
    (tmp_path / "ontology").mkdir()  # no sources: the build stops at load, with exit code 1
    (gc.enable if enabled else gc.disable)()
    try:
        code = build(
            Settings(ontology=tmp_path / "ontology", seeds=SEEDS, output=tmp_path / "output", cache=None),
            say=lambda _: None,
            warn=lambda _: None,
        )
        assert code == 1
        assert gc.isenabled() is enabled
    finally:
        gc.enable()
