"""A small, typed picture of the knowledge graph as people browse it: terms, links, predicates.

Everything downstream (viewer, exports, `bcto path`, `bcto stats`) reads this model, never RDF,
so the RDF details live in one place (graph/extract.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bcto.ontology.model import Family

SUBCLASS = "subClassOf"  # the pseudo-predicate id for "is a kind of" links

# Where a term falls under no declared family (only in hand-made or foreign input).
OTHER_FAMILY = "Other"


@dataclass(frozen=True)
class Citation:
    """Where a statement comes from: a document's title and the section heading within it."""

    document: str
    section: str


@dataclass(frozen=True)
class Mapping:
    """A link to a term in an external ontology; `href` is empty when it cannot be resolved."""

    relation: str  # e.g. "exact match"
    target: str  # a CURIE such as MONDO:0009807
    href: str


@dataclass(frozen=True)
class Term:
    id: str
    label: str
    family: str
    definition: str = ""
    synonyms: tuple[str, ...] = ()
    lay_terms: tuple[str, ...] = ()
    mappings: tuple[Mapping, ...] = ()
    sources: tuple[Citation, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """Every name a reader might type: label, synonyms, lay terms."""
        return (self.label, *self.synonyms, *self.lay_terms)


@dataclass(frozen=True)
class Link:
    """One edge: a curated statement (with its qualifiers and sources) or an is-a link."""

    subject: str
    predicate: str
    object: str
    inferred: bool = False  # entailed by the reasoner, not asserted
    frequency: str = ""
    context: str = ""
    conflict: str = ""  # id of a SourceConflict term
    sources: tuple[Citation, ...] = ()
    passage: str = ""  # where in the source the statement rests, in words ("section X, sentence N"), when known
    direction: str = ""  # a criterion's direction (for / against / considered), when stated; else the predicate's
    strength: str = ""  # the source's strength word for a criterion ("may be offered"), when stated
    optional: bool = False  # a pathway step the source marks as optional

    @property
    def key(self) -> str:
        return f"{self.subject} {self.predicate} {self.object}" + (" inferred" if self.inferred else "")


@dataclass(frozen=True)
class Predicate:
    id: str
    label: str
    definition: str = ""


def citation_text(link_or_sources: Link | tuple[Citation, ...]) -> str:
    """Sources as 'Document — Section' joined by '; ' (the same wording in every export)."""
    sources = link_or_sources.sources if isinstance(link_or_sources, Link) else link_or_sources
    return "; ".join(f"{c.document} — {c.section}" for c in sources)


@dataclass
class GraphData:
    """Terms by id, links in a stable order, and the predicates the links use."""

    terms: dict[str, Term] = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)
    predicates: dict[str, Predicate] = field(default_factory=dict)
    title: str = "Bone Cancer Treatment Ontology"
    version: str = ""
    parents: dict[str, frozenset[str]] = field(default_factory=dict)  # told superclasses of every class, upper level too
    families: dict[str, Family] = field(default_factory=dict)  # the declared families, in families.tsv order
