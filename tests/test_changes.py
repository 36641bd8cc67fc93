"""Release diffs: a fixture pair of releases gives exactly the additions, removals and changes made between them."""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import io
import shutil
from pathlib import Path

from bcto.ontology.changes import Item, changes_markdown, diff, main, read_snapshot, snapshot, snapshot_tsv
from bcto.ontology.load import load_curation
from bcto.ontology.model import Curation
from bcto.ontology.version import RELEASE
from bcto.release import EXIT_INVALID_SOURCES, Settings, build
from tests.conftest import REPO, SEEDS


def _curation(tree: Path) -> Curation:
    return load_curation(tree, None)[1]


def _edited(curation: Curation) -> Curation:
    """The next release of the fixture: one term's definition changed, one statement removed, one term added."""
    terms = dict(curation.terms)
    terms["Amputation"] = terms["Amputation"]._replace(definition="A different definition.")
    new = terms["Amputation"]._replace(id="NewProcedure", label="new procedure")
    terms["NewProcedure"] = new
    return dataclasses.replace(curation, terms=terms, statements=curation.statements[1:])


def test_a_fixture_pair_gives_exactly_what_changed(tree: Path) -> None:
    before = _curation(tree)
    after = _edited(before)
    changes = diff(snapshot(before), snapshot(after))
    removed = before.statements[0]
    assert {(c.kind, c.change, c.id, c.fields) for c in changes} == {
        ("term", "changed", "Amputation", ("definition",)),
        ("term", "added", "NewProcedure", ()),
        ("statement", "removed", f"{removed.subject} {removed.predicate} {removed.object}", ()),
    }
    assert diff(snapshot(after), snapshot(after)) == []


def test_an_item_the_ontology_keeps_as_deprecated_is_deprecated_not_removed() -> None:
    old = [Item("term", "OldName", "old name", ()), Item("term", "Gone", "gone", ()), Item("statement", "A p B", "", ())]
    new = [Item("term", "NewName", "new name", ())]
    retired = {"OldName": ("NewName",), "A p B": ()}  # a statement has no IRI to keep, so it is removed
    assert {(c.change, c.id, c.fields) for c in diff(old, new, retired)} == {
        ("deprecated", "OldName", ("replaced by NewName",)),
        ("removed", "Gone", ()),
        ("removed", "A p B", ()),
        ("added", "NewName", ()),
    }
    text = changes_markdown(diff(old, new, retired), "2026-01-01", "2026-02-01")
    assert "| terms | 1 | 1 | 1 | 0 |" in text and "replaced by" not in text


def test_a_snapshot_reads_back_as_written(tree: Path) -> None:
    items = snapshot(_curation(tree))
    assert read_snapshot(snapshot_tsv(items, "2026-01-01").decode()) == items
    assert {i.kind for i in items} >= {"term", "statement", "criterion", "pathway step"}


def test_fields_one_release_lacks_are_not_changes() -> None:
    old = [Item("mapping", "A X:1", "x", (("predicate", "p1"),))]
    new = [Item("mapping", "A X:1", "x", (("evidence", "e"), ("predicate", "p1")))]
    assert diff(old, new) == []
    newer = [Item("mapping", "A X:1", "x", (("evidence", "e"), ("predicate", "p2")))]
    assert [(c.change, c.fields) for c in diff(new, newer)] == [("changed", ("predicate",))]


def test_the_markdown_section_counts_each_kind(tree: Path) -> None:
    before = _curation(tree)
    text = changes_markdown(diff(snapshot(before), snapshot(_edited(before))), "2026-01-01", "2026-02-01")
    assert text.startswith("## Release 2026-02-01 against release 2026-01-01\n")
    assert (
        "| terms | 1 | 0 | 0 | 1 |" in text
        and "| statements | 0 | 1 | 0 | 0 |" in text
        and "| criteria | 0 | 0 | 0 | 0 |" in text
    )


def test_the_build_writes_changes_against_the_newest_snapshot(tree: Path, tmp_path: Path) -> None:
    (tree / "releases").mkdir()
    before = _curation(tree)
    (tree / "releases" / "2000-01-01.tsv").write_bytes(snapshot_tsv(snapshot(_edited(before)), "2000-01-01"))
    (tree / "releases" / "9999-01-01.tsv").write_text("from the future: never the previous release\n")
    output = tmp_path / "output"
    assert build(Settings(ontology=tree, seeds=SEEDS, output=output, cache=None), say=lambda _: None) == 0
    lines = (output / "reports" / "changes.tsv").read_text().splitlines()
    assert lines[0] == f"# BCTO release {RELEASE} against release 2000-01-01: every item added, removed, deprecated or changed"
    rows = list(csv.DictReader(lines[1:], delimiter="\t"))
    assert {(r["kind"], r["change"], r["id"]) for r in rows} >= {
        ("term", "changed", "Amputation"),
        ("term", "removed", "NewProcedure"),
    }
    snapshot_now = read_snapshot((output / "reports" / "snapshot.tsv").read_text())
    assert snapshot_now == snapshot(before), "the next release compares against this one"


def test_a_damaged_snapshot_fails_the_build_and_keeps_the_previous_output(tree: Path, tmp_path: Path) -> None:
    output = tmp_path / "output"
    assert build(Settings(ontology=tree, seeds=SEEDS, output=output, cache=None), say=lambda _: None) == 0
    kept = (output / "bcto.owl").read_bytes()
    (tree / "releases").mkdir()
    shutil.copy(tree / "relations.tsv", tree / "releases" / "2000-01-01.tsv")
    messages: list[str] = []
    code = build(Settings(ontology=tree, seeds=SEEDS, output=output, cache=None), say=messages.append, warn=messages.append)
    assert code == EXIT_INVALID_SOURCES
    assert any("2000-01-01.tsv:1:1: not a BCTO release snapshot" in m for m in messages), messages
    assert (output / "bcto.owl").read_bytes() == kept


def test_changes_md_has_the_table_the_release_computes(release) -> None:
    """CHANGES.md is what importers read: its unreleased table must be the one the build computes, not a stale one."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert main(["--output", str(release.output)]) == 0
    table = printed.getvalue().split("\n\n")[1]
    assert table in (REPO / "CHANGES.md").read_text(encoding="utf-8")
