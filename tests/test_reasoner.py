"""HermiT must find the ontology consistent with no unsatisfiable class; failures name the classes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from rdflib.namespace import RDFS

from bcto.ontology.vocabulary import BCTO
from tests.conftest import REPO, SEEDS, Release

BROKEN_CLASS = """
bcto:SiteAndDisease a owl:Class ; rdfs:label "site and disease"@en ;
    rdfs:subClassOf bcto:MedicalCondition , bcto:AnatomicalSite .
"""
BROKEN_INDIVIDUAL = """
bcto:impossible a owl:NamedIndividual , bcto:MedicalCondition , bcto:AnatomicalSite .
"""


def _build(tree: Path, output: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            str(REPO / "build.py"),
            "--ontology",
            str(tree),
            "--seeds",
            str(SEEDS),
            "--output",
            str(output),
            "--no-cache",
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_unsatisfiable_class_fails_the_build_and_is_named(tree: Path, tmp_path: Path) -> None:
    with (tree / "core.ttl").open("a") as core:
        core.write(BROKEN_CLASS)
    done = _build(tree, tmp_path / "output")
    assert done.returncode == 3, done.stderr
    assert "unsatisfiable" in done.stderr and "https://w3id.org/bcto/SiteAndDisease" in done.stderr
    assert not (tmp_path / "output").exists()


def test_inconsistent_ontology_fails_the_build(tree: Path, tmp_path: Path) -> None:
    with (tree / "core.ttl").open("a") as core:
        core.write(BROKEN_INDIVIDUAL)
    done = _build(tree, tmp_path / "output")
    assert done.returncode == 3, done.stderr
    assert "inconsistent" in done.stderr


def test_inferred_hierarchy_is_published(minimal_release: Release) -> None:
    inferred = minimal_release.inferred
    assert (BCTO.LimbSparingSurgery, RDFS.subClassOf, BCTO.ClinicalActivity) in inferred
    assert (BCTO.LimbSparingNeedsGoodResponse, RDFS.subClassOf, BCTO.DecisionCriterion) in inferred
    assert (BCTO.Amputation, RDFS.subClassOf, BCTO.MedicalCondition) not in inferred
