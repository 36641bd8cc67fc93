"""The knowledge graph as KGX node and edge tables with Biolink categories and predicates.

Each BCTO property maps to the most specific Biolink predicate whose definition, direction and domain/range fit it
(swapping subject and object where Biolink's canonical direction is the other way); the few with no honest
counterpart (aims, goals, "can be done together with") stay biolink:related_to. Every edge keeps the BCTO property
in original_predicate. An edge between two BCTO classes says what the class-level statement says: that it can
hold, not that it always does (frequency and context travel in their own columns).
"""

from __future__ import annotations

from collections.abc import Iterable

from bcto.ontology.compile import criterion_definition, edges, position_peers, section_iri, step_definition
from bcto.ontology.model import Citation, Curation, statement_id
from bcto.ontology.vocabulary import BCTO, STRENGTHS

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


def biolink_predicate(predicate: str, object_category: str) -> tuple[str, bool]:
    biolink, swap = PREDICATES.get(predicate, (RELATED, False))
    if biolink in RANGES and object_category not in RANGES[biolink]:
        return RELATED, False
    return biolink, swap


def _categories(curation: Curation) -> dict[str, str]:
    families = curation.families
    categories = {t.id: families[t.family].biolink_category for t in curation.terms.values()}
    categories |= {c: families["DecisionCriterion"].biolink_category for c in curation.criteria}
    categories |= {s.id: families["PathwayStep"].biolink_category for s in curation.steps}
    return categories


def _decision(curation: Curation, subject: str, predicate: str) -> tuple[str, str]:
    """A criterion's direction and the source's strength word, on its edge to the activity it bears on."""
    criterion = curation.criteria.get(subject) if predicate == "isCriterionFor" else None
    return (criterion.direction, STRENGTHS[criterion.strength].label) if criterion else ("", "")


def _edges(curation: Curation) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    categories = _categories(curation)
    for (subject, predicate, obj), citations, q in edges(curation):
        biolink, swap = biolink_predicate(predicate, categories[obj])
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
                *_decision(curation, subject, predicate),
                _cell([p.cell for p in q.passages]),
                q.evidence,
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
                        *([""] * 7),  # no qualifiers, decision, passage or evidence: the term's own sources say it
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
