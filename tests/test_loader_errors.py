"""Every kind of bad curation input gives a located, actionable message; nothing crashes, nothing is written."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from bcto.ontology.load import load_curation
from bcto.ontology.problems import CurationError
from tests.conftest import REPO, SEEDS, build_py


@dataclass(frozen=True)
class Case:
    name: str
    file: str  # relative to the ontology folder
    change: Callable[[bytes], bytes]
    message: str  # a substring the problem must contain
    needle: str | bytes | None = None  # the text the problem must point at (first occurrence after the change)
    line: int | None = None  # or an explicit line/column
    column: int | None = None


def sub(old: str, new: str) -> Callable[[bytes], bytes]:
    def change(data: bytes) -> bytes:
        assert old.encode() in data, f"fixture no longer contains {old!r}"
        return data.replace(old.encode(), new.encode(), 1)

    return change


def append(text: str) -> Callable[[bytes], bytes]:
    return lambda data: data + text.encode()


TERM_ROW = "{id}\t{label}\t{parent}\tA made-up term used to test the loader.\t\t\tccs-surgery: Amputation\t\n"
CONFIRMED = "owner/repo:path/file.tsv@" + "0" * 40

CASES = [
    Case("unknown column", "relations.tsv", sub("\tcomment\n", "\tremark\n"), "unknown column 'remark'", needle="remark"),
    Case("missing column", "terms/findings.tsv", sub("\tlay_terms", ""), "missing column 'lay_terms'", line=1, column=1),
    Case(
        "missing required cell",
        "terms/procedures.tsv",
        sub("An operation that takes off part or all of a limb.", ""),
        "required cell 'definition' is empty",
        line=2,
        column=33,
    ),
    Case(
        "duplicate id",
        "terms/procedures.tsv",
        append(TERM_ROW.format(id="PhantomLimbPain", label="x", parent="Procedure")),
        "duplicate id 'PhantomLimbPain' (also ontology/terms/findings.tsv:2)",
        needle="PhantomLimbPain\tx\t",
    ),
    Case(
        "duplicate label in family",
        "terms/procedures.tsv",
        append(TERM_ROW.format(id="SecondAmputation", label="Amputation", parent="Procedure")),
        "duplicate label 'Amputation'",
        needle="Amputation\tProcedure",
    ),
    Case(
        "id not UpperCamelCase",
        "terms/findings.tsv",
        sub("PhantomLimbPain\t", "phantom_limb_pain\t"),
        "is not UpperCamelCase",
        needle="phantom_limb_pain",
    ),
    Case(
        "parent names no term",
        "terms/procedures.tsv",
        sub("\tProcedure\tAn operation that takes off", "\tProcedur\tAn operation that takes off"),
        "did you mean 'Procedure'?",
        needle="Procedur\t",
    ),
    Case(
        "subject names no term",
        "relations.tsv",
        sub("Amputation\thasPossible", "Amputaton\thasPossible"),
        "did you mean 'Amputation'?",
        needle="Amputaton",
    ),
    Case(
        "object names no term",
        "relations.tsv",
        sub("\tPhantomLimbPain\t", "\tPhantomLimbPane\t"),
        "did you mean 'PhantomLimbPain'?",
        needle="PhantomLimbPane",
    ),
    Case(
        "predicate not declared",
        "relations.tsv",
        sub("hasPossibleSideEffect", "hasPossibleSideEfect"),
        "did you mean 'hasPossibleSideEffect'?",
        needle="hasPossibleSideEfect",
    ),
    Case(
        "object outside the range",
        "relations.tsv",
        sub("\tPhantomLimbPain\t", "\tOsteosarcoma\t"),
        "is a MedicalCondition, but this needs one of: ClinicalFinding",
        needle="Osteosarcoma",
    ),
    Case(
        "subject outside the domain",
        "relations.tsv",
        sub("Amputation\thasPossible", "PhantomLimbPain\thasPossible"),
        "is a ClinicalFinding, but this needs one of: ClinicalActivity",
        needle="PhantomLimbPain\thasPossible",
    ),
    Case(
        "unknown source id",
        "relations.tsv",
        sub("ccs-surgery: Side effects", "ccs-surgry: Side effects"),
        "did you mean 'ccs-surgery'?",
        needle="ccs-surgry",
    ),
    Case(
        "section not in the document",
        "relations.tsv",
        sub("ccs-surgery: Side effects", "ccs-surgery: Side-effects list"),
        "is not a heading of source 'ccs-surgery'",
        needle="ccs-surgery: Side-effects list",
    ),
    Case(
        "malformed citation",
        "relations.tsv",
        sub("ccs-surgery: Side effects", "ccs-surgery Side effects"),
        "is not 'source-id: Section heading'",
        needle="ccs-surgery Side effects",
    ),
    Case(
        "malformed CURIE",
        "mappings.tsv",
        append(f"Amputation\tskos:exactMatch\tNCIT C1\tx\ttarget-file\t{CONFIRMED}\t\n"),
        "malformed CURIE 'NCIT C1'",
        needle="NCIT C1",
    ),
    Case(
        "unknown mapping evidence",
        "mappings.tsv",
        append("Amputation\tskos:exactMatch\tNCIT:C1\tx\thearsay\towner/repo:file.tsv\t\n"),
        "unknown evidence 'hearsay'",
        needle="hearsay",
    ),
    Case(
        "undeclared prefix",
        "mappings.tsv",
        append(f"Amputation\tskos:exactMatch\tFOO:123\tx\ttarget-file\t{CONFIRMED}\t\n"),
        "prefix 'FOO' is not declared",
        needle="FOO:123",
    ),
    Case(
        "cycle in parents",
        "terms/procedures.tsv",
        append(
            TERM_ROW.format(id="Alpha", label="alpha", parent="Beta") + TERM_ROW.format(id="Beta", label="beta", parent="Alpha")
        ),
        "parents form a cycle: Alpha -> Beta -> Alpha",
        needle="Beta\tA made-up",
    ),
    Case(
        "stray whitespace",
        "terms/findings.tsv",
        sub("\tphantom limb pain\t", "\tphantom limb pain \t"),
        "stray whitespace",
        needle=" \tClinicalFinding",
    ),
    # The reader skips the per-cell check for a table with none of these (tables._may_hold_stray_space):
    # each kind of stray space must still be found in a table that has no other.
    Case(
        "no-break space at a cell's edge",
        "terms/findings.tsv",
        sub("\tphantom limb pain\t", "\tphantom limb pain\u00a0\t"),
        "stray whitespace",
        needle="\u00a0\tClinicalFinding",
    ),
    Case(
        "doubled space",
        "terms/findings.tsv",
        sub("\tphantom limb pain\t", "\tphantom  limb pain\t"),
        "stray whitespace",
        needle="  limb pain",
    ),
    Case(
        "space beside '|'",
        "terms/findings.tsv",
        sub("\tccs-surgery: Side effects\t", "\tccs-surgery: Side effects |ccs-surgery: Amputation\t"),
        "stray whitespace",
        needle=" |ccs-surgery",
    ),
    Case(
        "empty value in a '|' list",
        "terms/findings.tsv",
        sub("\tccs-surgery: Side effects\t", "\tccs-surgery: Side effects||ccs-surgery: Amputation\t"),
        "empty value in the '|'-separated list",
        needle="|ccs-surgery: Amputation",
    ),
    Case(
        "'|' at the end of a list",
        "terms/findings.tsv",
        sub("\tccs-surgery: Side effects\t", "\tccs-surgery: Side effects|\t"),
        "empty value in the '|'-separated list",
        line=2,
        column=len(
            "PhantomLimbPain\tphantom limb pain\tClinicalFinding\tPain felt as if it came from a limb that has been "
            "removed.\t\t\tccs-surgery: Side effects|"
        )
        + 1,  # just after the '|'
    ),
    Case("carriage return", "relations.tsv", lambda data: data.replace(b"\n", b"\r\n"), "carriage return", line=1, column=67),
    Case(
        "bytes that are not UTF-8",
        "terms/conditions.tsv",
        lambda data: data.replace(b"osteogenic", b"osteog\xffnic"),
        "is not UTF-8",
        needle=b"\xff",
    ),
    Case("empty file", "criteria.tsv", lambda data: b"", "the file is empty", line=1, column=1),
    Case(
        "wrong number of cells",
        "pathway_steps.tsv",
        sub("AmputationPathway\t2\t", "AmputationPathway\t2\textra\t"),
        "row has 12 cells but the header has 11",
        line=3,
    ),
    Case(
        "unknown frequency",
        "relations.tsv",
        sub("PhantomLimbPain\t\t", "PhantomLimbPain\tfrequently\t"),
        "unknown frequency 'frequently'",
        needle="frequently",
    ),
    Case(
        "step numbers with a gap",
        "pathway_steps.tsv",
        sub("AmputationPathway\t2\t2\t", "AmputationPathway\t3\t2\t"),
        "numbered [1, 3]",
        needle="3\t2\tLimbSparing",
    ),
    Case(
        "unknown strength",
        "criteria.tsv",
        sub("\tpossible\t", "\tcalls-for\t"),
        "unknown strength 'calls-for'",
        needle="calls-for",
    ),
    Case(
        "strength with the wrong direction",
        "criteria.tsv",
        sub("\tfor\tpossible\t", "\tagainst\tpossible\t"),
        "strength 'possible' goes with direction 'for', not 'against'",
        needle="possible\tTumourResponse",
    ),
    Case(
        "unknown direction",
        "criteria.tsv",
        sub("\tfor\tpossible\t", "\tpro\tpossible\t"),
        "unknown direction 'pro'",
        needle="pro",
    ),
    Case(
        "malformed threshold",
        "criteria.tsv",
        sub("\t> 1 year\t", "\tover 1 year\t"),
        "malformed threshold 'over 1 year': comparator 'over' is not one of",
        needle="over 1 year",
    ),
    Case(
        "unknown threshold unit",
        "criteria.tsv",
        sub("\t> 1 year\t", "\t> 1 yr\t"),
        "unit 'yr' is not one of",
        needle="> 1 yr",
    ),
    Case(
        "value that names no term",
        "criteria.tsv",
        sub("\tGoodResponse\t", "\tGoodRespons\t"),
        "value 'GoodRespons' names no term",
        needle="GoodRespons\t",
    ),
    Case(
        "considered criterion with a value",
        "criteria.tsv",
        sub("\tfor\tpossible\t", "\tconsidered\tdepends-on\t"),
        "a 'considered' criterion states no value",
        needle="GoodResponse\t\tthe tumour",
    ),
    Case(
        "optional step without a hedge",
        "pathway_steps.tsv",
        sub("\tyes\tmay-be-done\t", "\tyes\t\t"),
        "an optional step without the source's hedge",
        line=3,
        column=46,
    ),
    Case(
        "order positions that fall",
        "pathway_steps.tsv",
        sub("AmputationPathway\t1\t1\t", "AmputationPathway\t1\t3\t"),
        "order positions of AmputationPathway by step are [3, 2]",
        needle="2\tLimbSparing",
    ),
    Case(
        "pathway without its strength",
        "terms/pathways.tsv",
        sub("\tdone\tusually", "\t\tusually"),
        "required cell 'strength' is empty",
        needle="\tusually",
    ),
    Case(
        "Turtle syntax error",
        "core.ttl",
        sub('rdfs:label "can use"@en ;', 'rdfs:label "can use@en ;'),
        "Turtle syntax error",
        needle='"can use@en',
        column=0,
    ),  # the parser notices at the line's end
    Case(
        "clinical neither yes nor no",
        "families.tsv",
        sub("\tconditions\tyes\t", "\tconditions\tmaybe\t"),
        "clinical 'maybe' is neither 'yes' nor 'no'",
        needle="maybe",
    ),
    Case(
        "clinical family without a table",
        "families.tsv",
        sub("PathwayStep\t\tno\t", "PathwayStep\t\tyes\t"),
        "family 'PathwayStep' is clinical but has no term table",
        needle=b"yes\tbiolink:Activity",
    ),
    Case(
        "clinical left empty",
        "families.tsv",
        sub("\tfindings\tyes\t", "\tfindings\t\t"),
        "required cell 'clinical' is empty",
        needle=b"\tbiolink:PhenotypicFeature",
    ),
]

# Issue 12, part 3: input that crashed the build or slipped through it.
DEFINITION = "An operation that takes off part or all of a limb."
CHARACTERS = {
    "U+2028": "\u2028",
    "U+2029": "\u2029",
    "U+0085": "\u0085",
    "U+0000": "\x00",
    "U+0001": "\x01",
    "U+001B": "\x1b",
    "U+FFFF": "\uffff",
    "U+202E": "\u202e",
    "U+2066": "\u2066",
}


def chain(levels: int, cycle: bool = False) -> Callable[[bytes], bytes]:
    """Append `levels` procedures, each the parent of the next (and the last of the first, for a cycle)."""

    def parent(i: int) -> str:
        return f"Deep{i - 1}" if i else (f"Deep{levels - 1}" if cycle else "Procedure")

    rows = (TERM_ROW.format(id=f"Deep{i}", label=f"deep {i}", parent=parent(i)) for i in range(levels))
    return append("".join(rows))


NESTED = "bcto:Nested rdfs:comment " + "[ rdfs:comment " * 64 + "[ rdfs:label " + "1 ]" * 65 + " .\n"
INPUT_CASES = [
    *(
        Case(
            f"character {code}",
            "terms/procedures.tsv",
            sub(DEFINITION, f"An operation{char}that takes off part or all of a limb."),
            f"character {code}",
            needle=char,
        )
        for code, char in CHARACTERS.items()
    ),
    Case("cell too long", "terms/procedures.tsv", sub(DEFINITION, "x" * 2001), "is 2,001 characters long", needle="x" * 2001),
    Case(
        "step number in superscript",
        "pathway_steps.tsv",
        sub("AmputationPathway\t2\t", "AmputationPathway\t\u00b2\t"),
        "step '\u00b2' is not a whole number",
        needle="\u00b2",
    ),
    Case(
        "step number in Arabic-Indic digits",
        "pathway_steps.tsv",
        sub("AmputationPathway\t2\t", "AmputationPathway\t\u0662\t"),
        "step '\u0662' is not a whole number",
        needle="\u0662",
    ),
    Case(
        "url with a space",
        "sources.tsv",
        sub("https://cancer.ca/", "https://cancer.ca/a b"),
        "is not an http(s)",
        needle="https://cancer.ca/a b",
    ),
    Case(
        "url with >",
        "sources.tsv",
        sub("https://cancer.ca/", "https://cancer.ca/a>b"),
        "is not an http(s)",
        needle="https://cancer.ca/a>b",
    ),
    Case(
        "javascript url",
        "sources.tsv",
        sub("https://cancer.ca/", "javascript:alert(1)"),
        "is not an http(s)",
        needle="javascript:",
    ),
    Case("impossible review date", "sources.tsv", sub("2019-04-30", "2025-13-45"), "is no calendar date", needle="2025-13-45"),
    Case(
        "seed file outside the folder",
        "sources.tsv",
        sub("001_76b05413c26a2375.txt", "../001_76b05413c26a2375.txt"),
        "is not a plain file name",
        needle="../001",
    ),
    Case(
        "seed file as an absolute path",
        "sources.tsv",
        sub("001_76b05413c26a2375.txt", "/etc/passwd"),
        "not a plain file",
        needle="/etc/passwd",
    ),
    Case(
        "hierarchy 10,000 levels deep",
        "terms/procedures.tsv",
        chain(10_000),
        "'Deep200' is 201 levels below",
        needle="Deep199\tA made-up",
    ),
    Case(
        "1,500-term parent cycle",
        "terms/procedures.tsv",
        chain(1500, cycle=True),
        "form a cycle: Deep0 -> Deep1499",
        needle="Deep1499\tA made-up",
    ),
    Case(
        "property with two ranges",
        "core.ttl",
        sub("rdfs:range bcto:ClinicalFinding .", "rdfs:range bcto:ClinicalFinding , bcto:MedicalCondition ."),
        "bcto:hasPossibleSideEffect has 2 ranges, bcto:ClinicalFinding and bcto:MedicalCondition",
        needle="rdfs:range bcto:ClinicalFinding , bcto:MedicalCondition",
    ),
    Case(
        "property with two domains",
        "core.ttl",
        sub(
            "    rdfs:domain bcto:ClinicalActivity ;\n    rdfs:range bcto:ClinicalFinding .",
            "    rdfs:domain bcto:ClinicalActivity ;\n    rdfs:domain bcto:Procedure ;\n    rdfs:range bcto:ClinicalFinding .",
        ),
        "has 2 domains, bcto:ClinicalActivity and bcto:Procedure",
        needle="rdfs:domain bcto:Procedure",
    ),
    Case(
        "sh:declare prefix with two namespaces",
        "core.ttl",
        append('\nbcto:Extra sh:declare [ sh:prefix "DOID" ; sh:namespace "http://example.org/DOID_"^^xsd:anyURI ] .\n'),
        "prefix 'DOID' is declared twice",
        needle='sh:prefix "DOID" ; sh:namespace "http://example.org/',
    ),
    Case(
        "@prefix with two namespaces",
        "core.ttl",
        append("@prefix obo: <http://example.org/obo/> .\n"),
        "@prefix obo: is bound twice",
        needle="@prefix obo: <http://example.org/",
    ),
    Case(
        "sh:namespace that is no IRI",
        "core.ttl",
        sub('sh:namespace "http://purl.obolibrary.org/obo/DOID_"^^xsd:anyURI', 'sh:namespace "not an iri"'),
        "sh:namespace \"not an iri\" of prefix 'DOID' is no http(s) IRI",
        needle='sh:prefix "DOID"',
    ),
    Case("deeply nested brackets", "core.ttl", append(NESTED), "brackets nested more than 64 deep", needle="[ rdfs:label"),
    Case(
        "raw U+2028 in a core.ttl literal",
        "core.ttl",
        sub('rdfs:label "can use"@en ;', 'rdfs:label "can\u2028use"@en ;'),
        "character U+2028 (LINE SEPARATOR) in core.ttl",
        needle="\u2028",
    ),
    Case(
        "escaped NUL in a core.ttl literal",
        "core.ttl",
        sub('rdfs:label "can use"@en ;', 'rdfs:label "can\\u0000use"@en ;'),
        "character U+0000 (NULL) (written as an escape) in a literal of bcto:canUse",
        needle="\\u0000",
    ),
    Case(
        "retired: unknown replacement",
        "retired.tsv",
        sub("\tTumourResponseToChemotherapy\t", "\tTumourResponse\t"),
        "replacement 'TumourResponse' names no current term or criterion",
        needle="TumourResponse\t",
    ),
    Case("retired: unknown reason", "retired.tsv", sub("\tmerged\t", "\tmoved\t"), "unknown reason 'moved'", needle="moved"),
    Case(
        "retired: split into one",
        "retired.tsv",
        sub("\tmerged\t", "\tsplit\t"),
        "a split term needs two or more replacements",
        needle="TumourResponseToChemotherapy\t",
    ),
    Case(
        "retired: still in use",
        "retired.tsv",
        append("TimeSinceTreatment\tx\tA made-up definition.\tccs-surgery: Amputation\tother\t\tRetired by mistake.\n"),
        "'TimeSinceTreatment' is retired but still in use",
        needle="TimeSinceTreatment",
    ),
]
CASES += INPUT_CASES


def _locate(data: bytes, needle: str | bytes) -> tuple[int, int]:
    raw = needle if isinstance(needle, bytes) else needle.encode("utf-8")
    index = data.index(raw)
    line = data[:index].count(b"\n") + 1
    column = len(data[:index].rsplit(b"\n", 1)[-1].decode("utf-8", "replace")) + 1
    return line, column


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_is_reported_with_its_location(case: Case, tree: Path) -> None:
    path = tree / case.file
    data = case.change(path.read_bytes())
    path.write_bytes(data)
    with pytest.raises(CurationError) as caught:
        load_curation(tree, SEEDS if SEEDS.is_dir() else None)
    matching = [p for p in caught.value.problems if case.message in str(p)]
    assert matching, f"no problem says {case.message!r}; got:\n{caught.value}"
    problem = matching[0]
    assert problem.file.endswith(case.file)
    assert problem.fix, "every problem says how to fix it"
    line, column = _locate(data, case.needle) if case.needle else (case.line, case.column)
    assert problem.line == line, str(problem)
    if case.column != 0 and column is not None:
        assert problem.column == column, str(problem)


def test_every_problem_is_reported_at_once(tree: Path) -> None:
    chosen = [
        c
        for c in CASES
        if c.name
        in {"id not UpperCamelCase", "unknown source id", "cycle in parents", "unknown strength", "step numbers with a gap"}
    ]
    for case in chosen:
        path = tree / case.file
        path.write_bytes(case.change(path.read_bytes()))
    with pytest.raises(CurationError) as caught:
        load_curation(tree, SEEDS if SEEDS.is_dir() else None)
    report = str(caught.value)
    assert all(case.message in report for case in chosen), report


def test_cli_exits_1_and_leaves_output_untouched(tree: Path, tmp_path: Path) -> None:
    output = tmp_path / "output"
    (output / "reports").mkdir(parents=True)
    (output / "bcto.ttl").write_bytes(b"previous release\n")
    (output / "reports" / "qc.tsv").write_bytes(b"previous report\n")
    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    relations = tree / "relations.tsv"
    relations.write_bytes(relations.read_bytes().replace(b"hasPossibleSideEffect", b"hasPossibleSideEfect"))
    done = build_py(tree, output)
    assert done.returncode == 1
    assert "relations.tsv:2:12: predicate 'hasPossibleSideEfect' is not declared in core.ttl" in done.stderr
    assert "Traceback" not in done.stderr
    assert {p: p.read_bytes() for p in output.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize("case", INPUT_CASES, ids=[c.name for c in INPUT_CASES])
def test_bad_input_exits_1_without_a_traceback(case: Case, tree: Path, tmp_path: Path) -> None:
    """The build itself: the located message, exit 1, no traceback, the previous output/ untouched."""
    output = tmp_path / "output"
    output.mkdir()
    (output / "bcto.owl").write_bytes(b"previous release\n")
    path = tree / case.file
    data = case.change(path.read_bytes())
    path.write_bytes(data)
    done = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "--ontology", str(tree), "--seeds", str(SEEDS), "--output", str(output)],
        check=False,
        capture_output=True,
        text=True,
        errors="replace",
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=300,
    )
    line, column = _locate(data, case.needle) if case.needle else (case.line, case.column)
    assert done.returncode == 1, done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    assert f"{case.file}:{line}:{column}: " in done.stderr and case.message in done.stderr, done.stderr[-3000:]
    assert [p.name for p in output.iterdir()] == ["bcto.owl"] and (output / "bcto.owl").read_bytes() == b"previous release\n"
