"""Build benchmarks: the floor, HermiT's fixed cost, every build stage on the real graph and on 10x/100x synthetic ones.

Not part of the test run. One command reruns everything and writes benchmarks/results/build-<date>.md:
    .venv/bin/python benchmarks/build_bench.py
Options: --runs 5 (real graph and end-to-end builds), --mid-runs 3 (10x), --big-runs 1 (100x), --scales 10,100
(--scales "" for the floor, end-to-end and real graph only), --reason-timeout 900 (seconds, the one reasoning
run at the largest scale), --out PATH (default: build-<date>.md, or build-<date>b.md, c, ... if taken).

Every run is a fresh subprocess (`--worker`), so each median includes no warm caches from another run and
the peak memory is that run's own: ru_maxrss of the Python process, and separately of its children (Java).
At each synthetic scale the whole build.py also runs once, with the memory of the build and HermiT together
sampled from /proc.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO.parent / "shared" / "seeds"
PY = sys.executable
FLOOR_IMPORTS = "import rdflib, owlready2, networkx, pyvis"
ONE_CLASS = """
import time, owlready2
world = owlready2.World()
onto = world.get_ontology("http://example.org/one.owl")
with onto:
    class A(owlready2.Thing):
        pass
start = time.perf_counter()
owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
print(time.perf_counter() - start)
"""


# ------------------------------------------------------------------ the worker: one build, stage by stage


def _worker(ontology: Path, do_reason: bool, reason_only: bool = False) -> None:
    """Run the release's own stages (bcto.release.STAGES) in process, printing one JSON line per stage."""
    started = time.perf_counter()

    def report(name: str, seconds: float, _summary: str = "") -> None:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # so far: shows which stage set the peak
        print(json.dumps({"stage": name, "seconds": seconds, "peak_so_far_mb": round(peak)}), flush=True)

    t = time.perf_counter()
    from bcto.ontology.reason import Reasoning, reason
    from bcto.release import Settings, run_stages

    report("import", time.perf_counter() - t)

    def stand_in(owl, _cache, _nt, _early):  # type: ignore[no-untyped-def]
        """What HermiT would return for a purely told hierarchy: each class's told superclasses."""
        from rdflib.namespace import RDFS

        told: dict[str, set[str]] = {}
        for child, predicate, parent in owl:  # the compiled triples (ontology/triples.py), not an rdflib Graph
            if predicate == RDFS.subClassOf and str(parent).startswith("https://w3id.org/bcto/"):
                told.setdefault(str(child), set()).add(str(parent))
        return Reasoning(True, (), {cls: frozenset(parents) for cls, parents in told.items()}), False

    if reason_only:

        def only_reason(owl, _cache, nt, _early):  # type: ignore[no-untyped-def]
            t = time.perf_counter()
            answer = reason(owl, nt)
            report("reason", time.perf_counter() - t)
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            java = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            print(json.dumps({"rss_mb": rss, "java_rss_mb": java}), flush=True)
            os._exit(0)  # the rest of the build is measured by the other runs
            return answer, False

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(ontology=ontology, seeds=SEEDS, output=Path(tmp) / "output", cache=None)
        chosen = only_reason if reason_only else (reason if do_reason else stand_in)
        if chosen is reason:
            chosen = lambda owl, _cache, nt, _early: (reason(owl, nt), False)  # noqa: E731 - no cache: every run reasons
        built = run_stages(settings, report, chosen)
    if built.second is not None and built.second.pid:  # the second process's own time: QC, half the files
        report("second process (qc, files)", built.second.seconds - built.second.result().waited)
    print(
        json.dumps({"triples": len(built.ontology or ()), "edges": len(built.kg or ()), "terms": len(built.curation.terms)}),
        flush=True,
    )
    print(
        json.dumps(
            {
                "stage": "in-process total",
                "seconds": time.perf_counter() - started,
                "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "java_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
            }
        ),
        flush=True,
    )


# ------------------------------------------------------------------ running subprocesses


