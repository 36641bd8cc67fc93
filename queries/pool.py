"""Worker processes that run the endpoint's queries, so that a runaway query can be stopped.

pyoxigraph evaluates a query in native code that no Python thread can interrupt (a COUNT over a cartesian
product is one call that runs for hours). Each worker holds its own copy of the store; the server waits
for its answer at most `timeout` seconds, then kills the worker and starts a fresh one. A memory limit
per worker turns a query that would exhaust the machine into one stopped worker.
"""

from __future__ import annotations

import multiprocessing
import queue
import signal
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection

import pyoxigraph as ox

from bcto.ontology.vocabulary import PREFIXES
from bcto.queries.results import GRAPH_MEDIA, RESULT_MEDIA, FormatMismatch, Triples, serialise
from bcto.queries.runner import QueryError, execute
from bcto.queries.store import store_from

TEXT = "text/plain; charset=utf-8"
Reply = tuple[int, str, bytes]  # HTTP status, content type, body


@dataclass(frozen=True)
class Job:
    text: str
    result_format: str  # for SELECT and ASK: json, xml, csv or tsv
    graph_format: str  # for CONSTRUCT and DESCRIBE: turtle, ntriples or jsonld
    max_rows: int
    allow_federation: bool = False


def answer(store: ox.Store, job: Job) -> Reply:
    """The HTTP reply to one job: the serialised result, or the error's status and message."""
    try:
        result = execute(store, job.text, job.max_rows, job.allow_federation)
        fmt = job.graph_format if isinstance(result, Triples) else job.result_format
        if not fmt:
            raise QueryError("none of the media types in the Accept header can carry this kind of result", 406)
        return 200, (GRAPH_MEDIA | RESULT_MEDIA)[fmt], serialise(result, fmt, PREFIXES)
    except (QueryError, FormatMismatch) as err:
        return getattr(err, "status", 406), TEXT, (str(err) + "\n").encode("utf-8")


def _work(conn: Connection, data: list[bytes], memory_bytes: int | None) -> None:
    """A worker's whole life: load the store, then answer jobs until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    if memory_bytes:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    store = store_from(data, ox.RdfFormat.TURTLE)  # data: the release's Turtle files
    conn.send("ready")
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(answer(store, job))


@dataclass(eq=False)  # hashed by identity, kept in a set
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection

    def stop(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


class Pool:
    """A fixed number of workers; each job gets one idle worker, or a 503 when none frees up in time."""

    def __init__(self, data: list[bytes], size: int, timeout: float, memory_bytes: int | None = None) -> None:
        self._data, self._timeout, self._memory = data, timeout, memory_bytes
        self._context = multiprocessing.get_context("spawn")  # fork in a threaded server is unsafe
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self.size = size
        for worker in [self._spawn() for _ in range(size)]:
            self._idle.put(self._ready(worker))

    def _spawn(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=_work, args=(child, self._data, self._memory), daemon=True, name="bcto-sparql-worker"
        )
        process.start()
        child.close()
        worker = _Worker(process, parent)
        with self._lock:
            self._all.add(worker)
        return worker

    def _ready(self, worker: _Worker) -> _Worker:
        if not worker.conn.poll(120) or worker.conn.recv() != "ready":
            raise RuntimeError("a SPARQL worker did not start")
        return worker

    def _replace(self, worker: _Worker) -> None:
        """Stop a worker and start its successor in the background, so the request can be answered now."""
        worker.stop()
        with self._lock:
            self._all.discard(worker)

        def restart() -> None:
            if not self._closed:
                fresh = self._spawn()
                try:
                    self._ready(fresh)
                except (RuntimeError, EOFError, OSError):
                    fresh.stop()
                    return
                if self._closed:
                    fresh.stop()
                else:
                    self._idle.put(fresh)

        threading.Thread(target=restart, daemon=True).start()

    def run(self, job: Job) -> Reply:
        try:
            worker = self._idle.get(timeout=self._timeout)
        except queue.Empty:
            return 503, TEXT, (f"all {self.size} query workers are busy; try again in a moment\n").encode()
        try:
            worker.conn.send(job)
            if worker.conn.poll(self._timeout):
                reply = worker.conn.recv()
                self._idle.put(worker)
                return reply
        except (EOFError, OSError):
            self._replace(worker)
            return (
                503,
                TEXT,
                (
                    b"the query stopped its worker (it may need more memory than a worker may use); "
                    b"narrow it, e.g. with LIMIT or more specific patterns\n"
                ),
            )
        self._replace(worker)
        return (
            503,
            TEXT,
            (
                f"the query ran longer than {self._timeout:g} s and was stopped; narrow it (LIMIT, more "
                "specific patterns) or start the endpoint with a longer --timeout\n"
            ).encode(),
        )

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.stop()
