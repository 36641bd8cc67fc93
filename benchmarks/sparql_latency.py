"""Per-query latency of the whole library (queries/cq and queries/qc), embedded, on two engines.

    .venv/bin/python -m benchmarks.sparql_latency --output /tmp/st/output [--repeats 50]

pyoxigraph (what `bcto query`, QC and `bcto serve` use) against rdflib's own SPARQL engine, on the same
release files, timing query + reading every row, after warm-up runs. Not run by pytest. Prints Markdown.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from rdflib import Graph

from bcto.ontology.locations import QUERYABLE as RELEASE_FILES
from bcto.ontology.vocabulary import PREFIXES
from bcto.queries.library import CQ_DIR, QC_DIR, Query, find_queries
from bcto.queries.results import Solutions
from bcto.queries.runner import execute, release_store
from benchmarks.sparql_machine import machine_line

TARGET_MS = 5.0


def engine_only(store, text: str) -> object:
    """The query on Oxigraph alone, every row read (execute() also runs the parser check of queries.guard)."""
    answer = store.query(text, prefixes=PREFIXES)
    return answer if isinstance(answer, bool) or type(answer).__name__ == "QueryBoolean" else list(answer)


def timings(run: Callable[[], object], repeats: int, warmup: int = 3) -> list[float]:
    for _ in range(warmup):
        run()
    out = []
    for _ in range(repeats):
        began = time.perf_counter()
        run()
        out.append(1000 * (time.perf_counter() - began))
    return sorted(out)


def p95(ordered: list[float]) -> float:
    return ordered[int(0.95 * (len(ordered) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=Path("output"))
    parser.add_argument("--repeats", type=int, default=50, help="timed runs per query on pyoxigraph")
    parser.add_argument("--rdflib-repeats", type=int, default=5, help="timed runs per query on rdflib")
    args = parser.parse_args()
    store = release_store(args.output)
    graph = Graph()
    for name in RELEASE_FILES:
        graph.parse(args.output / name, format="turtle")
    library: list[tuple[str, Query]] = [(f"cq/{q.name}", q) for q in find_queries(CQ_DIR)]
    library += [(f"qc/{q.name}", q) for q in find_queries(QC_DIR)]
    print(
        f"Embedded latency per library query ({len(library)} queries) on {args.output} ({len(store)} triples); "
        f"pyoxigraph {args.repeats} runs, rdflib {args.rdflib_repeats} runs, after 3 warm-up runs each.\n"
    )
    print("| query | rows | pyoxigraph median ms | pyoxigraph p95 ms | rdflib median ms | rdflib / pyoxigraph |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    medians, ratios, over = [], [], []
    for name, query in library:
        result = execute(store, query.text)
        rows = len(result.rows) if isinstance(result, Solutions) else 1
        ox_ms = timings(lambda q=query: engine_only(store, q.text), args.repeats)
        try:
            rd_ms = timings(lambda q=query: list(graph.query(q.text, initNs=PREFIXES)), args.rdflib_repeats, warmup=1)
            rd_median = statistics.median(rd_ms)
            ratio = rd_median / statistics.median(ox_ms)
            ratios.append(ratio)
            rd_cells = f"{rd_median:.2f} | {ratio:.0f}×"
        except Exception as err:  # rdflib may not support a construct; record it rather than stop
            rd_cells = f"error: {type(err).__name__} | –"
        medians.append(statistics.median(ox_ms))
        if statistics.median(ox_ms) > TARGET_MS:
            over.append(name)
        print(f"| {name} | {rows} | {statistics.median(ox_ms):.2f} | {p95(ox_ms):.2f} | {rd_cells} |")
    print(
        f"\npyoxigraph: slowest median {max(medians):.2f} ms, median of medians {statistics.median(medians):.2f} ms; "
        f"{len(over)} queries over the {TARGET_MS:g} ms target{': ' + ', '.join(over) if over else ''}."
    )
    if ratios:
        print(f"rdflib is {min(ratios):.0f}×–{max(ratios):.0f}× slower (median {statistics.median(ratios):.0f}×).")
    print(f"\n{machine_line()}")


if __name__ == "__main__":
    main()