def _group_rss_mb(group: int) -> float:
    """Resident memory of every process in a process group (the build and its Java child), from /proc."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended while we looked
        if int(fields[2]) == group:  # pgrp; fields[21] is rss in pages
            total += int(fields[21])
    return total * os.sysconf("SC_PAGE_SIZE") / 2**20


def _environment(extra: dict[str, str] | None) -> dict[str, str]:
    """This environment, but with bytecode caching on, as a user's is: under PYTHONDONTWRITEBYTECODE every run
    would compile BCTO's modules again (~0.14 s), while the floor's libraries load compiled from site-packages."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, **(extra or {})}


def _run(
    command: list[str], timeout: float | None = None, env: dict[str, str] | None = None, peak: list[float] | None = None
) -> tuple[float, str, bool]:
    """Wall seconds, stdout, and whether it finished; on timeout the whole process group (Java too) is killed.
    If peak is given, the group's resident memory is sampled every 0.2 s and its maximum appended to it: the
    Python and Java peaks (ru_maxrss) are each a process's own, and this is what both hold at once."""
    with tempfile.TemporaryFile("w+") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(
            command, stdout=out, stderr=subprocess.DEVNULL, cwd=REPO, start_new_session=True, env=_environment(env)
        )
        highest = 0.0
        deadline = None if timeout is None else start + timeout
        try:
            while True:
                try:
                    proc.wait(0.2 if peak is not None else timeout)
                    break
                except subprocess.TimeoutExpired:
                    if peak is not None and Path(f"/proc/{proc.pid}").exists():
                        highest = max(highest, _group_rss_mb(proc.pid))
                    if deadline is not None and time.perf_counter() > deadline:
                        raise
            finished = proc.returncode == 0
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            finished = False
        wall = time.perf_counter() - start
        if peak is not None:
            peak.append(highest)
        out.seek(0)
        return wall, out.read(), finished


def _worker_run(ontology: Path, do_reason: bool, timeout: float | None = None, reason_only: bool = False) -> dict[str, object]:
    command = [PY, __file__, "--worker", str(ontology)] + ([] if do_reason else ["--no-reason"])
    command += ["--reason-only"] if reason_only else []
    wall, text, finished = _run(command, timeout)
    run: dict[str, object] = {"wall": wall, "finished": finished, "stages": {}}
    for line in text.splitlines():
        record = json.loads(line)
        if "stage" in record:
            run["stages"][record["stage"]] = record["seconds"]
            if "peak_so_far_mb" in record:
                run.setdefault("peak_so_far_mb", {})[record["stage"]] = record.pop("peak_so_far_mb")
            run.update({k: v for k, v in record.items() if k.endswith("_mb")})
        else:
            run.update(record)
    return run


# ------------------------------------------------------------------ what we measure


def floor(runs: int) -> dict[str, list[float]]:
    """F (interpreter + imports + java -version) and H (owlready2 HermiT over one class), each `runs` times."""
    out: dict[str, list[float]] = {"python + imports": [], "java -version": [], "F": [], "H": []}
    for _ in range(runs):
        imports = _run([PY, "-c", FLOOR_IMPORTS])[0]
        java = _run(["java", "-version"])[0]
        out["python + imports"].append(imports)
        out["java -version"].append(java)
        out["F"].append(imports + java)
        out["H"].append(float(_run([PY, "-c", ONE_CLASS])[1].strip()))
    return out


