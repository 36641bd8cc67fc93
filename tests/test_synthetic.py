"""The scale benchmarks' synthetic generator: its output builds, and it keeps the real graph's shape."""

from __future__ import annotations

from pathlib import Path

import pytest

from bcto.ontology.load import load_curation
from bcto.release import Settings, build
from benchmarks.synthetic import shape, write_synthetic
from tests.conftest import REPO, SEEDS

TIMES = 2


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_synthetic(tmp_path_factory.mktemp("synthetic") / "ontology", TIMES, seed=7, seeds=SEEDS)


@pytest.mark.reasoner
def test_synthetic_tree_builds(synthetic: Path, tmp_path: Path) -> None:
    """Loads, reasons (consistent), passes every QC check and the copy check, like a release."""
    said: list[str] = []
    code = build(
        Settings(ontology=synthetic, seeds=SEEDS, output=tmp_path / "output", check_only=True, cache=tmp_path / "cache"),
        say=said.append,
        warn=said.append,
    )
    assert code == 0, "\n".join(said)


def test_synthetic_tree_keeps_the_shape(synthetic: Path) -> None:
    real = shape(load_curation(REPO / "ontology", SEEDS)[1])
    made = shape(load_curation(synthetic, SEEDS)[1])
    assert real.keys() == made.keys()
    for key, value in real.items():
        expected = value if key.startswith(("share", "depth")) else value * TIMES
        assert made[key] == pytest.approx(expected, rel=0.05, abs=0.01), key


def test_generator_is_seeded(tmp_path: Path) -> None:
    first = write_synthetic(tmp_path / "a", 1, seed=3, seeds=SEEDS)
    second = write_synthetic(tmp_path / "b", 1, seed=3, seeds=SEEDS)
    names = sorted(p.relative_to(first) for p in first.rglob("*.tsv"))
    assert names == sorted(p.relative_to(second) for p in second.rglob("*.tsv"))
    assert all((first / n).read_bytes() == (second / n).read_bytes() for n in names)


def test_a_folder_it_did_not_write_is_refused_and_kept(tmp_path: Path) -> None:
    folder = tmp_path / "ontology"
    folder.mkdir()
    (folder / "core.ttl").write_text("a real tree's core", encoding="utf-8")
    with pytest.raises(SystemExit, match="holds files but no SYNTHETIC marker"):
        write_synthetic(folder, 1, seeds=SEEDS)
    assert [p.name for p in folder.iterdir()] == ["core.ttl"]
    assert (folder / "core.ttl").read_text(encoding="utf-8") == "a real tree's core"


def test_its_own_tree_is_rewritten(tmp_path: Path) -> None:
    tree = write_synthetic(tmp_path / "t", 1, seed=3, seeds=SEEDS)
    (tree / "terms" / "stale.tsv").write_text("left by hand", encoding="utf-8")
    write_synthetic(tree, 1, seed=3, seeds=SEEDS)
    assert not (tree / "terms" / "stale.tsv").exists()
