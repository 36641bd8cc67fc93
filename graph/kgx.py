"""The knowledge graph as KGX node and edge tables with Biolink categories and predicates.

Each BCTO property maps to the most specific Biolink predicate whose definition, direction and domain/range fit it
(swapping subject and object where Biolink's canonical direction is the other way); the few with no honest
counterpart (aims, goals, "can be done together with") stay biolink:related_to. Every edge keeps the BCTO property
in original_predicate. An edge between two BCTO classes says what the class-level statement says: that it can
hold, not that it always does (frequency and context travel in their own columns).
"""

from __future__ import annotations

from collections.abc import Iterable

from bcto.graph.model import SUBCLASS, GraphData, Link, Node
from bcto.ontology.compile import section_iri
from bcto.ontology.model import Citation, statement_id
from bcto.ontology.vocabulary import BCTO

INFORES = "infores:bcto"
BIOLINK_VERSION = "4.4.4"

# BCTO property -> (Biolink predicate, whether subject and object swap). Unlisted properties map to related_to.
PREDICATES: dict[str, tuple[str, bool]] = {
    "hasTreatmentOption": ("biolink:applied_to_treat", True),
    "isPathwayFor": ("biolink:applied_to_treat", False),  # a pathway of activities used to treat the condition
    "hasPossibleSideEffect": ("biolink:has_side_effect", False),
    "hasSymptom": ("biolink:has_phenotype", False),
    "canOccurIn": ("biolink:disease_has_location", False),
    "canSpreadTo": ("biolink:disease_has_location", False),
    "canCause": ("biolink:causes", False),
    "canOriginateFrom": ("biolink:causes", True),  # the primary cancer, spreading, brings about the secondary one
    "hasComponent": ("biolink:has_part", False),
    "hasStepActivity": ("biolink:has_part", False),  # the step consists in carrying out the activity
    "canReduceRiskOf": ("biolink:preventative_for_condition", False),
    "canRelieve": ("biolink:ameliorates_condition", False),
    "canBeFollowedBy": ("biolink:precedes", False),
    "isPartOf": ("biolink:part_of", False),
    "isStepOf": ("biolink:part_of", False),
    "precedes": ("biolink:precedes", False),
    "canBeAppliedTo": ("biolink:occurs_in", False),  # "a process and a site within which it occurs"
    "canUse": ("biolink:has_input", False),  # "a process and a continuant that is an input into it"
    "canBeDeliveredBy": ("biolink:has_participant", False),  # "a process and a continuant somehow involved in it"
    "canShow": ("biolink:diagnoses", False),  # only to a disease or phenotype (Biolink's range): see RANGES
    # A criterion is an information content entity that refers to its factor and to the activity it bears on; its
    # direction and strength are node annotations in the ontology; the edge kind stays in original_predicate.
    "concernsFactor": ("biolink:mentions", False),
    "isCriterionFor": ("biolink:mentions", False),
    "hasConditionValue": ("biolink:mentions", False),  # the factor value the criterion's condition names
    "hasScope": ("biolink:mentions", False),  # the situation the criterion is limited to
    "isRequiredFor": ("biolink:mentions", False),
    "isIndicationFor": ("biolink:mentions", False),
    "favours": ("biolink:mentions", False),
    "arguesAgainst": ("biolink:mentions", False),
    "rulesOut": ("biolink:mentions", False),
    "isConsideredFor": ("biolink:mentions", False),
}
# Biolink predicates whose range excludes some BCTO objects: to any other object the edge stays related_to
# (a test reveals a decision factor such as tumour size; it does not diagnose it).
RANGES: dict[str, frozenset[str]] = {"biolink:diagnoses": frozenset({"biolink:Disease", "biolink:PhenotypicFeature"})}
SUBCLASS_OF = "biolink:subclass_of"
RELATED = "biolink:related_to"

NODE_COLUMNS = ("id", "category", "name", "description", "synonym", "xref", "iri", "provided_by", "supporting_documents")
EDGE_COLUMNS = (
    "id",
    "subject",
    "predicate",
    "object",
    "category",
    "original_predicate",
    "primary_knowledge_source",
    "knowledge_level",
    "agent_type",
    "supporting_documents",
    "bcto_frequency",
    "bcto_context",
    "bcto_conflict",
    "bcto_direction",
    "bcto_strength",
    "bcto_passage",
    "bcto_evidence",
)


def _curie(local: str) -> str:
    return f"bcto:{local}"


def _cell(values: Iterable[str] | str) -> str:
    """KGX TSV multi-values are '|'-separated; tabs and line breaks would break the table."""
    parts = [values] if isinstance(values, str) else list(values)
    return "|".join(" ".join(p.split()) for p in parts if p)


def _sections(citations: Iterable[Citation]) -> list[str]:
    return sorted({str(section_iri(c)) for c in citations})


def _category(data: GraphData, node: str) -> str:
    """The Biolink category of the node's family (families.tsv)."""
    return data.families[data.terms[node].family].biolink_category


def _node(data: GraphData, n: Node) -> tuple[str, ...]:
    names = _cell([*n.synonyms, *n.lay_terms])
    xrefs, sections = _cell(sorted(m.target for m in n.mappings)), _cell(_sections(n.sources))
    return (_curie(n.id), _category(data, n.id), n.label, n.definition, names, xrefs, str(BCTO[n.id]), INFORES, sections)


def biolink_predicate(predicate: str, object_category: str) -> tuple[str, bool]:
    biolink, swap = PREDICATES.get(predicate, (RELATED, False))
    if biolink in RANGES and object_category not in RANGES[biolink]:
        return RELATED, False
    return biolink, swap


def _edge(data: GraphData, link: Link) -> tuple[str, ...]:
    """A curated statement, or a told is-a link (which the term's own sources say, and which has no qualifiers)."""
    key = f"bcto:edge-{statement_id(link.subject, link.predicate, link.object)}"
    provenance = (INFORES, "knowledge_assertion", "manual_agent")
    if link.predicate == SUBCLASS:
        sources = _sections(data.terms[link.subject].sources)
        ends = (_curie(link.subject), SUBCLASS_OF, _curie(link.object), "biolink:Association", "rdfs:subClassOf")
        return (key, *ends, *provenance, _cell(sources), *([""] * 7))
    biolink, swap = biolink_predicate(link.predicate, _category(data, link.object))
    s, o = (link.object, link.subject) if swap else (link.subject, link.object)
    # a criterion's direction and the source's strength word go on its edge to the activity it bears on
    decision = (link.direction, link.strength) if link.predicate == "isCriterionFor" else ("", "")
    q = link.qualifiers
    return (
        key,
        *(_curie(s), biolink, _curie(o), "biolink:Association", _curie(link.predicate)),
        *provenance,
        _cell(_sections(link.sources)),
        q.frequency,
        _cell(q.context),
        _curie(q.conflict) if q.conflict else "",
        *decision,
        _cell([p.cell for p in q.passages]),
        q.evidence,
    )


def _table(columns: tuple[str, ...], rows: list[tuple[str, ...]]) -> bytes:
    return ("\t".join(columns) + "\n" + "".join("\t".join(r) + "\n" for r in rows)).encode("utf-8")


def kgx_files(data: GraphData) -> dict[str, bytes]:
    """The node and edge tables of the graph every export reads; KGX holds what is asserted, not what HermiT adds."""
    return {
        "bcto-kgx-nodes.tsv": _table(NODE_COLUMNS, sorted(_node(data, n) for n in data.terms.values())),
        "bcto-kgx-edges.tsv": _table(EDGE_COLUMNS, sorted(_edge(data, link) for link in data.links if not link.inferred)),
    }
