"""How HermiT's time grows with the depth of the term hierarchy, which sets the loader's depth limit (issue 12).

Not run by pytest. For each depth, the small test tree gets a chain of that many procedures, each the parent
of the next; the tree is loaded and compiled once and HermiT classifies it `--runs` times (no cache). The
baseline is the same tree without a chain, measured in the same run. Also timed: how long the loader takes to
refuse a 10,000-level chain and a 1,500-term parent cycle (before issue 12 both overflowed Python's stack).

    .venv/bin/python -m benchmarks.deep_hierarchy [--depths 50,100,200,400] [--runs 3]

Writes benchmarks/results/deep-hierarchy-<date>.md with the machine line.
"""

from __future__ import annotations

import argparse
import datetime
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from bcto.ontology import load
from bcto.ontology.compile import compile_ontology
from bcto.ontology.load import MAX_DEPTH, load_curation
from bcto.ontology.problems import CurationError
from bcto.ontology.reason import reason
from benchmarks.sparql_machine import machine_line

REPO = Path.cwd()
ROW = "Deep{i}\tdeep {i}\t{parent}\tA made-up term.\t\t\tccs-surgery: Amputation\t\n"


def tree(target: Path, depth: int, cycle: bool = False) -> Path:
    """The test fixture tree plus the real core.ttl, sources and families, with a chain `depth` terms long."""
    root = target / "ontology"
    shutil.copytree(REPO / "tests" / "fixtures" / "minimal", root)
    for name in ("core.ttl", "sources.tsv", "families.tsv"):
        shutil.copy(REPO / "ontology" / name, root / name)
    with (root / "terms" / "procedures.tsv").open("a", encoding="utf-8") as table:
        for i in range(depth):
            parent = f"Deep{i - 1}" if i else (f"Deep{depth - 1}" if cycle else "Procedure")
            table.write(ROW.format(i=i, parent=parent))
    return root


def hermit_seconds(depth: int, runs: int) -> list[float]:
    """HermiT's time on a chain, past the loader's limit too (the limit is what this measures)."""
    load.MAX_DEPTH = max(MAX_DEPTH, depth)
    try:
        with tempfile.TemporaryDirectory(prefix="bcto-deep-") as tmp:
            ontology = compile_ontology(*load_curation(tree(Path(tmp), depth)))
    finally:
        load.MAX_DEPTH = MAX_DEPTH
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        assert reason(ontology).ok
        times.append(time.perf_counter() - start)
    return times


def refusal_seconds(depth: int, cycle: bool, runs: int) -> list[float]:
    times = []
    with tempfile.TemporaryDirectory(prefix="bcto-deep-") as tmp:
        root = tree(Path(tmp), depth, cycle)
        for _ in range(runs):
            start = time.perf_counter()
            try:
                load_curation(root)
            except CurationError:
                times.append(time.perf_counter() - start)
            else:
                raise AssertionError("the loader accepted it")
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--depths", default="50,100,200,400")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    depths = [int(d) for d in args.depths.split(",") if d]
    base = statistics.median(hermit_seconds(0, args.runs))
    lines = [
        "# HermiT and the depth of the hierarchy",
        "",
        machine_line(),
        "",
        f"Command: `.venv/bin/python -m benchmarks.deep_hierarchy --depths {args.depths} --runs {args.runs}`; "
        f"the loader's limit is {MAX_DEPTH} levels.",
        "",
        "| chain | HermiT median (s) | runs (s) | vs. no chain |",
        "| --- | --- | --- | --- |",
        f"| none (baseline) | {base:.2f} | | 1.0x |",
    ]
    for depth in depths:
        times = hermit_seconds(depth, args.runs)
        median = statistics.median(times)
        lines.append(f"| {depth} levels | {median:.2f} | {', '.join(f'{t:.2f}' for t in times)} | {median / base:.1f}x |")
        print(lines[-1], flush=True)
    lines += ["", "| refused at load | median (s) |", "| --- | --- |"]
    for label, depth, cycle in (("10,000-level chain", 10_000, False), ("1,500-term parent cycle", 1500, True)):
        lines.append(f"| {label} | {statistics.median(refusal_seconds(depth, cycle, args.runs)):.2f} |")
    out = REPO / "benchmarks" / "results" / f"deep-hierarchy-{datetime.date.today().isoformat()}.md"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    print(f"written to {out}")


if __name__ == "__main__":
    main()
