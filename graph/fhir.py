"""The pathways and criteria as HL7 CPG-on-FHIR (R4): one transaction Bundle, written as plain JSON objects.

Each pathway is a CPGPathwayDefinition whose one action points at a CPGStrategyDefinition holding the steps
(the pathway profile forbids relatedAction); a step comes after every step at the previous position
(`after-end`), steps that share a position get no relation. Each step and each criterion is a
CPGRecommendationDefinition (an eca-rule) whose action points at the activity's CPGComputableActivity; each
decision factor is a CPGCaseFeatureDefinition. Every resource carries the statement id (criterion id, step id)
and the sentences it rests on (document, section, sentence, passage cell). The tests parse the bundle with
fhir.resources' typed R4B models (for these resources R4B and R4 share their elements) and validate it with
FHIR.js (R4); building through those models cost the build 1.3 s of its ~3 s (their import and validation).
"""

from __future__ import annotations

from typing import Any

from bcto import __version__
from bcto.graph.indented_json import indented_json
from bcto.ontology.model import Criterion, Curation, Passage, Step
from bcto.ontology.vocabulary import BCTO, STRENGTHS

BASE = "https://w3id.org/bcto/fhir/"
TERMS = str(BCTO)  # the code system of BCTO's own terms: system https://w3id.org/bcto/, code the local id
STATEMENT = "https://w3id.org/bcto/statement"  # identifier system: the id of the statement a resource encodes
STRENGTH_SYSTEM = TERMS  # the strength scale's individuals (bcto:MayBeOffered...) are BCTO terms too

# The HL7 CPG IG (hl7.fhir.uv.cpg 2.0.0), verified in HL7/cqf-recommendations input/fsh (rules.fsh, aliases.fsh).
CPG = "http://hl7.org/fhir/uv/cpg/StructureDefinition/"
PATHWAY = CPG + "cpg-pathwaydefinition"
STRATEGY = CPG + "cpg-strategydefinition"
RECOMMENDATION = CPG + "cpg-recommendationdefinition"
CASE_FEATURE = CPG + "cpg-casefeaturedefinition"
ACTIVITY = CPG + "cpg-computableactivity"
DIRECTION_EXT = CPG + "cpg-directionOfRecommendation"
CASE_FEATURE_OF_EXT = CPG + "cpg-caseFeatureOf"
DIRECTION_SYSTEM = "http://hl7.org/fhir/uv/cpg/CodeSystem/cpg-recommendation-direction-cs"
PROCESS_SYSTEM = "http://hl7.org/fhir/uv/cpg/CodeSystem/cpg-common-process-cs"
STRENGTH_EXT = "http://hl7.org/fhir/StructureDefinition/cqf-strengthOfRecommendation"  # value binding: example
PLAN_TYPE = "http://terminology.hl7.org/CodeSystem/plan-definition-type"

# External code systems for an activity's exact matches: NCIt's HL7 system URI, else the OBO ontology's IRI.
CODE_SYSTEMS = {
    "NCIT": "http://ncicb.nci.nih.gov/xml/owl/EVS/Thesaurus.owl",
    "MAXO": "http://purl.obolibrary.org/obo/maxo.owl",
}
Resource = dict[str, Any]  # a FHIR resource as its JSON object
_BY_LOCAL = {s.local: word for word, s in STRENGTHS.items()}


def _url(kind: str, rid: str) -> str:
    return f"{BASE}{kind}/{rid}"


def _term(curation: Curation, tid: str) -> dict[str, str]:
    return {"system": TERMS, "code": tid, "display": curation.terms[tid].label}


def _artifacts(curation: Curation, passages: tuple[Passage, ...]) -> list[dict[str, Any]]:
    """Each passage as a documentation artifact: document, section and sentence, the cell in `citation`."""
    out = []
    for p in passages:
        source = curation.sources[p.source]
        item: dict[str, Any] = {"type": "documentation", "label": p.source, "display": f"{source.title}: {p.pointer}"}
        item["citation"] = p.cell
        if source.url:
            item["url"] = source.url
        out.append(item)
    return out


