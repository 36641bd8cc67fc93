"""core.ttl's parse, checks and canonical form are kept by content hash (schema.load_schema): a rebuild
that leaves core.ttl alone reads them back, and any change to core.ttl or to the code misses."""

from __future__ import annotations

from pathlib import Path

import pytest

import bcto.ontology.schema as schema_module
from bcto.ontology.cache_entry import code_digest
from bcto.ontology.problems import CurationError
from bcto.ontology.schema import load_schema


def _no_parse(*_: object) -> object:
    raise AssertionError("core.ttl was parsed again although neither it nor the code changed")


def test_a_kept_schema_is_read_back_unparsed_and_equal(tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "core"
    first = load_schema(tree / "core.ttl", cache=cache)
    assert len(list(cache.glob("*.pickle"))) == 1
    monkeypatch.setattr(schema_module, "parse_core", _no_parse)
    again = load_schema(tree / "core.ttl", cache=cache)
    assert (again.classes, again.properties, again.prefixes) == (first.classes, first.properties, first.prefixes)
    assert "canonical" in vars(again)  # kept, not computed again
    assert again.canonical == first.canonical  # the very triples, in the kept order
    assert set(again.graph) == set(first.graph)


def test_an_edit_to_core_misses_and_its_problem_is_reported(tree: Path, tmp_path: Path) -> None:
    cache = tmp_path / "core"
    load_schema(tree / "core.ttl", cache=cache)
    core = tree / "core.ttl"
    core.write_text(core.read_text(encoding="utf-8") + "\nbcto:Broken a owl:Class ;\n", encoding="utf-8")
    with pytest.raises(CurationError) as err:
        load_schema(core, "ontology/core.ttl", cache=cache)
    assert err.value.problems[0].file == "ontology/core.ttl"
    assert len(list(cache.glob("*.pickle"))) == 1  # a schema that failed its checks is never kept


def test_a_change_to_the_code_misses(tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "core"
    load_schema(tree / "core.ttl", cache=cache)
    monkeypatch.setattr(schema_module, "RELEASE", "2099-01-01")  # stands for any change the key covers
    calls: list[object] = []
    real = schema_module.parse_core
    monkeypatch.setattr(schema_module, "parse_core", lambda *a: calls.append(a) or real(*a))
    load_schema(tree / "core.ttl", cache=cache)
    assert calls and len(list(cache.glob("*.pickle"))) == 2


def test_the_key_covers_every_module_of_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    code_digest.cache_clear()
    before = code_digest()
    real = Path.read_bytes

    def edited(path: Path) -> bytes:
        data = real(path)
        return data + b"\n# edited" if path.name == "core_checks.py" else data

    monkeypatch.setattr(Path, "read_bytes", edited)
    code_digest.cache_clear()
    try:
        assert code_digest() != before
    finally:
        code_digest.cache_clear()  # the next test reads the real modules' digest again


def test_a_damaged_entry_is_recomputed_and_replaced(tree: Path, tmp_path: Path) -> None:
    cache = tmp_path / "core"
    first = load_schema(tree / "core.ttl", cache=cache)
    (entry,) = cache.glob("*.pickle")
    entry.write_bytes(b"not a pickle")
    again = load_schema(tree / "core.ttl", cache=cache)
    assert set(again.canonical) == set(first.canonical)  # its order is rdflib.compare's, a set's
    assert entry.read_bytes() != b"not a pickle"


def test_a_cache_that_cannot_be_written_still_gives_the_schema(tree: Path, tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder would go", encoding="utf-8")
    schema = load_schema(tree / "core.ttl", cache=blocked / "core")
    assert schema.classes == load_schema(tree / "core.ttl").classes
