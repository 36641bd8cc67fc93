"""Evidence at the level of the sentence: passages placed, numbered and checked, with or without the documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from bcto.cli import main
from bcto.ontology.evidence import locate, parse, place
from bcto.ontology.load import load_curation
from bcto.ontology.model import Passage
from bcto.ontology.problems import CurationError
from bcto.ontology.seedtext import digest, fingerprint_json, read_fingerprints, read_seeds, shape_of
from tests.conftest import REPO, SHARED_SEEDS

DOCUMENT = """A made-up page

Its first paragraph. It says two things.

Second heading

One sentence here! And another one? A third.
• a listed item
"""


def _passage(text: str, phrase: str, source: str = "doc") -> Passage:
    shape = shape_of("doc.txt", DOCUMENT)
    [(start, end)] = locate(shape, phrase)
    return Passage(source, start, end, digest(DOCUMENT[start:end]))


def test_locate_returns_the_whole_sentence() -> None:
    shape = shape_of("doc.txt", DOCUMENT)
    [(start, end)] = locate(shape, "and ANOTHER")
    assert DOCUMENT[start:end] == "And another one?"


def test_a_passage_is_placed_in_its_section_and_numbered_there() -> None:
    shape = shape_of("doc.txt", DOCUMENT)
    placed = place(_passage(DOCUMENT, "a third"), shape, ["Second heading"], {"A made-up page", "Second heading"})
    assert isinstance(placed, Passage)
    # the heading line is the section's first sentence, so "A third." is its fourth
    assert (placed.section, placed.sentence, placed.pointer) == ("Second heading", 4, "Second heading, sentence 4")


def test_a_passage_outside_its_cited_sections_is_refused() -> None:
    shape = shape_of("doc.txt", DOCUMENT)
    result = place(_passage(DOCUMENT, "It says two"), shape, ["Second heading"], {"A made-up page", "Second heading"})
    assert result == "the range lies in none of the sections the row cites for that source"


def test_a_wrong_hash_is_caught_when_the_document_is_present_and_not_without_it() -> None:
    passage = _passage(DOCUMENT, "a third")
    tampered = Passage(passage.source, passage.start, passage.end, "0" * 16)
    shape = shape_of("doc.txt", DOCUMENT)
    assert "hash does not match" in str(place(tampered, shape, ["Second heading"], {"Second heading"}))
    fingerprint_only = read_fingerprints_text(fingerprint_json({"doc.txt": shape}))["doc.txt"]
    assert isinstance(place(tampered, fingerprint_only, ["Second heading"], {"Second heading"}), Passage)


def read_fingerprints_text(text: str, tmp: Path | None = None) -> dict:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "f.json"
        path.write_text(text)
        return read_fingerprints(path)


def test_fingerprints_hold_no_text_yet_place_passages_like_the_document() -> None:
    shape = shape_of("doc.txt", DOCUMENT)
    text = fingerprint_json({"doc.txt": shape})
    for sentence in ("It says two things", "And another one", "a listed item", "Second heading"):
        assert sentence not in text
    copy = read_fingerprints_text(text)["doc.txt"]
    passage = _passage(DOCUMENT, "And another")
    headings = {"A made-up page", "Second heading"}
    assert place(passage, copy, ["Second heading"], headings) == place(passage, shape, ["Second heading"], headings)


def test_parse_reads_only_the_documented_form() -> None:
    assert parse("ccs-surgery#char=10,20;sha256=0123456789abcdef") == Passage("ccs-surgery", 10, 20, "0123456789abcdef")
    for bad in ("ccs-surgery#char=10,20", "ccs-surgery#char=a,20;sha256=0123456789abcdef", "x#char=1,2;sha256=XYZ"):
        assert parse(bad) is None


@pytest.mark.skipif(not SHARED_SEEDS.is_dir(), reason="the seed documents are not beside this checkout")
def test_the_shipped_fingerprints_match_the_seed_documents() -> None:
    shipped = (REPO / "ontology" / "seed_fingerprints.json").read_text(encoding="utf-8")
    files = sorted(read_fingerprints(REPO / "ontology" / "seed_fingerprints.json"))
    assert fingerprint_json(read_seeds(SHARED_SEEDS, files)) == shipped


@pytest.mark.skipif(not SHARED_SEEDS.is_dir(), reason="the seed documents are not beside this checkout")
def test_every_passage_hash_matches_the_seed_documents() -> None:
    _, curation = load_curation(REPO / "ontology", SHARED_SEEDS)  # raises on any mismatch
    with_text = [q.passages for q in (s.qualifiers for s in curation.statements)]
    assert all(p.section for found in with_text for p in found)


def _pinned(tree: Path, bad_line: int | None = None) -> Path:
    """The fixture's relations with a passage column: each row pinned to the sentence after its cited heading
    (found through the fingerprints, as on a clone), and the row on `bad_line` given a range outside it."""
    shapes = read_fingerprints(tree / "seed_fingerprints.json")
    files = {"spread-surgery": "000_01db3790744d83ca.txt", "ccs-surgery": "001_76b05413c26a2375.txt"}
    relations = tree / "relations.tsv"
    lines = relations.read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    rows = [lines[0] + "\tpassage"]
    for number, line in enumerate(lines[1:], start=2):
        source, section = line.split("\t")[header.index("source")].split("|")[0].split(": ", 1)
        shape = shapes[files[source]]
        heading = shape.heading_offsets(section)[0]
        start, after = [s for s in shape.sentences if s > heading][:2]
        if number == bad_line:
            start, after = 0, 20  # the title line: in none of the cited sections
        rows.append(f"{line}\t{source}#char={start},{after - 1};sha256=0123456789abcdef")
    relations.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return tree


def test_the_loader_places_passages_through_the_fingerprints(tree: Path) -> None:
    _, curation = load_curation(_pinned(tree), None)
    first = curation.statements[0].qualifiers.passages[0]
    assert (first.section, first.sentence) == ("Side effects", 2)  # the heading is sentence 1 of its section


def test_the_loader_reports_a_misplaced_or_missing_passage_where_it_is(tree: Path) -> None:
    _pinned(tree, bad_line=3)
    relations = tree / "relations.tsv"
    lines = relations.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].rsplit("\t", 1)[0] + "\t"  # line 4: no passage at all
    relations.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(CurationError) as caught:
        load_curation(tree, None)
    problems = sorted(str(p) for p in caught.value.problems)
    assert len(problems) == 2
    assert problems[0].startswith("ontology/relations.tsv:3:") and "lies in none of the sections" in problems[0]
    assert problems[1].startswith("ontology/relations.tsv:4:") and "the row has no passage" in problems[1]
    assert all("bcto locate" in p for p in problems)


def test_bcto_locate_prints_a_cell_the_loader_accepts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "000_01db3790744d83ca.txt").write_text(DOCUMENT, encoding="utf-8")
    assert main(["locate", "spread-surgery", "another one", "--seeds", str(seeds), "--ontology", str(REPO / "ontology")]) == 0
    cell = capsys.readouterr().out.split("\t")[0]
    assert parse(cell) == _passage(DOCUMENT, "another one", "spread-surgery")
    assert main(["locate", "spread-surgery", "not in it", "--seeds", str(seeds), "--ontology", str(REPO / "ontology")]) == 1
