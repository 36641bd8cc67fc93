"""Page size and time to first (settled) draw of the viewer, for a release and a 20x synthetic graph.

Not part of the test run. Usage:
    .venv/bin/python benchmarks/viewer_bench.py [--output output] [--times 20] [--runs 5]

The synthetic graph is `--times` relabelled copies of the release's graph, each copy tied to the
previous one by a few seeded random links of existing kinds, so it is one connected graph.
Times are measured inside headless Chromium with performance.now() (milliseconds since navigation
start, at vis-network's first `afterDrawing`; physics is off, so the first draw is the settled one);
the median of `--runs` fresh page loads is reported.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from rdflib import Graph

from bcto.graph.extract import graph_data
from bcto.graph.model import GraphData, Link
from bcto.graph.page import viewer_html

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def synthetic(data: GraphData, times: int, seed: int = 1) -> GraphData:
    """`times` copies of `data` (ids suffixed _1, _2, …), chained by ~5% extra random links per copy."""
    rng = random.Random(seed)
    terms, links = {}, []
    ids = sorted(data.terms)
    stated = [k for k in data.links if not k.inferred]
    for n in range(1, times + 1):
        for term in data.terms.values():
            terms[f"{term.id}_{n}"] = dataclasses.replace(term, id=f"{term.id}_{n}", label=f"{term.label} {n}")
        for link in data.links:
            links.append(
                dataclasses.replace(
                    link,
                    subject=f"{link.subject}_{n}",
                    object=f"{link.object}_{n}",
                    conflict=f"{link.conflict}_{n}" if link.conflict else "",
                )
            )
        if n > 1 and stated:
            for _ in range(max(1, len(stated) // 20)):
                links.append(Link(f"{rng.choice(ids)}_{n}", rng.choice(stated).predicate, f"{rng.choice(ids)}_{n - 1}"))
    unique = {k.key: k for k in links}
    return GraphData(
        dict(sorted(terms.items())),
        sorted(unique.values(), key=lambda k: k.key),
        data.predicates,
        data.title,
        f"{data.version} x{times} synthetic",
    )


def measure(page: Path, runs: int) -> dict[str, float]:
    """Median first-draw time and the cost of one family-filter toggle, in fresh headless Chromium pages."""
    from playwright.sync_api import sync_playwright

    draws, toggles = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        for _ in range(runs):
            context = browser.new_context(viewport={"width": 1400, "height": 900})
            tab = context.new_page()
            tab.goto(page.as_uri())
            tab.wait_for_function("window.BCTO && window.BCTO.timings.firstDraw !== null", timeout=300_000)
            draws.append(tab.evaluate("BCTO.timings.firstDraw"))
            toggles.append(
                tab.evaluate("""() => new Promise(done => {
                const box = document.querySelector('input[data-family]'), t = performance.now();
                box.click();
                requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - t)));
            })""")
            )
            context.close()
        browser.close()
    return {"first_draw_ms": statistics.median(draws), "filter_toggle_ms": statistics.median(toggles)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--output",
        type=Path,
        default=Path(__file__).resolve().parent.parent / "output",
        help="a built release folder (default: %(default)s)",
    )
    parser.add_argument("--times", type=int, default=20)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not (args.output / "bcto.ttl").is_file():
        print(f"no release in {args.output}; run `python build.py` first or pass --output", file=sys.stderr)
        return 2
    owl, kg, inferred = (Graph().parse(args.output / n) for n in ("bcto.ttl", "bcto-kg.ttl", "bcto-inferred.ttl"))
    real = graph_data(owl, kg, inferred)
    print(f"{'graph':<16}{'terms':>7}{'links':>7}{'page bytes':>12}{'build s':>9}{'first draw ms':>15}{'filter ms':>11}")
    with tempfile.TemporaryDirectory() as folder:
        for name, data in (("release", real), (f"{args.times}x synthetic", synthetic(real, args.times))):
            start = time.perf_counter()
            html = viewer_html(data)
            built = time.perf_counter() - start
            page = Path(folder) / f"{name.split()[0]}.html"
            page.write_bytes(html)
            m = measure(page, args.runs)
            print(
                f"{name:<16}{len(data.terms):>7}{len(data.links):>7}{len(html):>12}{built:>9.1f}"
                f"{m['first_draw_ms']:>15.0f}{m['filter_toggle_ms']:>11.0f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
