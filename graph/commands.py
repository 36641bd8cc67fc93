"""`bcto path` and `bcto stats`: explain connections and summarise the graph's shape."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rdflib import Graph

from bcto.graph.extract import graph_data
from bcto.graph.model import GraphData
from bcto.ontology.locations import OUTPUT, QUERYABLE, missing_release

EXIT_OK, EXIT_NOT_FOUND, EXIT_NO_RELEASE = 0, 1, 2


class MissingRelease(FileNotFoundError):
    pass


def load_release(output: Path) -> GraphData:
    """The graph data of a built release folder (the only file reading these commands do)."""
    problem = missing_release(output)
    if problem:
        raise MissingRelease(problem)
    owl, kg, inferred = (Graph().parse(output / name, format="turtle") for name in QUERYABLE[:3])  # not the statement nodes
    return graph_data(owl, kg, inferred)


def _path(args: argparse.Namespace) -> int:
    from bcto.graph.explain import UnknownTerm, describe, resolve, routes  # networkx: only when a command walks the graph

    try:
        data = load_release(args.output)
        start, end = resolve(data, args.start), resolve(data, args.end)
    except MissingRelease as err:
        print(f"bcto path: {err}", file=sys.stderr)
        return EXIT_NO_RELEASE
    except UnknownTerm as err:
        print(err, file=sys.stderr)
        return EXIT_NOT_FOUND
    found = routes(data, start, end, limit=args.routes)
    sys.stdout.write(describe(data, start, end, found))
    return EXIT_OK if found else EXIT_NOT_FOUND


def _stats(args: argparse.Namespace) -> int:
    from bcto.graph.summary import summary

    try:
        data = load_release(args.output)
    except MissingRelease as err:
        print(f"bcto stats: {err}", file=sys.stderr)
        return EXIT_NO_RELEASE
    sys.stdout.write(summary(data, top=args.top))
    return EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    """Add the graph subcommands to the bcto command."""
    output_help = "the built release folder (default: %(default)s)"
    p = sub.add_parser(
        "path",
        help="explain how two terms are connected, with the source of each step",
        description="Print the shortest meaningful routes between two terms in the knowledge graph; "
        "every step names its source document and section. Terms may be given by id, "
        "label, synonym or lay term. Exit codes: 0 connected, 1 unknown term or no "
        "connection, 2 no release (run `python build.py`).",
    )
    p.add_argument("start", help="a term id or name, e.g. Osteosarcoma or 'osteogenic sarcoma'")
    p.add_argument("end", help="a term id or name")
    p.add_argument("--routes", type=int, default=3, help="how many equally short routes to show (default: %(default)s)")
    p.add_argument("--output", type=Path, default=OUTPUT, help=output_help)
    p.set_defaults(run=_path)

    s = sub.add_parser(
        "stats",
        help="summarise the graph: sizes, degree and centrality",
        description="Counts by family and link kind, connected parts, the most connected and the most "
        "central terms. Exit codes: 0 ok, 2 no release (run `python build.py`).",
    )
    s.add_argument("--top", type=int, default=10, help="how many terms to list in each ranking (default: %(default)s)")
    s.add_argument("--output", type=Path, default=OUTPUT, help=output_help)
    s.set_defaults(run=_stats)
