"""The signals that stop a build (SIGTERM, and Ctrl-C's SIGINT), held across the few steps where the exception
they raise (bcto/cli.py) must not land: there it would leave a JVM's folder behind or be printed and dropped."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager

STOPS = frozenset({signal.SIGINT, signal.SIGTERM})


@contextmanager
def held() -> Iterator[None]:
    """Hold the stop signals for the block; one that came meanwhile is raised as the block ends, in the caller's
    code. The mask is the calling thread's: the kernel hands a signal sent to the process to any thread that does
    not hold it, so this holds it only where no other thread runs (as where the build uses it: before HermiT's
    thread exists). Where there is no pthread_sigmask (Windows), nothing is held."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOPS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
