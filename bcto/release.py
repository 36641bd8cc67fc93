"""The release: sources -> ontology -> reasoning -> checks -> files, each stage timed, nothing written on failure."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from bcto import alongside
from bcto.collector import gc_paused
from bcto.graph.docs import reference_page, with_downloads
from bcto.graph.extract import asserted_data, with_inferred
from bcto.graph.fhir import bundle_json
from bcto.graph.files import graph_files
from bcto.graph.kgx import kgx_files
from bcto.graph.layout import graph_layout
from bcto.graph.model import GraphData
from bcto.graph.options import panel_data
from bcto.manifest import FILES
from bcto.ontology import locations
from bcto.ontology.changes import Item, changes_tsv, diff, previous_snapshot, read_snapshot, snapshot, snapshot_tsv
from bcto.ontology.compile import compile_ontology, knowledge_graph
from bcto.ontology.hermit import Early, ReasonerUnavailable
from bcto.ontology.hierarchy import ancestors
from bcto.ontology.inherit import FORBIDDEN_TABLE, Forbidden, forbidden_texts, inheritance, load_forbidden
from bcto.ontology.model import Curation
from bcto.ontology.originality import Copy, find_copies
from bcto.ontology.parents import direct_parent_graph, direct_parents
from bcto.ontology.problems import CurationError
from bcto.ontology.reason import Reasoning, cached_reason, inferred_hierarchy
from bcto.ontology.schema import Schema
from bcto.ontology.serialise import XML_FILES, XmlProblem, ntriples, ntriples_formats, turtle, xml_problem
from bcto.ontology.sssom import sssom_tsv
from bcto.ontology.statements import facts, star_turtle, statements_turtle
from bcto.ontology.stats import stats_tsv
from bcto.ontology.triples import Index, Triples, TripleSet
from bcto.ontology.version import RELEASE
from bcto.ontology.vocabulary import BCTO
from bcto.queries.library import CQ_DIR, Query, find_queries, library_turtle
from bcto.queries.qc import CheckResult, report_tsv, run_checks, violation_table
from bcto.queries.store import store_from
from bcto.swap import not_replaceable, unwritable, write_atomically

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
    cache: Path | None = locations.CACHE  # reasoner answers, layouts, parsed sources by content hash; None: none kept
    fork: bool = True  # QC and half the files in a forked child, alongside compile and the views (bcto/alongside.py)


Reasoner = Callable[[Triples, Path | None, bytes, Early | None], tuple[Reasoning, bool]]


class Stop(Exception):
    """A stage found a reason not to write the release: the exit code, and what to tell the curator."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class Second:
    """What the second process makes (bcto/alongside.py): the QC and copy checks and most of the files."""

    files: dict[str, bytes]
    results: list[CheckResult]
    copies: list[Copy]
    qc_seconds: float
    waited: float  # for the compiled N-Triples, while the first process compiled
    xml: dict[str, XmlProblem | None]  # its XML files' well-formedness, checked there (bcto.owl)
    page: str  # the reference page but for its downloads list (graph/docs.py)


@dataclass
class Build:
    """What the stages hand on to each other: each stage reads what earlier ones left and adds its own."""

    settings: Settings
    pool: ThreadPoolExecutor  # HermiT runs on it, in its own Java process, while the Python stages go on
    seeds: Path | None = None
    schema: Schema | None = None
    curation: Curation = field(default_factory=Curation)
    ontology: TripleSet | None = None
    index: Index | None = None  # the ontology's, made once for the graph data and the statement nodes
    kg: Graph | None = None
    owl_nt: bytes = b""
    pending: Future[tuple[Reasoning, bool]] | None = None
    second: alongside.Alongside[Second] | None = None  # _second, under way since load
    reasoning: Reasoning | None = None
    results: list[CheckResult] = field(default_factory=list)
    copies: list[Copy] = field(default_factory=list)
    forbidden: list[Forbidden] = field(default_factory=list)  # must_not_hold.tsv
    view: GraphData | None = None
    files: dict[str, bytes] = field(default_factory=dict)
    xml_checked: dict[str, XmlProblem | None] = field(default_factory=dict)  # each by the process that made it
    page: str = ""  # the reference page but for its downloads list, made by the second process
    previous: list[Item] = field(default_factory=list)  # the previous release's snapshot (ontology/releases/)
    previous_name: str = "none"
    queries: list[Query] = field(default_factory=list)  # the competency-question library, read once for its file and the docs
    reasoner: Reasoner = cached_reason  # the benchmark swaps in a stand-in where HermiT would take too long
    early: Early | None = None  # HermiT's JVM, started before the imports (bcto/ontology/hermit.py)

    @property
    def layout_cache(self) -> Path | None:
        return self.settings.cache / "layout" if self.settings.cache else None


