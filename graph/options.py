"""The viewer's "Explore options" panel: the explorer's model as page data (the panel's script reads it offline).

The page script (templates/options.js) applies the same reading rules as bcto.ontology.options to the boxes a
reader ticks; tests/test_viewer_options.py checks the two agree on the documents' scenarios.
"""

from __future__ import annotations

from bcto.ontology.hierarchy import ancestors
from bcto.ontology.model import Citation, Curation, Passage
from bcto.ontology.options import GROUPS, NOTICE, connected
from bcto.ontology.vocabulary import STRENGTHS


def _sources(curation: Curation, passages: tuple[Passage, ...], citations: tuple[Citation, ...]) -> list[list[str]]:
    if passages:
        return [[curation.sources[p.source].title, p.pointer, curation.sources[p.source].url] for p in passages]
    return [[curation.sources[c.source].title, c.section, curation.sources[c.source].url] for c in citations]


def panel_data(curation: Curation) -> dict[str, object]:
    """Conditions with what connects activities to them, every criterion, and the facts a reader can tick."""
    parents = {t.id: t.parents for t in curation.terms.values()}
    labels = {t.id: t.label for t in curation.terms.values()}
    conditions = sorted(
        (t for t in curation.terms.values() if t.family == "MedicalCondition"), key=lambda t: (t.label.casefold(), t.id)
    )
    connections: dict[str, list[list[str]]] = {}
    reached = connected(curation, [t.id for t in conditions])
    for term in conditions:
        found = reached[term.id]
        if found:
            connections[term.id] = [
                [a, " ".join(p if i % 2 else labels.get(p, p) for i, p in enumerate(path))] for a, path in sorted(found.items())
            ]
    criteria = {
        c.id: {
            "label": c.label,
            "activity": c.activity,
            "direction": c.direction,
            "strength": STRENGTHS[c.strength].label,
            "frequency": c.qualifiers.frequency,
            "factor": c.factor,
            "values": list(c.values),
            "threshold": [c.threshold.comparator, c.threshold.number, c.threshold.unit] if c.threshold else None,
            "condition": c.condition,
            "scope": c.scope,
            "scopeTerms": list(c.scope_terms),
            "sources": _sources(curation, c.qualifiers.passages, c.citations),
        }
        for c in sorted(curation.criteria.values(), key=lambda c: c.id)
    }
    factors: list[dict[str, object]] = []
    for factor in sorted({c.factor for c in curation.criteria.values()}, key=lambda f: labels[f].casefold()):
        mine = [c for c in curation.criteria.values() if c.factor == factor]
        values = sorted({v for c in mine for v in c.values}, key=lambda v: labels[v].casefold())
        units = sorted({c.threshold.unit for c in mine if c.threshold})
        if values or units:
            factors.append({"id": factor, "label": labels[factor], "values": values, "unit": units[0] if units else None})
    scope = sorted({t for c in curation.criteria.values() for t in c.scope_terms}, key=lambda t: labels[t].casefold())
    used = {t.id for t in conditions} | {v for c in curation.criteria.values() for v in c.values} | set(scope)
    used |= (
        {a for rows in connections.values() for a, _ in rows}
        | {c.activity for c in curation.criteria.values()}
        | {c.factor for c in curation.criteria.values()}
    )
    return {
        "notice": NOTICE,
        "groups": list(GROUPS),
        "conditions": [t.id for t in conditions if t.id in connections],
        "connections": connections,
        "criteria": criteria,
        "factors": factors,
        "scopeTerms": scope,
        "terms": {t: {"label": labels[t], "up": sorted({t} | ancestors(parents, t))} for t in sorted(used)},
    }
