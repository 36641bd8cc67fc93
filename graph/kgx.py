"""The knowledge graph as KGX node and edge tables with Biolink categories and predicates.

Biolink has no exact counterpart for several BCTO properties; those map to the nearest honest
Biolink predicate (often biolink:related_to) and keep the BCTO property in original_predicate,
so nothing is lost and nothing is overstated.
"""

from __future__ import annotations

from collections.abc import Iterable

from bcto.ontology.compile import criterion_definition, edges, position_peers, section_iri, step_definition
from bcto.ontology.model import Citation, Curation, statement_id
from bcto.ontology.vocabulary import BCTO

INFORES = "infores:bcto"
BIOLINK_VERSION = "4.4.4"

# BCTO property -> (Biolink predicate, whether subject and object swap). Unlisted properties map to related_to.
PREDICATES: dict[str, tuple[str, bool]] = {
    "hasTreatmentOption": ("biolink:applied_to_treat", True),
    "hasPossibleSideEffect": ("biolink:has_side_effect", False),
    "hasSymptom": ("biolink:has_phenotype", False),
    "canOccurIn": ("biolink:disease_has_location", False),
    "canSpreadTo": ("biolink:disease_has_location", False),
    "canCause": ("biolink:causes", False),
    "hasComponent": ("biolink:has_part", False),
    "canReduceRiskOf": ("biolink:preventative_for_condition", False),
    "canRelieve": ("biolink:ameliorates_condition", False),
    "canBeFollowedBy": ("biolink:precedes", False),
    "isPartOf": ("biolink:part_of", False),
    "isStepOf": ("biolink:part_of", False),
    "precedes": ("biolink:precedes", False),
}
SUBCLASS = "biolink:subclass_of"
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
)


def _curie(local: str) -> str:
    return f"bcto:{local}"


def _cell(values: Iterable[str] | str) -> str:
    """KGX TSV multi-values are '|'-separated; tabs and line breaks would break the table."""
    parts = [values] if isinstance(values, str) else list(values)
    return "|".join(" ".join(p.split()) for p in parts if p)


def _sections(citations: Iterable[Citation]) -> list[str]:
    return sorted({str(section_iri(c)) for c in citations})


def _nodes(curation: Curation) -> list[tuple[str, ...]]:
    xrefs: dict[str, list[str]] = {}
    for m in curation.mappings:
        xrefs.setdefault(m.subject, []).append(m.object)
    rows = []
    for t in curation.terms.values():
        rows.append(
            (
                _curie(t.id),
                curation.families[t.family].biolink_category,
                t.label,
                t.definition,
                _cell([*t.synonyms, *t.lay_terms]),
                _cell(sorted(xrefs.get(t.id, []))),
                str(BCTO[t.id]),
                INFORES,
                _cell(_sections(t.citations)),
            )
        )
    for c in curation.criteria.values():
        rows.append(
            (
                _curie(c.id),
                curation.families["DecisionCriterion"].biolink_category,
                c.label,
                criterion_definition(c, curation),
                "",
                "",
                str(BCTO[c.id]),
                INFORES,
                _cell(_sections(c.citations)),
            )
        )
    peers = position_peers(curation)
    for s in curation.steps:
        name = f"{curation.terms[s.pathway].label}, step {s.number}: {curation.terms[s.activity].label}"
        rows.append(
            (
                _curie(s.id),
                curation.families["PathwayStep"].biolink_category,
                name,
                step_definition(s, curation, peers[s.id]),
                "",
                "",
                str(BCTO[s.id]),
                INFORES,
                _cell(_sections(s.citations)),
            )
        )
    return sorted(rows)


def biolink_predicate(predicate: str) -> tuple[str, bool]:
    return PREDICATES.get(predicate, (RELATED, False))


def _edges(curation: Curation) -> list[tuple[str, ...]]:
    rows = []
    for (subject, predicate, obj), citations, q in edges(curation):
        biolink, swap = biolink_predicate(predicate)
        s, o = (obj, subject) if swap else (subject, obj)
        key = statement_id(subject, predicate, obj)
        rows.append(
            (
                f"bcto:edge-{key}",
                _curie(s),
                biolink,
                _curie(o),
                "biolink:Association",
                _curie(predicate),
                INFORES,
                "knowledge_assertion",
                "manual_agent",
                _cell(_sections(citations)),
                q.frequency,
                _cell(q.context),
                _curie(q.conflict) if q.conflict else "",
            )
        )
    for t in curation.terms.values():
        for parent in t.parents:
            if parent in curation.terms:  # links to our top classes add nothing a category does not say
                key = statement_id(t.id, "subClassOf", parent)
                rows.append(
                    (
                        f"bcto:edge-{key}",
                        _curie(t.id),
                        SUBCLASS,
                        _curie(parent),
                        "biolink:Association",
                        "rdfs:subClassOf",
                        INFORES,
                        "knowledge_assertion",
                        "manual_agent",
                        _cell(_sections(t.citations)),
                        "",
                        "",
                        "",
                    )
                )
    return sorted(rows)


def _table(columns: tuple[str, ...], rows: list[tuple[str, ...]]) -> bytes:
    return ("\t".join(columns) + "\n" + "".join("\t".join(r) + "\n" for r in rows)).encode("utf-8")


def kgx_files(curation: Curation) -> dict[str, bytes]:
    return {
        "bcto-kgx-nodes.tsv": _table(NODE_COLUMNS, _nodes(curation)),
        "bcto-kgx-edges.tsv": _table(EDGE_COLUMNS, _edges(curation)),
    }