def _load(b: Build) -> str:
    from bcto.ontology.load import load_curation  # the only stage that needs the table reader

    try:
        sources = b.settings.cache / locations.SOURCES_CACHE if b.settings.cache else None
        b.schema, b.curation = load_curation(b.settings.ontology, b.seeds, sources)
        b.forbidden = load_forbidden(b.settings.ontology, b.seeds, b.schema, b.curation)
    except CurationError as err:
        problems = "\n".join(str(p) for p in err.problems)
        raise Stop(
            EXIT_INVALID_SOURCES, f"{problems}\n{len(err.problems)} problem(s) in the curated sources; nothing was written."
        ) from None
    previous = previous_snapshot(b.settings.ontology / "releases", RELEASE)  # what the last release held
    try:
        b.previous = read_snapshot(previous.read_text(encoding="utf-8")) if previous else []
    except (ValueError, UnicodeDecodeError) as err:
        raise Stop(
            EXIT_INVALID_SOURCES, f"{previous}:1:1: {err}; restore it from git or delete it to compare against nothing"
        ) from None
    b.previous_name = previous.stem if previous else "none"
    b.queries = find_queries(CQ_DIR)
    if b.early is None:  # a rebuild: the second process's work on the curation alone runs beside compile
        _start_second(b)
    c = b.curation
    return (
        f"{len(c.terms)} terms, {len(c.statements)} relations, {len(c.criteria)} criteria, "
        f"{len(c.steps)} pathway steps, {len(c.mappings)} mappings"
    )


def _compile(b: Build) -> str:
    assert b.schema is not None
    b.ontology = compile_ontology(b.schema, b.curation)
    b.owl_nt = b.files["bcto.nt"] = ntriples(b.ontology)  # once: reasoning, QC and the other formats reuse it
    second = b.second or _start_second(b)
    second.send(b.owl_nt)
    b.kg = knowledge_graph(b.curation)
    cache = b.settings.cache / locations.REASONER_CACHE if b.settings.cache else None
    b.pending = b.pool.submit(b.reasoner, b.ontology, cache, b.owl_nt, b.early)  # on the other core
    return f"{len(b.ontology)} OWL triples, {len(b.kg)} knowledge-graph edges"


def _start_second(b: Build) -> alongside.Alongside[Second]:
    """Fork the second process: after load where HermiT's answer is cached, so that it works beside compile
    on what the curation alone gives; after compile where the early JVM waits for the ontology, so that
    compile, which HermiT waits for, has the other core to itself (forked after load, that cold build took
    1.03 of the time). Either way before HermiT's thread exists."""
    b.second = alongside.start(lambda receive: _second(b, receive), fork=b.settings.fork)
    return b.second


def _second(b: Build, receive: alongside.Receive) -> Second:
    """The second process's share, balanced against the first's (compile, layout, views, statement nodes):
    first what the curation alone gives, while the first process compiles, then, from the compiled
    N-Triples it sends, the checks and the ontology's formats. Nothing a later stage adds is needed."""
    began = time.perf_counter()
    copies = find_copies(b.curation, forbidden_texts(b.forbidden))
    qc_seconds = time.perf_counter() - began
    kg = knowledge_graph(b.curation)  # the first process makes its own, for the viewer: the same triples
    files = _curated_files(b, kg)
    assert b.schema is not None
    page = reference_page(b.schema, b.curation, [(q.name, q.summary, q.text) for q in b.queries])
    waiting = time.perf_counter()
    owl_nt = receive()
    checking = time.perf_counter()
    results = run_checks(store_from([owl_nt, ntriples(kg)]))  # what is asserted, not what HermiT added
    qc_seconds += time.perf_counter() - checking
    files |= ntriples_formats(owl_nt)
    return Second(files, results, copies, qc_seconds, checking - waiting, _xml_checked(files), page)


