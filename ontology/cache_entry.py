"""Writing one entry of a content-addressed cache (.cache/: reasoner answers, layouts, the checked core.ttl)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


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
