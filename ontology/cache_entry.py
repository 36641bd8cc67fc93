"""One entry of a content-addressed cache (.cache/: reasoner answers, layouts, the checked core.ttl, parsed
tables and seed shapes): written so that no reader sees half of it, and for what this code made, read back."""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
from collections.abc import Callable
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def keep(entry: Path, data: bytes) -> None:
    """Write entry under a temporary name, then rename it, so a reader (another build at the same moment)
    never sees half of it. Best-effort: a cache that cannot be written (read-only, full, a file in the way)
    only costs the next build the work again."""
    partial = entry.with_suffix(f".tmp-{os.getpid()}")
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(data)
        partial.replace(entry)
    except OSError:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)


@cache  # the code does not change while a process runs (a --watch keeps one for every rebuild)
def code_digest() -> bytes:
    """A hash of the source of every module of this package: what a pickled entry depends on besides its
    input (the checks, the readers, the classes it holds), so that a change to any of them misses the cache."""
    digest = hashlib.sha256()
    package = files(__package__ or "bcto.ontology")
    for module in sorted((m for m in package.iterdir() if m.name.endswith(".py")), key=lambda m: m.name):
        digest.update(module.name.encode() + b"\0" + module.read_bytes())
    return digest.digest()


def pickled(folder: Path | None, key: bytes, make: Callable[[], T], kind: type, worth_keeping: Callable[[T], bool]) -> T:
    """make(), or what an earlier make() gave for the same key and the same code, kept in folder as a pickle.
    A pickle written by this code into the project's own .cache is trusted as Python trusts the bytecode it
    keeps in __pycache__; one that does not load, or is not a `kind`, is made again and replaced. Only what
    `worth_keeping` approves is kept (a table read with problems is read again, so they are reported)."""
    if folder is None:
        return make()
    entry = folder / f"{hashlib.sha256(code_digest() + key).hexdigest()}.pickle"
    try:
        kept = pickle.loads(entry.read_bytes())
        if isinstance(kept, kind):
            return kept  # type: ignore[return-value]
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError, IndexError):
        pass
    made = make()
    if worth_keeping(made):
        keep(entry, pickle.dumps(made, protocol=pickle.HIGHEST_PROTOCOL))
    return made
