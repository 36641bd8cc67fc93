"""What the sources say about each option for a situation: pure functions over the checked curation.

A situation is a condition plus given facts (terms, `factor: value`, or `factor > number unit`). For every
activity the sources connect to the condition, each criterion that bears on it is read against the facts:
met, not met, unknown, out of scope (its scope terms are not in the situation) or weighed (a `considered`
criterion: the source says only that the choice depends on the factor). Activities are grouped by the
direction of the met criteria said of them (criteria said of a broader activity are shown with the path, but
do not decide) and ordered by label within each group; nothing is scored or ranked.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from bcto.ontology.hierarchy import ancestors
from bcto.ontology.model import Criterion, Curation, Term, Threshold
from bcto.ontology.vocabulary import STRENGTHS

NOTICE = (
    "BCTO informs; it does not advise. Below is what five patient-information pages say about each option for "
    "the situation given, in their own strength words, with a source on every line. Options are not ranked or "
    "recommended; decisions belong to the patient and their care team."
)

# The groups, in the order they are shown.
SUPPORTED = "supported by a met criterion"
AGAINST = "argued against by a met criterion"
BOTH = "spoken of both ways by met criteria"
MENTIONED = "mentioned without a deciding criterion"
GROUPS = (SUPPORTED, AGAINST, BOTH, MENTIONED)

MET, NOT_MET, UNKNOWN, OUT_OF_SCOPE, WEIGHED = "met", "not met", "unknown", "out of scope", "weighed"

_UNIT_WORDS = {
    "year": "year",
    "years": "year",
    "yr": "year",
    "month": "month",
    "months": "month",
    "week": "week",
    "weeks": "week",
    "day": "day",
    "days": "day",
    "%": "%",
    "percent": "%",
    "per cent": "%",
}
_FACT = re.compile(r"^(?P<factor>.+?)\s*(?P<op><=|>=|<|>|=|:)\s*(?P<rest>.+)$")
_QUANTITY = re.compile(r"^(?P<op><=|>=|<|>|=)?\s*(?P<number>\d+(?:\.\d+)?)\s*(?P<unit>[a-z%][a-z% ]*)?$", re.IGNORECASE)


class SituationError(ValueError):
    """A condition or fact that names no term (or several); the message says how to fix it."""


class GivenFact(NamedTuple):
    """One given fact, as read: a term, a factor's value, or a factor's quantity."""

    text: str  # as the user gave it
    term: str = ""  # the term it names (a value, a finding, a condition, a site...)
    factor: str = ""  # the factor it is a value of, when the user named one
    comparator: str = ""  # for a quantity: one of < <= = >= >
    number: Decimal | None = None
    unit: str = ""
    note: str = ""  # how a loose word was read, shown to the user


class CriterionReading(NamedTuple):
    """One criterion read against the situation."""

    criterion: Criterion
    via: tuple[str, ...]  # activity ids from the option up to the criterion's activity (empty when direct)
    status: str  # MET, NOT_MET, UNKNOWN, OUT_OF_SCOPE or WEIGHED
    reason: str
    facts: tuple[str, ...] = ()  # the given facts (as typed) it used


class Option(NamedTuple):
    activity: str
    path: tuple[str, ...]  # term ids and relation words, from the condition (or a given fact) to the activity
    readings: tuple[CriterionReading, ...]
    group: str


@dataclass(frozen=True)
class Answer:
    condition: str
    facts: tuple[GivenFact, ...]
    options: tuple[Option, ...]  # grouped (GROUPS order), by label within each group
    unused: tuple[str, ...]  # given facts no criterion uses
    notice: str = NOTICE
    labels: dict[str, str] = field(default_factory=dict)


# ------------------------------------------------------------------ names


def _names(term: Term) -> tuple[str, ...]:
    return (term.id, term.label, *term.synonyms, *term.lay_terms)


def _key(text: str) -> str:
    return " ".join(text.casefold().replace("-", " ").split())


def resolve(curation: Curation, text: str) -> str:
    """The term a name, label, synonym or lay word stands for; SituationError when it names none or several."""
    wanted = _key(text)
    found = sorted({t.id for t in curation.terms.values() if any(_key(n) == wanted for n in _names(t))})
    if not found:  # an id written as words: "cortical involvement" for CorticalInvolvement
        found = sorted(t.id for t in curation.terms.values() if _key(t.id) == wanted.replace(" ", ""))
    if len(found) == 1:
        return found[0]
    if found:
        raise SituationError(f"{text!r} names several terms: {', '.join(found)}; give one of these ids instead")
    close = sorted(t.id for t in curation.terms.values() if any(wanted in _key(n) for n in _names(t)))[:6]
    hint = f"; did you mean {', '.join(close)}?" if close else "; use a term id, label, synonym or lay word"
    raise SituationError(f"{text!r} names no BCTO term{hint}")


def _factor_values(curation: Curation, factor: str) -> set[str]:
    return {v for c in curation.criteria.values() if c.factor == factor for v in c.values}


def _loose_value(curation: Curation, factor: str, text: str) -> tuple[str, str]:
    """A value of `factor` whose names or definition use the given word(s); the note says how it was read."""
    words = re.compile(r"\b" + re.escape(_key(text)) + r"\b")
    candidates = sorted(
        v
        for v in _factor_values(curation, factor)
        if v in curation.terms and words.search(_key(" ".join((*_names(curation.terms[v]), curation.terms[v].definition))))
    )
    if len(candidates) != 1:
        known = ", ".join(sorted(curation.terms[v].label for v in _factor_values(curation, factor) if v in curation.terms))
        raise SituationError(
            f"{text!r} is not a value BCTO knows for {curation.terms[factor].label}"
            + (f"; its criteria name: {known}" if known else "; no criterion names a value for it")
        )
    value = curation.terms[candidates[0]]
    return value.id, f"read {text!r} as {value.label!r} (its definition: {value.definition})"


def read_fact(curation: Curation, text: str) -> GivenFact:
    """A given fact: a term's name; `factor: value`; or `factor OP number unit` (`cortical involvement > 50%`)."""
    try:
        return GivenFact(text, term=resolve(curation, text))
    except SituationError as whole:
        parts = _FACT.match(text.strip())
        if parts is None:
            raise whole from None
    factor = resolve(curation, parts["factor"])
    if curation.terms[factor].family != "DecisionFactor":
        raise SituationError(f"{parts['factor']!r} in {text!r} is not a decision factor; write `factor: value`")
    op, rest = parts["op"], parts["rest"].strip()
    quantity = _QUANTITY.match(rest)
    if quantity is not None:
        unit_text = (quantity["unit"] or "").strip().casefold()
        if unit_text and unit_text not in _UNIT_WORDS:
            raise SituationError(f"unit {unit_text!r} in {text!r}: use one of year, month, week, day, %, or none for a count")
        comparator = quantity["op"] or ("=" if op == ":" else op)
        if op != ":" and quantity["op"]:
            raise SituationError(f"{text!r} has two comparators; write `{parts['factor']} > 50%`")
        try:
            number = Decimal(quantity["number"])
        except InvalidOperation:  # pragma: no cover - the pattern admits only digits
            raise SituationError(f"{quantity['number']!r} in {text!r} is not a number") from None
        return GivenFact(text, factor=factor, comparator=comparator, number=number, unit=_UNIT_WORDS.get(unit_text, ""))
    if op != ":":
        raise SituationError(f"{rest!r} in {text!r} is not a number; write `factor: value` for a value")
    try:
        return GivenFact(text, term=resolve(curation, rest), factor=factor)
    except SituationError:
        value, note = _loose_value(curation, factor, rest)
        return GivenFact(text, term=value, factor=factor, note=note)


