"""Cut a query process off the network, so that no query text, however it is read, can make a request.

The parser guard (queries.guard) is the first wall; this is the second. On Linux a process may enter a new
user namespace and, inside it, a new network namespace that has only a loopback interface which is down:
every connect, to 127.0.0.1 as much as anywhere, fails with "network unreachable". Python 3.11 has no
os.unshare, so libc's unshare(2) is called through ctypes. It needs a single-threaded process and a
kernel that permits unprivileged user namespaces; where either is missing the guard stands alone.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys

CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000


def isolate() -> str | None:
    """Move this process into its own user and network namespaces; None when done, else why not."""
    if not sys.platform.startswith("linux"):
        return f"network namespaces are Linux-only (this is {sys.platform})"
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        if libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0:
            errno = ctypes.get_errno()
            return f"unshare(CLONE_NEWUSER|CLONE_NEWNET) failed: {os.strerror(errno)}"
    except (OSError, AttributeError) as err:
        return f"unshare(2) is not available: {err}"
    return None
