"""Part of the release computed in a forked child on the machine's other core, while the parent goes on.

A rebuild's HermiT answer comes from the cache, so one core would sit idle; the checks and about half of the
files need only the curation and the compiled N-Triples, so they are made there (bcto/release.py: _second)
while the first process compiles, lays out the graph and writes the views. A fork copies what is loaded for
free (no pickling in, no second import of rdflib); only the finished bytes come back, through an anonymous
file in memory (memfd; a temporary file where there is none): the child pickles its answer into it and says
so with one byte down a pipe, and the parent, when it asks, unpickles it as it reads it, without waiting for the
child's exit (~10 ms for a build's child). Through a pipe, the child waited for the parent to ask, which then
spent ~19 ms draining it 64 KB at a time, on the build's critical path. Forked only from a single-threaded
process (HermiT's thread is started after), so no lock is copied locked. Otherwise (no fork, as on Windows;
other threads; a caller that asks) the work runs inline when its answer is wanted: the same bytes either way.

The child may also wait for bytes the parent makes after the fork (`send`, and the `receive` the work is
given): the release forks after load, so that the child's work on the curation alone runs while the parent
compiles, and then hands the child the compiled N-Triples. They travel the same way, through a memory file,
with one byte down a pipe to say they are whole; a parent that ends without sending closes the pipe, and
`receive` raises in the child instead of waiting forever.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from bcto.stops import held

T = TypeVar("T")


class ChildFailed(RuntimeError):
    """The child ended without an answer (killed, or its exception could not be sent back), or the parent
    ended without sending what the child waited for."""


Receive = Callable[[], bytes]  # what the work is given: waits for the bytes the parent sends, and returns them


@dataclass
class Alongside(Generic[T]):
    """What `start` returns: `result()` waits for the work, re-raising its exception, and gives its answer."""

    work: Callable[[Receive], T]
    pid: int = 0  # 0: not forked, run at result()
    answer: int = -1  # the file the child writes its pickled answer to
    inbox: int = -1  # the file the parent writes what it sends to
    ready: int = -1  # the pipe's writing end: one byte once the inbox is whole
    finished: int = -1  # the reading end of the child's pipe: one byte once its answer is whole
    _reaped: bool = False
    seconds: float = 0.0  # how long the work itself took, wherever it ran (its waits for send included)
    _done: list[T] = field(default_factory=list)
    _sent: list[bytes] = field(default_factory=list)  # run inline: what send gave, for receive

    def send(self, data: bytes) -> None:
        """Give the work the bytes it waits for (once). A child that has died already is not an error here:
        result() reports it."""
        if self.pid == 0:
            self._sent.append(data)
            return
        if self.ready < 0:
            raise RuntimeError("send() is called once, before result() or cancel()")
        try:
            with open(self.inbox, "wb", closefd=False) as file:
                file.write(data)
            os.write(self.ready, b"1")
        except BrokenPipeError:
            pass  # the child is gone; its exit status says why
        finally:
            self._close_inbox()

    def _close_inbox(self) -> None:
        for fd in (self.inbox, self.ready):
            if fd >= 0:
                os.close(fd)
        self.inbox = self.ready = -1

    def _inline(self) -> bytes:
        if not self._sent:
            raise RuntimeError("the work asked for bytes that were not sent before its answer was wanted")
        return self._sent[0]

    def result(self) -> T:
        if self._done:
            return self._done[0]
        if self.pid == 0:
            start = time.perf_counter()
            self._done.append(self.work(self._inline))
            self.seconds = time.perf_counter() - start
            return self._done[0]
        self._close_inbox()  # nothing more will be sent: a child still waiting is told so
        fd, self.answer = self.answer, -1
        try:  # a child that died part-way may have written part of its answer: only one it called whole counts
            whole = os.read(self.finished, 1) == b"1"  # without waiting for its exit (~10 ms for a build's child)
            os.close(self.finished)
            self.finished = -1
            if not whole:
                raise ChildFailed(f"the forked process ended without an answer ({_ended(self._reap())})")
            with open(fd, "rb", closefd=False) as file:  # read as it is unpickled: no second copy of it held
                file.seek(0)
                ok, answer, self.seconds = pickle.load(file)
        finally:
            os.close(fd)
        if not ok:
            raise answer
        self._done.append(answer)
        return answer

    def cancel(self) -> None:
        """Stop a child whose answer is no longer wanted (a stage stopped the build), and reap the child
        either way: result() takes the answer without waiting for the child's exit."""
        if not self.pid or self._reaped:
            return
        if not self._done:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
        for fd in (self.answer, self.finished):
            if fd >= 0:
                os.close(fd)
        self.answer = self.finished = -1
        self._close_inbox()
        self._reap()

    def _reap(self) -> int:
        self._reaped = True
        return os.waitpid(self.pid, 0)[1]


def _memory_file() -> int:
    """A file descriptor of an empty file that parent and child share, opened for reading and writing."""
    if hasattr(os, "memfd_create"):
        return os.memfd_create("bcto-alongside", os.MFD_CLOEXEC)
    with tempfile.TemporaryFile() as file:  # deleted at once where it can be; the descriptor keeps it
        return os.dup(file.fileno())


def _ended(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    return f"exit status {os.waitstatus_to_exitcode(status)}"


def _receiver(inbox: int, ready: int) -> Receive:
    """The child's side of send: wait for the byte that says the inbox is whole, then read it."""

    def receive() -> bytes:
        if os.read(ready, 1) != b"1":
            raise ChildFailed("the first process ended before it sent what this process waits for")
        return os.pread(inbox, os.fstat(inbox).st_size, 0)

    return receive


def start(work: Callable[[Receive], T], fork: bool = True) -> Alongside[T]:
    """Begin `work` in a forked child; defer it to result() instead with fork=False, where there is no
    os.fork, or where another thread runs (a test session's server, say): a child copies every lock as it
    is at the fork, and one held by a thread that the child does not have would never be released. The
    work is given `receive`, which returns what the parent passes to `send`."""
    if not fork or not hasattr(os, "fork") or threading.active_count() > 1:
        return Alongside(work)
    answer, inbox = _memory_file(), _memory_file()
    listen, ready = os.pipe()
    finished, whole = os.pipe()
    with held():  # a stop raised in an at-fork handler (logging's) would be printed and dropped, not stop the build
        pid = os.fork()
    if pid:
        os.close(listen)
        os.close(whole)  # so that the child's end, closed by its exit, reads as the end of the pipe
        return Alongside(work, pid, answer, inbox, ready, finished)
    os.close(ready)  # so that the parent's end, closed, reads as the end of the pipe
    os.close(finished)
    code = 0  # the child: do the work, write (ok, answer, seconds), say so and leave without any cleanup
    try:
        with open(answer, "wb", closefd=False) as file:
            try:
                began = time.perf_counter()
                value = work(_receiver(inbox, listen))
                pickle.dump((True, value, time.perf_counter() - began), file, protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException as err:  # sent back and raised in the parent, where it is reported as if it ran there
                file.seek(0)
                file.truncate()
                file.write(_failure(err))
        os.write(whole, b"1")
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def _failure(err: BaseException) -> bytes:
    """An exception pickled to be raised in the parent; one that cannot be rebuilt there (its arguments
    differ from its __init__'s) or pickled at all travels as its traceback."""
    try:
        message = pickle.dumps((False, err, 0.0))
        pickle.loads(message)
    except Exception:
        message = pickle.dumps((False, ChildFailed("".join(traceback.format_exception(err))), 0.0))
    return message
