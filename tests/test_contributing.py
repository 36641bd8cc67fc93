"""CONTRIBUTING.md's recipes, walked end to end: a new family is three files, and forgetting one is a located error."""

from __future__ import annotations

import json
import re
from pathlib import Path

from bcto.release import Settings, build
from tests.conftest import REPO, SEEDS

FAMILY_CLASS = """
bcto:SupportService a owl:Class ;
    oboInOwl:inSubset bcto:UpperLevel ;
    rdfs:label "support service"@en ;
    obo:IAO_0000115 "An organisation or service outside the treating team that people can turn to for help."@en .
"""
FAMILY_ROW = "SupportService\tsupport_services\tyes\tbiolink:Agent\t#009e73\tsquare\torganisations that support patients\n"
TERMS = (
    "id\tlabel\tparent\tdefinition\tsynonyms\tlay_terms\tsource\tcomment\n"
    "SupportOrganisation\tsupport organisation\tSupportService\tA charity or group that offers practical or "
    "emotional help between appointments.\t\t\tmacmillan-secondary: After secondary bone cancer treatment\t\n"
)


def _add_family(tree: Path, *, row: bool = True) -> None:
    """The three files CONTRIBUTING.md names: the top class, the family's row, and its table."""
    core = tree / "core.ttl"
    core.write_text(core.read_text(encoding="utf-8") + FAMILY_CLASS, encoding="utf-8")
    if row:
        families = tree / "families.tsv"
        families.write_text(families.read_text(encoding="utf-8") + FAMILY_ROW, encoding="utf-8")
    (tree / "terms" / "support_services.tsv").write_text(TERMS, encoding="utf-8")


def test_a_new_family_reaches_every_export(tree: Path, tmp_path: Path) -> None:
    _add_family(tree)
    output = tmp_path / "output"
    messages: list[str] = []
    code = build(Settings(tree, SEEDS, output, cache=tmp_path / "cache"), say=messages.append, warn=messages.append)
    assert code == 0, "\n".join(messages)
    nodes = (output / "bcto-kgx-nodes.tsv").read_text(encoding="utf-8")
    assert "bcto:SupportOrganisation\tbiolink:Agent\tsupport organisation" in nodes
    page = (output / "bcto.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script type="application/json" id="bcto-data">(.*?)</script>', page, re.S).group(1))
    legend = {f["id"]: f for f in data["families"]}
    assert legend["SupportService"]["color"] == "#009e73" and legend["SupportService"]["count"] == 1
    assert 'id="family-SupportService"' in (output / "docs" / "index.html").read_text(encoding="utf-8")


def test_a_family_without_its_row_is_a_located_error(tree: Path, tmp_path: Path) -> None:
    _add_family(tree, row=False)
    messages: list[str] = []
    code = build(Settings(tree, SEEDS, tmp_path / "output", cache=None), say=messages.append, warn=messages.append)
    assert code == 1
    assert any(
        m.startswith("ontology/terms/support_services.tsv:1:1: no family has the table 'support_services'")
        for m in "\n".join(messages).splitlines()
    )
    assert not (tmp_path / "output").exists()


def test_contributing_names_the_files_each_recipe_touches() -> None:
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for heading in ("a term", "a predicate", "a family", "a QC check", "a competency question", "an output format"):
        assert re.search(rf"^## Add {re.escape(heading)} \(\d+ files?\)$", text, re.M), heading
