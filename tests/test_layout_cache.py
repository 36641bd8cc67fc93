"""The viewer's layout is computed once per graph structure: definition edits reuse it, structure edits do not."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from bcto.graph import layout
from bcto.graph.extract import graph_data
from bcto.graph.model import Link
from tests.conftest import Release


@pytest.fixture
def data(minimal_release: Release):
    layout._MEMO.clear()
    return graph_data(minimal_release.owl, minimal_release.kg, minimal_release.inferred, minimal_release.curation.families)


def test_key_ignores_text_and_inferred_links_but_not_structure(data) -> None:
    key = layout.structure_key(data)
    reworded = replace(data, terms={**data.terms, "Amputation": data.terms["Amputation"]._replace(definition="Reworded.")})
    assert layout.structure_key(reworded) == key
    inferred = replace(data, links=[*data.links, Link("Amputation", data.links[0].predicate, "PhantomLimbPain", inferred=True)])
    assert layout.structure_key(inferred) == key
    linked = replace(data, links=[*data.links, Link("Amputation", data.links[0].predicate, "Osteosarcoma")])
    assert layout.structure_key(linked) != key


def test_disk_cache_gives_the_computed_positions_without_recomputing(
    data, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    computed = layout.graph_layout(data, tmp_path)
    layout._MEMO.clear()

    def no_layout(_):
        raise AssertionError("the layout was recomputed although the structure did not change")

    monkeypatch.setattr(layout, "_graph_layout", no_layout)
    assert layout.graph_layout(data, tmp_path) == computed


def test_damaged_cache_entry_is_recomputed(data, tmp_path: Path) -> None:
    computed = layout.graph_layout(data, tmp_path)
    layout._MEMO.clear()
    (entry,) = tmp_path.glob("*.json")
    entry.write_text("{broken")
    assert layout.graph_layout(data, tmp_path) == computed