# ------------------------------------------------------------------ hierarchy


def _parents(curation: Curation) -> dict[str, tuple[str, ...]]:
    return {t.id: t.parents for t in curation.terms.values()}


def _chain(parents: dict[str, tuple[str, ...]], start: str, goal: str) -> tuple[str, ...]:
    """The shortest parent chain from start to goal (both included), deterministic; () when goal is not above start."""
    back: dict[str, str] = {start: ""}
    todo = deque([start])
    while todo:
        node = todo.popleft()
        if node == goal:
            path = [node]
            while back[path[-1]]:
                path.append(back[path[-1]])
            return tuple(reversed(path))
        for parent in sorted(parents.get(node, ())):
            if parent not in back:
                back[parent] = node
                todo.append(parent)
    return ()


def _up(parents: dict[str, tuple[str, ...]], node: str) -> set[str]:
    return {node} | ancestors(parents, node)


# ------------------------------------------------------------------ reading criteria

_Interval = tuple[Decimal | None, bool, Decimal | None, bool]  # low, low included, high, high included


def _interval(comparator: str, number: Decimal) -> _Interval:
    return {
        "<": (None, False, number, False),
        "<=": (None, False, number, True),
        "=": (number, True, number, True),
        ">=": (number, True, None, False),
        ">": (number, False, None, False),
    }[comparator]


