"""`bcto path`: the shortest meaningful connections between two terms, each step with its source."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from itertools import islice, pairwise

import networkx as nx

from bcto.graph.model import SUBCLASS, GraphData, Link
from bcto.graph.network import walkable


class UnknownTerm(LookupError):
    """A name matched no term, or several; the message says which and what was meant."""


def resolve(data: GraphData, text: str) -> str:
    """A term id from an id, a label, a synonym or a lay term (case-insensitive)."""
    if text in data.terms:
        return text
    wanted = text.strip().casefold()
    for names in (lambda t: (t.id.casefold(), t.label.casefold()), lambda t: (n.casefold() for n in t.names)):
        found = sorted(t.id for t in data.terms.values() if wanted in names(t))
        if len(found) == 1:
            return found[0]
        if found:
            options = ", ".join(f"{tid} ({data.terms[tid].label})" for tid in found)
            raise UnknownTerm(f"'{text}' names several terms: {options}; give the id instead")
    spelled = {n.casefold(): n for t in data.terms.values() for n in (t.id, *t.names)}
    close = difflib.get_close_matches(wanted, sorted(spelled), n=5, cutoff=0.6)
    hint = (
        ("; did you mean " + ", ".join(f"'{spelled[c]}'" for c in close) + "?")
        if close
        else "; try `bcto stats` for the best-connected terms, or search the viewer"
    )
    raise UnknownTerm(f"no term is called '{text}'{hint}")


@dataclass(frozen=True)
class Hop:
    """One hop of a route: the links between two neighbouring terms, read in their true direction."""

    start: str
    end: str
    links: tuple[Link, ...]


# Families whose links tell how a condition is treated and what follows: a route through them reads as
# clinical knowledge. A link touching any other family (sites, tests, devices, providers, criteria...) costs
# more, a test on the way more still, and a family's top class (a generic class) most.
CLINICAL = frozenset({"MedicalCondition", "ClinicalFinding", "Procedure", "Therapy", "ReconstructionTechnique", "TreatmentGoal"})
OTHER_LINK, TEST_TERM, GENERIC_TERM = 0.5, 0.5, 2.0


def _term_cost(data: GraphData, term: str) -> float:
    if term in data.families:
        return GENERIC_TERM
    return TEST_TERM if data.terms[term].family == "DiagnosticTest" else 0.0


def _hop_cost(data: GraphData, a: str, b: str) -> float:
    """1 for a link between clinical terms, more otherwise; half of each end's own cost (so that a term
    passed through counts once, and the two ends of a route add the same to every route)."""
    clinical = data.terms[a].family in CLINICAL and data.terms[b].family in CLINICAL
    return 1.0 + (0.0 if clinical else OTHER_LINK) + (_term_cost(data, a) + _term_cost(data, b)) / 2


def routes(data: GraphData, start: str, end: str, limit: int = 3) -> list[list[Hop]]:
    """Up to `limit` routes, cheapest first: short ones through clinical relations before those through
    tests, anatomy or generic classes; among equal costs, those through less connected terms.

    Direction is ignored when walking (a route may follow a link backwards) but kept when telling it.
    Inferred is-a links are not walked: they would shortcut every route through the hierarchy.
    """
    g = walkable(data)
    if start == end:
        return [[]]
    if not nx.has_path(g, start, end):
        return []
    for a, b, attributes in g.edges(data=True):
        attributes["cost"] = _hop_cost(data, a, b)
    hops = nx.shortest_path_length(g, start, end)
    candidates = [p for p in islice(nx.shortest_simple_paths(g, start, end, weight="cost"), 200) if len(p) <= hops + 2]
    cost = {tuple(p): nx.path_weight(g, p, "cost") for p in candidates}
    candidates.sort(key=lambda p: (cost[tuple(p)], sum(g.degree(n) for n in p[1:-1]), p))
    return [[Hop(a, b, tuple(g.edges[a, b]["links"])) for a, b in pairwise(path)] for path in candidates[:limit]]


def _sentence(data: GraphData, link: Link) -> str:
    q = link.qualifiers
    qualifiers = [f"frequency: {q.frequency}"] if q.frequency else []
    if q.conflict:
        qualifiers.append(f"sources disagree, see '{data.terms[q.conflict].label}'")
    text = f"{data.terms[link.subject].label} — {data.predicates[link.predicate].label} → {data.terms[link.object].label}"
    return text + (f"  ({'; '.join(qualifiers)})" if qualifiers else "")


def _source(data: GraphData, link: Link) -> str:
    if link.sources:
        return data.citation_text(link.sources)
    if link.predicate == SUBCLASS:
        term = data.terms[link.subject]
        cited = data.citation_text(term.sources)
        return f"the definition of '{term.label}'" + (f" ({cited})" if cited else "")
    return "no source recorded"


def describe(data: GraphData, start: str, end: str, found: list[list[Hop]]) -> str:
    """The routes as numbered statements, each followed by where it comes from."""
    a, b = data.terms[start].label, data.terms[end].label
    if not found:
        return f"No connection between '{a}' and '{b}' in the knowledge graph.\n"
    if found == [[]]:
        return f"'{a}' and '{b}' are the same term ({start}).\n"
    hops = min(len(route) for route in found)
    lines = [
        f"'{a}' ({start}) and '{b}' ({end}) are {hops} link{'s' if hops > 1 else ''} apart. "
        f"{'Best route' if len(found) == 1 else f'{len(found)} best routes'} (through clinical relations before tests, "
        "anatomy and generic classes):"
    ]
    for n, route in enumerate(found, start=1):
        lines.append("")
        names = " · ".join([data.terms[route[0].start].label] + [data.terms[s.end].label for s in route])
        lines.append(f"Route {n} ({len(route)} link{'s' if len(route) > 1 else ''}): {names}")
        for i, step in enumerate(route, start=1):
            for j, link in enumerate(step.links):
                lines.append(f"  {f'{i}.' if j == 0 else '  '} {_sentence(data, link)}")
                lines.append(f"       source: {_source(data, link)}")
                if link.qualifiers.context:
                    lines.append(f"       context: {link.qualifiers.context}")
    lines.append("")
    lines.append("BCTO is a knowledge resource drawn from patient-information pages, not medical advice.")
    return "\n".join(lines) + "\n"
