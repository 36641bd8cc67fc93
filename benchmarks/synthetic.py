"""A seeded generator of synthetic curation trees N times the size of the real one, for scale benchmarks.

Usage: .venv/bin/python benchmarks/synthetic.py --times 10 --target /tmp/bcto-10x [--seed 1]

The output is a complete ontology/ folder (core.ttl, sources.tsv and families.tsv copied, every other table generated)
that the build accepts. Its shape is the real graph's, because every generated row is a copy of a real
row: copy i of a term keeps the term's family and mirrors its parents (so depth and fan-in match), and
copy i of a relation, criterion or pathway step keeps its predicate, direction, strength, qualifiers that are set
and its citations (real section headings), so domains, ranges, qualifier shares and the per-predicate
fan-out all scale by N. To make one connected graph rather than N islands, a seeded fifth of the
objects point into another copy. All text (labels, definitions, synonyms, contexts, comments) is made
of generated pseudo-words, so the copy check and label checks see no source prose; mapping targets are
the real (verified) ids and labels.
"""

from __future__ import annotations

import argparse
import random
import shutil
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from bcto.ontology.load import (
    CRITERION_COLUMNS,
    EXTRA_TERM_COLUMNS,
    MAPPING_COLUMNS,
    RELATION_COLUMNS,
    STEP_COLUMNS,
    TERM_COLUMNS,
    load_curation,
)
from bcto.ontology.model import Citation, Curation, Hedge, Qualifiers
from bcto.swap import not_replaceable

REPO = Path(__file__).resolve().parent.parent
REAL = REPO / "ontology"
SEEDS = REPO.parent / "shared" / "seeds"
CROSS_LINK_SHARE = 0.2  # share of objects taken from another copy, so the copies form one graph

_ONSETS = ("b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "dr", "kl", "pl", "st", "tr")
_VOWELS = ("a", "e", "i", "o", "u", "ai", "eo", "ou")
_CODAS = ("", "", "n", "r", "l", "s", "k", "m")


class Words:
    """Neutral pseudo-words from a seeded RNG: they occur in no source document."""

    def __init__(self, rng: random.Random, size: int = 3000) -> None:
        self.rng = rng
        pool: set[str] = set()
        while len(pool) < size:
            syllables = rng.randint(2, 3)
            pool.add("".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS) for _ in range(syllables)))
        self.pool = sorted(pool)

    def phrase(self, count: int) -> str:
        return " ".join(self.rng.choice(self.pool) for _ in range(max(count, 1)))

    def like(self, text: str) -> str:
        """Generated text about as long as text (empty stays empty); sentences keep a capital and a full stop."""
        if not text:
            return ""
        out = self.phrase(len(text.split()))
        return out[0].upper() + out[1:] + "." if text.rstrip().endswith(".") else out


def _cite(citations: Iterable[Citation]) -> str:
    return "|".join(f"{c.source}: {c.section}" for c in citations)


def _hedge(hedge: Hedge | None) -> dict[str, str]:
    return {"strength": hedge.strength, "frequency": hedge.frequency} if hedge else {}


def _tsv(columns: tuple[str, ...], rows: list[dict[str, str]]) -> str:
    return "\t".join(columns) + "\n" + "".join("\t".join(row.get(c, "") for c in columns) + "\n" for row in rows)


def _renaming(curation: Curation, times: int) -> list[dict[str, str]]:
    """copies[i][real id] -> the id of copy i: the family's top class and a serial number (no source words)."""
    copies: list[dict[str, str]] = [{} for _ in range(times)]
    serial = 0
    for i in range(times):
        for tid, term in curation.terms.items():
            serial += 1
            copies[i][tid] = f"{term.family}N{serial}"
    return copies


def _qualifiers(q: Qualifiers, words: Words, conflict: str) -> dict[str, str]:
    """A copy's qualifiers: text of the same length, the same passages (so they sit in the same sections)."""
    return {
        "frequency": q.frequency,
        "context": words.like(q.context),
        "conflict": conflict,
        "comment": words.like(q.comment),
        "passage": "|".join(p.cell for p in q.passages),
        "evidence": q.evidence,
    }