def _inside(a: _Interval, b: _Interval) -> bool:
    """Every number in a lies in b."""
    low_ok = b[0] is None or (a[0] is not None and (a[0] > b[0] or (a[0] == b[0] and (b[1] or not a[1]))))
    high_ok = b[2] is None or (a[2] is not None and (a[2] < b[2] or (a[2] == b[2] and (b[3] or not a[3]))))
    return low_ok and high_ok


def _apart(a: _Interval, b: _Interval) -> bool:
    """No number lies in both."""

    def below(x: _Interval, y: _Interval) -> bool:  # x ends before y starts
        if x[2] is None or y[0] is None:
            return False
        return x[2] < y[0] or (x[2] == y[0] and not (x[3] and y[1]))

    return below(a, b) or below(b, a)


def _threshold_status(threshold: Threshold, fact: GivenFact) -> tuple[str, str]:
    assert fact.number is not None
    given = f"{fact.comparator} {fact.number}{(' ' + fact.unit) if fact.unit else ''}"
    if fact.unit != threshold.unit:
        return UNKNOWN, f"given {given!r}, the criterion counts in {threshold.unit or 'a plain number'}; not converted"
    mine = _interval(fact.comparator, fact.number)
    theirs = _interval(threshold.comparator, Decimal(threshold.number))
    if _inside(mine, theirs):
        return MET, f"given {given}, within {threshold}"
    if _apart(mine, theirs):
        return NOT_MET, f"given {given}, outside {threshold}"
    return UNKNOWN, f"given {given} may or may not be {threshold}"


class _Situation(NamedTuple):
    curation: Curation
    parents: dict[str, tuple[str, ...]]
    closure: frozenset[str]  # the condition, the given terms and everything above them
    facts: tuple[GivenFact, ...]  # the condition (as an implicit fact) first, then the given facts
    labels: dict[str, str]

    def label(self, term: str) -> str:
        return self.labels.get(term, term)


def _of_factor(s: _Situation, factor: str, term: str) -> bool:
    """Whether a term is a value of the factor: it, or something above or below it, is one its criteria name."""
    up = _up(s.parents, term)
    return any(v in up or term in _up(s.parents, v) for v in _factor_values(s.curation, factor))