def _strength(word: str) -> dict[str, Any]:
    s = STRENGTHS[word]
    return {
        "url": STRENGTH_EXT,
        "valueCodeableConcept": {"coding": [{"system": STRENGTH_SYSTEM, "code": s.local, "display": s.label}], "text": s.label},
    }


def _direction(direction: str) -> list[dict[str, Any]]:
    """The CPG direction extension (for / against); a `considered` criterion has none (the code system has no such code)."""
    if direction not in ("for", "against"):
        return []
    code = {"system": DIRECTION_SYSTEM, "code": direction, "display": direction.capitalize()}
    return [{"url": DIRECTION_EXT, "valueCodeableConcept": {"coding": [code]}}]


def _common(curation: Curation, kind: str, rid: str, profile: str, statement: str, title: str) -> dict[str, Any]:
    return {
        "id": rid,
        "meta": {"profile": [profile]},
        "url": _url(kind, rid),
        "identifier": [{"system": STATEMENT, "value": statement}],
        "version": __version__,
        "name": rid,
        "title": title,
        "status": "draft",
        "experimental": False,
        "publisher": "BCTO (drawn from patient-information pages; informs, does not advise)",
    }


# ------------------------------------------------------------------ expressions over the case features


def _feature(factor: str) -> str:
    return f"%caseFeatures.where(code.coding.where(system = '{TERMS}' and code = '{factor}').exists())"


def _expression(c: Criterion) -> str:
    """FHIRPath over %caseFeatures (observations coded with the factor, valued with a BCTO term or a quantity)."""
    if c.threshold is not None:
        t = c.threshold
        quantity = f"{t.number} '{t.unit}'" if t.unit else t.number
        kind = "Quantity" if t.unit else "integer"
        return f"({_feature(c.factor)}.value as {kind}) {t.comparator} {quantity}"
    if c.values:
        codes = " | ".join(f"'{v}'" for v in c.values)
        return f"{_feature(c.factor)}.value.coding.where(system = '{TERMS}' and code in ({codes})).exists()"
    return f"{_feature(c.factor)}.exists()"


def _scope_expression(terms: tuple[str, ...]) -> str:
    return " and ".join(f"%caseFeatures.value.coding.where(system = '{TERMS}' and code = '{t}').exists()" for t in terms)


# ------------------------------------------------------------------ resources


def exact_codings(curation: Curation) -> dict[str, list[dict[str, str]]]:
    """Each term's exact matches in the code systems FHIR names, in CURIE order: one pass over the mappings
    for the whole bundle (once per activity, it made the bundle quadratic: minutes at 100x)."""
    found: dict[str, list[dict[str, str]]] = {}
    for m in sorted(curation.mappings, key=lambda m: m.object):
        prefix, _, local = m.object.partition(":")
        if m.predicate == "skos:exactMatch" and prefix in CODE_SYSTEMS:
            found.setdefault(m.subject, []).append({"system": CODE_SYSTEMS[prefix], "code": local, "display": m.object_label})
    return found


def activity_definition(curation: Curation, activity: str, codings: dict[str, list[dict[str, str]]]) -> Resource:
    term = curation.terms[activity]
    coded = [_term(curation, activity), *codings.get(activity, ())]
    data = _common(curation, "ActivityDefinition", activity, ACTIVITY, activity, term.label)
    data["description"] = term.definition
    data["relatedArtifact"] = [
        {"type": "documentation", "label": c.source, "display": f"{curation.sources[c.source].title}: {c.section}"}
        for c in term.citations
    ]
    data.update(kind="ServiceRequest", code={"coding": coded, "text": term.label})
    return {"resourceType": "ActivityDefinition", **data}