def _curated_files(b: Build, kg: Graph) -> dict[str, bytes]:
    """Every file made from the curation alone."""
    assert b.schema is not None
    files = {"bcto-kg.ttl": turtle(kg)}
    files["bcto-queries.ttl"] = library_turtle(b.queries)
    files["bcto.sssom.tsv"] = sssom_tsv(b.schema, b.curation)
    files["reports/stats.tsv"] = stats_tsv(b.curation).encode("utf-8")
    current = snapshot(b.curation)
    files["reports/changes.tsv"] = changes_tsv(
        diff(b.previous, current, {r.id: r.replaced_by for r in b.curation.retired.values()}), b.previous_name, RELEASE
    )
    files["reports/snapshot.tsv"] = snapshot_tsv(current, RELEASE)
    files["bcto-fhir-bundle.json"] = bundle_json(b.curation)
    return files


def _serialise(b: Build) -> str:
    """The statement nodes and the views' XML check here, then what the second process made."""
    assert b.index is not None and b.second is not None and b.schema is not None
    stated = facts(b.index)
    b.files["bcto-statements.ttl"] = statements_turtle(stated)
    b.files["bcto-kg-star.ttl"] = star_turtle(stated)
    b.xml_checked = _xml_checked(b.files)  # while the second process finishes its share
    second = b.second.result()
    b.files.update(second.files)
    b.xml_checked |= second.xml
    b.page = second.page
    where = _where(b.second)
    made = b.second.seconds - second.qc_seconds - second.waited
    return (
        f"{len(second.files) + 3} files: RDF, statement nodes, query library, SSSOM, FHIR bundle, reports "
        f"(all but bcto.nt and the 2 of statement nodes {where}, {made:.2f} s)"
    )


def _where(second: alongside.Alongside[Second]) -> str:
    return "in the second process" if second.pid else "in this process"


def _qc(b: Build) -> str:
    assert b.second is not None
    second = b.second.result()
    b.results, b.copies = second.results, second.copies
    b.files["reports/qc.tsv"] = report_tsv(b.results).encode("utf-8")
    found = "seeds" if b.seeds else "seed fingerprints"
    where = _where(b.second)
    return (
        f"{len(b.results)} checks, {sum(len(r.rows) for r in b.results)} violations; copy check against "
        f"{len(b.curation.documents)} {found}: {len(b.copies)} copies ({where}, {second.qc_seconds:.2f} s)"
    )


def _layout(b: Build) -> str:
    assert b.ontology is not None and b.kg is not None
    b.index = Index(b.ontology)  # read by the graph data and the statement nodes
    b.view = asserted_data(b.index, b.kg, b.curation.families)
    graph_layout(b.view, b.layout_cache)  # the viewer lays out what is asserted, so this need not wait for HermiT
    return "graph data and viewer layout, alongside HermiT"


def _reason(b: Build) -> str:
    assert b.pending is not None
    try:
        b.reasoning, cached = b.pending.result()
    except ReasonerUnavailable as err:
        raise Stop(EXIT_ENVIRONMENT, f"cannot reason: {err}") from None
    r = b.reasoning
    if not r.consistent:
        raise Stop(EXIT_INCONSISTENT, "HermiT: the ontology is inconsistent (no model exists); nothing was written.")
    if r.unsatisfiable:
        raise Stop(
            EXIT_INCONSISTENT,
            "HermiT: unsatisfiable classes (they can have no instances); nothing was written:\n  " + "\n  ".join(r.unsatisfiable),
        )
    early = " on the JVM started before the imports" if b.early is not None and b.early.answered else ""
    how = " (cached: no logical change)" if cached else f"{early}, alongside the layout and the second process"
    return f"HermiT{how}: consistent={r.consistent}, {len(r.unsatisfiable)} unsatisfiable"


