"""`bcto query` and `bcto serve`: SPARQL from a terminal and over HTTP."""

from __future__ import annotations

import argparse
import difflib
import os
import sys
from pathlib import Path

from bcto.ontology import locations
from bcto.ontology.vocabulary import PREFIXES
from bcto.queries.hints import unknown_names
from bcto.queries.library import CQ_DIR, QC_DIR, find_queries
from bcto.queries.results import FormatMismatch, Triples, serialise
from bcto.queries.runner import QueryError, release_data, release_store, remote

EXIT_OK = 0
EXIT_QUERY = 1  # the query is wrong, or the result cannot be written as asked
EXIT_UNAVAILABLE = 2  # no built release, or the endpoint cannot be reached
FORMATS = ["table", "csv", "tsv", "json", "xml", "turtle", "ntriples", "jsonld"]


def library_listing() -> str:
    """Every query in the library, one line each: its path and its #+ summary."""
    lines: list[str] = []
    for group, folder in (("cq", CQ_DIR), ("qc", QC_DIR)):
        found = find_queries(folder)
        width = max((len(q.name) for q in found), default=0)
        lines.append(f"queries/{group}/ ({len(found)} queries)")
        for q in found:
            lines.append(f"  {q.name.ljust(width)}  {q.summary}")
            if q.tags:
                lines.append(f"  {''.ljust(width)}  keywords: {', '.join(q.tags)}")
        lines += [] if found else ["  (none yet)"]
    return "\n".join(lines) + "\n"


def _query_text(args: argparse.Namespace) -> str:
    if args.query is not None:
        return args.query
    path: Path = args.file
    if not path.is_file():
        library = [p for p in (CQ_DIR / path.name, CQ_DIR / f"{path}.rq", QC_DIR / f"{path}.rq") if p.is_file()]
        if not library:
            names = [q.name for folder in (CQ_DIR, QC_DIR) for q in find_queries(folder)]
            close = difflib.get_close_matches(path.stem, names, n=3, cutoff=0.6)
            hint = f"did you mean {' or '.join(repr(c) for c in close)}? " if close else ""
            raise QueryError(
                f"no query file {path}; {hint}give a path to a .rq file, a library name (see `bcto query --list`)"
                ", or the query itself with --query '…'"
            )
        path = library[0]
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise QueryError(f"cannot read {path}: {err}") from None


def _local(args: argparse.Namespace, text: str) -> tuple[int, bytes]:
    """Check and run the query in a worker process (off the network where the system allows), so that no
    text can crash this process or make it reach out; the worker's reply as (status, body)."""
    from bcto.queries.pool import Job, Pool

    pool = Pool(release_data(args.output), 1, args.timeout, offline=not args.allow_federation)
    try:
        status, _, body = pool.run(Job(text, args.format or "table", args.format or "turtle", None, args.allow_federation))
    finally:
        pool.close()
    return status, body


def run_query(args: argparse.Namespace) -> int:
    if args.list:
        sys.stdout.write(library_listing())
        return EXIT_OK
    if args.query is None and args.file is None:
        print("bcto query: give a .rq file, --query '…', or --list", file=sys.stderr)
        return EXIT_QUERY
    if args.query is not None and args.file is not None:
        print(f"bcto query: give either a query file ({args.file}) or --query '…', not both", file=sys.stderr)
        return EXIT_QUERY
    try:
        text = _query_text(args)
        if args.endpoint:
            result = remote(args.endpoint, text, args.timeout)
            body = serialise(result, args.format or ("turtle" if isinstance(result, Triples) else "table"), PREFIXES)
        else:
            status, body = _local(args, text)
            if status != 200:
                print(f"bcto query: {body.decode('utf-8', 'replace').rstrip()}", file=sys.stderr)
                return EXIT_QUERY
            for line in unknown_names(release_store(args.output), text) if "bcto:" in text else []:
                print(line, file=sys.stderr)  # the answer stands; a name the release lacks is likely a typo
    except (QueryError, FormatMismatch) as err:
        print(f"bcto query: {err}", file=sys.stderr)
        return EXIT_UNAVAILABLE if getattr(err, "status", 400) == 503 else EXIT_QUERY
    sys.stdout.buffer.write(body if body.endswith(b"\n") or not body else body + b"\n")
    sys.stdout.flush()
    return EXIT_OK