def _read(s: _Situation, c: Criterion, via: tuple[str, ...]) -> CriterionReading:
    missing = [t for t in c.scope_terms if t not in s.closure]
    if missing:
        return CriterionReading(
            c, via, OUT_OF_SCOPE, f"applies to {c.scope}; the situation does not include {', '.join(s.label(t) for t in missing)}"
        )
    scope_facts = tuple(f.text for f in s.facts[1:] if f.term and set(c.scope_terms) & _up(s.parents, f.term))
    factor = s.label(c.factor)
    if c.direction == "considered":
        given = [f for f in s.facts if f.factor == c.factor or (f.term and not f.factor and _of_factor(s, c.factor, f.term))]
        if given:
            shown = ", ".join(f.text for f in given)
            return CriterionReading(
                c, via, WEIGHED, f"the choice depends on {factor}; given: {shown}", scope_facts + _texts(s, given)
            )
        return CriterionReading(c, via, WEIGHED, f"the choice depends on {factor}, which is not given", scope_facts)
    if c.threshold is not None:
        quantities = [f for f in s.facts if f.factor == c.factor and f.number is not None]
        if not quantities:
            return CriterionReading(c, via, UNKNOWN, f"{factor} not given (needs {c.threshold})", scope_facts)
        status, why = _threshold_status(c.threshold, quantities[0])
        return CriterionReading(c, via, status, why, (*scope_facts, quantities[0].text))
    values = set(c.values)
    named = [f for f in s.facts if f.term and (f.factor == c.factor or (not f.factor and _of_factor(s, c.factor, f.term)))]
    wanted = " or ".join(s.label(v) for v in c.values)
    for f in named:
        hit = sorted(values & _up(s.parents, f.term))
        if hit:
            kind = "" if f.term in values else f", a kind of {s.label(hit[0])}"
            return CriterionReading(c, via, MET, f"given: {s.label(f.term)}{kind}", scope_facts + _texts(s, [f]))
    for f in named:
        if not any(f.term in _up(s.parents, v) for v in values):
            return CriterionReading(c, via, NOT_MET, f"{s.label(f.term)} is not {wanted}", scope_facts + _texts(s, [f]))
    if named:
        broad = ", ".join(s.label(f.term) for f in named)
        return CriterionReading(c, via, UNKNOWN, f"{broad} is broader than {wanted}", scope_facts + _texts(s, named))
    return CriterionReading(c, via, UNKNOWN, f"{factor} not given (met by {wanted})", scope_facts)


def _texts(s: _Situation, facts: list[GivenFact]) -> tuple[str, ...]:
    return tuple(f.text for f in facts if f is not s.facts[0])


def _group(readings: tuple[CriterionReading, ...]) -> str:
    """By the met criteria said of the activity itself: one said of a broader activity is shown, never decides."""
    directions = {r.criterion.direction for r in readings if r.status == MET and not r.via}
    if "for" in directions and "against" in directions:
        return BOTH
    if "for" in directions:
        return SUPPORTED
    if "against" in directions:
        return AGAINST
    return MENTIONED


# ------------------------------------------------------------------ connecting activities


class _Links(NamedTuple):
    """What _connections follows from a term, indexed once: reading every statement, step and criterion for each
    condition made the viewer's panel quadratic (most of a 100x build)."""

    options: dict[str, list[str]]  # term -> activities it hasTreatmentOption
    pathways: dict[str, list[str]]  # condition -> the pathways that are isPathwayFor it
    steps: dict[str, list[str]]  # pathway -> its steps' activities
    scoped: dict[str, list[Criterion]]  # term -> the criteria that name it in their scope


def _links(curation: Curation) -> _Links:
    options: dict[str, list[str]] = {}
    pathways: dict[str, list[str]] = {}
    for st in curation.statements:
        if st.predicate == "hasTreatmentOption":
            options.setdefault(st.subject, []).append(st.object)
        elif st.predicate == "isPathwayFor":
            pathways.setdefault(st.object, []).append(st.subject)
    steps: dict[str, list[str]] = {}
    for step in curation.steps:
        steps.setdefault(step.pathway, []).append(step.activity)
    scoped: dict[str, list[Criterion]] = {}
    for c in curation.criteria.values():
        for term in set(c.scope_terms):
            scoped.setdefault(term, []).append(c)
    return _Links(options, pathways, steps, scoped)


