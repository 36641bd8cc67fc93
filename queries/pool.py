"""Worker processes that check and run queries, so that no query can stall or break the server.

pyoxigraph evaluates a query in native code that no Python thread can interrupt (a COUNT over a cartesian
product is one call that runs for hours), and a hostile text can cost the parser seconds: so both happen
in a worker, which the server kills when it overruns, and each worker is cut off the network
(queries.sandbox) and limited in memory.

Scheduling keeps slow queries from taking every worker. There are `size + reserved` workers but only
`size` long slots: a query runs at first with a short budget (`short` seconds); when the budget runs out
it takes a long slot if one is free and goes on at a lower CPU priority (nice 10). If none is free it may
overflow (at most `max(1, reserved)` at a time): it goes on at the lowest priority (nice 19) and a fresh
worker is forked at once to take its worker's place, so the short queries keep theirs. Beyond that, its
worker is replaced and the query waits for a long slot and runs again from the start. Either way a fresh
worker is ready for short queries within milliseconds: workers are forked from a zygote process that holds
the loaded store, and a worker that ran a long query is replaced afterwards (so no worker keeps a low
priority).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.context
import os
import signal
import socket
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.reduction import recv_handle, send_handle

import pyoxigraph as ox

from bcto.ontology.vocabulary import PREFIXES
from bcto.queries.guard import check
from bcto.queries.results import GRAPH_MEDIA, RESULT_MEDIA, FormatMismatch, Triples, serialise
from bcto.queries.runner import QueryError, TooManyBytes, execute
from bcto.queries.sandbox import isolate
from bcto.queries.store import store_from

TEXT = "text/plain; charset=utf-8"
SHORT = 0.5  # seconds a query may run before it needs a long slot
LONG_NICE = 10  # the scheduling priority of a worker running a long query: short ones get the CPU first
OVERFLOW_NICE = 19  # the priority of a long query that found no long slot free
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


def _serve(conn: Connection, store: ox.Store) -> None:
    """A worker's life: answer jobs until the pipe closes."""
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(answer(store, job))


def _zygote(conn: Connection, data: list[bytes], memory_bytes: int | None, offline: bool) -> None:
    """The process workers are forked from: it leaves the network, loads the store and warms the parser once,
    so that a new worker costs a fork (milliseconds), not a Python start and a store load (a second or more).
    It runs no query itself. Requests: "fork" (answered with the new worker's socket and pid) and
    ("stop", pid) (answered with how that worker ended); it reaps its children, so a pid is never reused
    while the server may still name it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    why_online = isolate() if offline else "federation is allowed, so the workers keep the network"
    if memory_bytes:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    store = store_from(data, ox.RdfFormat.TURTLE)  # data: the release's Turtle files
    check("SELECT * WHERE { ?s ?p ?o }", PREFIXES)  # the parser's first use costs ~0.1 s; not on a user's query
    conn.send(("ready", why_online))
    children: set[int] = set()
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            break
        if request == "fork":
            ours, theirs = socket.socketpair()
            pid = os.fork()
            if pid == 0:  # the worker: it never returns into this loop
                try:
                    conn.close()
                    ours.close()
                    _serve(Connection(theirs.detach()), store)
                finally:
                    os._exit(0)
            theirs.close()
            children.add(pid)
            send_handle(conn, ours.fileno(), 0)
            ours.close()
            conn.send(pid)
        elif isinstance(request, tuple) and request[0] == "stop":
            conn.send(_reap(request[1], children, request[2]))
    for pid in list(children):
        _reap(pid, children)


def _reap(pid: int, children: set[int], grace: float = 0.0) -> str:
    """Reap one of the zygote's workers, killing it unless it ends within `grace` seconds; how it ended."""
    if pid not in children:
        return "already stopped"
    children.discard(pid)
    until = time.monotonic() + grace
    while not (found := os.waitpid(pid, os.WNOHANG))[0] and time.monotonic() < until:
        time.sleep(0.01)
    ended, status = found
    if not ended:
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        return "stopped"
    if os.WIFSIGNALED(status):
        return f"signal {signal.Signals(os.WTERMSIG(status)).name}"
    return f"exit {os.waitstatus_to_exitcode(status)}"


@dataclass(eq=False)  # hashed by identity, kept in a set
class _Worker:
    pid: int
    conn: Connection
    zygote: _Zygote
    ended: str = ""  # how it ended, once stopped
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _stopped: bool = False

    def lower_priority(self, nice: int) -> bool:
        """Let this worker's query yield the CPU to short queries; True (the worker is marked long)."""
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, self.pid, nice)
        return True

    def stop(self, grace: float = 0.0) -> str:
        """Kill, reap and close, once: the request thread, a restart and close() may all try. `grace`: seconds
        to let a worker that is already dying end by itself, so that its own cause of death is reported."""
        with self._lock:
            if not self._stopped:
                self._stopped = True
                self.ended = self.zygote.stop(self.pid, grace)
                self.conn.close()
            return self.ended