def run_serve(args: argparse.Namespace) -> int:
    from bcto.queries.endpoint import EndpointSettings, make_server

    settings = EndpointSettings(
        output=args.output,
        host=args.host,
        port=args.port,
        timeout=args.timeout,
        max_rows=args.max_rows,
        max_query_bytes=args.max_query_bytes,
        workers=args.workers,
        memory_mb=args.memory_mb,
        max_result_mb=args.max_result_mb,
        reserved_workers=args.reserved_workers,
        allow_federation=args.allow_federation,
        quiet=args.quiet,
    )
    try:
        server, pool = make_server(settings)
    except QueryError as err:
        print(f"bcto serve: {err}", file=sys.stderr)
        return EXIT_UNAVAILABLE
    except OSError as err:
        hint = "choose another --port" if err.errno in {98, 48} else "check --host and --port"
        print(f"bcto serve: cannot listen on {args.host}:{args.port} ({err.strerror}); {hint}", file=sys.stderr)
        return EXIT_UNAVAILABLE
    host, port = str(server.server_address[0]), server.server_address[1]
    if pool.why_online:
        print(
            f"warning: query workers can reach the network ({pool.why_online}); the parser guard alone keeps SERVICE, "
            "LOAD and FROM out",
            file=sys.stderr,
        )
    if host not in {"127.0.0.1", "::1", "localhost"}:
        print(f"warning: listening on {host}, reachable from other machines", file=sys.stderr)
    print(f"BCTO SPARQL endpoint: http://{host}:{port}/sparql  (query page http://{host}:{port}/; Ctrl+C stops)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        pool.close()
    return EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    """Add the SPARQL subcommands to the bcto command."""
    output = locations.OUTPUT
    q = sub.add_parser(
        "query",
        help="run a SPARQL query on the built release or on an endpoint",
        description="Run a SPARQL 1.1 query. Prefixes " + ", ".join(PREFIXES) + " are bound already. "
        "Exit codes: 0 ok, 1 the query or format is wrong, 2 no release or endpoint.",
    )
    q.add_argument("file", nargs="?", type=Path, help="a .rq file, or the name of a library query")
    q.add_argument("--query", "-q", help="the query text itself, instead of a file")
    q.add_argument("--list", action="store_true", help="list the query library with each query's summary")
    q.add_argument(
        "--format",
        "-f",
        choices=FORMATS,
        help="table (default for SELECT/ASK), csv, tsv, json, xml; turtle (default for CONSTRUCT/DESCRIBE), ntriples, jsonld",
    )
    q.add_argument("--output", type=Path, default=output, help="release folder to query (default: %(default)s)")
    q.add_argument("--endpoint", help="query this SPARQL 1.1 endpoint URL instead of the release")
    q.add_argument("--timeout", type=float, default=60.0, help="seconds the query may take (default: %(default)s)")
    q.add_argument("--allow-federation", action="store_true", help="let SERVICE and FROM reach other machines")
    q.set_defaults(run=run_query)

    s = sub.add_parser(
        "serve",
        help="serve the release as a read-only SPARQL endpoint on this machine",
        description="A SPARQL 1.1 Protocol endpoint at /sparql, a query page at /, the viewer at "
        "/viewer. Read-only; sends no request off the machine unless --allow-federation.",
    )
    s.add_argument("--host", default="127.0.0.1", help="address to bind (default: %(default)s, this machine only)")
    s.add_argument("--port", type=int, default=8000, help="port (default: %(default)s; 0 picks a free one)")
    s.add_argument("--output", type=Path, default=output, help="release folder to serve (default: %(default)s)")
    s.add_argument("--timeout", type=float, default=10.0, help="seconds a query may run (default: %(default)s)")
    s.add_argument("--max-rows", type=int, default=10_000, help="most rows a result may have (default: %(default)s)")
    s.add_argument("--max-query-bytes", type=int, default=1_000_000, help="longest query accepted (default: %(default)s)")
    s.add_argument(
        "--workers",
        type=int,
        default=max(1, os.cpu_count() or 1),
        help="query worker processes (default: CPU count, %(default)s)",
    )
    s.add_argument(
        "--reserved-workers",
        type=int,
        default=2,
        help="further workers kept for queries shorter than 0.5 s, so slow ones cannot take them all (default: %(default)s)",
    )
    s.add_argument("--max-result-mb", type=float, default=64, help="largest answer sent, in MB (default: %(default)s)")
    s.add_argument("--memory-mb", type=int, default=2048, help="address space per worker, 0 for no limit (default: %(default)s)")
    s.add_argument("--allow-federation", action="store_true", help="permit SERVICE and FROM (requests off the machine)")
    s.add_argument("--quiet", action="store_true", help="do not log each request")
    s.set_defaults(run=run_serve)