def synthetic_tables(curation: Curation, times: int, seed: int = 1) -> dict[str, str]:
    """Every generated table, by its path inside ontology/ (core.ttl, sources.tsv and families.tsv are copied)."""
    rng = random.Random(seed)
    words = Words(rng)
    copies = _renaming(curation, times)
    serial = 0

    def label() -> str:
        nonlocal serial
        serial += 1
        return f"{words.phrase(2)} {serial}"

    def other(i: int) -> int:
        return rng.randrange(times) if rng.random() < CROSS_LINK_SHARE else i

    table_of = {f.id: f"terms/{f.table}.tsv" for f in curation.families.values() if f.table}
    tables: dict[str, list[dict[str, str]]] = {path: [] for path in table_of.values()}
    for i in range(times):
        for tid, term in curation.terms.items():
            tables[table_of[term.family]].append(
                {
                    "id": copies[i][tid],
                    "label": label(),
                    "parent": "|".join(copies[i].get(p, p) for p in term.parents),
                    "definition": words.like(term.definition),
                    "synonyms": "|".join(words.phrase(len(s.split())) for s in term.synonyms),
                    "lay_terms": "|".join(words.phrase(len(s.split())) for s in term.lay_terms),
                    "source": _cite(term.citations),
                    "comment": words.like(term.comment),
                    **_hedge(curation.pathways.get(tid)),
                }
            )
    relations = tables.setdefault("relations.tsv", [])
    criteria = tables.setdefault("criteria.tsv", [])
    steps = tables.setdefault("pathway_steps.tsv", [])
    mappings = tables.setdefault("mappings.tsv", [])
    for i in range(times):
        names = copies[i]
        for s in curation.statements:
            conflict = names[s.qualifiers.conflict] if s.qualifiers.conflict else ""
            relations.append(
                {
                    "subject": names[s.subject],
                    "predicate": s.predicate,
                    "object": copies[other(i)][s.object],
                    "source": _cite(s.citations),
                    **_qualifiers(s.qualifiers, words, conflict),
                }
            )
        for c in curation.criteria.values():
            serial += 1
            conflict = names[c.qualifiers.conflict] if c.qualifiers.conflict else ""
            criteria.append(
                {
                    "id": f"DecisionCriterionN{serial}",
                    "label": label(),
                    "activity": copies[other(i)][c.activity],
                    "direction": c.direction,
                    "strength": c.strength,
                    "factor": names[c.factor],
                    "value": "|".join(copies[other(i)][v] for v in c.values),
                    "threshold": str(c.threshold or ""),
                    "condition": words.like(c.condition),
                    "scope": words.like(c.scope),
                    "scope_terms": "|".join(names[t] for t in c.scope_terms),
                    "source": _cite(c.citations),
                    **_qualifiers(c.qualifiers, words, conflict),
                }
            )
        for step in curation.steps:
            steps.append(
                {
                    "pathway": names[step.pathway],
                    "step": str(step.number),
                    "order": str(step.order),
                    "activity": copies[other(i)][step.activity],
                    "optional": "yes" if step.optional else "",
                    "strength": step.hedge.strength if step.hedge else "",
                    "frequency": step.hedge.frequency if step.hedge else "",
                    "context": words.like(step.qualifiers.context),
                    "conflict": names[step.qualifiers.conflict] if step.qualifiers.conflict else "",
                    "source": _cite(step.citations),
                    "comment": words.like(step.qualifiers.comment),
                    "passage": "|".join(p.cell for p in step.qualifiers.passages),
                    "evidence": step.qualifiers.evidence,
                }
            )
        for m in curation.mappings:
            mappings.append(
                {
                    "subject": names[m.subject],
                    "predicate": m.predicate,
                    "object": m.object,
                    "object_label": m.object_label,
                    "evidence": m.evidence,
                    "confirmed_in": m.confirmed_in,
                    "comment": words.like(m.comment),
                }
            )
    columns = {
        "relations.tsv": RELATION_COLUMNS,
        "criteria.tsv": CRITERION_COLUMNS,
        "pathway_steps.tsv": STEP_COLUMNS,
        "mappings.tsv": MAPPING_COLUMNS,
    }
    columns |= {
        f"terms/{f.table}.tsv": (*TERM_COLUMNS, *EXTRA_TERM_COLUMNS[f.id])
        for f in curation.families.values()
        if f.id in EXTRA_TERM_COLUMNS
    }

    def kept(columns: tuple[str, ...], rows: list[dict[str, str]]) -> tuple[str, ...]:
        """A table keeps its passage column only where the real one has passages (as the loader expects)."""
        return tuple(c for c in columns if c != "passage" or any(row.get("passage") for row in rows))

    return {path: _tsv(kept(columns.get(path, TERM_COLUMNS), rows), rows) for path, rows in tables.items()}