def _verdict(b: Build) -> str:
    """QC and the copy check fail the build only now, so a curator also hears what HermiT found."""
    failed = [r for r in b.results if not r.passed]
    if failed or b.copies:
        lines = ([violation_table(b.results)] if failed else []) + [str(c) for c in b.copies]
        raise Stop(EXIT_QC_VIOLATIONS, "\n".join([*lines, "QC failed; nothing was written."]))
    return "every check passed"


def _inherit(b: Build) -> str:
    """What the hierarchy implies, asserted (the KG's rdfs:subClassOf*) or inferred by HermiT: the report, and
    must_not_hold.tsv, whose statements must hold nowhere, stated or inherited."""
    assert b.schema is not None and b.reasoning is not None
    direct = b.reasoning.direct_superclasses  # what HermiT adds, closed: a fact reaches every level below
    closure = {cls: ancestors(direct, cls) for cls in direct}
    leaks, report = inheritance(b.curation, b.schema, b.forbidden, closure)
    if leaks:
        lines = [str(leak) for leak in leaks]
        raise Stop(
            EXIT_QC_VIOLATIONS,
            "\n".join([*lines, f"QC failed: {len(leaks)} statement(s) of {FORBIDDEN_TABLE} hold; nothing was written."]),
        )
    b.files["reports/inherited.tsv"] = report.encode("utf-8")
    return f"{len(b.forbidden)} forbidden statements hold nowhere; {report.count(chr(10)) - 1} inherited statements reported"


def _views(b: Build) -> str:
    assert b.reasoning is not None and b.view is not None and b.ontology is not None
    inferred = inferred_hierarchy(b.reasoning)
    data = with_inferred(b.view, inferred)  # the one graph the viewer, GraphML, GEXF and KGX format
    views = graph_files(data, b.layout_cache, panel_data(b.curation)) | kgx_files(data)
    b.files.update(views)
    gone = {str(BCTO[name]) for name in b.curation.retired}
    told = {str(BCTO[child]): {str(BCTO[parent]) for parent in found} for child, found in b.view.parents.items()}
    parents = direct_parents(told, b.reasoning.direct_superclasses, gone)
    b.files["bcto-inferred.ttl"] = turtle(direct_parent_graph(parents, inferred))
    return f"{len(views) + 1} files: viewer, GraphML, GEXF, KGX, inferred hierarchy, {len(parents)} classes' direct parents"


def _docs(b: Build) -> str:
    """Last, so that the reference page can list every other file of the release with its size."""
    b.files.update(with_downloads(b.page, {name: len(data) for name, data in b.files.items()}))
    return f"reference page: {len(b.queries)} example queries, {len(b.files) - 1} downloads"


def _xml_checked(files: dict[str, bytes]) -> dict[str, XmlProblem | None]:
    return {name: xml_problem(data) for name, data in files.items() if name.endswith(XML_FILES)}


def _well_formed(b: Build) -> str:
    """Every XML file of the release must parse: a character the source checks missed would otherwise ship.
    Each process checks those it made as soon as they are made (7 ms each of a 0.4 s rebuild), so only
    a file made later would be checked here."""
    xml_files = [name for name in sorted(b.files) if name.endswith(XML_FILES)]
    checked = b.xml_checked
    found = {name: checked[name] if name in checked else xml_problem(b.files[name]) for name in xml_files}
    malformed = [(name, problem) for name, problem in found.items() if problem]
    if malformed:
        lines = [
            f"{b.settings.output / name}:{line}:{column}: the release would not be well-formed XML ({why}); "
            "please report it: the source checks should have refused the character behind it"
            for name, (line, column, why) in malformed
        ]
        raise Stop(EXIT_QC_VIOLATIONS, "\n".join([*lines, "QC failed; nothing was written."]))
    return f"{len(xml_files)} XML files well-formed"


