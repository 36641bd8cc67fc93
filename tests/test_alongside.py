"""The release's second process: answers come back whole, failures surface in the parent, nothing is left running."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest

from bcto import alongside
from bcto.release import Settings, build
from tests.conftest import SEEDS, build_py


def _no_thread_but_this() -> None:
    if threading.active_count() > 1:
        pytest.skip("another thread of this test session runs, so the work runs inline (tested below)")


def test_the_work_runs_in_a_child_and_its_answer_comes_back_whole() -> None:
    _no_thread_but_this()
    big = b"x" * (5 << 20)  # the size of the formats, far beyond a pipe's buffer
    pending = alongside.start(lambda _: (os.getpid(), big))
    assert pending.pid != 0
    pid, data = pending.result()
    assert pid == pending.pid != os.getpid()
    assert data == big
    assert pending.result()[1] is data  # asked again: the same answer, no second read


def test_an_exception_in_the_child_is_raised_in_the_parent() -> None:
    _no_thread_but_this()

    def fail(_: alongside.Receive) -> None:
        raise ValueError("no such term: bcto:Nothing")

    with pytest.raises(ValueError, match="no such term: bcto:Nothing"):
        alongside.start(fail).result()


class _Unpicklable(Exception):
    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("cannot pickle this")


class _Unrebuildable(Exception):
    """Like the release's Stop: two arguments in, one kept in args, so unpickling calls it with one."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code


@pytest.mark.parametrize("kind", [_Unpicklable, _Unrebuildable])
def test_an_exception_that_cannot_travel_comes_back_as_its_traceback(kind: type[Exception]) -> None:
    _no_thread_but_this()

    def fail(_: alongside.Receive) -> None:
        raise kind("lost in transit") if kind is _Unpicklable else kind(2, "lost in transit")  # type: ignore[call-arg]

    with pytest.raises(alongside.ChildFailed, match="lost in transit"):
        alongside.start(fail).result()


def test_a_child_that_dies_is_reported_not_waited_for_forever() -> None:
    _no_thread_but_this()
    pending = alongside.start(lambda _: os.kill(os.getpid(), signal.SIGKILL))
    with pytest.raises(alongside.ChildFailed, match="killed by signal 9"):
        pending.result()


def test_cancel_stops_and_reaps_the_child() -> None:
    _no_thread_but_this()
    pending = alongside.start(lambda _: time.sleep(60))
    started = time.monotonic()
    pending.cancel()
    assert time.monotonic() - started < 10
    with pytest.raises(ChildProcessError):
        os.waitpid(pending.pid, os.WNOHANG)  # reaped: no such child any more


def test_the_child_waits_for_what_the_parent_sends_after_the_fork() -> None:
    """The release forks after load and sends the compiled N-Triples later: they arrive whole, however big."""
    _no_thread_but_this()
    big = bytes(range(256)) * (20 << 10)  # 5 MB, every byte value
    pending = alongside.start(lambda receive: (receive(), os.getpid()))
    time.sleep(0.05)  # the child is waiting by now
    pending.send(big)
    data, pid = pending.result()
    assert data == big and pid == pending.pid != os.getpid()


def test_a_child_waiting_for_what_is_never_sent_is_told_not_left_waiting() -> None:
    _no_thread_but_this()
    pending = alongside.start(lambda receive: receive())
    with pytest.raises(alongside.ChildFailed, match="ended before it sent"):
        pending.result()  # asked without a send: the pipe is closed, and the child's receive raises


def test_sending_to_a_child_that_died_is_reported_by_result_not_by_send() -> None:
    _no_thread_but_this()
    pending = alongside.start(lambda _: os.kill(os.getpid(), signal.SIGKILL))
    os.waitid(os.P_PID, pending.pid, os.WEXITED | os.WNOWAIT)  # dead, not yet reaped
    pending.send(b"x" * (1 << 20))
    with pytest.raises(alongside.ChildFailed, match="killed by signal 9"):
        pending.result()


def test_inline_the_work_receives_what_was_sent_before_its_answer_was_wanted() -> None:
    pending = alongside.start(lambda receive: receive() + b"!", fork=False)
    pending.send(b"nt")
    assert pending.result() == b"nt!"
    unsent = alongside.start(lambda receive: receive(), fork=False)
    with pytest.raises(RuntimeError, match="not sent"):
        unsent.result()


def test_an_answer_is_taken_before_the_child_has_ended_and_cancel_reaps_it() -> None:
    """result() reads the answer once the child says it is whole (its exit took ~10 ms in a build); the child
    is reaped by cancel(), which the release calls at the end of every build, so none is left a zombie."""
    _no_thread_but_this()
    pending = alongside.start(lambda _: os.getpid())
    assert pending.result() == pending.pid
    pending.cancel()
    with pytest.raises(ChildProcessError):
        os.waitpid(pending.pid, os.WNOHANG)
    pending.cancel()  # again: nothing left to do, and no other process is touched


def test_inline_when_asked_when_other_threads_run() -> None:
    ran: list[int] = []
    asked = alongside.start(lambda _: ran.append(os.getpid()), fork=False)
    assert asked.pid == 0 and ran == []  # deferred: nothing runs until the answer is wanted
    asked.result()
    assert ran == [os.getpid()]

    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        threaded = alongside.start(lambda _: os.getpid())
        assert threaded.pid == 0
        assert threaded.result() == os.getpid()
    finally:
        stop.set()
        other.join()


def test_the_release_is_the_same_written_in_a_child_or_inline(tree: Path, tmp_path: Path) -> None:
    """build.py (a fresh, single-threaded process: QC and most files are made in a child) and an inline build
    give the same bytes, file for file."""
    forked, inline = tmp_path / "forked", tmp_path / "inline"
    done = build_py(tree, forked)
    assert done.returncode == 0, done.stderr
    assert [line.split()[0] for line in done.stdout.splitlines() if "in the second process" in line] == ["serialise", "qc"]
    said: list[str] = []
    assert build(Settings(tree, SEEDS, inline, cache=None, fork=False), say=said.append, warn=said.append) == 0
    assert [line.split()[0] for line in said if "in this process" in line] == ["serialise", "qc"]
    names = sorted(str(p.relative_to(forked)) for p in forked.rglob("*") if p.is_file())
    assert names == sorted(str(p.relative_to(inline)) for p in inline.rglob("*") if p.is_file())
    assert [n for n in names if (forked / n).read_bytes() != (inline / n).read_bytes()] == []
