"""Read every curation table into the model, reporting every problem at once."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from pathlib import Path

from rdflib.namespace import RDFS

from bcto.ontology.model import Citation, Criterion, Curation, Family, Mapping, Qualifiers, Source, Statement, Step, Term, Where
from bcto.ontology.problems import CurationError, Problem
from bcto.ontology.schema import Schema, load_schema
from bcto.ontology.tables import Row, read_table
from bcto.ontology.vocabulary import BCTO, EVIDENCE, FREQUENCIES, MAPPING_PREDICATES, POLARITIES

SOURCE_COLUMNS = ("id", "title", "publisher", "url", "reviewed", "file", "comment")
TERM_COLUMNS = ("id", "label", "parent", "definition", "synonyms", "lay_terms", "source", "comment")
QUALIFIER_COLUMNS = ("frequency", "context", "conflict", "source", "comment")
RELATION_COLUMNS = ("subject", "predicate", "object", *QUALIFIER_COLUMNS)
CRITERION_COLUMNS = ("id", "label", "activity", "polarity", "factor", "condition", *QUALIFIER_COLUMNS)
STEP_COLUMNS = ("pathway", "step", "activity", "context", "conflict", "source", "comment")
MAPPING_COLUMNS = ("subject", "predicate", "object", "object_label", "evidence", "confirmed_in", "comment")
CONFIRMED_IN = re.compile(r"[\w.-]+/[\w.-]+:[^@\s]+@[0-9a-f]{40}")
FAMILY_COLUMNS = ("family", "table", "biolink_category", "colour", "shape", "comment")
# Families that have no term table: the build generates their members from criteria.tsv and pathway_steps.tsv.
GENERATED_FAMILIES = ("DecisionCriterion", "PathwayStep")
# vis-network's node shapes that carry no text or image inside them.
SHAPES = frozenset({"dot", "diamond", "square", "triangle", "triangleDown", "star", "hexagon", "ellipse", "box"})

# Predicates that only the criteria and pathway tables may use.
GENERATED_PREDICATES = frozenset(
    {*POLARITIES.values(), "isCriterionFor", "concernsFactor", "isStepOf", "hasStepActivity", "precedes"}
)

ID_PATTERN = re.compile(r"[A-Z][A-Za-z0-9]*")
SOURCE_ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
CURIE_PATTERN = re.compile(r"([A-Za-z][A-Za-z0-9_]*):([A-Za-z0-9_.][A-Za-z0-9_./-]*)")
DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")
TABLE_PATTERN = re.compile(r"[a-z][a-z_]*")
BIOLINK_PATTERN = re.compile(r"biolink:[A-Z][A-Za-z]+")
COLOUR_PATTERN = re.compile(r"#[0-9a-f]{6}")
BULLET = "•"


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


def _headings(seed: Path) -> set[str]:
    lines = seed.read_text(encoding="utf-8", errors="replace").splitlines()
    return {line.strip().lstrip(BULLET).strip() for line in lines if line.strip()}


class _Loader:
    """One pass over the tables; every check appends to self.problems."""

    def __init__(self, root: Path, seeds: Path | None) -> None:
        self.root = root
        self.seeds = seeds if seeds is not None and seeds.is_dir() else None
        self.problems: list[Problem] = []
        self.curation = Curation()
        self.headings: dict[str, set[str] | None] = {}
        self.families: dict[str, str] = {}  # term id -> family top class
        self.schema: Schema | None = None

    def add(self, where: Where, message: str, fix: str) -> None:
        self.problems.append(Problem(where[0], where[1], where[2], message, fix))

    def table(self, path: Path, columns: tuple[str, ...], required: set[str], multi: set[str] = frozenset()) -> list[Row]:
        if not path.is_file():
            self.add(
                (_display(path, self.root), 1, 1), "the file is missing", "create it with the header row: " + "\\t".join(columns)
            )
            return []
        rows, problems = read_table(path, columns, frozenset(required), frozenset(multi), _display(path, self.root))
        self.problems.extend(problems)
        return rows

    # ------------------------------------------------------------ sources and citations

    def load_sources(self) -> None:
        for row in self.table(self.root / "sources.tsv", SOURCE_COLUMNS, {"id", "title", "file"}):
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
            if row.get("reviewed") and not DATE_PATTERN.fullmatch(row.get("reviewed")):
                self.add(
                    row.where("reviewed"),
                    f"review date {row.get('reviewed')!r} is not YYYY-MM-DD",
                    "write the date as YYYY-MM-DD or leave the cell empty",
                )
            self.curation.sources[sid] = Source(
                sid,
                row.get("title"),
                row.get("publisher"),
                row.get("url"),
                row.get("reviewed"),
                row.get("file"),
                row.get("comment"),
            )
            seed = self.seeds / row.get("file") if self.seeds else None
            self.headings[sid] = _headings(seed) if seed and seed.is_file() else None
            if self.seeds and not (seed and seed.is_file()):
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
            headings = self.headings.get(sid)
            if headings is not None and section not in headings:
                self.add(
                    where,
                    f"section {section!r} is not a heading of source {sid!r}",
                    suggest(section, headings) + " (copy the heading exactly as the document has it)",
                )
                continue
            found.append(Citation(sid, section))
        return tuple(found)

    def qualifiers(self, row: Row) -> Qualifiers:
        frequency = row.get("frequency") if "frequency" in row.cells else ""
        if frequency and frequency not in FREQUENCIES:
            self.add(
                row.where("frequency"),
                f"unknown frequency {frequency!r}",
                f"use one of: {', '.join(FREQUENCIES)} ({suggest(frequency, FREQUENCIES)})",
            )
        return Qualifiers(
            frequency, row.get("context"), row.get("conflict") if "conflict" in row.cells else "", row.get("comment")
        )

    # ------------------------------------------------------------ families and terms

    def load_families(self) -> None:
        """families.tsv: one row per family, the one place a family's table, category and style are declared."""
        path = self.root / "families.tsv"
        tables: dict[str, int] = {}
        for row in self.table(path, FAMILY_COLUMNS, {"family", "biolink_category", "colour", "shape"}):
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
            label = str(self.schema.graph.value(BCTO[fid], RDFS.label) or fid) if self.schema else fid
            self.curation.families[fid] = Family(
                fid, label, table, row.get("biolink_category"), row.get("colour"), row.get("shape")
            )
        for fid in GENERATED_FAMILIES:
            if path.is_file() and fid not in self.curation.families and self.schema is not None:
                self.add(
                    (_display(path, self.root), 1, 1),
                    f"families.tsv has no row for {fid}",
                    f"add a row for {fid} with an empty table, its Biolink category and its style",
                )

    def load_terms(self) -> dict[str, tuple[Row, Term]]:
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
            for row in self.table(
                path,
                TERM_COLUMNS,
                {"id", "label", "parent", "definition", "source"},
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
        # Cycles: follow parents among terms; report each cycle once, at its smallest id.
        reported: set[frozenset[str]] = set()
        for start in rows:
            path: list[str] = []
            self._walk(start, rows, path, set(), reported)

    def _walk(
        self, node: str, rows: dict[str, tuple[Row, Term]], path: list[str], seen: set[str], reported: set[frozenset[str]]
    ) -> None:
        if node in path:
            cycle = path[path.index(node) :]
            key = frozenset(cycle)
            if key not in reported:
                reported.add(key)
                first = min(cycle)
                row = rows[first][0]
                loop = cycle[cycle.index(first) :] + cycle[: cycle.index(first)] + [first]
                self.add(
                    row.where("parent"),
                    "parents form a cycle: " + " -> ".join(loop),
                    "a term cannot be its own ancestor; remove one of these parent links",
                )
            return
        if node in seen or node not in rows:
            return
        seen.add(node)
        path.append(node)
        for parent in rows[node][1].parents:
            self._walk(parent, rows, path, seen, reported)
        path.pop()

    # ------------------------------------------------------------ typing helpers

    def ancestors(self, name: str) -> set[str]:
        """Every class a term, criterion, step or core class falls under (itself included)."""
        terms, classes = self.curation.terms, self.schema_classes()
        found: set[str] = set()
        todo = [name]
        while todo:
            current = todo.pop()
            if current in found:
                continue
            found.add(current)
            if current in terms:
                todo.extend(terms[current].parents)
            elif current in classes:
                todo.extend(classes[current])
        return found

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

    def load_criteria(self) -> None:
        labels: dict[str, int] = {}
        for row in self.table(
            self.root / "criteria.tsv",
            CRITERION_COLUMNS,
            {"id", "label", "activity", "polarity", "factor", "condition", "source"},
            {"source"},
        ):
            cid, label, polarity = row.get("id"), row.get("label"), row.get("polarity")
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
            if polarity not in POLARITIES:
                self.add(
                    row.where("polarity"),
                    f"unknown polarity {polarity!r}",
                    f"use one of: {', '.join(POLARITIES)} ({suggest(polarity, POLARITIES)})",
                )
            ok = self.check_ref(row.where("activity"), "activity", row.get("activity"), {"ClinicalActivity"})
            ok = self.check_ref(row.where("factor"), "factor", row.get("factor"), {"DecisionFactor"}) and ok
            self.check_conflict(row, qualifiers)
            if ok and polarity in POLARITIES:
                self.curation.criteria[cid] = Criterion(
                    cid,
                    label,
                    row.get("activity"),
                    polarity,
                    row.get("factor"),
                    row.get("condition"),
                    citations,
                    qualifiers,
                    row.where("id"),
                )

    def load_steps(self) -> None:
        numbers: dict[str, dict[int, Row]] = {}
        for row in self.table(
            self.root / "pathway_steps.tsv", STEP_COLUMNS, {"pathway", "step", "activity", "source"}, {"source"}
        ):
            pathway, step = row.get("pathway"), row.get("step")
            citations = self.citations(row)
            if not step.isdigit() or int(step) < 1:
                self.add(
                    row.where("step"),
                    f"step {step!r} is not a whole number from 1",
                    "number the steps of each pathway 1, 2, 3...",
                )
                continue
            ok = self.check_ref(row.where("pathway"), "pathway", pathway, {"TreatmentPathway"})
            ok = self.check_ref(row.where("activity"), "activity", row.get("activity"), {"ClinicalActivity"}) and ok
            taken = numbers.setdefault(pathway, {})
            if int(step) in taken:
                self.add(
                    row.where("step"),
                    f"step {step} of {pathway} appears twice (also line {taken[int(step)].line})",
                    "give each step of a pathway its own number",
                )
                continue
            taken[int(step)] = row
            qualifiers = Qualifiers(context=row.get("context"), conflict=row.get("conflict"), comment=row.get("comment"))
            self.check_conflict(row, qualifiers)
            if ok:
                self.curation.steps.append(
                    Step(pathway, int(step), row.get("activity"), citations, qualifiers, row.where("pathway"))
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

    # ------------------------------------------------------------ everything

    def run(self) -> tuple[Schema, Curation]:
        try:
            self.schema = load_schema(self.root / "core.ttl", _display(self.root / "core.ttl", self.root))
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
        if self.problems:
            raise CurationError(self.problems)
        assert self.schema is not None
        return self.schema, self.curation


def load_curation(root: Path, seeds: Path | None = None) -> tuple[Schema, Curation]:
    """Load and check the curated sources under root (the ontology/ folder); raise CurationError on any problem."""
    return _Loader(root, seeds).run()
