"""Quality-control checks: every queries/qc/*-violation.rq must return zero rows on a release."""

from __future__ import annotations

from typing import NamedTuple

import pyoxigraph as ox

from bcto.queries.library import Query, qc_checks
from bcto.queries.store import Row, select


class CheckResult(NamedTuple):
    check: Query
    variables: list[str]
    rows: list[Row]

    @property
    def passed(self) -> bool:
        return not self.rows


def run_checks(store: ox.Store, checks: list[Query] | None = None) -> list[CheckResult]:
    return [CheckResult(q, *select(store, q.text)) for q in (qc_checks() if checks is None else checks)]


def report_tsv(results: list[CheckResult]) -> str:
    """reports/qc.tsv: one line per check with its count, then one line per violation."""
    lines = ["check\tviolations\tsummary"]
    lines += [f"{r.check.name}\t{len(r.rows)}\t{r.check.summary}" for r in results]
    for r in results:
        lines += [f"{r.check.name}\t" + "\t".join(f"{v}={cell}" for v, cell in zip(r.variables, row)) for row in r.rows]
    return "\n".join(lines) + "\n"


def violation_table(results: list[CheckResult], limit: int = 20) -> str:
    """A readable table of what failed, for the terminal."""
    out: list[str] = []
    for r in (r for r in results if not r.passed):
        out.append(f"QC {r.check.name}: {len(r.rows)} violation(s) - {r.check.summary}")
        widths = [max(len(v), *(len(row[i]) for row in r.rows)) for i, v in enumerate(r.variables)]
        out.append("  " + "  ".join(v.ljust(w) for v, w in zip(r.variables, widths)))
        out += ["  " + "  ".join(c.ljust(w) for c, w in zip(row, widths)) for row in r.rows[:limit]]
        if len(r.rows) > limit:
            out.append(f"  ... and {len(r.rows) - limit} more (see the full list with --check)")
    return "\n".join(out)
