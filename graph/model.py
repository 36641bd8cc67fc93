"""The knowledge graph as every view and export reads it: nodes, links, predicates.

graph/extract.py builds it once from the release graphs; the viewer, GraphML, GEXF, KGX, `bcto path` and
`bcto stats` only format it, so they cannot disagree on what the graph holds. It reuses the curation's
Citation, Qualifiers (with their Passages) and Family, and adds only what a graph view needs: a node for every
class (terms, criteria, pathway steps) filed in its most specific family, resolvable mapping links, and
inferred is-a links.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from bcto.ontology.model import Citation, Family, Qualifiers

SUBCLASS = "subClassOf"  # the pseudo-predicate id for "is a kind of" links

# Where a term falls under no declared family (only in hand-made or foreign input).
OTHER_FAMILY = "Other"

# An is-a link's qualifiers: it has none, not even an evidence code (the term's own sources say it).
NO_QUALIFIERS = Qualifiers(evidence="")


class MappingLink(NamedTuple):
    """A curated mapping as a reader follows it: the relation in words, the target CURIE, and its IRI
    (`href`, empty when it cannot be resolved)."""

    relation: str  # e.g. "exact match"
    target: str  # a CURIE such as MONDO:0009807
    href: str


class Node(NamedTuple):
    """Any BCTO class of the graph (a curated term, a criterion, a pathway step), in the most specific
    declared family its told and inferred ancestors give it."""

    id: str
    label: str
    family: str
    definition: str = ""
    synonyms: tuple[str, ...] = ()
    lay_terms: tuple[str, ...] = ()
    mappings: tuple[MappingLink, ...] = ()
    sources: tuple[Citation, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """Every name a reader might type: label, synonyms, lay terms."""
        return (self.label, *self.synonyms, *self.lay_terms)


class Link(NamedTuple):
    """One edge: a curated statement (with its qualifiers and sources) or an is-a link."""

    subject: str
    predicate: str
    object: str
    inferred: bool = False  # entailed by the reasoner, not asserted
    sources: tuple[Citation, ...] = ()
    qualifiers: Qualifiers = NO_QUALIFIERS  # a statement's, as curated; its passages by document and position
    direction: str = ""  # the subject criterion's direction (a key of vocabulary.DIRECTIONS), when stated
    strength: str = ""  # the source's strength word on the subject (criterion, step, pathway), when stated
    optional: bool = False  # a pathway step the source marks as optional

    @property
    def key(self) -> str:
        return f"{self.subject} {self.predicate} {self.object}" + (" inferred" if self.inferred else "")


class Predicate(NamedTuple):
    id: str
    label: str
    definition: str = ""


@dataclass
class GraphData:
    """Nodes by id, links in a stable order, and the predicates the links use."""

    terms: dict[str, Node] = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)
    predicates: dict[str, Predicate] = field(default_factory=dict)
    title: str = "Bone Cancer Treatment Ontology"
    version: str = ""
    parents: dict[str, frozenset[str]] = field(default_factory=dict)  # told superclasses of every class, upper level too
    families: dict[str, Family] = field(default_factory=dict)  # the declared families, in families.tsv order
    documents: dict[str, str] = field(default_factory=dict)  # source id -> its document's title

    def citation_text(self, sources: tuple[Citation, ...]) -> str:
        """Sources as 'Document — Section' joined by '; ' (the same wording in every export)."""
        return "; ".join(f"{self.documents.get(c.source, c.source)} — {c.section}" for c in sources)
