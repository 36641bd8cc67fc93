"""Slow queries among fast ones: does a fast query still get a worker at once? (issue 12)

    .venv/bin/python -m benchmarks.sparql_mix --output output [--requests 60] [--clients 4]

Starts `bcto serve` (a subprocess) three times: fast queries only (the baseline), then the mix with no
reserved workers (every worker may be taken by slow queries, as before issue 12), then the mix with the
default reservation. In the mix each client sends every tenth query slow: a cartesian COUNT that runs into
the timeout. Fast queries are the label lookups of benchmarks/sparql_endpoint.py. Reports, for the fast
queries, the median and p99 latency and the errors; slow queries are expected to end in 503.
Not run by pytest. Prints a Markdown table and the machine line.
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import threading
import time
import urllib.parse
from pathlib import Path

from benchmarks.sparql_endpoint import SIMPLE, server
from benchmarks.sparql_machine import machine_line

SLOW = "SELECT (COUNT(*) AS ?n) WHERE {{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . FILTER(?a != <urn:x:{n}>) }}"  # n varies


def client(base: str, count: int, index: int, slow_every: int, fast: list[float], errors: list[int], slow: list[int]) -> None:
    parts = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    for i in range(count):
        is_slow = slow_every > 0 and (i + index) % slow_every == 0
        text = SLOW.format(n=index * count + i) if is_slow else SIMPLE.format(n=1 + (index * count + i) % 50)
        began = time.perf_counter()
        conn.request("GET", "/sparql?query=" + urllib.parse.quote(text), headers={"Accept": "application/sparql-results+json"})
        response = conn.getresponse()
        response.read()
        if response.getheader("Connection", "").lower() == "close":
            conn.close()
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
        if is_slow:
            slow.append(response.status)
        else:
            fast.append(time.perf_counter() - began)
            if response.status != 200:
                errors.append(response.status)
    conn.close()


def measure(base: str, clients: int, each: int, slow_every: int) -> dict[str, float]:
    fast: list[float] = []
    errors: list[int] = []
    slow: list[int] = []
    threads = [threading.Thread(target=client, args=(base, each, k, slow_every, fast, errors, slow)) for k in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ordered = sorted(fast)
    return {
        "fast": len(fast),
        "errors": len(errors),
        "slow": len(slow),
        "slow_503": sum(1 for s in slow if s == 503),
        "median_ms": 1000 * statistics.median(ordered),
        "p99_ms": 1000 * ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))],
        "max_ms": 1000 * ordered[-1],
        "seconds": time.perf_counter() - began,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=Path("output"))
    parser.add_argument("--requests", type=int, default=60, help="requests per client (default: %(default)s)")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="long slots (default: CPU count)")
    parser.add_argument("--timeout", type=float, default=5.0, help="the server's --timeout (default: %(default)s)")
    args = parser.parse_args()
    runs = [
        ("fast only (baseline)", 0, 2),
        ("1 in 10 slow, --reserved-workers 0", 10, 0),
        ("1 in 10 slow, --reserved-workers 2 (default)", 10, 2),
    ]
    rows = []
    for label, slow_every, reserved in runs:
        extra = ["--timeout", str(args.timeout), "--reserved-workers", str(reserved)]
        with server(args.output, args.workers, *extra) as base:
            measure(base, args.clients, 20, 0)  # warm up
            rows.append((label, measure(base, args.clients, args.requests, slow_every)))
    base_median = rows[0][1]["median_ms"]
    print(
        f"Slow/fast mix: {args.clients} keep-alive clients x {args.requests} requests, {args.workers} long slots, "
        f"--timeout {args.timeout:g}; fast = `{SIMPLE.format(n='1..50')}`, slow = a cartesian COUNT stopped at the timeout.\n"
    )
    print("| run | fast queries | fast errors | fast median ms | × baseline | fast p99 ms | fast max ms | slow (503) | s |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for label, r in rows:
        print(
            f"| {label} | {r['fast']} | {r['errors']} | {r['median_ms']:.1f} | {r['median_ms'] / base_median:.2f} | "
            f"{r['p99_ms']:.1f} | {r['max_ms']:.1f} | {r['slow']} ({r['slow_503']}) | {r['seconds']:.0f} |"
        )
    load = os.getloadavg()
    print(f"\nLoad average at the end: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1/5/15 min).")
    print(machine_line())


if __name__ == "__main__":
    main()
