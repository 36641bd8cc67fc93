"""Page size and time to first (settled) draw of the viewer, for a release and a 20x synthetic graph.

Not part of the test run. Usage:
    .venv/bin/python -m benchmarks.viewer_bench [--output output] [--times 20] [--runs 5]

The synthetic graph is `--times` relabelled copies of the release's graph, each copy tied to the
previous one by a few seeded random links of existing kinds, so it is one connected graph.
Times are measured inside headless Chromium with performance.now() (milliseconds since navigation
start, at the end of vis-network's first `afterDrawing`, after our labels are placed and drawn; physics
is off, so the first draw is the settled one); the median of `--runs` fresh page loads is reported.
The real release opens on its overview; the synthetic graph has no preset terms, so it opens on the
whole graph (every term drawn, labels placed). Results go to benchmarks/results/viewer.md with the
machine line.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from rdflib import Graph

from bcto.graph.assets import vis_network
from bcto.graph.extract import graph_data
from bcto.graph.model import GraphData, Link
from bcto.graph.page import viewer_html
from bcto.ontology.load import load_curation
from benchmarks.chromium import CHROMIUM, CHROMIUM_ARGS
from benchmarks.sparql_machine import machine_line

REPO = Path(__file__).resolve().parent.parent


def synthetic(data: GraphData, times: int, seed: int = 1) -> GraphData:
    """`times` copies of `data` (ids suffixed _1, _2, …), chained by ~5% extra random links per copy."""
    rng = random.Random(seed)
    terms, links = {}, []
    ids = sorted(data.terms)
    stated = [k for k in data.links if not k.inferred]
    for n in range(1, times + 1):
        for term in data.terms.values():
            terms[f"{term.id}_{n}"] = term._replace(id=f"{term.id}_{n}", label=f"{term.label} {n}")
        for link in data.links:
            links.append(
                link._replace(
                    subject=f"{link.subject}_{n}",
                    object=f"{link.object}_{n}",
                    qualifiers=link.qualifiers._replace(
                        conflict=f"{link.qualifiers.conflict}_{n}" if link.qualifiers.conflict else ""
                    ),
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
        families=data.families,
        documents=data.documents,
    )


def wait_until(tab: object, expression: str, timeout_s: float) -> None:
    """Poll from Python: Playwright's in-page polling evaluates strings, which the page's CSP forbids."""
    deadline = time.monotonic() + timeout_s
    while not tab.evaluate(expression):  # type: ignore[attr-defined]
        if time.monotonic() > deadline:
            raise TimeoutError(f"{expression} still false after {timeout_s} s")
        time.sleep(0.02)


def floor_page() -> bytes:
    """The baseline measured in the same run: a page that loads vis-network and draws nothing, so the
    browser's own cost of opening a page with the library (which every viewer page pays) is known."""
    js, _ = vis_network()
    stub = "window.BCTO={timings:{firstDraw:performance.now()},ready:()=>true,drawn:()=>({labels:[]})};"
    head = "<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>"
    return f"{head}<script>{js}</script><script>{stub}</script></body></html>".encode()


def measure(page: Path, runs: int, toggle: bool = True) -> dict[str, object]:
    """Median first-draw time and the cost of one family-filter toggle, in fresh headless Chromium pages."""
    from playwright.sync_api import sync_playwright

    draws: list[float] = []
    toggles: list[float] = []
    labels: list[int] = []
    wholes: list[float] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        for _ in range(runs):
            context = browser.new_context(viewport={"width": 1400, "height": 900})
            tab = context.new_page()
            tab.goto(page.as_uri())
            wait_until(tab, "window.BCTO && window.BCTO.timings.firstDraw !== null && BCTO.ready()", 300)
            draws.append(tab.evaluate("BCTO.timings.firstDraw"))
            labels.append(tab.evaluate("BCTO.drawn().labels.length"))
            if toggle:
                wholes.append(
                    tab.evaluate("""() => new Promise(done => {
                    const t = performance.now();
                    BCTO.network.once('afterDrawing', () => setTimeout(() => done(performance.now() - t), 0));
                    document.getElementById('show-all').click();
                })""")
                )
                toggles.append(
                    tab.evaluate("""() => new Promise(done => {
                    const box = document.querySelector('input[data-family]'), t = performance.now();
                    box.click();
                    requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - t)));
                })""")
                )
            context.close()
        browser.close()
    return {
        "first_draw_ms": statistics.median(draws),
        "filter_toggle_ms": statistics.median(toggles) if toggles else float("nan"),
        "labels": statistics.median(labels),
        "whole_ms": statistics.median(wholes) if wholes else float("nan"),
        "draws": draws,
    }


def chromium_version() -> str:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        found = browser.version
        browser.close()
    return found


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
    _, curation = load_curation(REPO / "ontology", None)
    real = graph_data(owl, kg, inferred, curation.families)
    load = os.getloadavg()[0]
    lines = [
        f"{machine_line()} Chromium {chromium_version()}, headless, --disable-gpu; load average {load:.1f} at the start.",
        "",
        "| graph | terms | links | page bytes | page build s | first draw ms (median) | each run ms | ratio to floor | labels "
        "| whole graph ms | filter ms |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    print(lines[0])
    print(
        f"{'graph':<16}{'terms':>7}{'links':>7}{'bytes':>9}{'build s':>8}{'draw ms':>9}{'ratio':>7}{'labels':>7}{'filter ms':>10}"
    )
    with tempfile.TemporaryDirectory() as folder:
        floor = Path(folder) / "floor.html"
        floor.write_bytes(floor_page())
        base = measure(floor, args.runs, toggle=False)
        base_ms = float(base["first_draw_ms"])  # type: ignore[arg-type]
        runs = ", ".join(f"{d:.0f}" for d in base["draws"])  # type: ignore[attr-defined]
        print(f"{'floor':<16}{0:>7}{0:>7}{floor.stat().st_size:>9}{0:>8.1f}{base_ms:>9.0f}{1:>7.2f}")
        size = floor.stat().st_size
        lines.append(f"| floor: vis-network alone | 0 | 0 | {size} | - | {base_ms:.0f} | {runs} | 1.00 | - | - | - |")
        for name, data in (("release", real), (f"{args.times}x synthetic", synthetic(real, args.times))):
            start = time.perf_counter()
            html = viewer_html(data)
            built = time.perf_counter() - start
            page = Path(folder) / f"{name.split()[0]}.html"
            page.write_bytes(html)
            m = measure(page, args.runs)
            draw, ratio = float(m["first_draw_ms"]), float(m["first_draw_ms"]) / base_ms  # type: ignore[arg-type]
            print(
                f"{name:<16}{len(data.terms):>7}{len(data.links):>7}{len(html):>9}{built:>8.1f}"
                f"{draw:>9.0f}{ratio:>7.2f}{m['labels']:>7.0f}{m['whole_ms']:>7.0f}{m['filter_toggle_ms']:>7.0f}"
            )
            runs = ", ".join(f"{d:.0f}" for d in m["draws"])  # type: ignore[attr-defined]
            lines.append(
                f"| {name} | {len(data.terms)} | {len(data.links)} | {len(html)} | {built:.1f} | {draw:.0f} | {runs} "
                f"| {ratio:.2f} | {m['labels']:.0f} | {m['whole_ms']:.0f} | {m['filter_toggle_ms']:.0f} |"
            )
    results = REPO / "benchmarks" / "results" / "viewer.md"
    results.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