def case_feature(curation: Curation, factor: str, users: list[str]) -> Resource:
    term = curation.terms[factor]
    data = _common(curation, "StructureDefinition", factor, CASE_FEATURE, factor, term.label)
    data["extension"] = [{"url": CASE_FEATURE_OF_EXT, "valueCanonical": _url("PlanDefinition", u)} for u in users]
    cited = "; ".join(f"{curation.sources[c.source].title}: {c.section}" for c in term.citations)
    data.update(
        description=term.definition,
        purpose=f"Named by: {cited}",
        kind="resource",
        abstract=False,
        type="Observation",
        baseDefinition="http://hl7.org/fhir/StructureDefinition/Observation",
        derivation="constraint",
        differential={
            "element": [
                {"id": "Observation", "path": "Observation"},
                {
                    "id": "Observation.code",
                    "path": "Observation.code",
                    "patternCodeableConcept": {"coding": [_term(curation, factor)]},
                },
            ]
        },
    )
    return {"resourceType": "StructureDefinition", **data}


def recommendation(curation: Curation, c: Criterion) -> Resource:
    """A criterion as an event-condition-action rule: applicable when its condition (and its scope) holds."""
    conditions = [
        {
            "kind": "applicability",
            "expression": {"description": c.condition, "language": "text/fhirpath", "expression": _expression(c)},
        }
    ]
    if c.scope_terms:
        expression = {
            "description": f"scope: {c.scope}",
            "language": "text/fhirpath",
            "expression": _scope_expression(c.scope_terms),
        }
        conditions.append({"kind": "applicability", "expression": expression})
    filters: list[dict[str, Any]] = [{"path": "code", "code": [_term(curation, c.factor)]}]
    if c.values:
        filters.append({"path": "value", "code": [_term(curation, v) for v in c.values]})
    feature = {"type": "Observation", "profile": [_url("StructureDefinition", c.factor)], "codeFilter": filters}
    action = {
        "extension": [_strength(c.strength), *_direction(c.direction)],
        "title": c.label,
        "description": c.condition + (f" (in {c.scope})" if c.scope else ""),
        "documentation": _artifacts(curation, c.qualifiers.passages),
        "condition": conditions,
        "input": [feature],
        "definitionCanonical": _url("ActivityDefinition", c.activity),
    }
    data = _common(curation, "PlanDefinition", c.id, RECOMMENDATION, c.id, c.label)
    comment = " ".join(x for x in (c.qualifiers.context, c.qualifiers.comment) if x)
    data.update(
        type={"coding": [{"system": PLAN_TYPE, "code": "eca-rule"}]},
        description=f"{c.label}. {comment}".strip(),
        relatedArtifact=_artifacts(curation, c.qualifiers.passages),
        action=[action],
    )
    return {"resourceType": "PlanDefinition", **data}


def step_recommendation(curation: Curation, step: Step) -> Resource:
    """A pathway step as a rule whose action is its activity, with the step's own hedge or the pathway's."""
    own, pathway = step.hedge, curation.pathways[step.pathway]
    hedge = own if own is not None and own.strength else pathway
    label = f"{curation.terms[step.pathway].label}, step {step.number}: {curation.terms[step.activity].label}"
    action: dict[str, Any] = {
        "extension": [_strength(hedge.strength), *_direction("for")],
        "prefix": str(step.number),
        "title": curation.terms[step.activity].label,
        "description": step.qualifiers.context or curation.terms[step.activity].definition,
        "documentation": _artifacts(curation, step.qualifiers.passages),
        "definitionCanonical": _url("ActivityDefinition", step.activity),
    }
    data = _common(curation, "PlanDefinition", step.id, RECOMMENDATION, step.id, label)
    optional = (
        " Optional: the source hedges this step" + (f" ({own.frequency})." if own and own.frequency else ".")
        if step.optional
        else ""
    )
    data.update(
        type={"coding": [{"system": PLAN_TYPE, "code": "eca-rule"}]},
        description=label + "." + optional,
        relatedArtifact=_artifacts(curation, step.qualifiers.passages),
        action=[action],
    )
    return {"resourceType": "PlanDefinition", **data}


