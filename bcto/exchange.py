"""Swap two paths in one step, so a reader (or a killed build) never finds a release folder missing.

Linux (3.15+, with glibc 2.28+) exchanges two directory entries atomically with renameat2(RENAME_EXCHANGE);
it is called through ctypes. Where the call or the filesystem lacks it, `exchange` says so and the caller
falls back to two renames.
"""

from __future__ import annotations

import ctypes
import errno
import os
from pathlib import Path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_UNSUPPORTED = {errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP}


class ExchangeUnsupported(OSError):
    """This system or filesystem cannot exchange two paths atomically."""


def _renameat2() -> ctypes._CFuncPtr | None:  # type: ignore[name-defined]
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


_CALL = _renameat2()


def exchange(first: Path, second: Path) -> None:
    """Atomically swap what the two existing paths name; raise ExchangeUnsupported where that cannot be done."""
    if _CALL is None:
        raise ExchangeUnsupported(errno.ENOSYS, "renameat2 is not available", str(first))
    if _CALL(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) != 0:
        code = ctypes.get_errno()
        if code in _UNSUPPORTED:
            raise ExchangeUnsupported(code, os.strerror(code), str(first))
        raise OSError(code, os.strerror(code), str(first), None, str(second))
