"""The release: sources -> ontology -> reasoning -> checks -> files, each stage timed, nothing written on failure."""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bcto.graph.docs import docs_files
from bcto.graph.extract import asserted_data, with_inferred
from bcto.graph.files import graph_files
from bcto.graph.kgx import kgx_files
from bcto.graph.layout import graph_layout
from bcto.ontology import locations
from bcto.ontology.compile import compile_ontology, gc_paused, knowledge_graph
from bcto.ontology.originality import find_copies, seed_runs
from bcto.ontology.problems import CurationError
from bcto.ontology.reason import ReasonerUnavailable, cached_reason, inferred_hierarchy
from bcto.ontology.serialise import all_formats, ntriples, turtle
from bcto.ontology.sssom import sssom_tsv
from bcto.ontology.statements import star_turtle, statements_turtle
from bcto.ontology.stats import stats_tsv
from bcto.queries.library import CQ_DIR, find_queries, library_turtle
from bcto.queries.qc import report_tsv, run_checks, violation_table
from bcto.queries.store import store_from

EXIT_OK = 0
EXIT_INVALID_SOURCES = 1
EXIT_QC_VIOLATIONS = 2
EXIT_INCONSISTENT = 3
EXIT_ENVIRONMENT = 4


@dataclass
class Settings:
    ontology: Path = locations.ONTOLOGY
    seeds: Path = locations.SEEDS
    output: Path = locations.OUTPUT
    check_only: bool = False
    cache: Path | None = locations.CACHE  # reasoner answers and layouts by content hash; None: recompute all


@dataclass
class Timings:
    """Seconds per stage, in order, plus a one-line summary of each."""

    stages: list[tuple[str, float, str]] = field(default_factory=list)

    @contextmanager
    def stage(self, name: str) -> Iterator[list[str]]:
        note: list[str] = []
        start = time.perf_counter()
        yield note
        self.stages.append((name, time.perf_counter() - start, " ".join(note)))


def write_atomically(files: dict[str, bytes], output: Path) -> None:
    """Write the whole release into a sibling folder, then swap it in: a failure leaves the old output/ intact."""
    output.parent.mkdir(parents=True, exist_ok=True)
    fresh = output.parent / f".{output.name}.new-{os.getpid()}"
    stale = output.parent / f".{output.name}.old-{os.getpid()}"
    shutil.rmtree(fresh, ignore_errors=True)
    try:
        for name, data in sorted(files.items()):
            target = fresh / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        if output.exists():
            output.rename(stale)
        fresh.rename(output)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        if stale.exists() and not output.exists():
            stale.rename(output)
        raise
    shutil.rmtree(stale, ignore_errors=True)


def build(settings: Settings, say: Callable[[str], None] = print, warn: Callable[[str], None] | None = None) -> int:
    """Run every stage; return the exit code (0 ok, 1 invalid sources, 2 QC, 3 inconsistent, 4 environment)."""
    # The cyclic garbage collector is off for the whole build: the build makes millions of long-lived
    # objects (graphs, their indexes, the graph data) and almost no reference cycles, and every full
    # collection rescans all of them. At 100x that made some stages grow 14-17x for 10x more data (page
    # data: 3.1 s with the collector, 0.9 s without); without it they grow 9-11x. Reference counting still
    # frees everything that is not in a cycle, so peak memory does not change measurably (BENCHMARKS.md).
    with gc_paused():
        return _build(settings, say, warn)


