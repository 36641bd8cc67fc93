"""Worker processes that check and run queries, so that no query can stall or break the server.

pyoxigraph evaluates a query in native code that no Python thread can interrupt (a COUNT over a cartesian
product is one call that runs for hours), and a hostile text can cost the parser seconds: so both happen
in a worker, which the server kills when it overruns, and each worker is cut off the network
(queries.sandbox) and limited in memory.

Scheduling keeps slow queries from taking every worker. There are `size + reserved` workers but only
`size` long slots: a query runs at first with a short budget (`short` seconds) unless a long slot is free;
when the budget runs out it takes a slot if one has freed, and otherwise its worker is replaced and the
query waits for a slot and runs again from the start. So at most `size` workers are ever busy with long
queries, and short ones always find one of the others.
"""

from __future__ import annotations

import multiprocessing
import signal
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection

import pyoxigraph as ox

from bcto.ontology.vocabulary import PREFIXES
from bcto.queries.guard import check
from bcto.queries.results import GRAPH_MEDIA, RESULT_MEDIA, FormatMismatch, Triples, serialise
from bcto.queries.runner import QueryError, TooManyBytes, execute
from bcto.queries.sandbox import isolate
from bcto.queries.store import store_from

TEXT = "text/plain; charset=utf-8"
SHORT = 0.5  # seconds a query may run before it needs a long slot
Reply = tuple[int, str, bytes]  # HTTP status, content type, body


@dataclass(frozen=True)
class Job:
    text: str
    result_format: str  # for SELECT and ASK: json, xml, csv, tsv (or table, for the command line)
    graph_format: str  # for CONSTRUCT and DESCRIBE: turtle, ntriples or jsonld (or a tabular one)
    max_rows: int | None
    allow_federation: bool = False
    max_bytes: int | None = None


def answer(store: ox.Store, job: Job) -> Reply:
    """The reply to one job: the serialised result, or the error's status and message."""
    try:
        result = execute(store, job.text, job.max_rows, job.allow_federation, job.max_bytes)
        fmt = job.graph_format if isinstance(result, Triples) else job.result_format
        if not fmt:
            raise QueryError("none of the media types in the Accept header can carry this kind of result", 406)
        body = serialise(result, fmt, PREFIXES)
        if job.max_bytes is not None and len(body) > job.max_bytes:
            raise TooManyBytes(job.max_bytes)
        return 200, {"table": TEXT, **GRAPH_MEDIA, **RESULT_MEDIA}.get(fmt, TEXT), body
    except (QueryError, FormatMismatch) as err:
        return getattr(err, "status", 406), TEXT, (str(err) + "\n").encode("utf-8")
    except MemoryError:
        return 503, TEXT, b"the query needs more memory than a query worker may use (--memory-mb); narrow it\n"