MARKER = "SYNTHETIC"  # in every tree written here: the only non-empty folder a later run may delete and rewrite


def write_synthetic(target: Path, times: int, seed: int = 1, real: Path = REAL, seeds: Path = SEEDS) -> Path:
    """Write a synthetic ontology/ folder `times` the size of `real` into target; return target."""
    if (problem := not_replaceable(target, [MARKER], f"{MARKER} marker of this script", "--target")) is not None:
        raise SystemExit(problem)
    _, curation = load_curation(real, seeds if seeds.is_dir() else None)
    shutil.rmtree(target, ignore_errors=True)
    (target / "terms").mkdir(parents=True)
    (target / MARKER).write_text(f"written by benchmarks/synthetic.py --times {times} --seed {seed}\n", encoding="utf-8")
    shutil.copy(real / "core.ttl", target / "core.ttl")
    shutil.copy(real / "sources.tsv", target / "sources.tsv")
    shutil.copy(real / "families.tsv", target / "families.tsv")
    shutil.copy(real / "seed_fingerprints.json", target / "seed_fingerprints.json")
    for path, text in synthetic_tables(curation, times, seed).items():
        (target / path).write_text(text, encoding="utf-8")
    return target


def _depth(curation: Curation) -> int:
    memo: dict[str, int] = {}

    def depth(tid: str) -> int:
        if tid not in memo:
            parents = [p for p in curation.terms[tid].parents if p in curation.terms]
            memo[tid] = 1 + max((depth(p) for p in parents), default=0)
        return memo[tid]

    return max((depth(t) for t in curation.terms), default=0)


def shape(curation: Curation) -> dict[str, float]:
    """The numbers a synthetic tree must scale (counts) or keep (shares, depth)."""
    items = [*curation.statements, *curation.criteria.values(), *curation.steps]
    out: dict[str, float] = {f"family {f}": n for f, n in Counter(t.family for t in curation.terms.values()).items()}
    out |= {f"predicate {p}": n for p, n in Counter(s.predicate for s in curation.statements).items()}
    out |= {f"strength {p}": n for p, n in Counter(c.strength for c in curation.criteria.values()).items()}
    out |= {
        "terms": len(curation.terms),
        "relations": len(curation.statements),
        "criteria": len(curation.criteria),
        "steps": len(curation.steps),
        "mappings": len(curation.mappings),
        "parent links": sum(len(t.parents) for t in curation.terms.values()),
    }
    out |= {
        "share frequency": sum(bool(x.qualifiers.frequency) for x in items) / len(items),
        "share context": sum(bool(x.qualifiers.context) for x in items) / len(items),
        "share conflict": sum(bool(x.qualifiers.conflict) for x in items) / len(items),
        "depth": _depth(curation),
    }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--times", type=int, default=10)
    parser.add_argument("--target", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    write_synthetic(args.target, args.times, args.seed)
    print(f"wrote a {args.times}x synthetic ontology/ to {args.target}")


if __name__ == "__main__":
    main()
