"""The graph views timed alone: each function run 3 times in one process, after its inputs are built.

build_bench.py times every stage once per process, in build order, so the last stages run in whatever heap
the earlier ones left (2.3 GB at 100x). This separates the growth of the code from that of the heap:
    .venv/bin/python benchmarks/synthetic.py --times 100 --target /tmp/bcto-100x
    .venv/bin/python benchmarks/views_alone.py /tmp/bcto-100x
"""

from __future__ import annotations

import gc
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from rdflib import Graph

from bcto.graph.exports import gexf, graphml
from bcto.graph.extract import graph_data
from bcto.graph.layout import graph_layout
from bcto.graph.page import page_data, viewer_html
from bcto.ontology.compile import compile_ontology, knowledge_graph
from bcto.ontology.load import load_curation

REPO = Path(__file__).resolve().parent.parent


def _median_seconds(work: Callable[[], object], runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(tree: Path) -> None:
    gc.disable()  # as the build does
    schema, curation = load_curation(tree, REPO.parent / "shared" / "seeds")
    data = graph_data(compile_ontology(schema, curation), knowledge_graph(curation), Graph())
    graph_layout(data)  # memoised: the page below reuses it, as in a build
    for name, work in (
        ("page data", lambda: page_data(data)),
        ("viewer page", lambda: viewer_html(data)),
        ("GraphML", lambda: graphml(data)),
        ("GEXF", lambda: gexf(data)),
    ):
        print(f"{tree}\t{name}\t{_median_seconds(work):.3f} s", flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