def _work(conn: Connection, data: list[bytes], memory_bytes: int | None, offline: bool) -> None:
    """A worker's whole life: leave the network, load the store, then answer jobs until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    why_online = isolate() if offline else "federation is allowed, so the workers keep the network"
    if memory_bytes:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    store = store_from(data, ox.RdfFormat.TURTLE)  # data: the release's Turtle files
    check("SELECT * WHERE { ?s ?p ?o }", PREFIXES)  # the parser's first use costs ~0.1 s; not on a user's query
    conn.send(("ready", why_online))
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
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _stopped: bool = False

    def stop(self) -> None:
        """Kill, reap and close, once: the request thread, a restart and close() may all try."""
        with self._lock:
            if self._stopped:
                return
            self._stopped = True
        self.process.kill()
        self.process.join(5)
        self.conn.close()


def _busy(size: int) -> Reply:
    return 503, TEXT, f"all {size} query workers are busy; try again in a moment\n".encode()


def _died(worker: _Worker) -> Reply:
    code = worker.process.exitcode
    how = f"signal {signal.Signals(-code).name}" if code is not None and code < 0 else f"exit {code}"
    return (
        503,
        TEXT,
        (
            f"the query stopped its worker process ({how}): it may need more memory than a worker may use, or be "
            "too deeply built for the engine; narrow it, e.g. with LIMIT or more specific patterns\n"
        ).encode(),
    )


class Pool:
    """`size` workers for any query plus `reserved` kept for short ones (see the module's docstring)."""

    def __init__(
        self,
        data: list[bytes],
        size: int,
        timeout: float,
        memory_bytes: int | None = None,
        reserved: int = 0,
        offline: bool = True,
        short: float = SHORT,
    ) -> None:
        self._data, self._timeout, self._memory, self._offline, self._short = data, timeout, memory_bytes, offline, short
        self._context = multiprocessing.get_context("forkserver")  # fork in a threaded server is unsafe; spawn is slow
        self._context.set_forkserver_preload(["bcto.queries.pool"])
        self._idle: list[_Worker] = []
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._free = threading.Condition(self._lock)
        self._long = threading.BoundedSemaphore(size)
        self._closed = False
        self.size, self.reserved = size, reserved
        self.why_online: str | None = None  # None when every worker is off the network
        workers = [self._spawn() for _ in range(size + reserved)]
        for worker in workers:
            self._put(self._ready(worker))

    def _spawn(self) -> _Worker | None:
        with self._lock:
            if self._closed:
                return None
            parent, child = self._context.Pipe()
            process = self._context.Process(
                target=_work, args=(child, self._data, self._memory, self._offline), daemon=True, name="bcto-sparql-worker"
            )
            process.start()
            child.close()
            worker = _Worker(process, parent)
            self._all.add(worker)
            return worker

    def _ready(self, worker: _Worker | None) -> _Worker:
        if worker is None or not worker.conn.poll(120):
            raise RuntimeError("a SPARQL worker did not start")
        message, why_online = worker.conn.recv()
        if message != "ready":
            raise RuntimeError("a SPARQL worker did not start")
        self.why_online = self.why_online or why_online
        return worker

    def _put(self, worker: _Worker) -> None:
        with self._free:
            self._idle.append(worker)
            self._free.notify()

    def _take(self, deadline: float) -> _Worker | None:
        with self._free:
            while not self._idle:
                left = deadline - time.monotonic()
                if left <= 0 or self._closed:
                    return None
                self._free.wait(left)
            return self._idle.pop()

    def _replace(self, worker: _Worker) -> None:
        """Stop a worker and start its successor in the background, so the request can be answered now."""
        worker.stop()
        with self._lock:
            self._all.discard(worker)

        def restart() -> None:
            fresh = self._spawn()
            try:
                self._put(self._ready(fresh))
            except (RuntimeError, EOFError, OSError):
                if fresh:
                    fresh.stop()

        threading.Thread(target=restart, daemon=True, name="bcto-sparql-restart").start()

    def _wait(self, worker: _Worker, seconds: float) -> Reply | None:
        """The worker's reply within `seconds`, or None; EOFError/OSError when it died."""
        return worker.conn.recv() if worker.conn.poll(seconds) else None

    def run(self, job: Job) -> Reply:
        deadline = time.monotonic() + self._timeout
        slot = False
        while True:
            worker = self._take(deadline)
            if worker is None:
                if slot:
                    self._long.release()
                return _busy(self.size + self.reserved)
            slot = slot or self._long.acquire(blocking=False)
            try:
                worker.conn.send(job)
                reply = self._wait(worker, self._timeout if slot else self._short)
                if reply is None and not slot and self._long.acquire(blocking=False):
                    slot = True  # it is a long query, and a long slot has freed: let it go on
                    reply = self._wait(worker, self._timeout - self._short)
            except (EOFError, OSError):
                self._replace(worker)
                if slot:
                    self._long.release()
                return _died(worker)
            if reply is not None:
                self._put(worker)
                if slot:
                    self._long.release()
                return reply
            self._replace(worker)
            if slot:
                self._long.release()
                return (
                    503,
                    TEXT,
                    (
                        f"the query ran longer than {self._timeout:g} s and was stopped; narrow it (LIMIT, more "
                        "specific patterns) or give a longer --timeout\n"
                    ).encode(),
                )
            # a long query while every long slot is taken: wait for one, then run it again from the start
            if not self._long.acquire(timeout=max(0.0, deadline - time.monotonic())):
                return (
                    503,
                    TEXT,
                    (
                        f"the query needs more than {self._short:g} s and all {self.size} workers for long queries "
                        "are busy; try again in a moment\n"
                    ).encode(),
                )
            slot, deadline = True, time.monotonic() + self._timeout

    def close(self) -> None:
        with self._free:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
            self._free.notify_all()
        for worker in workers:
            worker.stop()
