"""The parsed tables and the seeds' shapes are kept by content hash (cache_entry.pickled), beside the checked
core.ttl: a rebuild after an edit reads the edited table again and reads the others back."""

from __future__ import annotations

from pathlib import Path

import pytest

import bcto.ontology.load as load_module
from bcto.ontology import cache_entry, seedtext
from bcto.ontology.load import load_curation
from bcto.ontology.problems import CurationError
from tests.conftest import SHARED_SEEDS


def _counting(monkeypatch: pytest.MonkeyPatch, module: object, name: str) -> list[object]:
    calls: list[object] = []
    real = getattr(module, name)
    monkeypatch.setattr(module, name, lambda *a: calls.append(a[0]) or real(*a))
    return calls


def test_a_second_load_reads_no_table_again_and_gives_the_same_curation(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "sources"
    first = load_curation(tree, None, cache)
    read = _counting(monkeypatch, load_module, "read_table")
    again = load_curation(tree, None, cache)
    assert read == []
    assert again == first


def test_an_edited_table_is_read_again_and_its_edit_is_seen(tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "sources"
    load_curation(tree, None, cache)
    table = tree / "terms" / "conditions.tsv"
    rows = table.read_text(encoding="utf-8").split("\n")
    cells = rows[1].split("\t")
    column = rows[0].split("\t").index("definition")
    cells[column] = "A definition edited for this test."
    rows[1] = "\t".join(cells)
    table.write_text("\n".join(rows), encoding="utf-8")
    read = _counting(monkeypatch, load_module, "read_table")
    _, curation = load_curation(tree, None, cache)
    assert read == [table]
    assert curation.terms[cells[0]].definition == "A definition edited for this test."


def test_a_table_with_a_problem_reports_it_on_every_load(tree: Path, tmp_path: Path) -> None:
    cache = tmp_path / "sources"
    table = tree / "terms" / "conditions.tsv"
    lines = table.read_text(encoding="utf-8").split("\n")
    lines[1] = lines[1].replace("\t", "\t ", 1)
    table.write_text("\n".join(lines), encoding="utf-8")
    for _ in range(2):
        with pytest.raises(CurationError, match="stray whitespace"):
            load_curation(tree, None, cache)


def test_a_damaged_entry_is_made_again_and_replaced(tree: Path, tmp_path: Path) -> None:
    cache = tmp_path / "sources"
    first = load_curation(tree, None, cache)[1]
    for entry in cache.glob("*.pickle"):
        entry.write_bytes(b"not a pickle")
    assert load_curation(tree, None, cache)[1] == first
    assert all(entry.read_bytes() != b"not a pickle" for entry in cache.glob("*.pickle"))


def test_a_change_to_the_code_misses(tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "sources"
    first = _counting(monkeypatch, load_module, "read_table")
    load_curation(tree, None, cache)
    every = list(first)
    monkeypatch.setattr(cache_entry, "code_digest", lambda: b"other code")
    read = _counting(monkeypatch, load_module, "read_table")
    load_curation(tree, None, cache)
    assert len(every) > 10 and read == every  # every table again


@pytest.mark.skipif(not SHARED_SEEDS.is_dir(), reason="needs the seed documents (../shared/seeds)")
def test_the_seeds_shapes_are_kept_and_an_edited_seed_is_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    names = sorted(p.name for p in SHARED_SEEDS.glob("*.txt"))[:2]
    for name in names:
        (seeds / name).write_bytes((SHARED_SEEDS / name).read_bytes())
    cache = tmp_path / "sources"
    first = seedtext.read_seeds(seeds, names, cache)
    shaped = _counting(monkeypatch, seedtext, "shape_of")
    assert seedtext.read_seeds(seeds, names, cache) == first and shaped == []
    (seeds / names[0]).write_bytes((SHARED_SEEDS / names[0]).read_bytes() + b"\nA line added.\n")
    again = seedtext.read_seeds(seeds, names, cache)
    assert shaped == [names[0]] and again[names[0]].length > first[names[0]].length
