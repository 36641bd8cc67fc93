"""A small, typed model of the curated knowledge, independent of TSV and of RDF."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import NamedTuple

from bcto.ontology.seedtext import Shape

Where = tuple[str, int, int]  # file, line, column


def statement_id(subject: str, predicate: str, obj: str) -> str:
    """The one stable id of a curated fact, shared by its OWL axiom, its statement node and every export:
    it depends on the fact alone, so it survives reordering and re-wording of the tables."""
    return hashlib.sha1(f"{subject}|{predicate}|{obj}".encode()).hexdigest()[:20]


class Citation(NamedTuple):
    """A source document and the section heading a statement comes from."""

    source: str
    section: str


class Source(NamedTuple):
    id: str
    title: str
    publisher: str
    url: str
    reviewed: str
    file: str
    comment: str


class Family(NamedTuple):
    """A kind of term: its top class in core.ttl, the table that holds its terms, and how exports show it."""

    id: str  # the top class
    label: str  # the top class's rdfs:label
    table: str  # terms/<table>.tsv; empty for generated families (criteria, pathway steps)
    biolink_category: str
    colour: str
    shape: str
    clinical: bool = False  # its terms are in the subset bcto:ClinicalTerm


class Term(NamedTuple):
    id: str
    label: str
    family: str  # the top class of its table
    parents: tuple[str, ...]
    definition: str
    synonyms: tuple[str, ...]
    lay_terms: tuple[str, ...]
    citations: tuple[Citation, ...]
    comment: str
    where: Where


class Passage(NamedTuple):
    """A character range of a source document, the section it lies in and its sentences there."""

    source: str
    start: int
    end: int
    hash: str
    section: str = ""  # the cited heading whose section holds the range
    sentence: int = 0  # number of its first sentence within that section, from 1
    last_sentence: int = 0

    @property
    def fragment(self) -> str:
        """The RFC 5147 fragment, as the table cell and the passage IRI carry it."""
        return f"char={self.start},{self.end};sha256={self.hash}"

    @property
    def cell(self) -> str:
        return f"{self.source}#{self.fragment}"

    @property
    def pointer(self) -> str:
        """Where a reader finds it: 'Section, sentence N' (or 'sentences N-M')."""
        if self.last_sentence > self.sentence:
            return f"{self.section}, sentences {self.sentence}–{self.last_sentence}"
        return f"{self.section}, sentence {self.sentence}"


class Qualifiers(NamedTuple):
    """What a statement's source adds beyond subject-predicate-object."""

    frequency: str = ""
    context: str = ""
    conflict: str = ""
    comment: str = ""
    passages: tuple[Passage, ...] = ()  # the sentences it rests on (ontology/evidence.py)
    evidence: str = "ECO:0000303"  # ECO code: author statement, or ECO:0000305 curator inference


class Statement(NamedTuple):
    """One curated fact: becomes one annotated existential axiom and one plain edge."""

    subject: str
    predicate: str
    object: str
    citations: tuple[Citation, ...]
    qualifiers: Qualifiers
    where: Where


class Threshold(NamedTuple):
    """A machine-readable limit on a factor: `comparator number unit`, e.g. > 1 year."""

    comparator: str  # one of vocabulary.COMPARATORS
    number: str  # as written, so that 1 stays 1 and 0.5 stays 0.5 (compiled as xsd:decimal)
    unit: str  # one of vocabulary.UNITS, or empty for a count

    def __str__(self) -> str:
        return " ".join(p for p in (self.comparator, self.number, self.unit) if p)


class Criterion(NamedTuple):
    """When a factor takes a value, the source says something about an activity: in which direction
    (for, against, or only that the choice depends on it) and how strongly, in its own modal verb."""

    id: str
    label: str
    activity: str
    direction: str  # a key of vocabulary.DIRECTIONS
    strength: str  # a key of vocabulary.STRENGTHS
    factor: str
    values: tuple[str, ...]  # term ids; the condition holds when the factor takes any one of them
    threshold: Threshold | None
    condition: str  # the condition in words, always
    scope: str  # where the criterion applies, in words; empty when the text sets no limit
    scope_terms: tuple[str, ...]  # the same scope as term ids (all of them hold), where terms exist
    citations: tuple[Citation, ...]
    qualifiers: Qualifiers
    where: Where


class Hedge(NamedTuple):
    """How firmly a source states a pathway: its strength word and its own frequency word, if any."""

    strength: str  # a key of vocabulary.STRENGTHS (direction "for")
    frequency: str = ""


class Step(NamedTuple):
    """One step of a pathway. Steps that share an `order` position come in no stated order among
    themselves; an optional step carries the hedge the source puts on it."""

    pathway: str
    number: int  # 1, 2, 3... within the pathway; names the step (its id) and never changes
    order: int  # position in the sequence; steps with the same position are unordered
    activity: str
    optional: bool
    hedge: Hedge | None  # the step's own strength and frequency, when the source hedges it
    citations: tuple[Citation, ...]
    qualifiers: Qualifiers
    where: Where

    @property
    def id(self) -> str:
        return f"{self.pathway}Step{self.number}"


class Mapping(NamedTuple):
    subject: str
    predicate: str
    object: str  # CURIE
    object_label: str
    comment: str
    where: Where
    evidence: str = "target-file"  # a key of vocabulary.EVIDENCE
    confirmed_in: str = ""  # owner/repo:path@commit where the target id and label were read


class Retired(NamedTuple):
    """A term or criterion taken out of the tables whose IRI stays, owl:deprecated, so data that uses it resolves."""

    id: str
    label: str  # the label it had ("obsolete " is added when compiled)
    definition: str  # the definition it had
    citations: tuple[Citation, ...]
    reason: str  # a key of vocabulary.RETIREMENT_REASONS
    replaced_by: tuple[str, ...]  # current terms or criteria to use instead, if any
    comment: str  # why, in words


@dataclass
class Curation:
    """Everything the tables hold, checked and cross-referenced."""

    sources: dict[str, Source] = field(default_factory=dict)
    families: dict[str, Family] = field(default_factory=dict)  # in families.tsv order
    terms: dict[str, Term] = field(default_factory=dict)
    statements: list[Statement] = field(default_factory=list)
    criteria: dict[str, Criterion] = field(default_factory=dict)
    pathways: dict[str, Hedge] = field(default_factory=dict)  # pathway term id -> its hedge
    steps: list[Step] = field(default_factory=list)
    mappings: list[Mapping] = field(default_factory=list)
    retired: dict[str, Retired] = field(default_factory=dict)  # retired.tsv, in table order
    documents: dict[str, Shape] = field(default_factory=dict)  # source id -> its document's shape (seedtext.py)
