"""Shared fixtures: a small valid curation tree to break on purpose, and one reasoned build of the real sources."""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest
from rdflib import Graph

from bcto.ontology.load import load_curation
from bcto.ontology.model import Curation
from bcto.release import Settings, build

REPO = Path(__file__).resolve().parent.parent
# Builds in the tests read nothing outside the repository: the seed documents' place is left empty, so the
# heading, passage and copy checks run from ontology/seed_fingerprints.json as on any clone. Only the tests
# that confirm the fingerprints (and passage hashes) against the documents read SHARED_SEEDS, when present.
SEEDS = REPO / "tests" / "fixtures" / "no-seeds"
SHARED_SEEDS = REPO.parent / "shared" / "seeds"
MINIMAL = Path(__file__).parent / "fixtures" / "minimal"
CORE_FILES = ("core.ttl", "sources.tsv", "families.tsv", "seed_fingerprints.json")


def validator(module: str, why: str) -> ModuleType:
    """A heavy validator of the field, which the quick start's test extra leaves out (pip install -e
    '.[validators]' brings them): the test skips with the reason where it is absent, and fails under CI, which
    installs them, so CI never skips one."""
    try:
        return importlib.import_module(module)
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail(f"{module} is missing, and CI must run this test: .ci/run installs '.[validators]' ({why})")
        pytest.skip(f"{module} is not installed ({why}); `pip install -e '.[validators]'` or `bash .ci/run` brings it")


def build_py(tree: Path, output: Path) -> subprocess.CompletedProcess[str]:
    """build.py on a curation tree in a fresh process, as a curator runs it (no cache: HermiT runs)."""
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


def make_tree(target: Path) -> Path:
    """A valid ontology/ folder: the small fixture tables plus the real core.ttl, sources, families and fingerprints."""
    root = target / "ontology"
    shutil.copytree(MINIMAL, root)
    for name in CORE_FILES:
        shutil.copy(REPO / "ontology" / name, root / name)
    return root


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    return make_tree(tmp_path)


@dataclass
class Release:
    """A built release: its folder, the parsed graphs, and the checked model behind them."""

    output: Path
    owl: Graph
    kg: Graph
    inferred: Graph
    curation: Curation
    exit_code: int


def _built(ontology: Path, output: Path) -> Release:
    code = build(Settings(ontology=ontology, seeds=SEEDS, output=output, cache=output.parent / "cache"), say=lambda _: None)
    assert code == 0, f"the build of {ontology} failed with exit code {code}"
    _, curation = load_curation(ontology, SEEDS if SEEDS.is_dir() else None)
    return Release(
        output,
        Graph().parse(output / "bcto.ttl"),
        Graph().parse(output / "bcto-kg.ttl"),
        Graph().parse(output / "bcto-inferred.ttl"),
        curation,
        code,
    )


@pytest.fixture(scope="session")
def release(tmp_path_factory: pytest.TempPathFactory) -> Release:
    """The real sources, built once per session (HermiT's JVM start is the slow part)."""
    return _built(REPO / "ontology", tmp_path_factory.mktemp("release") / "output")


@pytest.fixture(scope="session")
def minimal_release(tmp_path_factory: pytest.TempPathFactory) -> Release:
    base = tmp_path_factory.mktemp("minimal")
    return _built(make_tree(base), base / "output")