def _write(b: Build) -> str:
    if set(b.files) != set(FILES):
        extra, missing = sorted(set(b.files) - set(FILES)), sorted(set(FILES) - set(b.files))
        raise RuntimeError(f"the release does not match bcto/manifest.py: extra {extra}, missing {missing}")
    if b.settings.check_only:
        return "nothing written (--check)"
    write_atomically(b.files, b.settings.output)
    return str(b.settings.output)


Stage = tuple[str, Callable[[Build], str]]
# The release, in order. build.py, `bcto build` and benchmarks/build_bench.py all run exactly these.
STAGES: tuple[Stage, ...] = (
    ("load", _load),
    ("compile", _compile),
    ("layout", _layout),
    ("reason", _reason),
    ("views", _views),
    ("serialise", _serialise),
    ("qc", _qc),
    ("verdict", _verdict),
    ("inherit", _inherit),
    ("docs", _docs),
    ("xml", _well_formed),
    ("write", _write),
)


def run_stages(
    settings: Settings,
    report: Callable[[str, float, str], None],
    reasoner: Reasoner = cached_reason,
    early: Early | None = None,
) -> Build:
    """Run every stage, calling report(name, seconds, summary) after each; Stop ends the run early. HermiT
    classifies on the early JVM where one is given, and its caller stops that JVM."""
    # The cyclic garbage collector is off for the whole build: the build makes millions of long-lived
    # objects (graphs, their indexes, the graph data) and almost no reference cycles, and every full
    # collection rescans all of them. At 100x that made some stages grow 14-17x for 10x more data (page
    # data: 3.1 s with the collector, 0.9 s without); without it they grow 9-11x. Reference counting still
    # frees everything that is not in a cycle, so peak memory does not change measurably (BENCHMARKS.md).
    with gc_paused(), ThreadPoolExecutor(max_workers=1) as pool:
        b = Build(settings, pool, settings.seeds if settings.seeds.is_dir() else None, reasoner=reasoner, early=early)
        try:
            for name, stage in STAGES:
                start = time.perf_counter()
                summary = stage(b)
                report(name, time.perf_counter() - start, summary)
        finally:
            if b.pending is not None:
                b.pending.cancel()
            if b.second is not None:
                b.second.cancel()
        return b


def folder_problem(settings: Settings) -> str | None:
    """What stops the build from writing its folders, or None. The release replaces output/ whole
    (bcto/swap.py), so output/ must be new, empty or an earlier release: a file, or a folder of other files,
    given as --output would be deleted by the swap."""
    output = settings.output
    if not settings.check_only:
        if (
            problem := not_replaceable(output, FILES, "file a release has (bcto.owl, reports/qc.tsv, ...)", "--output")
        ) is not None:
            return problem
        if (problem := unwritable(output.parent)) is not None:  # the release is written beside it, then swapped in
            return f"{output.parent}: {problem}; give --output a folder you can write"
    if settings.cache is not None and (problem := unwritable(settings.cache)) is not None:
        return f"{settings.cache}: {problem}; give --cache a folder you can write, or --no-cache"
    return None


def build(
    settings: Settings,
    say: Callable[[str], None] = print,
    warn: Callable[[str], None] | None = None,
    early: Early | None = None,
) -> int:
    """Run every stage; return the exit code (0 ok, 1 invalid sources, 2 QC, 3 inconsistent, 4 environment)."""
    warn = warn or (lambda text: print(text, file=sys.stderr))
    if not settings.seeds.is_dir():
        warn(
            f"note: no seed documents at {settings.seeds}; headings, passages and the copy check use the seed "
            "fingerprints (passage hashes are checked only against the documents themselves)"
        )
    if (problem := folder_problem(settings)) is not None:
        warn(problem)
        return EXIT_ENVIRONMENT
    timings: list[tuple[str, float, str]] = []
    try:
        run_stages(settings, lambda *timing: timings.append(timing), early=early)
    except Stop as stop:
        warn(str(stop))
        return stop.code
    for name, seconds, summary in timings:
        say(f"  {name:<10} {seconds:6.2f} s  {summary}")
    say("check passed; nothing written (--check)" if settings.check_only else f"release written to {settings.output}")
    return EXIT_OK
