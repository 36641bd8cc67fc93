"""What the hierarchy implies: every statement a class inherits, and the curated statements that must not hold.

A relation row `S p O` compiles to `S SubClassOf (p some O)`, so every subclass of S gets it, and so does
every broader filler (`p some O` implies `p some P` when O is a kind of P). A fact hung on too broad a
class leaks to subclasses it is false for; `reports/inherited.tsv` shows a curator what leaks, and the
table `must_not_hold.tsv` turns known falsehoods into a check that fails the build.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import NamedTuple

from rdflib.namespace import RDFS

from bcto.ontology.compile import edges
from bcto.ontology.hierarchy import ancestors
from bcto.ontology.load import _Loader
from bcto.ontology.model import Citation, Curation, Where
from bcto.ontology.problems import CurationError
from bcto.ontology.schema import Schema
from bcto.ontology.vocabulary import BCTO

FORBIDDEN_TABLE = "must_not_hold.tsv"
FORBIDDEN_COLUMNS = ("subject", "predicate", "object", "why", "source", "comment")
ASSERTED, INFERRED = "asserted", "inferred"

Hierarchy = dict[str, dict[str, str]]  # class -> every strict superclass -> "asserted" or "inferred"


class CuratedFact(NamedTuple):
    """A compiled statement with where it was curated."""

    subject: str
    predicate: str
    object: str
    citations: tuple[Citation, ...]
    where: Where | None  # None for criteria and pathway steps, which have no single relation row


class Forbidden(NamedTuple):
    """One row of must_not_hold.tsv: a statement that no class may state or inherit."""

    subject: str
    predicate: str
    object: str
    why: str
    citations: tuple[Citation, ...]
    where: Where


class Violation(NamedTuple):
    rule: Forbidden
    fact: CuratedFact
    subject_via: str  # how rule.subject falls under fact.subject ("" when they are the same class)
    object_via: str  # how fact.object falls under rule.object ("" when the same)

    def __str__(self) -> str:
        file, line, column = self.rule.where
        r, f = self.rule, self.fact
        path = []
        if self.subject_via:
            path.append(f"{r.subject} is a kind of {f.subject} ({self.subject_via})")
        at = f" ({f.where[0]}:{f.where[1]})" if f.where else ""
        path.append(f"{f.subject} {f.predicate} {f.object}{at}")
        if self.object_via:
            path.append(f"{f.object} is a kind of {r.object} ({self.object_via})")
        return (
            f"{file}:{line}:{column}: {r.subject} {r.predicate} {r.object} must not hold, but it does: "
            + "; ".join(path)
            + (
                "; attach the statement to the narrower class the text speaks of, or re-parent the subject"
                if self.subject_via or self.object_via
                else "; the row states it outright: reword or delete it, or correct must_not_hold.tsv if the text supports it"
            )
        )


def facts(curation: Curation) -> list[CuratedFact]:
    """Every compiled statement: relation rows with their location, criteria and steps without one."""
    located = {(s.subject, s.predicate, s.object): s.where for s in curation.statements}
    return [CuratedFact(s, p, o, cites, located.get((s, p, o))) for (s, p, o), cites, _ in edges(curation)]


def hierarchy(curation: Curation, superclasses: Mapping[str, Iterable[str]] = {}) -> Hierarchy:
    """Every strict superclass of each term: the asserted parents' closure (what `rdfs:subClassOf*` walks in the
    KG) and what HermiT adds (superclasses: class IRI -> inferred superclass IRIs, as reason.Reasoning holds them)."""
    parents = {tid: term.parents for tid, term in curation.terms.items()}
    found: Hierarchy = {tid: dict.fromkeys(sorted(ancestors(parents, tid)), ASSERTED) for tid in curation.terms}
    namespace = str(BCTO)
    for cls, supers in superclasses.items():
        local = cls.removeprefix(namespace)
        for sup in supers:
            name = sup.removeprefix(namespace)
            if name != local:
                found.setdefault(local, {}).setdefault(name, INFERRED)
    return found


def sub_properties(schema: Schema) -> dict[str, set[str]]:
    """Each property -> itself and every property declared below it (isRequiredFor is an isCriterionFor)."""
    below: dict[str, set[str]] = {name: {name} for name in schema.properties}
    for name in schema.properties:
        for sup in schema.graph.transitive_objects(BCTO[name], RDFS.subPropertyOf):
            sup_name = str(sup).removeprefix(str(BCTO))
            if sup_name in below:
                below[sup_name].add(name)
    return below


def inherited_rows(curation: Curation, tree: Hierarchy) -> list[tuple[str, ...]]:
    """(class, predicate, object, from, via, frequency, context, source) for every statement a class gets from
    a strict superclass, sorted. These are what the hierarchy implies beyond what is written on the class."""
    by_subject: dict[str, list[tuple[tuple[str, str, str], tuple[Citation, ...], str, str]]] = {}
    for (s, p, o), cites, q in edges(curation):
        by_subject.setdefault(s, []).append(((s, p, o), cites, q.frequency, q.context))
    rows: set[tuple[str, ...]] = set()
    for cls, supers in tree.items():
        for ancestor, via in supers.items():
            for (_, p, o), cites, frequency, context in by_subject.get(ancestor, ()):
                source = "|".join(f"{c.source}: {c.section}" for c in cites)
                rows.add((cls, p, o, ancestor, via, frequency, context, source))
    return sorted(rows)


def inherited_tsv(curation: Curation, tree: Hierarchy) -> str:
    header = "class\tpredicate\tobject\tinherited_from\thierarchy\tfrequency\tcontext\tsource\n"
    return header + "".join("\t".join(row) + "\n" for row in inherited_rows(curation, tree))


def violations(
    rules: Iterable[Forbidden], found: Iterable[CuratedFact], tree: Hierarchy, below: Mapping[str, set[str]]
) -> list[Violation]:
    """Each forbidden statement that a fact states or implies: the fact's subject is the rule's subject or one of
    its superclasses, its predicate the rule's or one below it, its object the rule's or one of its subclasses."""
    by_predicate: dict[str, list[CuratedFact]] = {}
    for fact in found:
        by_predicate.setdefault(fact.predicate, []).append(fact)
    out: list[Violation] = []
    for rule in rules:
        ups = {rule.subject: "", **tree.get(rule.subject, {})}
        for predicate in sorted(below.get(rule.predicate, {rule.predicate})):
            for fact in by_predicate.get(predicate, ()):
                if fact.subject not in ups:
                    continue
                if fact.object == rule.object:
                    object_via = ""
                elif rule.object in tree.get(fact.object, {}):
                    object_via = tree[fact.object][rule.object]
                else:
                    continue
                out.append(Violation(rule, fact, ups[fact.subject], object_via))
    return out


def load_forbidden(root: Path, seeds: Path | None, schema: Schema, curation: Curation) -> list[Forbidden]:
    """Read and check must_not_hold.tsv (ids, predicate, citations); raise CurationError with every problem.
    A tree without the table (a synthetic benchmark tree) has no forbidden statements."""
    if not (root / FORBIDDEN_TABLE).is_file():
        return []
    loader = _Loader(root, seeds)
    loader.schema = schema
    loader.curation.sources, loader.shapes = curation.sources, dict(curation.documents)  # read and checked once
    loader.curation.terms = curation.terms
    rules: list[Forbidden] = []
    seen: dict[tuple[str, str, str], int] = {}
    for row in loader.table(
        root / FORBIDDEN_TABLE, FORBIDDEN_COLUMNS, {"subject", "predicate", "object", "why", "source"}, {"source"}
    ):
        subject, predicate, obj = row.get("subject"), row.get("predicate"), row.get("object")
        citations = loader.citations(row)
        prop = schema.properties.get(predicate)
        if prop is None:
            loader.add(
                row.where("predicate"), f"predicate {predicate!r} is not declared in core.ttl", "use a property of core.ttl"
            )
            continue
        ok = loader.check_ref(row.where("subject"), "subject", subject, set(prop.domain))
        ok = loader.check_ref(row.where("object"), "object", obj, set(prop.range)) and ok
        key = (subject, predicate, obj)
        if key in seen:
            loader.add(
                row.where("subject"), f"duplicate forbidden statement (also line {seen[key]})", "delete one of the two rows"
            )
            continue
        seen[key] = row.line
        if ok:
            rules.append(Forbidden(subject, predicate, obj, row.get("why"), citations, row.where("subject")))
    if loader.problems:
        raise CurationError(loader.problems)
    return rules


def forbidden_texts(rules: Iterable[Forbidden]) -> list[tuple[Where, str, str]]:
    """The curators' prose in must_not_hold.tsv, for the copy check."""
    return [(rule.where, "why", rule.why) for rule in rules]


def inheritance(
    curation: Curation, schema: Schema, rules: Iterable[Forbidden], superclasses: Mapping[str, Iterable[str]]
) -> tuple[list[Violation], str]:
    """The build's one call: the forbidden statements that hold, and reports/inherited.tsv."""
    tree = hierarchy(curation, superclasses)
    return violations(rules, facts(curation), tree, sub_properties(schema)), inherited_tsv(curation, tree)