class _Zygote:
    """The server's side of the zygote process: one request at a time."""

    def __init__(self, context: multiprocessing.context.SpawnContext, args: tuple) -> None:
        self.conn, child = context.Pipe()  # duplex: a Unix socket, which can carry file descriptors
        self.process = context.Process(target=_zygote, args=(child, *args), daemon=True, name="bcto-sparql-zygote")
        self.process.start()
        child.close()
        self._lock = threading.Lock()
        if not self.conn.poll(120):
            raise RuntimeError("the SPARQL worker process did not start")
        message, self.why_online = self.conn.recv()
        if message != "ready":
            raise RuntimeError("the SPARQL worker process did not start")

    def fork(self) -> _Worker:
        with self._lock:
            self.conn.send("fork")
            fd = recv_handle(self.conn)
            pid = self.conn.recv()
        return _Worker(pid, Connection(fd), self)

    def stop(self, pid: int, grace: float) -> str:
        try:
            with self._lock:
                self.conn.send(("stop", pid, grace))
                return self.conn.recv()
        except (EOFError, OSError):
            return "the zygote had stopped"

    def close(self) -> None:
        with self._lock:
            self.conn.close()
        self.process.join(10)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(5)


def _busy(size: int) -> Reply:
    return 503, TEXT, f"all {size} query workers are busy; try again in a moment\n".encode()


def _died(how: str) -> Reply:
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
        self._timeout, self._short = timeout, short
        self._idle: list[_Worker] = []
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._free = threading.Condition(self._lock)
        self._long = threading.BoundedSemaphore(size)
        self._overflow = threading.BoundedSemaphore(max(1, reserved))  # long queries beyond the slots
        self._closed = False
        self.size, self.reserved = size, reserved
        context = multiprocessing.get_context("spawn")  # fork in a threaded server is unsafe
        self._zygote = _Zygote(context, (data, memory_bytes, offline))
        self.why_online: str | None = self._zygote.why_online  # None when the workers are off the network
        for _ in range(size + reserved):
            self._put(self._spawn())

    def _spawn(self) -> _Worker:
        worker = self._zygote.fork()
        with self._lock:
            if self._closed:
                worker.stop()
                raise OSError("the pool is closed")
            self._all.add(worker)
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

    def _replace(self, worker: _Worker, successor: bool = True) -> None:
        """Stop a worker and (unless told not to) start its successor in the background."""
        worker.stop()
        with self._lock:
            self._all.discard(worker)
        if successor:
            threading.Thread(target=self._add, daemon=True, name="bcto-sparql-restart").start()

    def _add(self) -> None:
        with contextlib.suppress(EOFError, OSError):  # the pool was closed meanwhile
            self._put(self._spawn())

    def _wait(self, worker: _Worker, seconds: float) -> Reply | None:
        """The worker's reply within `seconds`, or None; EOFError/OSError when it died."""
        return worker.conn.recv() if worker.conn.poll(seconds) else None

    def _release(self, slot: bool, overflow: bool) -> None:
        if slot:
            self._long.release()
        if overflow:
            self._overflow.release()

    def _overrun(self) -> Reply:
        return (
            503,
            TEXT,
            (
                f"the query ran longer than {self._timeout:g} s and was stopped; narrow it (LIMIT, more "
                "specific patterns) or give a longer --timeout\n"
            ).encode(),
        )

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
            overflow = long = False
            try:
                worker.conn.send(job)
                reply = self._wait(worker, self._short)
                if reply is None:
                    slot = slot or self._long.acquire(blocking=False)
                    overflow = not slot and self._overflow.acquire(blocking=False)
                if reply is None and (slot or overflow):
                    # a long query goes on behind short ones (lower priority); one that overflows (no long slot
                    # free) goes on at the lowest, and a fresh worker takes its worker's place at once
                    long = worker.lower_priority(OVERFLOW_NICE if overflow else LONG_NICE)
                    if overflow:
                        threading.Thread(target=self._add, daemon=True, name="bcto-sparql-restart").start()
                    reply = self._wait(worker, self._timeout - self._short)
            except (EOFError, OSError):
                how = worker.stop(grace=1.0)
                self._replace(worker, successor=not overflow)
                self._release(slot, overflow)
                return _died(how)
            if reply is not None:
                if long:
                    self._replace(worker, successor=not overflow)  # fresh ones have the normal priority
                else:
                    self._put(worker)
                self._release(slot, overflow)
                return reply
            self._replace(worker, successor=not overflow)
            self._release(slot, overflow)
            if slot or overflow:
                return self._overrun()
            # a long query while every long slot and overflow place is taken: wait for a slot, run it again
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
        self._zygote.close()
