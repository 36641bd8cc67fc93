"""Counts by family and by predicate, for reports/stats.tsv and the build summary."""

from __future__ import annotations

from collections import Counter

from bcto.ontology.compile import edges
from bcto.ontology.model import Curation


def counts(curation: Curation) -> list[tuple[str, str, int]]:
    """(kind, name, count) rows, sorted, so the report diffs cleanly between releases."""
    families = Counter(term.family for term in curation.terms.values())
    predicates = Counter(edge[1] for edge, _, _ in edges(curation))
    sources = Counter(c.source for _, citations, _ in edges(curation) for c in citations)
    rows = [("family", name, n) for name, n in sorted(families.items())]
    rows += [("predicate", name, n) for name, n in sorted(predicates.items())]
    rows += [("statements citing", name, n) for name, n in sorted(sources.items())]
    rows += [
        ("total", "terms", len(curation.terms)),
        ("total", "relation rows", len(curation.statements)),
        ("total", "criteria", len(curation.criteria)),
        ("total", "pathway steps", len(curation.steps)),
        ("total", "knowledge-graph edges", sum(predicates.values())),
        ("total", "mappings", len(curation.mappings)),
    ]
    return rows


def stats_tsv(curation: Curation) -> str:
    return "kind\tname\tcount\n" + "".join(f"{k}\t{n}\t{c}\n" for k, n, c in counts(curation))
