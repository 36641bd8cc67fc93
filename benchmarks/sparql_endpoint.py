"""Endpoint throughput on loopback: 1, 4 and 16 concurrent keep-alive clients, a bounded number of requests each.

    .venv/bin/python benchmarks/sparql_endpoint.py --output /tmp/st/output [--requests 4000]

Starts `bcto serve --port 0` as a subprocess (so clients and server do not share one GIL), then times simple
queries sent over HTTP/1.1 keep-alive connections, and stops the server.
Not run by pytest. Prints a Markdown table and the machine line.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

from benchmarks.sparql_machine import machine_line

SIMPLE = "SELECT ?label WHERE {{ ?c rdfs:label ?label }} LIMIT {n}"  # n varies, so no two requests are the same text


def client(base: str, count: int, start: int, latencies: list[float], failures: list[int]) -> None:
    parts = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    for i in range(count):
        path = "/sparql?query=" + urllib.parse.quote(SIMPLE.format(n=1 + (start + i) % 50))
        began = time.perf_counter()
        conn.request("GET", path, headers={"Accept": "application/sparql-results+json"})
        response = conn.getresponse()
        response.read()
        latencies.append(time.perf_counter() - began)
        if response.status != 200:
            failures.append(response.status)
    conn.close()


def measure(base: str, clients: int, total: int) -> dict[str, float]:
    latencies: list[float] = []
    failures: list[int] = []
    each = total // clients
    threads = [threading.Thread(target=client, args=(base, each, k * each, latencies, failures)) for k in range(clients)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    ordered = sorted(latencies)
    return {
        "clients": clients,
        "requests": len(latencies),
        "failures": len(failures),
        "qps": len(latencies) / elapsed,
        "median_ms": 1000 * statistics.median(ordered),
        "p95_ms": 1000 * ordered[int(0.95 * (len(ordered) - 1))],
    }


@contextlib.contextmanager
def server(output: Path, workers: int, *extra: str) -> Iterator[str]:
    """`bcto serve` on a free loopback port (more options in `extra`), stopped (by its own pid) when the block ends."""
    command = [
        sys.executable,
        "-m",
        "bcto.cli",
        "serve",
        "--port",
        "0",
        "--quiet",
        "--output",
        str(output),
        "--workers",
        str(workers),
        *extra,
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        found = re.search(r"http://[\d.]+:\d+", line)
        if not found:
            raise SystemExit(f"the server did not start: {line!r}")
        yield found.group()
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=Path("output"))
    parser.add_argument("--requests", type=int, default=4000, help="requests per run (default: %(default)s)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="endpoint worker processes")
    args = parser.parse_args()
    with server(args.output, args.workers) as base:
        measure(base, 4, 400)  # warm up
        rows = [measure(base, clients, args.requests) for clients in (1, 4, 16)]
    print(
        f"Endpoint throughput, `{SIMPLE.format(n='1..50')}`, {args.workers} query workers, keep-alive GET, "
        "SPARQL JSON results; the clients are threads of one other process on the same machine.\n"
    )
    print("| clients | requests | failures | queries/s | median ms | p95 ms |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(
            f"| {r['clients']} | {r['requests']} | {r['failures']} | {r['qps']:.0f} | {r['median_ms']:.2f} | {r['p95_ms']:.2f} |"
        )
    print(f"\n{machine_line()}")


if __name__ == "__main__":
    main()
