"""`bcto options`: what the sources say about each option for a situation, as a table, JSON or Markdown."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from bcto.ontology import locations
from bcto.ontology.load import CurationError, load_curation
from bcto.ontology.model import Criterion, Curation
from bcto.ontology.options import GROUPS, Answer, CriterionReading, SituationError, explore, strength_words

EXIT_OK, EXIT_BAD_INPUT, EXIT_BAD_SOURCES = 0, 1, 2


def _sources(curation: Curation, c: Criterion) -> list[dict[str, str]]:
    """Each passage as document, section and sentence, plus the cell that pins it; the citations when none."""
    if c.qualifiers.passages:
        return [
            {"document": curation.sources[p.source].title, "source": p.source, "where": p.pointer, "passage": p.cell}
            for p in c.qualifiers.passages
        ]
    return [
        {"document": curation.sources[x.source].title, "source": x.source, "where": x.section, "passage": ""} for x in c.citations
    ]


def _path(answer: Answer, path: tuple[str, ...]) -> str:
    return " ".join(part if i % 2 else answer.labels.get(part, part) for i, part in enumerate(path))


def _reading(answer: Answer, curation: Curation, r: CriterionReading) -> dict[str, Any]:
    c = r.criterion
    return {
        "criterion": c.id,
        "label": c.label,
        "activity": c.activity,
        "via": [answer.labels[a] for a in r.via],
        "status": r.status,
        "reason": r.reason,
        "direction": c.direction,
        "strength": strength_words(c),
        "frequency": c.qualifiers.frequency,
        "condition": c.condition,
        "scope": c.scope,
        "conflict": answer.labels.get(c.qualifiers.conflict, "") if c.qualifiers.conflict else "",
        "evidence": c.qualifiers.evidence,
        "sources": _sources(curation, c),
        "facts_used": list(r.facts),
    }


def as_data(answer: Answer, curation: Curation) -> dict[str, Any]:
    """The answer as plain data (the JSON format; the other formats render it)."""
    return {
        "notice": answer.notice,
        "condition": {"id": answer.condition, "label": answer.labels[answer.condition]},
        "given": [
            {
                "text": f.text,
                "term": f.term,
                "factor": f.factor,
                "quantity": f"{f.comparator} {f.number} {f.unit}".strip() if f.number is not None else "",
                "note": f.note,
            }
            for f in answer.facts
        ],
        "groups": [
            {
                "group": group,
                "options": [
                    {
                        "activity": o.activity,
                        "label": answer.labels[o.activity],
                        "connected_by": _path(answer, o.path),
                        "criteria": [_reading(answer, curation, r) for r in o.readings],
                    }
                    for o in answer.options
                    if o.group == group
                ],
            }
            for group in GROUPS
        ],
        "facts_no_criterion_uses": list(answer.unused),
    }


def _where(sources: list[dict[str, str]]) -> str:
    """'Document: Section, sentence N; Section, sentence M' with each document named once."""
    by_document: dict[str, list[str]] = {}
    for s in sources:
        by_document.setdefault(s["document"], []).append(s["where"])
    return " | ".join(f"{document}: {'; '.join(places)}" for document, places in by_document.items())


def _line(r: dict[str, Any]) -> str:
    via = f" (said of {' → '.join(r['via'])})" if r["via"] else ""
    freq = f", {r['frequency']}" if r["frequency"] else ""
    scope = f"; scope: {r['scope']}" if r["scope"] else ""
    conflict = f"; sources disagree: {r['conflict']}" if r["conflict"] else ""
    where = _where(r["sources"])
    return (
        f'[{r["status"]}] {r["label"]}{via} — {r["direction"]}, "{r["strength"]}"{freq}{scope}{conflict}\n'
        f"      {r['reason']}\n      source: {where}"
    )


def as_table(data: dict[str, Any]) -> str:
    out = [data["notice"], "", f"Situation: {data['condition']['label']} ({data['condition']['id']})"]
    for g in data["given"]:
        out.append(
            f"  given: {g['text']} -> {g['term'] or g['factor']} {g['quantity']}".rstrip()
            + (f"  [{g['note']}]" if g["note"] else "")
        )
    for group in data["groups"]:
        out += ["", f"== {group['group']} ({len(group['options'])}) =="]
        for o in group["options"]:
            out.append(f"* {o['label']} ({o['activity']}) — {o['connected_by']}")
            out += [f"    {_line(r)}" for r in o["criteria"]] or ["    no criterion in the sources bears on it"]
    out += ["", "Given facts no criterion uses: " + (", ".join(data["facts_no_criterion_uses"]) or "none")]
    return "\n".join(out) + "\n"


def as_markdown(data: dict[str, Any]) -> str:
    out = [f"> {data['notice']}", "", f"**Situation:** {data['condition']['label']} (`{data['condition']['id']}`)", ""]
    out += [f"- given: {g['text']} → `{g['term'] or g['factor']}` {g['quantity']}".rstrip() for g in data["given"]]
    for group in data["groups"]:
        out += ["", f"## {group['group']} ({len(group['options'])})"]
        for o in group["options"]:
            out += ["", f"### {o['label']} (`{o['activity']}`)", "", f"Connected by: {o['connected_by']}", ""]
            if not o["criteria"]:
                out.append("No criterion in the sources bears on it.")
                continue
            out += [
                "| status | criterion | direction | strength | scope | why | source |",
                "| --- | --- | --- | --- | --- | --- | --- |",
            ]
            for r in o["criteria"]:
                where = _where(r["sources"])
                cells = [r["status"], r["label"], r["direction"], r["strength"], r["scope"], r["reason"], where]
                out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    out += ["", "Given facts no criterion uses: " + (", ".join(data["facts_no_criterion_uses"]) or "none")]
    return "\n".join(out) + "\n"


RENDER = {"table": as_table, "markdown": as_markdown, "json": lambda d: json.dumps(d, indent=2, ensure_ascii=False) + "\n"}


def _run(args: argparse.Namespace) -> int:
    try:
        _, curation = load_curation(args.ontology, args.seeds)
    except CurationError as err:
        print("\n".join(str(p) for p in err.problems), file=sys.stderr)
        return EXIT_BAD_SOURCES
    try:
        answer = explore(curation, args.condition, args.given)
    except SituationError as err:
        print(f"bcto options: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    sys.stdout.write(RENDER[args.format](as_data(answer, curation)))
    return EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    """Add `bcto options` to the bcto command."""
    p = sub.add_parser(
        "options",
        help="what the sources say about each option for a condition and given facts (informs, never advises)",
        description="For a condition and zero or more facts, list every activity the sources connect to it and each "
        "criterion that bears on it: met, not met, unknown, out of scope or weighed, with its direction, the source's "
        "strength words, scope and passage. Exit codes: 0 ok, 1 a name BCTO does not know, 2 invalid sources.",
    )
    p.add_argument("condition", help="a condition or tumour type: id, label, synonym or lay word")
    p.add_argument(
        "--given",
        action="append",
        default=[],
        metavar="FACT",
        help="a fact: a term ('pathological fracture'), 'factor: value', or 'factor > number unit' ('cortical involvement>50%%')",
    )
    p.add_argument("--format", choices=sorted(RENDER), default="table")
    p.add_argument("--ontology", type=Path, default=locations.ONTOLOGY, help="curated sources (default: %(default)s)")
    p.add_argument("--seeds", type=Path, default=None, help="source documents (default: the fingerprints in ontology/)")
    p.set_defaults(run=_run)