def _connections(s: _Situation, roots: list[str], links: _Links) -> dict[str, tuple[str, ...]]:
    """activity -> the shortest path from a root (the condition or a given condition) that connects it. The
    order paths are offered in does not matter: the shortest wins, ties go by root, then by the path itself."""
    found: dict[str, tuple[str, ...]] = {}
    rank: dict[str, tuple[int, int, tuple[str, ...]]] = {}

    def offer(activity: str, path: tuple[str, ...]) -> None:
        """Keep the shortest path; between equals, the one from the condition before those from given facts."""
        key = (len(path), roots.index(path[0]), path)
        if activity not in rank or key < rank[activity]:
            found[activity], rank[activity] = path, key

    def hops(root: str, node: str) -> tuple[str, ...]:
        chain = _chain(s.parents, root, node)
        out: list[str] = [chain[0]]
        for step in chain[1:]:
            out += ["is a kind of", step]
        return tuple(out)

    for root in roots:
        up = _up(s.parents, root)
        for term in sorted(up):
            for activity in links.options.get(term, ()):
                offer(activity, (*hops(root, term), "has treatment option", activity))
            for pathway in links.pathways.get(term, ()):
                for activity in links.steps.get(pathway, ()):
                    offer(activity, (*hops(root, term), "has pathway", pathway, "with step", activity))
        criteria = {c.id: c for term in up for c in links.scoped.get(term, ())}
        for c in criteria.values():
            scoped = sorted(set(c.scope_terms) & up)
            offer(c.activity, (*hops(root, scoped[0]), "is the scope of a criterion on", c.activity))
    return found


def connected(curation: Curation, conditions: Iterable[str]) -> dict[str, dict[str, tuple[str, ...]]]:
    """condition -> activity -> the path that connects it, for each condition alone (the viewer's panel)."""
    parents = _parents(curation)
    labels = {t.id: t.label for t in curation.terms.values()}
    links = _links(curation)
    found = {}
    for condition in conditions:
        s = _Situation(curation, parents, frozenset(_up(parents, condition)), (GivenFact(condition, term=condition),), labels)
        found[condition] = _connections(s, [condition], links)
    return found


def explore(curation: Curation, condition: str, given: list[str]) -> Answer:
    """What the sources say about each option for a condition and given facts (SituationError on a bad name)."""
    root = resolve(curation, condition)
    if curation.terms[root].family != "MedicalCondition":
        raise SituationError(f"{condition!r} is a {curation.terms[root].family}, not a condition or tumour type")
    facts = tuple(read_fact(curation, g) for g in given)
    parents = _parents(curation)
    closure = _up(parents, root).union(*(_up(parents, f.term) for f in facts if f.term))
    labels = {t.id: t.label for t in curation.terms.values()}
    s = _Situation(curation, parents, frozenset(closure), (GivenFact(condition, term=root), *facts), labels)
    roots = [root, *sorted({f.term for f in facts if f.term and curation.terms[f.term].family == "MedicalCondition"} - {root})]
    options = []
    for activity, path in _connections(s, roots, _links(curation)).items():
        up = _up(parents, activity)
        readings = tuple(
            _read(s, c, _chain(parents, activity, c.activity)[1:] if c.activity != activity else ())
            for c in sorted(curation.criteria.values(), key=lambda c: (c.activity != activity, c.label.casefold(), c.id))
            if c.activity in up
        )
        options.append(Option(activity, path, readings, _group(readings)))
    options.sort(key=lambda o: (GROUPS.index(o.group), labels[o.activity].casefold(), o.activity))
    used = {text for o in options for r in o.readings for text in r.facts}
    used |= {f.text for f in facts if f.term in roots[1:]}  # a given condition connects activities
    unused = tuple(f.text for f in facts if f.text not in used)
    return Answer(root, facts, tuple(options), unused, labels=labels)


def strength_words(c: Criterion) -> str:
    """The criterion's strength in the scale's own label (the sources' modal verb), never a score."""
    return STRENGTHS[c.strength].label
