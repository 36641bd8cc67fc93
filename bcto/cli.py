"""The `bcto` command: one entry point whose subcommands later issues extend."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bcto import __version__
from bcto.graph import commands as graph_commands
from bcto.queries import commands as query_commands
from bcto.release import Settings, build


def _build_parser(sub: argparse._SubParsersAction) -> None:
    defaults = Settings()
    p = sub.add_parser(
        "build",
        help="check the curated sources and write the release to output/",
        description="Compile ontology/ into a checked release. Exit codes: 0 ok, 1 invalid "
        "sources, 2 QC violations, 3 inconsistent ontology, 4 missing Java.",
    )
    p.add_argument("--check", action="store_true", help="validate everything but write nothing")
    p.add_argument("--ontology", type=Path, default=defaults.ontology, help="curated sources (default: %(default)s)")
    p.add_argument("--seeds", type=Path, default=defaults.seeds, help="source documents (default: %(default)s)")
    p.add_argument("--output", type=Path, default=defaults.output, help="release folder (default: %(default)s)")
    p.add_argument("--no-cache", action="store_true", help="run HermiT even if the logical content is unchanged")
    p.set_defaults(run=lambda a: build(Settings(a.ontology, a.seeds, a.output, a.check, None if a.no_cache else defaults.cache)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="bcto",
        description="BCTO, the Bone Cancer Treatment Ontology. "
        "A knowledge resource drawn from patient-information pages, not medical advice.",
    )
    parser.add_argument("--version", action="version", version=f"bcto {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    _build_parser(sub)
    query_commands.register(sub)
    graph_commands.register(sub)
    args = parser.parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":
    sys.exit(main())
