"""Read every curation table into the model, reporting every problem at once."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from pathlib import Path

from rdflib.namespace import RDFS

from bcto.ontology.cache_entry import pickled
from bcto.ontology.evidence import AUTHOR_STATEMENT, CURATOR_INFERENCE, EVIDENCE_CODES, parse, place
from bcto.ontology.hierarchy import ancestors
from bcto.ontology.model import (
    Citation,
    Criterion,
    Curation,
    Family,
    Hedge,
    Mapping,
    Passage,
    Qualifiers,
    Retired,
    Source,
    Statement,
    Step,
    Term,
    Threshold,
    Where,
)
from bcto.ontology.problems import CurationError, Problem
from bcto.ontology.schema import Schema, load_schema
from bcto.ontology.seedtext import FINGERPRINTS, Shape, heading_key, read_fingerprints, read_seeds
from bcto.ontology.tables import Row, read_table
from bcto.ontology.values import date_problem, iri_problem, seed_file_problem, step_number
from bcto.ontology.vocabulary import (
    BCTO,
    COMPARATORS,
    DEPRECATED_CRITERION_PROPERTIES,
    DIRECTIONS,
    EVIDENCE,
    FREQUENCIES,
    MAPPING_PREDICATES,
    RETIREMENT_REASONS,
    STRENGTHS,
    UNITS,
)
from bcto.ontology.walks import describe_cycle, parent_cycles, too_deep

SOURCE_COLUMNS = ("id", "title", "publisher", "url", "reviewed", "file", "comment")
TERM_COLUMNS = ("id", "label", "parent", "definition", "synonyms", "lay_terms", "source", "comment")
# A statement's passage and evidence code; a table may leave both columns out until its passages are pinned.
EVIDENCE_COLUMNS = ("passage", "evidence")
QUALIFIER_COLUMNS = ("frequency", "context", "conflict", "source", "comment", *EVIDENCE_COLUMNS)
RELATION_COLUMNS = ("subject", "predicate", "object", *QUALIFIER_COLUMNS)
CRITERION_COLUMNS = (
    "id",
    "label",
    "activity",
    "direction",
    "strength",
    "factor",
    "value",
    "threshold",
    "condition",
    "scope",
    "scope_terms",
    *QUALIFIER_COLUMNS,
)
STEP_COLUMNS = (
    "pathway",
    "step",
    "order",
    "activity",
    "optional",
    "strength",
    "frequency",
    "context",
    "conflict",
    "source",
    "comment",
    *EVIDENCE_COLUMNS,
)
# Columns a family's term table has beyond TERM_COLUMNS: a pathway states its hedge.
HEDGE_COLUMNS = ("strength", "frequency")
EXTRA_TERM_COLUMNS = {"TreatmentPathway": HEDGE_COLUMNS}
MAPPING_COLUMNS = ("subject", "predicate", "object", "object_label", "evidence", "confirmed_in", "comment")
CONFIRMED_IN = re.compile(r"[\w.-]+/[\w.-]+:[^@\s]+@[0-9a-f]{40}")
RETIRED_COLUMNS = ("id", "label", "definition", "source", "reason", "replaced_by", "comment")
FAMILY_COLUMNS = ("family", "table", "clinical", "biolink_category", "colour", "shape", "comment")
# families.tsv `clinical`: whether the family's terms are in the subset bcto:ClinicalTerm.
CLINICAL = {"yes": True, "no": False}
# Families that have no term table: the build generates their members from criteria.tsv and pathway_steps.tsv.
GENERATED_FAMILIES = ("DecisionCriterion", "PathwayStep")
# vis-network's node shapes that carry no text or image inside them.
SHAPES = frozenset({"dot", "diamond", "square", "triangle", "triangleDown", "star", "hexagon", "ellipse", "box"})

# Predicates that only the criteria and pathway tables may use.
GENERATED_PREDICATES = frozenset(
    {
        *DEPRECATED_CRITERION_PROPERTIES,
        "isCriterionFor",
        "concernsFactor",
        "hasConditionValue",
        "hasScope",
        "isStepOf",
        "hasStepActivity",
        "precedes",
    }
)

ID_PATTERN = re.compile(r"[A-Z][A-Za-z0-9]*")
SOURCE_ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
CURIE_PATTERN = re.compile(r"([A-Za-z][A-Za-z0-9_]*):([A-Za-z0-9_.][A-Za-z0-9_./-]*)")
TABLE_PATTERN = re.compile(r"[a-z][a-z_]*")
BIOLINK_PATTERN = re.compile(r"biolink:[A-Z][A-Za-z]+")
COLOUR_PATTERN = re.compile(r"#[0-9a-f]{6}")
THRESHOLD_PATTERN = re.compile(r"(\S+) (\S+)(?: (\S+))?")
NUMBER_PATTERN = re.compile(r"\d+(?:\.\d+)?")
BULLET = "•"
MAX_DEPTH = 200  # term levels below a family's top class; the curated hierarchy has 6 (benchmarks/deep_hierarchy.py)


def suggest(name: str, candidates: Iterable[str]) -> str:
    """A 'did you mean' hint, matching case-insensitively."""
    pool = {c.lower(): c for c in candidates}
    close = difflib.get_close_matches(name.lower(), list(pool), n=1, cutoff=0.6)
    return f"did you mean {pool[close[0]]!r}?" if close else "check the spelling or add the missing row"


def _upper_camel(value: str) -> bool:
    return ID_PATTERN.fullmatch(value) is not None


def _display(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def _heading_names(shape: Shape) -> list[str]:
    """The lines a heading may be (for 'did you mean'); only known when the document itself is present."""
    return [heading_key(line) for line in shape.text.split("\n") if line.strip()] if shape.text else []


class _Loader:
    """One pass over the tables; every check appends to self.problems."""

    def __init__(self, root: Path, seeds: Path | None, cache: Path | None = None) -> None:
        self.root = root
        self.cache = cache
        self.seeds = seeds if seeds is not None and seeds.is_dir() else None
        self.problems: list[Problem] = []
        self.curation = Curation()
        self.shapes: dict[str, Shape] = {}  # source id -> its document's shape (from the seeds or the fingerprints)
        self.raw_passages: list[tuple[Row, list[Passage]]] = []  # placed once every citation is known
        self.citations_of: dict[tuple[str, int], tuple[Citation, ...]] = {}  # (file, line) -> the row's citations
        self.known_shapes: dict[str, Shape] = {}  # file name -> shape
        self._parents: dict[str, Iterable[str]] | None = None  # class -> its parents, terms and core classes
        self.families: dict[str, str] = {}  # term id -> family top class
        self.schema: Schema | None = None

    def add(self, where: Where, message: str, fix: str) -> None:
        self.problems.append(Problem(where[0], where[1], where[2], message, fix))

    def table(
        self, path: Path, columns: tuple[str, ...], required: set[str], multi: set[str] | frozenset[str] = frozenset()
    ) -> list[Row]:
        if not path.is_file():
            self.add(
                (_display(path, self.root), 1, 1), "the file is missing", "create it with the header row: " + "\\t".join(columns)
            )
            return []
        optional = frozenset(EVIDENCE_COLUMNS) & set(columns)
        needed, lists, display = frozenset(required), frozenset(multi) | (optional - {"evidence"}), _display(path, self.root)
        data = path.read_bytes()
        key = repr(("table", columns, sorted(needed), sorted(lists), display, sorted(optional))).encode() + data

        def read() -> tuple[list[Row], list[Problem]]:
            return read_table(path, columns, needed, lists, display, optional, data)

        rows, problems = pickled(self.cache, key, read, tuple, lambda made: not made[1])
        self.problems.extend(problems)
        return rows

    # ------------------------------------------------------------ sources and citations

    def read_shapes(self, rows: list[Row]) -> dict[str, Shape]:
        """The documents' shapes: read from the seeds when they are here, else from the fingerprint file."""
        if self.seeds:
            return read_seeds(self.seeds, [row.get("file") for row in rows], self.cache)
        fingerprints = self.root / FINGERPRINTS
        if not fingerprints.is_file():
            return {}
        try:
            return read_fingerprints(fingerprints)
        except (ValueError, KeyError, TypeError):
            self.add(
                (_display(fingerprints, self.root), 1, 1),
                "the seed fingerprint file is damaged",
                "regenerate it with `bcto fingerprint --seeds DIR` where the seed documents are",
            )
            return {}

    def load_sources(self) -> None:
        rows = self.table(self.root / "sources.tsv", SOURCE_COLUMNS, {"id", "title", "file"})
        self.known_shapes = self.read_shapes(rows)
        for row in rows:
            sid = row.get("id")
            if not SOURCE_ID_PATTERN.fullmatch(sid):
                self.add(
                    row.where("id"),
                    f"source id {sid!r} is not lower-case-with-hyphens",
                    "use lower-case letters, digits and single hyphens, e.g. 'ccs-surgery'",
                )
            if sid in self.curation.sources:
                self.add(row.where("id"), f"duplicate source id {sid!r}", "give each source its own id")
                continue
            if row.get("reviewed") and (wrong := date_problem(row.get("reviewed"))):
                self.add(row.where("reviewed"), f"review date {wrong}", "write the date as YYYY-MM-DD or leave the cell empty")
            if row.get("url") and (wrong := iri_problem(row.get("url"))):
                self.add(
                    row.where("url"),
                    f"url {wrong}",
                    "write the page's address as http:// or https:// with spaces and <>\"{}|\\^` percent-encoded, "
                    "or leave the cell empty",
                )
            escapes = seed_file_problem(row.get("file"), self.seeds)
            if escapes:
                self.add(row.where("file"), f"source file {escapes}", "name the document's file in the seeds folder, no folders")
            self.curation.sources[sid] = Source(
                sid,
                row.get("title"),
                row.get("publisher"),
                row.get("url"),
                row.get("reviewed"),
                row.get("file"),
                row.get("comment"),
            )
            shape = self.known_shapes.get(row.get("file")) if not escapes else None
            if shape is not None:
                self.shapes[sid] = shape
            elif self.seeds and not escapes:
                self.add(
                    row.where("file"),
                    f"source file {row.get('file')!r} is not in {self.seeds}",
                    "name the document's file in the seeds folder",
                )

    def citations(self, row: Row, column: str = "source") -> tuple[Citation, ...]:
        found: list[Citation] = []
        where = row.where(column)
        for part in row.split(column):
            sid, sep, section = part.partition(": ")
            if not sep or not section:
                self.add(
                    where,
                    f"citation {part!r} is not 'source-id: Section heading'",
                    "write the source id, a colon and a space, then the section heading, e.g. 'ccs-surgery: Amputation'",
                )
                continue
            if sid not in self.curation.sources:
                self.add(
                    where,
                    f"unknown source id {sid!r}",
                    suggest(sid, self.curation.sources) + " (sources are listed in ontology/sources.tsv)",
                )
                continue
            shape = self.shapes.get(sid)
            if shape is not None and not shape.heading_offsets(section):
                self.add(
                    where,
                    f"section {section!r} is not a heading of source {sid!r}",
                    suggest(section, _heading_names(shape)) + " (copy the heading exactly as the document has it)",
                )
                continue
            found.append(Citation(sid, section))
        if column == "source":
            self.citations_of[(row.file, row.line)] = tuple(found)
        return tuple(found)

    def passages(self, row: Row) -> tuple[list[Passage], str]:
        """The row's passage cell (checked for form now, placed in its sections at the end) and evidence code."""
        evidence = (row.get("evidence") if "evidence" in row.cells else "") or AUTHOR_STATEMENT
        if evidence not in EVIDENCE_CODES:
            self.add(
                row.where("evidence"),
                f"unknown evidence code {evidence!r}",
                f"use {AUTHOR_STATEMENT} (the source says it) or {CURATOR_INFERENCE} (the curators infer it from the "
                "text), or leave the cell empty for the first",
            )
        if "passage" not in row.cells:  # a table without the column yet: nothing to place
            return [], evidence
        found: list[Passage] = []
        for part in row.split("passage"):
            passage = parse(part)
            if passage is None:
                self.add(
                    row.where("passage"),
                    f"passage {part!r} is not 'source-id#char=START,END;sha256=HASH'",
                    "print the cell for a sentence with `bcto locate SOURCE-ID 'a few words of it'`",
                )
            else:
                found.append(passage)
        if not row.split("passage"):
            self.add(
                row.where("passage"),
                "the row has no passage",
                "name the sentence it rests on: `bcto locate SOURCE-ID 'a few words of it'` prints the cell",
            )
        self.raw_passages.append((row, found))
        return found, evidence

    def place_passages(self) -> dict[tuple[str, int], tuple[Passage, ...]]:
        """Every passage placed in a section its row cites: (file, line) -> the placed passages."""
        cited: dict[str, set[str]] = {}
        for term in self.curation.terms.values():
            for c in term.citations:
                cited.setdefault(c.source, set()).add(c.section)
        rows_citations = {(row.file, row.line): self.citations_of.get((row.file, row.line), ()) for row, _ in self.raw_passages}
        for found in rows_citations.values():
            for c in found:
                cited.setdefault(c.source, set()).add(c.section)
        placed: dict[tuple[str, int], tuple[Passage, ...]] = {}
        for row, passages in self.raw_passages:
            citations = rows_citations[(row.file, row.line)]
            done: list[Passage] = []
            for passage in passages:
                sections = [c.section for c in citations if c.source == passage.source]
                shape = self.shapes.get(passage.source)
                if not sections:
                    self.add(
                        row.where("passage"),
                        f"passage {passage.cell!r} is in a source the row does not cite",
                        f"cite a section of {passage.source!r} in the source cell, or pick a passage of a cited source",
                    )
                    continue
                if shape is None:  # neither the document nor its fingerprint is here: keep what the cell says
                    done.append(passage)
                    continue
                result = place(passage, shape, sections, cited.get(passage.source, set()))
                if isinstance(result, str):
                    self.add(
                        row.where("passage"),
                        f"passage {passage.cell!r}: {result}",
                        "re-locate it with `bcto locate SOURCE-ID 'a few words of the sentence'`",
                    )
                else:
                    done.append(result)
            placed[(row.file, row.line)] = tuple(done)
        return placed

    def attach_passages(self, placed: dict[tuple[str, int], tuple[Passage, ...]]) -> None:
        """Put each row's placed passages (with their section and sentence numbers) into its qualifiers."""
        c = self.curation

        def fill(q: Qualifiers, where: Where) -> Qualifiers:
            found = placed.get((where[0], where[1]))
            return q._replace(passages=found) if found is not None else q

        c.statements = [s._replace(qualifiers=fill(s.qualifiers, s.where)) for s in c.statements]
        c.criteria = {k: v._replace(qualifiers=fill(v.qualifiers, v.where)) for k, v in c.criteria.items()}
        c.steps = [s._replace(qualifiers=fill(s.qualifiers, s.where)) for s in c.steps]

    def qualifiers(self, row: Row) -> Qualifiers:
        frequency = row.get("frequency") if "frequency" in row.cells else ""
        if frequency and frequency not in FREQUENCIES:
            self.add(
                row.where("frequency"),
                f"unknown frequency {frequency!r}",
                f"use one of: {', '.join(FREQUENCIES)} ({suggest(frequency, FREQUENCIES)})",
            )
        passages, evidence = self.passages(row)
        return Qualifiers(
            frequency,
            row.get("context"),
            row.get("conflict") if "conflict" in row.cells else "",
            row.get("comment"),
            tuple(passages),
            evidence,
        )

    # ------------------------------------------------------------ families and terms

    def load_families(self) -> None:
        """families.tsv: one row per family, the one place a family's table, category and style are declared."""
        path = self.root / "families.tsv"
        tables: dict[str, int] = {}
        for row in self.table(path, FAMILY_COLUMNS, {"family", "clinical", "biolink_category", "colour", "shape"}):
            fid, table = row.get("family"), row.get("table")
            if self.schema is not None and fid not in self.schema.classes:
                self.add(
                    row.where("family"),
                    f"family {fid!r} is not a class of core.ttl",
                    suggest(fid, self.schema.classes) + " (a family is a top class declared in core.ttl)",
                )
                continue
            if fid in self.curation.families:
                self.add(row.where("family"), f"family {fid!r} appears twice", "keep one row per family")
                continue
            if table and not TABLE_PATTERN.fullmatch(table):
                self.add(
                    row.where("table"),
                    f"table name {table!r} is not lower_case",
                    "name the table as its file under terms/ is named, without .tsv, e.g. 'care_providers'",
                )
            if table in tables:
                self.add(
                    row.where("table"),
                    f"table {table!r} is already the table of line {tables[table]}",
                    "give each family its own table",
                )
            if table:
                tables[table] = row.line
            checks = (
                ("biolink_category", BIOLINK_PATTERN, "a Biolink class as a CURIE, e.g. 'biolink:Disease'"),
                ("colour", COLOUR_PATTERN, "a lower-case hex colour, e.g. '#1f77b4'"),
            )
            for column, pattern, what in checks:
                if not pattern.fullmatch(row.get(column)):
                    self.add(row.where(column), f"{column} {row.get(column)!r} is malformed", f"write {what}")
            if row.get("shape") not in SHAPES:
                self.add(
                    row.where("shape"),
                    f"shape {row.get('shape')!r} is not one the viewer draws",
                    f"use one of: {', '.join(sorted(SHAPES))}",
                )
            clinical = CLINICAL.get(row.get("clinical"))
            if clinical is None and row.get("clinical"):
                self.add(
                    row.where("clinical"),
                    f"clinical {row.get('clinical')!r} is neither 'yes' nor 'no'",
                    "write 'yes' if the family's terms are clinical terms (subset bcto:ClinicalTerm), else 'no'",
                )
            elif clinical and not table:
                self.add(
                    row.where("clinical"),
                    f"family {fid!r} is clinical but has no term table",
                    "write 'no': only the terms of a table go in the subset bcto:ClinicalTerm",
                )
            label = str(self.schema.graph.value(BCTO[fid], RDFS.label) or fid) if self.schema else fid
            self.curation.families[fid] = Family(
                fid, label, table, row.get("biolink_category"), row.get("colour"), row.get("shape"), bool(clinical)
            )
        for fid in GENERATED_FAMILIES:
            if path.is_file() and fid not in self.curation.families and self.schema is not None:
                self.add(
                    (_display(path, self.root), 1, 1),
                    f"families.tsv has no row for {fid}",
                    f"add a row for {fid} with an empty table, its Biolink category and its style",
                )

    def load_terms(self) -> dict[str, tuple[Row, Term]]:
        """Every terms/<table>.tsv; a pathway's hedge columns go to curation.pathways (load_pathway_hedges)."""
        rows: dict[str, tuple[Row, Term]] = {}
        terms_dir = self.root / "terms"
        by_table = {f.table: f.id for f in self.curation.families.values() if f.table}
        for path in sorted(terms_dir.glob("*.tsv")) if terms_dir.is_dir() else []:
            family = by_table.get(path.stem)
            if family is None:
                self.add(
                    (_display(path, self.root), 1, 1),
                    f"no family has the table {path.stem!r}",
                    f"rename the file to one of: {', '.join(t + '.tsv' for t in by_table)}, "
                    "or declare its family in families.tsv",
                )
                continue
            labels: dict[str, int] = {}
            extra = EXTRA_TERM_COLUMNS.get(family, ())
            for row in self.table(
                path,
                (*TERM_COLUMNS, *extra),
                {"id", "label", "parent", "definition", "source", *extra[:1]},
                {"parent", "synonyms", "lay_terms", "source"},
            ):
                tid, label = row.get("id"), row.get("label")
                if not _upper_camel(tid):
                    self.add(
                        row.where("id"),
                        f"id {tid!r} is not UpperCamelCase",
                        "write it as capitalised words run together, ASCII letters and digits only, e.g. 'LimbSparingSurgery'",
                    )
                key = label.lower()
                if key in labels:
                    self.add(
                        row.where("label"),
                        f"duplicate label {label!r} in {path.name} (also line {labels[key]})",
                        "make labels unique within a family, or merge the two rows",
                    )
                labels.setdefault(key, row.line)
                term = Term(
                    tid,
                    label,
                    family,
                    tuple(row.split("parent")),
                    row.get("definition"),
                    tuple(row.split("synonyms")),
                    tuple(row.split("lay_terms")),
                    self.citations(row),
                    row.get("comment"),
                    row.where("id"),
                )
                if tid in rows or tid in self.schema_classes():
                    first = rows[tid][0] if tid in rows else None
                    also = f" (also {first.file}:{first.line})" if first else " (a core.ttl class)"
                    self.add(row.where("id"), f"duplicate id {tid!r}{also}", "give each term its own id")
                    continue
                rows[tid] = (row, term)
                if extra:
                    self.curation.pathways[tid] = self.hedge(row) or Hedge("done")
                self.families[tid] = family
        return rows

    def schema_classes(self) -> dict[str, frozenset[str]]:
        return self.schema.classes if self.schema else {}

    def check_parents(self, rows: dict[str, tuple[Row, Term]]) -> None:
        for row, term in rows.values():
            for parent in term.parents:
                if parent == term.family or (parent in rows and self.families[parent] == term.family):
                    continue
                if parent in rows or parent in self.schema_classes():
                    self.add(
                        row.where("parent"),
                        f"parent {parent!r} is outside the {term.family} family",
                        f"use a term of the same table or {term.family!r}",
                    )
                else:
                    self.add(row.where("parent"), f"parent {parent!r} names no term", suggest(parent, [*rows, term.family]))
        parents = {tid: term.parents for tid, (_, term) in rows.items()}
        cycles = list(parent_cycles(parents))
        for cycle in cycles:
            self.add(
                rows[cycle[0]][0].where("parent"),
                "parents form a cycle: " + describe_cycle(cycle),
                "a term cannot be its own ancestor; remove one of these parent links",
            )
        for tid in too_deep(parents, MAX_DEPTH) if not cycles else ():
            self.add(
                rows[tid][0].where("parent"),
                f"term {tid!r} is {MAX_DEPTH + 1} levels below its family's top class; the limit is {MAX_DEPTH} "
                "(HermiT's time grows steeply with depth: 1.2 times the time without a chain at 200 levels, 11 times at 800)",
                "attach it, or the chain above it, nearer the top class (the curated hierarchy is a few levels deep)",
            )

    # ------------------------------------------------------------ typing helpers

    def ancestors(self, name: str) -> set[str]:
        """Every class a term, criterion, step or core class falls under (itself included)."""
        if self._parents is None:  # the terms are all loaded before anything asks: one lookup table for every call
            self._parents = {**self.schema_classes(), **{tid: term.parents for tid, term in self.curation.terms.items()}}
        return {name} | ancestors(self._parents, name)

    def check_ref(self, where: Where, role: str, name: str, allowed: frozenset[str] | set[str]) -> bool:
        """Check that a cell names a term that falls under one of the allowed classes."""
        if name not in self.curation.terms:
            pool = list(self.curation.terms)
            self.add(where, f"{role} {name!r} names no term", suggest(name, pool))
            return False
        if allowed and not (self.ancestors(name) & allowed):
            family = self.curation.terms[name].family
            self.add(
                where,
                f"{role} {name!r} is a {family}, but this needs one of: {', '.join(sorted(allowed))}",
                "pick a term of the right family or a different predicate",
            )
            return False
        return True

    # ------------------------------------------------------------ statements, criteria, steps, mappings

    def check_conflict(self, row: Row, qualifiers: Qualifiers) -> None:
        if qualifiers.conflict:
            self.check_ref(row.where("conflict"), "conflict", qualifiers.conflict, {"SourceConflict"})

    def load_relations(self) -> None:
        assert self.schema is not None
        seen: dict[tuple[str, str, str], int] = {}
        for row in self.table(
            self.root / "relations.tsv", RELATION_COLUMNS, {"subject", "predicate", "object", "source"}, {"source"}
        ):
            subject, predicate, obj = row.get("subject"), row.get("predicate"), row.get("object")
            prop = self.schema.properties.get(predicate)
            qualifiers = self.qualifiers(row)
            citations = self.citations(row)
            if prop is None:
                self.add(
                    row.where("predicate"),
                    f"predicate {predicate!r} is not declared in core.ttl",
                    suggest(predicate, self.schema.properties) + " (or declare it in core.ttl)",
                )
                continue
            if predicate in GENERATED_PREDICATES:
                self.add(
                    row.where("predicate"),
                    f"predicate {predicate!r} belongs to criteria or pathways",
                    "state it in criteria.tsv or pathway_steps.tsv instead",
                )
                continue
            ok = self.check_ref(row.where("subject"), "subject", subject, set(prop.domain))
            ok = self.check_ref(row.where("object"), "object", obj, set(prop.range)) and ok
            self.check_conflict(row, qualifiers)
            key = (subject, predicate, obj)
            if key in seen:
                self.add(
                    row.where("subject"),
                    f"duplicate statement {subject} {predicate} {obj} (also line {seen[key]})",
                    "merge the two rows: list both citations in one source cell, separated by '|'",
                )
                continue
            seen[key] = row.line
            if ok:
                self.curation.statements.append(Statement(subject, predicate, obj, citations, qualifiers, row.where("subject")))

    # ------------------------------------------------------------ strength, values, thresholds

    def strength(self, row: Row, direction: str) -> str:
        """The strength cell: a word of the scale that goes with the direction; '' when it is wrong."""
        word = row.get("strength")
        if word not in STRENGTHS:
            self.add(
                row.where("strength"),
                f"unknown strength {word!r}",
                f"use one of: {', '.join(STRENGTHS)} ({suggest(word, STRENGTHS)}); ontology/README.md says which "
                "wording maps to which",
            )
            return ""
        if direction and STRENGTHS[word].direction != direction:
            fitting = [w for w, s in STRENGTHS.items() if s.direction == direction]
            self.add(
                row.where("strength"),
                f"strength {word!r} goes with direction {STRENGTHS[word].direction!r}, not {direction!r}",
                f"use one of: {', '.join(fitting)}, or change the direction",
            )
            return ""
        return word

    def hedge(self, row: Row) -> Hedge | None:
        """A pathway's or a step's strength and frequency; None when both cells are empty."""
        if not row.get("strength") and not row.get("frequency"):
            return None
        frequency = row.get("frequency")
        if frequency and frequency not in FREQUENCIES:
            self.add(
                row.where("frequency"),
                f"unknown frequency {frequency!r}",
                f"use one of: {', '.join(FREQUENCIES)} ({suggest(frequency, FREQUENCIES)})",
            )
        word = self.strength(row, "for") if row.get("strength") else ""
        return Hedge(word, frequency)

    def threshold(self, row: Row) -> Threshold | None:
        """`comparator number [unit]`, e.g. `> 1 year`; a located problem for anything else."""
        text = row.get("threshold")
        if not text:
            return None
        match = THRESHOLD_PATTERN.fullmatch(text)
        comparator, number, unit = match.groups(default="") if match else ("", "", "")
        problem = ""
        if comparator not in COMPARATORS:
            problem = f"comparator {comparator or text!r} is not one of {' '.join(COMPARATORS)}"
        elif not NUMBER_PATTERN.fullmatch(number):
            problem = f"{number!r} is not a number"
        elif unit and unit not in UNITS:
            problem = f"unit {unit!r} is not one of {', '.join(UNITS)}"
        if problem:
            self.add(
                row.where("threshold"),
                f"malformed threshold {text!r}: {problem}",
                "write a comparator, a space, a number and (unless it is a count) a space and a unit, "
                f"e.g. '> 1 year', '> 50 %' or '= 1'; units: {', '.join(UNITS)}",
            )
            return None
        return Threshold(comparator, number, unit)

    def refs(self, row: Row, column: str, role: str) -> tuple[tuple[str, ...], bool]:
        """A cell of |-separated term ids from any family."""
        names = tuple(row.split(column))
        ok = True
        for name in names:
            ok = self.check_ref(row.where(column), role, name, set()) and ok
        return names, ok

    def load_criteria(self) -> None:
        labels: dict[str, int] = {}
        for row in self.table(
            self.root / "criteria.tsv",
            CRITERION_COLUMNS,
            {"id", "label", "activity", "direction", "strength", "factor", "condition", "source"},
            {"source", "value", "scope_terms"},
        ):
            cid, label, direction = row.get("id"), row.get("label"), row.get("direction")
            qualifiers = self.qualifiers(row)
            citations = self.citations(row)
            if not _upper_camel(cid):
                self.add(
                    row.where("id"),
                    f"id {cid!r} is not UpperCamelCase",
                    "write it as capitalised words run together, e.g. 'LimbSparingNeedsGoodResponse'",
                )
            if cid in self.curation.terms or cid in self.curation.criteria or cid in self.schema_classes():
                self.add(row.where("id"), f"duplicate id {cid!r}", "give each criterion an id no term uses")
                continue
            if label.lower() in labels:
                self.add(
                    row.where("label"),
                    f"duplicate label {label!r} in criteria.tsv (also line {labels[label.lower()]})",
                    "make criterion labels unique",
                )
            labels.setdefault(label.lower(), row.line)
            if direction not in DIRECTIONS:
                self.add(
                    row.where("direction"),
                    f"unknown direction {direction!r}",
                    f"use one of: {', '.join(DIRECTIONS)} ({suggest(direction, DIRECTIONS)})",
                )
            strength = self.strength(row, direction if direction in DIRECTIONS else "")
            ok = self.check_ref(row.where("activity"), "activity", row.get("activity"), {"ClinicalActivity"})
            ok = self.check_ref(row.where("factor"), "factor", row.get("factor"), {"DecisionFactor"}) and ok
            values, values_ok = self.refs(row, "value", "value")
            scope_terms, scope_ok = self.refs(row, "scope_terms", "scope term")
            threshold = self.threshold(row)
            if values and row.get("threshold"):
                self.add(
                    row.where("threshold"),
                    "a criterion has either values or a threshold, not both",
                    "keep the one the text states; put the other in the condition's words",
                )
            if direction == "considered" and (values or row.get("threshold")):
                column = "value" if values else "threshold"
                self.add(
                    row.where(column),
                    "a 'considered' criterion states no value: the source only says the choice depends on the factor",
                    f"empty the {column} cell, or give the direction the text states",
                )
            if scope_terms and not row.get("scope"):
                self.add(
                    row.where("scope"),
                    "scope terms without the scope in words",
                    "say in the scope cell, in our own words, where the criterion applies",
                )
            self.check_conflict(row, qualifiers)
            if ok and values_ok and scope_ok and strength and direction in DIRECTIONS:
                self.curation.criteria[cid] = Criterion(
                    cid,
                    label,
                    row.get("activity"),
                    direction,
                    strength,
                    row.get("factor"),
                    values,
                    threshold,
                    row.get("condition"),
                    row.get("scope"),
                    scope_terms,
                    citations,
                    qualifiers,
                    row.where("id"),
                )

    def load_steps(self) -> None:
        numbers: dict[str, dict[int, Row]] = {}
        orders: dict[str, dict[int, int]] = {}  # pathway -> step number -> order position
        for row in self.table(
            self.root / "pathway_steps.tsv", STEP_COLUMNS, {"pathway", "step", "order", "activity", "source"}, {"source"}
        ):
            pathway, step, order = row.get("pathway"), row.get("step"), row.get("order")
            citations = self.citations(row)
            number, position = step_number(step), step_number(order)
            bad = next((c for c, v in (("step", number), ("order", position)) if v is None), None)
            if bad is not None or number is None or position is None:
                self.add(
                    row.where(bad or "step"),
                    f"{bad} {row.get(bad or 'step')!r} is not a whole number from 1",
                    "number the steps of each pathway 1, 2, 3... in ASCII digits, without leading zeros; give steps that "
                    "come in no stated order the same order",
                )
                continue
            ok = self.check_ref(row.where("pathway"), "pathway", pathway, {"TreatmentPathway"})
            ok = self.check_ref(row.where("activity"), "activity", row.get("activity"), {"ClinicalActivity"}) and ok
            taken = numbers.setdefault(pathway, {})
            if number in taken:
                self.add(
                    row.where("step"),
                    f"step {step} of {pathway} appears twice (also line {taken[number].line})",
                    "give each step of a pathway its own number",
                )
                continue
            taken[number] = row
            orders.setdefault(pathway, {})[number] = position
            optional = row.get("optional")
            if optional not in ("", "yes"):
                self.add(
                    row.where("optional"), f"optional is {optional!r}", "write 'yes' for an optional step, or leave it empty"
                )
            hedge = self.hedge(row)
            if optional == "yes" and hedge is None:
                self.add(
                    row.where("strength"),
                    "an optional step without the source's hedge",
                    "give the strength (e.g. may-be-done) or frequency the source uses for this step",
                )
            passages, evidence = self.passages(row)
            qualifiers = Qualifiers(
                context=row.get("context"),
                conflict=row.get("conflict"),
                comment=row.get("comment"),
                passages=tuple(passages),
                evidence=evidence,
            )
            self.check_conflict(row, qualifiers)
            if ok:
                self.curation.steps.append(
                    Step(
                        pathway,
                        number,
                        position,
                        row.get("activity"),
                        optional == "yes",
                        hedge,
                        citations,
                        qualifiers,
                        row.where("pathway"),
                    )
                )
        for pathway, taken in numbers.items():
            expected = set(range(1, len(taken) + 1))
            if set(taken) != expected:
                last = taken[max(taken)]
                self.add(
                    last.where("step"),
                    f"steps of {pathway} are numbered {sorted(taken)}",
                    f"number them 1 to {len(taken)} without gaps",
                )
                continue
            positions = [orders[pathway][n] for n in sorted(taken)]
            gaps = sorted(set(positions)) != list(range(1, max(positions) + 1))
            falling = next((n for n in range(2, len(positions) + 1) if positions[n - 1] < positions[n - 2]), None)
            if gaps or falling is not None:
                at = taken[falling or max(taken)]
                self.add(
                    at.where("order"),
                    f"order positions of {pathway} by step are {positions}",
                    "use positions 1, 2, 3... without gaps that never fall as the step number rises "
                    "(steps in no stated order share a position)",
                )
        self.curation.steps.sort(key=lambda s: (s.pathway, s.number))
        step_ids = {s.id for s in self.curation.steps}
        for s in self.curation.steps:
            if s.id in self.curation.terms or s.id in self.curation.criteria:
                self.add(
                    s.where,
                    f"generated step id {s.id!r} collides with a term or criterion id",
                    "rename the term, criterion or pathway",
                )
        assert len(step_ids) == len(self.curation.steps)

    def load_mappings(self) -> None:
        assert self.schema is not None
        required = {"subject", "predicate", "object", "evidence", "confirmed_in"}
        for row in self.table(self.root / "mappings.tsv", MAPPING_COLUMNS, required):
            subject, predicate, obj = row.get("subject"), row.get("predicate"), row.get("object")
            ok = self.check_ref(row.where("subject"), "subject", subject, set())
            if row.get("evidence") not in EVIDENCE:
                self.add(row.where("evidence"), f"unknown evidence {row.get('evidence')!r}", f"use one of: {', '.join(EVIDENCE)}")
                ok = False
            if not CONFIRMED_IN.fullmatch(row.get("confirmed_in")):
                self.add(
                    row.where("confirmed_in"),
                    f"confirmed_in {row.get('confirmed_in')!r} is not owner/repo:path@commit",
                    "name the file the target id and label were read in and its 40-hex commit",
                )
                ok = False
            if predicate.startswith("skos:") and not row.get("object_label"):
                self.add(
                    row.where("object_label"),
                    "a SKOS mapping needs the target's label",
                    "copy the label exactly as the target ontology's file gives it",
                )
            if predicate not in MAPPING_PREDICATES:
                self.add(
                    row.where("predicate"),
                    f"unknown mapping predicate {predicate!r}",
                    f"use one of: {', '.join(MAPPING_PREDICATES)}",
                )
                ok = False
            match = CURIE_PATTERN.fullmatch(obj)
            if match is None:
                self.add(
                    row.where("object"), f"malformed CURIE {obj!r}", "write PREFIX:LOCALID with no spaces, e.g. 'MONDO:0009807'"
                )
                ok = False
            elif match.group(1) not in self.schema.prefixes:
                self.add(
                    row.where("object"),
                    f"prefix {match.group(1)!r} is not declared",
                    f"use a declared prefix ({', '.join(sorted(self.schema.prefixes))}) or declare it "
                    "with sh:declare in core.ttl",
                )
                ok = False
            if ok:
                self.curation.mappings.append(
                    Mapping(
                        subject,
                        predicate,
                        obj,
                        row.get("object_label"),
                        row.get("comment"),
                        row.where("subject"),
                        row.get("evidence"),
                        row.get("confirmed_in"),
                    )
                )

    def load_retired(self) -> None:
        """retired.tsv, optional: terms and criteria taken out of the tables, kept as deprecated IRIs."""
        path = self.root / "retired.tsv"
        if not path.is_file():
            return
        current = set(self.curation.terms) | set(self.curation.criteria) | {s.id for s in self.curation.steps}
        required = {"id", "label", "definition", "source", "reason", "comment"}
        for row in self.table(path, RETIRED_COLUMNS, required, {"source", "replaced_by"}):
            rid = row.get("id")
            if rid in current or rid in self.curation.retired or (self.schema and rid in self.schema.classes):
                self.add(
                    row.where("id"),
                    f"{rid!r} is retired but still in use as a term, criterion or core class",
                    "retire an id once, and only once it has left its table",
                )
                continue
            if row.get("reason") not in RETIREMENT_REASONS:
                self.add(
                    row.where("reason"), f"unknown reason {row.get('reason')!r}", f"use one of: {', '.join(RETIREMENT_REASONS)}"
                )
            replaced = tuple(row.split("replaced_by"))
            for name in replaced:
                if name not in current:
                    self.add(
                        row.where("replaced_by"),
                        f"replacement {name!r} names no current term or criterion",
                        suggest(name, sorted(current)),
                    )
            if row.get("reason") == "split" and len(replaced) < 2:
                self.add(
                    row.where("replaced_by"),
                    "a split term needs two or more replacements",
                    "name each term it was split into, |-separated",
                )
            self.curation.retired[rid] = Retired(
                rid,
                row.get("label"),
                row.get("definition"),
                self.citations(row),
                row.get("reason"),
                replaced,
                row.get("comment"),
            )

    # ------------------------------------------------------------ everything

    def run(self) -> tuple[Schema, Curation]:
        try:
            self.schema = load_schema(self.root / "core.ttl", _display(self.root / "core.ttl", self.root), self.cache)
        except CurationError as err:
            self.problems.extend(err.problems)
        except FileNotFoundError:
            self.add(
                (_display(self.root / "core.ttl", self.root), 1, 1), "core.ttl is missing", "restore ontology/core.ttl from git"
            )
        self.load_sources()
        self.load_families()
        rows = self.load_terms()
        self.curation.terms = {tid: term for tid, (_, term) in rows.items()}
        if self.schema is not None:
            self.check_parents(rows)
            self.load_relations()
            self.load_criteria()
            self.load_steps()
            self.load_mappings()
            self.load_retired()
            self.attach_passages(self.place_passages())
        self.curation.documents = dict(sorted(self.shapes.items()))
        if self.problems:
            raise CurationError(self.problems)
        assert self.schema is not None
        return self.schema, self.curation


def load_curation(root: Path, seeds: Path | None = None, cache: Path | None = None) -> tuple[Schema, Curation]:
    """Load and check the curated sources under root (the ontology/ folder); raise CurationError on any problem.
    With a cache folder, the checked core.ttl, each table read without a problem and each seed's shape are
    kept there by content hash (cache_entry.pickled): a rebuild after an edit reads one table, not 22."""
    return _Loader(root, seeds, cache).run()
