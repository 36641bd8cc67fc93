"""Regenerate the README's screenshots: the viewer's opening view and its pathway flowcharts, in headless Chromium.

Usage: .venv/bin/python -m benchmarks.viewer_screenshot [--output output] [--term osteosarcoma] [--docs docs]
Writes docs/viewer.png (the opening view with one term's details) and docs/pathways.png (every treatment
pathway as a flowchart, one step's details beside them). Uses the same Playwright + Debian Chromium set-up as
the browser tests; nothing reaches the network.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from rdflib import Graph

from bcto.graph.explain import UnknownTerm, resolve
from bcto.graph.extract import graph_data
from bcto.graph.files import graph_files
from bcto.ontology.load import load_curation
from benchmarks.chromium import CHROMIUM, CHROMIUM_ARGS

REPO = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=REPO / "output", help="a built release (default: %(default)s)")
    parser.add_argument("--term", default="osteosarcoma", help="the term whose details the opening view shows (id or name)")
    parser.add_argument("--step", default="lung metastasis surgery", help="the term whose details the pathway view shows")
    parser.add_argument("--docs", type=Path, default=REPO / "docs")
    args = parser.parse_args()
    if not (args.output / "bcto.ttl").is_file():
        print(f"no release in {args.output}; run `python build.py` first or pass --output", file=sys.stderr)
        return 2
    owl, kg, inferred = (Graph().parse(args.output / n) for n in ("bcto.ttl", "bcto-kg.ttl", "bcto-inferred.ttl"))
    _, curation = load_curation(REPO / "ontology", None)
    data = graph_data(owl, kg, inferred, curation.families)
    try:
        term, step = resolve(data, args.term), resolve(data, args.step)
    except UnknownTerm as err:
        print(err, file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        page_file = Path(folder) / "bcto.html"
        page_file.write_bytes(graph_files(data)["bcto.html"])
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1500, "height": 900}, device_scale_factor=1)
        page.goto(page_file.as_uri())
        while not page.evaluate("window.BCTO && window.BCTO.timings.firstDraw !== null && BCTO.ready()"):
            page.wait_for_timeout(20)  # polled from here: Playwright's in-page polling evaluates strings, which the CSP forbids
        args.docs.mkdir(parents=True, exist_ok=True)
        page.evaluate("id => BCTO.select(id, false)", term)
        page.wait_for_timeout(300)
        page.screenshot(path=str(args.docs / "viewer.png"))
        page.evaluate("BCTO.showPathways('')")
        page.evaluate("id => BCTO.select(id, false)", step)
        page.wait_for_timeout(300)
        page.screenshot(path=str(args.docs / "pathways.png"))
        browser.close()
    print(f"wrote {args.docs / 'viewer.png'} and {args.docs / 'pathways.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