def strategy(curation: Curation, pathway: str, steps: list[Step]) -> Resource:
    """The pathway's steps as strategy actions: `after-end` every step at the previous position, nothing else."""
    actions = []
    for step in steps:
        before = [s for s in steps if s.order == step.order - 1]
        action: dict[str, Any] = {
            "id": step.id,
            "prefix": str(step.number),
            "title": curation.terms[step.activity].label,
            "description": step.qualifiers.context or curation.terms[step.activity].definition,
            "code": [{"coding": [{"system": PROCESS_SYSTEM, "code": "guideline-based-care", "display": "Guideline-based Care"}]}],
            "definitionCanonical": _url("PlanDefinition", step.id),
        }
        if before:
            action["relatedAction"] = [{"actionId": s.id, "relationship": "after-end"} for s in before]
        actions.append(action)
    rid = f"{pathway}Strategy"
    data = _common(curation, "PlanDefinition", rid, STRATEGY, pathway, f"{curation.terms[pathway].label}: steps")
    data.update(
        type={"coding": [{"system": PLAN_TYPE, "code": "workflow-definition"}]},
        description=curation.terms[pathway].definition,
        action=actions,
    )
    return {"resourceType": "PlanDefinition", **data}


def pathway_definition(curation: Curation, pathway: str) -> Resource:
    term, hedge = curation.terms[pathway], curation.pathways[pathway]
    action = {
        "extension": [_strength(hedge.strength)],
        "title": term.label,
        "description": term.definition,
        "code": [{"coding": [{"system": PROCESS_SYSTEM, "code": "guideline-based-care", "display": "Guideline-based Care"}]}],
        "definitionCanonical": _url("PlanDefinition", f"{pathway}Strategy"),
    }
    data = _common(curation, "PlanDefinition", pathway, PATHWAY, pathway, term.label)
    frequency = f" ({hedge.frequency})" if hedge.frequency else ""
    data.update(
        type={"coding": [{"system": PLAN_TYPE, "code": "clinical-protocol"}]},
        description=term.definition + frequency,
        relatedArtifact=[
            {"type": "documentation", "label": c.source, "display": f"{curation.sources[c.source].title}: {c.section}"}
            for c in term.citations
        ],
        action=[action],
    )
    return {"resourceType": "PlanDefinition", **data}


def resources(curation: Curation) -> list[Resource]:
    """Every resource, in a fixed order: activities, case features, criteria, then each pathway with its parts."""
    criteria = sorted(curation.criteria.values(), key=lambda c: c.id)
    by_pathway: dict[str, list[Step]] = {}
    for step in sorted(curation.steps, key=lambda s: (s.pathway, s.number)):
        by_pathway.setdefault(step.pathway, []).append(step)
    activities = sorted({c.activity for c in criteria} | {s.activity for s in curation.steps})
    codings = exact_codings(curation)
    out: list[Resource] = [activity_definition(curation, a, codings) for a in activities]
    for factor in sorted({c.factor for c in criteria}):
        out.append(case_feature(curation, factor, [c.id for c in criteria if c.factor == factor]))
    out += [recommendation(curation, c) for c in criteria]
    for pathway in sorted(by_pathway):
        out.append(pathway_definition(curation, pathway))
        out.append(strategy(curation, pathway, by_pathway[pathway]))
        out += [step_recommendation(curation, s) for s in by_pathway[pathway]]
    return out


def bundle(curation: Curation) -> Resource:
    """A transaction Bundle (PUT each resource by id), so `POST` to a server's base loads it whole."""
    entries = [
        {"fullUrl": r["url"], "resource": r, "request": {"method": "PUT", "url": f"{r['resourceType']}/{r['id']}"}}
        for r in resources(curation)
    ]
    return {"resourceType": "Bundle", "id": "bcto-fhir-bundle", "type": "transaction", "entry": entries}


def bundle_json(curation: Curation) -> bytes:
    """The bundle as JSON, byte-identical for the same curation (no timestamps; fixed order; sorted nothing else)."""
    return (indented_json(bundle(curation), indent=1) + "\n").encode("utf-8")


def strength_word(local: str) -> str:
    """The table word of a strength individual's local name (for reading a bundle back)."""
    return _BY_LOCAL[local]