def _build(settings: Settings, say: Callable[[str], None], warn: Callable[[str], None] | None) -> int:
    from bcto.ontology.load import load_curation

    warn = warn or (lambda text: print(text, file=sys.stderr))
    timings = Timings()
    seeds = settings.seeds if settings.seeds.is_dir() else None
    if seeds is None:
        warn(f"note: no seed documents at {settings.seeds}; section headings and the copy check are not verified")
    with timings.stage("load") as note:
        try:
            schema, curation = load_curation(settings.ontology, seeds)
        except CurationError as err:
            warn("\n".join(str(p) for p in err.problems))
            warn(f"{len(err.problems)} problem(s) in the curated sources; nothing was written.")
            return EXIT_INVALID_SOURCES
        note.append(
            f"{len(curation.terms)} terms, {len(curation.statements)} relations, "
            f"{len(curation.criteria)} criteria, {len(curation.steps)} pathway steps, "
            f"{len(curation.mappings)} mappings"
        )
    with timings.stage("compile") as note:
        ontology = compile_ontology(schema, curation)
        kg = knowledge_graph(curation)
        owl_nt, kg_nt = ntriples(ontology), ntriples(kg)  # once: reasoning, QC and every format reuse them
        note.append(f"{len(ontology)} OWL triples, {len(kg)} knowledge-graph edges")
    layout_cache = settings.cache and settings.cache / "layout"
    # HermiT runs in its own Java process: start it now and do the Python-only stages on the other core.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(cached_reason, ontology, settings.cache and settings.cache / "reasoner", owl_nt)
        with timings.stage("qc") as note:
            results = run_checks(store_from([owl_nt, kg_nt]))  # what is asserted, not what HermiT added
            copies = find_copies(curation, seed_runs(sorted(seeds.glob("*.txt")))) if seeds else []
            note.append(
                f"{len(results)} checks, {sum(len(r.rows) for r in results)} violations; copy check "
                + (f"against {len(list(seeds.glob('*.txt')))} seeds: {len(copies)} copies" if seeds else "skipped (no seeds)")
            )
        with timings.stage("serialise") as note:
            files = all_formats(ontology, owl_nt)
            files["bcto-kg.ttl"] = turtle(kg)
            files["bcto-statements.ttl"] = statements_turtle(ontology)
            files["bcto-kg-star.ttl"] = star_turtle(ontology)
            files["bcto-queries.ttl"] = library_turtle(find_queries(CQ_DIR))
            files["bcto.sssom.tsv"] = sssom_tsv(schema, curation)
            files["reports/qc.tsv"] = report_tsv(results).encode("utf-8")
            files["reports/stats.tsv"] = stats_tsv(curation).encode("utf-8")
            files.update(kgx_files(curation))
            note.append(f"{len(files)} files: RDF, SSSOM, KGX tables, reports")
        with timings.stage("layout") as note:
            view = asserted_data(ontology, kg, curation.families)
            graph_layout(view, layout_cache)  # the viewer lays out what is asserted, so this need not wait for HermiT
            note.append("graph data and viewer layout, alongside HermiT")
        with timings.stage("reason") as note:
            try:
                reasoning, cached = pending.result()
            except ReasonerUnavailable as err:
                warn(f"cannot reason: {err}")
                return EXIT_ENVIRONMENT
            note.append(
                f"HermiT{' (cached: no logical change)' if cached else ', alongside qc, serialise and layout'}: "
                f"consistent={reasoning.consistent}, {len(reasoning.unsatisfiable)} unsatisfiable"
            )
    if not reasoning.consistent:
        warn("HermiT: the ontology is inconsistent (no model exists); nothing was written.")
        return EXIT_INCONSISTENT
    if reasoning.unsatisfiable:
        warn(
            "HermiT: unsatisfiable classes (they can have no instances); nothing was written:\n  "
            + "\n  ".join(reasoning.unsatisfiable)
        )
        return EXIT_INCONSISTENT
    if copies or any(not r.passed for r in results):
        if any(not r.passed for r in results):
            warn(violation_table(results))
        for copy in copies:
            warn(str(copy))
        warn("QC failed; nothing was written.")
        return EXIT_QC_VIOLATIONS
    inferred = inferred_hierarchy(reasoning)
    files["bcto-inferred.ttl"] = turtle(inferred)
    with timings.stage("views") as note:
        views = graph_files(with_inferred(view, inferred), layout_cache)
        files.update(views)
        examples = [(q.name, q.summary, q.text) for q in find_queries(CQ_DIR)]
        files.update(docs_files(schema, curation, {name: len(data) for name, data in files.items()}, examples))
        note.append(f"{len(views)} files: viewer, GraphML, GEXF; reference docs listing every file")
    if not settings.check_only:
        with timings.stage("write") as note:
            write_atomically(files, settings.output)
            note.append(str(settings.output))
    for name, seconds, summary in timings.stages:
        say(f"  {name:<10} {seconds:6.2f} s  {summary}")
    say("check passed; nothing written (--check)" if settings.check_only else f"release written to {settings.output}")
    return EXIT_OK