def end_to_end(runs: int, scratch: Path) -> dict[str, list[float]]:
    """Wall time of build.py: cold (no reasoner cache), and a rebuild after a definition edit (cache hit)."""
    tree = scratch / "edited" / "ontology"
    shutil.copytree(REPO / "ontology", tree, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    out: dict[str, list[float]] = {
        "cold build (--check --no-cache)": [],
        "rebuild after a definition edit": [],
        "full build writing output/ (cache hit)": [],
    }
    build = [PY, str(REPO / "build.py"), "--seeds", str(SEEDS)]
    _run([*build, "--check", "--ontology", str(tree)])  # warms the reasoner cache (.cache/reasoner) for this content
    for i in range(runs):
        out["cold build (--check --no-cache)"].append(_run([*build, "--check", "--no-cache"])[0])
        _edit_definition(tree, i)
        out["rebuild after a definition edit"].append(_run([*build, "--check", "--ontology", str(tree)])[0])
        out["full build writing output/ (cache hit)"].append(
            _run([*build, "--ontology", str(tree), "--output", str(scratch / "output")])[0]
        )
    out |= watching(runs, scratch)
    return out


def _edit_definition(tree: Path, i: int) -> None:
    """Change the first goal's definition: no logical change, so HermiT's answer comes from the cache."""
    path = tree / "terms" / "goals.tsv"
    rows = path.read_text(encoding="utf-8").split("\n")
    cells = rows[1].split("\t")
    cells[3] = f"{cells[3].split(', edited')[0].removesuffix('.')}, edited ({i})."
    rows[1] = "\t".join(cells)
    path.write_text("\n".join(rows), encoding="utf-8")


WATCH_INTERVAL = 0.05


def free_name(folder: Path, day: str) -> Path:
    """build-<day>.md, else build-<day>b.md, c, ...: a second run on the same day keeps the first's results."""
    for suffix in ["", *"bcdefghijklmnopqrstuvwxyz"]:
        path = folder / f"build-{day}{suffix}.md"
        if not path.exists() and not path.with_suffix(".json").exists():
            return path
    raise SystemExit(f"{folder}: build-{day}.md to build-{day}z.md all exist; give --out PATH")


def watching(runs: int, scratch: Path) -> dict[str, list[float]]:
    """The same edit, rebuilt by `bcto build --watch --check` (one process for every run, on its own copy of
    the tree, after the one-shot runs so that neither disturbs the other): the rebuild's own time as the watch
    reports it, and the time from the save to its report, which adds the wait for the next look and the look
    that confirms the change has settled (about 1.5 intervals)."""
    tree = scratch / "watched" / "ontology"
    shutil.copytree(REPO / "ontology", tree, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    command = [PY, "-m", "bcto.cli", "build", "--watch", "--check", "--interval", str(WATCH_INTERVAL)]
    command += ["--seeds", str(SEEDS), "--ontology", str(tree)]
    out: dict[str, list[float]] = {"rebuild in `bcto build --watch`": [], "save to rebuilt, --watch --interval 0.05": []}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=REPO)
    assert process.stdout is not None

    def finished() -> float:
        for line in process.stdout:  # type: ignore[union-attr]
            if line.startswith("build finished in "):
                return float(line.split()[3])
            if line.startswith("build stopped"):
                raise SystemExit(f"the watched build failed: {line}")
        raise SystemExit("the watch ended")

    try:
        finished()  # the first build, which also warms the reasoner cache for this content
        for i in range(runs + 1):
            time.sleep(0.3)  # past the watch's next look, so each save is seen on its own
            _edit_definition(tree, i)
            saved = time.perf_counter()
            seconds = finished()
            if i:  # the first rebuild is the process's first with every stage's code paths warm
                out["rebuild in `bcto build --watch`"].append(seconds)
                out["save to rebuilt, --watch --interval 0.05"].append(time.perf_counter() - saved)
    finally:
        process.terminate()
        process.wait(timeout=60)
    return out


# ------------------------------------------------------------------ the report


def _cell(values: list[float]) -> str:
    if not values:
        return "-"
    return f"{statistics.median(values):.2f} ({min(values):.2f}-{max(values):.2f})"


def machine_line() -> str:
    java = subprocess.run(["java", "-version"], check=False, capture_output=True, text=True).stderr.splitlines()[0]
    libs = ", ".join(f"{n} {version(n)}" for n in ("rdflib", "owlready2", "pyoxigraph", "networkx", "pyvis"))
    return (
        f"Machine: {os.cpu_count()} CPUs ({platform.machine()}, {platform.system()}), load average "
        f"{os.getloadavg()[0]:.1f} at start; Python {platform.python_version()}; {libs}; {java}; "
        f"measured {datetime.datetime.now().isoformat(timespec='minutes')}."
    )


def _stage_table(scales: dict[str, list[dict[str, object]]]) -> list[str]:
    names: list[str] = []
    for runs in scales.values():
        for run in runs:
            names += [n for n in run["stages"] if n not in names]
    keys = list(scales)
    lines = [
        "| stage | " + " | ".join(keys) + (" | growth " + f"{keys[-2]}→{keys[-1]} |" if len(keys) > 2 else " |"),
        "| --- " * (len(keys) + 1 + (len(keys) > 2)) + "|",
    ]
    for name in names:
        cells = [_cell([r["stages"][name] for r in scales[k] if name in r["stages"]]) for k in keys]
        row = f"| {name} | " + " | ".join(cells)
        if len(keys) > 2:
            a = [r["stages"][name] for r in scales[keys[-2]] if name in r["stages"]]
            b = [r["stages"][name] for r in scales[keys[-1]] if name in r["stages"]]
            row += f" | {statistics.median(b) / statistics.median(a):.1f}x" if a and b and statistics.median(a) else " | -"
        lines.append(row + " |")
    for label, key in (
        ("wall, whole subprocess", "wall"),
        ("peak RSS Python (MB)", "rss_mb"),
        ("peak RSS of a child: Java, the second process (MB)", "java_rss_mb"),
    ):
        cells = [_cell([float(r[key]) for r in scales[k] if key in r]) for k in keys]
        lines.append(f"| **{label}** | " + " | ".join(cells) + (" | |" if len(keys) > 2 else " |"))
    sizes = " | ".join(f"{scales[k][0].get('terms', '?')} terms, {scales[k][0].get('triples', '?')} OWL triples" for k in keys)
    lines.append("| size | " + sizes + (" | |" if len(keys) > 2 else " |"))
    return lines


def _verdict(measured: float, bound: float) -> str:
    return f"{measured / bound:.2f}, {'met' if measured <= bound else 'NOT met'}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--no-reason", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--reason-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--runs", type=int, default=5, help="runs of the real graph (and of the end-to-end builds)")
    parser.add_argument("--mid-runs", type=int, default=3, help="runs at every synthetic scale but the largest")
    parser.add_argument("--big-runs", type=int, default=1, help="runs at the largest scale, reasoning left out")
    parser.add_argument("--scales", default="10,100")
    parser.add_argument("--reason-timeout", type=float, default=900.0)
    parser.add_argument("--out", type=Path, help="default: benchmarks/results/build-<date>.md, or <date>b, c... if taken")
    args = parser.parse_args(argv)
    args.out = args.out or free_name(REPO / "benchmarks" / "results", datetime.date.today().isoformat())
    if args.worker:
        _worker(args.worker, not args.no_reason, args.reason_only)
        return
    from synthetic import write_synthetic  # benchmarks/ is on sys.path when this file runs as a script

    say: Callable[[str], None] = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731
    report = ["# Build benchmarks", "", machine_line(), ""]
    say("floor and HermiT's fixed cost ...")
    fl = floor(args.runs)
    scratch = Path(tempfile.mkdtemp(prefix="bcto-bench-"))
    say("end-to-end builds ...")
    e2e = end_to_end(args.runs, scratch)
    scales: dict[str, list[dict[str, object]]] = {"real": []}
    for _ in range(args.runs):
        say("real graph, one run ...")
        scales["real"].append(_worker_run(REPO / "ontology", True))
    big = [int(s) for s in args.scales.split(",") if s]
    reason_notes: list[str] = []
    whole: dict[str, dict[str, object]] = {}
    for times in big:
        tree = write_synthetic(scratch / f"{times}x" / "ontology", times)
        key = f"{times}x"
        scales[key] = []
        largest = times == max(big)
        for i in range(args.big_runs if largest else args.mid_runs):
            say(f"{key}, run {i + 1}{' (reasoning left out)' if largest else ''} ...")
            scales[key].append(_worker_run(tree, not largest))
        if largest:
            say(f"{key}: one reasoning run, at most {args.reason_timeout:.0f} s ...")
            run = _worker_run(tree, True, args.reason_timeout, reason_only=True)
            if run["finished"]:
                scales[key][0]["stages"]["reason"] = run["stages"]["reason"]
                reason_notes.append(
                    f"{key}: HermiT finished in {run['stages']['reason']:.0f} s "
                    f"(Java peak RSS {run.get('java_rss_mb', 0):.0f} MB)."
                )
            else:
                reason_notes.append(
                    f"{key}: HermiT was stopped by the {args.reason_timeout:.0f} s timeout after "
                    f"{run['wall']:.0f} s of the run (load and compile included); it had not finished."
                )
        say(f"{key}: the whole build.py (--check --no-cache), memory of the build and HermiT sampled together ...")
        peaks: list[float] = []
        wall, _, finished = _run(
            [PY, str(REPO / "build.py"), "--seeds", str(SEEDS), "--ontology", str(tree), "--check", "--no-cache"],
            args.reason_timeout * 2,
            peak=peaks,
        )
        whole[key] = {"wall": wall, "finished": finished, "peak_mb": peaks[0]}
    f_med, h_med = statistics.median(fl["F"]), statistics.median(fl["H"])
    cold = statistics.median(e2e["cold build (--check --no-cache)"])
    rebuild = statistics.median(e2e["rebuild after a definition edit"])
    report += ["## Floor", "", "| measure | median (min-max), s |", "| --- | --- |"]
    report += [f"| {k} | {_cell(v)} |" for k, v in fl.items()]
    report += [
        "",
        "## End to end (`build.py`, wall time of the process)",
        "",
        "| build | median (min-max), s | target |",
        "| --- | --- | --- |",
        f"| cold build (--check --no-cache) | {_cell(e2e['cold build (--check --no-cache)'])} | "
        f"F + H + 0.6 = {f_med + h_med + 0.6:.2f}: {_verdict(cold, f_med + h_med + 0.6)} |",
        f"| rebuild after a definition edit | {_cell(e2e['rebuild after a definition edit'])} | "
        f"1.2 F = {1.2 * f_med:.2f}: {_verdict(rebuild, 1.2 * f_med)} |",
        f"| full build writing output/ (cache hit) | {_cell(e2e['full build writing output/ (cache hit)'])} | |",
        f"| rebuild in `bcto build --watch` (its own time) | {_cell(e2e['rebuild in `bcto build --watch`'])} | "
        f"1.2 F = {1.2 * f_med:.2f}: {_verdict(statistics.median(e2e['rebuild in `bcto build --watch`']), 1.2 * f_med)}"
        " (a warm process: no import) |",
        f"| save to rebuilt, `--watch --interval 0.05` | {_cell(e2e['save to rebuilt, --watch --interval 0.05'])} | |",
        "",
        "## Stages (seconds, median (min-max) of fresh subprocesses; runs: "
        + ", ".join(f"{k} {len(v)}" for k, v in scales.items())
        + ")",
        "",
    ]
    report += _stage_table(scales)
    if big:
        report += [
            "",
            f"At {max(big)}x the stage runs leave reasoning out (a same-size stand-in for the inferred "
            "hierarchy feeds the later stages); HermiT runs once, separately, under a timeout:",
        ]
    report += [f"- {note}" for note in reason_notes]
    if whole:
        report += [
            "",
            "Whole builds (`build.py --check --no-cache`, one run each; peak memory is the build process and "
            "HermiT's JVM together, sampled every 0.2 s from /proc):",
            "",
            "| scale | wall, s | peak memory, build + HermiT (MB) | finished |",
            "| --- | --- | --- | --- |",
        ]
        report += [
            f"| {k} | {v['wall']:.0f} | {v['peak_mb']:,.0f} | {'yes' if v['finished'] else 'NO'} |" for k, v in whole.items()
        ]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(report) + "\n", encoding="utf-8")
    record = {"floor": fl, "end_to_end": e2e, "scales": scales, "whole": whole}
    (args.out.with_suffix(".json")).write_text(json.dumps(record, indent=1))
    shutil.rmtree(scratch, ignore_errors=True)
    print("\n".join(report))
    print(f"\nwritten to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
