"""The cyclic garbage collector, paused where the build makes many long-lived objects and no cycles."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Building a graph allocates millions of small objects and no cycles; the cyclic collector's passes
    over them cost a quarter of compile time at 10x, so it waits until the graph is built. The whole
    build runs inside one (bcto/release.py), and so do its imports (bcto/cli.py): importing rdflib and the
    release's modules made enough objects for ~9 ms of collections in a 0.45 s rebuild. The collector is
    left as it was found."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
