"""The `bcto` command: one entry point whose subcommands later issues extend."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import NoReturn

from bcto import __version__
from bcto.collector import gc_paused
from bcto.ontology import hermit, locations


def _build(a: argparse.Namespace) -> int:
    """The build's folders: as given, else beside the curated sources (`--ontology DIR` alone builds that project)."""
    project = a.ontology.parent
    output = a.output if a.output is not None else project / locations.OUTPUT
    cache = None if a.no_cache else (a.cache if a.cache is not None else output.parent / locations.CACHE)
    seeds = a.seeds if a.seeds is not None else project / locations.SEEDS
    with hermit.early() if _reasons_afresh(a, cache) else nullcontext(None) as early:  # before the imports below
        # imported here: the release pulls in every writer, which `bcto query`, `bcto serve` and the query workers
        # they spawn (and which import this module) never use
        with gc_paused():
            from bcto.release import Settings, build

        settings = Settings(a.ontology, seeds, output, a.check, cache)
        if a.watch:
            from bcto.watch import watch

            return watch(settings, a.interval)
        return build(settings, early=early)


def _reasons_afresh(a: argparse.Namespace, cache: Path | None) -> bool:
    """Whether to start HermiT's JVM before the imports (bcto/ontology/hermit.py): only where no answer is kept
    (--no-cache, a first build). With answers kept, the next build usually reuses one (a definition, label or
    source edit keeps the logical fingerprint), and a JVM started for nothing costs such a build ~0.1-0.3 s
    (BENCHMARKS.md); which edits keep it is known only after compile. Not for --watch, which stays running."""
    if a.watch:
        return False
    return cache is None or not any((cache / locations.REASONER_CACHE).glob("*.json"))


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0.01 <= value <= 60:  # NaN fails too
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds from 0.01 to 60")
    return value


def _build_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "build",
        help="check the curated sources and write the release to output/",
        description="Compile ontology/ into a checked release. Exit codes: 0 ok, 1 invalid "
        "sources, 2 QC violations, 3 inconsistent ontology, 4 missing Java or an output or cache folder that cannot be written.",
    )
    p.add_argument("--check", action="store_true", help="validate everything but write nothing")
    p.add_argument("--ontology", type=Path, default=locations.ONTOLOGY, help="curated sources (default: %(default)s)")
    p.add_argument("--seeds", type=Path, help="source documents (default: ../shared/seeds beside the project)")
    p.add_argument("--output", type=Path, help="release folder (default: output/ beside the curated sources)")
    p.add_argument("--cache", type=Path, help="reasoner, layout and parsed-sources cache (default: .cache/ beside the output)")
    p.add_argument("--no-cache", action="store_true", help="recompute everything: HermiT, the layout, the parsed sources")
    p.add_argument(
        "--watch",
        action="store_true",
        help="build, then build again whenever a file of --ontology or --seeds changes, until Ctrl-C",
    )
    p.add_argument("--interval", type=_seconds, default=0.2, help="with --watch: seconds between looks (default: %(default)s)")
    p.set_defaults(run=_build)


def _other_commands(sub: argparse._SubParsersAction) -> None:
    """Every subcommand but `build`: imported only when one of them may run, so that a build (build.py, the
    edit-rebuild loop) does not pay for the query engine, the SPARQL parser and the curator tools."""
    from bcto import curate
    from bcto import options as options_command
    from bcto.graph import commands as graph_commands
    from bcto.queries import commands as query_commands

    query_commands.register(sub)
    graph_commands.register(sub)
    curate.register(sub)
    options_command.register(sub)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(
        prog="bcto",
        description="BCTO, the Bone Cancer Treatment Ontology. "
        "A knowledge resource drawn from patient-information pages, not medical advice.",
    )
    parser.add_argument("--version", action="version", version=f"bcto {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    _build_parser(sub)
    if argv[:1] != ["build"]:
        _other_commands(sub)
    args = parser.parse_args(argv)
    return int(args.run(args))


class Stopped(BaseException):
    """A SIGTERM, raised in the build's main thread like the KeyboardInterrupt of a Ctrl-C, so that the same
    cleanup runs: the early JVM and its folder, the second process, a release half written beside output/.
    A BaseException, as KeyboardInterrupt is: no `except Exception` on the way may swallow it."""

    def __init__(self, number: int) -> None:
        super().__init__(number)
        self.number = number


_STOPS: list[int] = []  # the signal that stopped this build, if one did


def _stop(number: int, _frame: object) -> None:
    _STOPS.append(number)
    signal.signal(number, lambda *_: None)  # once: a second SIGTERM must not cut the cleanup short
    raise Stopped(number)


def _end_by(number: int) -> NoReturn:
    print(
        f"bcto build: stopped by {signal.Signals(number).name}; a release is only swapped in whole, so the "
        "output folder holds the previous release or this one, never part of one",
        file=sys.stderr,
    )
    sys.stdout.flush()
    sys.stderr.flush()
    signal.signal(number, signal.SIG_DFL)
    os.kill(os.getpid(), number)
    os._exit(128 + number)  # not reached: the signal ends the process first


def script(argv: list[str] | None = None) -> int:
    """The `bcto` command and build.py: main(), and after a build an exit that skips the interpreter's
    teardown. Freeing a build's million objects one by one took a tenth of a rebuild; the release is
    written and closed by then, and only the output streams are left to flush (mypy exits the same way).
    A build stopped by SIGTERM or Ctrl-C says so in one line (no traceback) and then ends by that signal,
    as whoever sent it expects. Other commands exit normally: their worker processes and threads are
    stopped by the usual cleanup (`bcto serve` handles its own signals)."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] != ["build"]:
        return main(argv)
    signal.signal(signal.SIGTERM, _stop)  # `--watch` sets its own while it watches, and puts this one back
    try:
        code = main(argv)
    except Stopped as stop:
        _end_by(stop.number)
    except KeyboardInterrupt:
        _end_by(signal.SIGINT)
    if _STOPS:  # raised where Python prints and drops an exception (a finaliser), so the build went on
        _end_by(_STOPS[0])
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    sys.exit(script())
