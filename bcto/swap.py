"""Putting a written release in place of the previous one: output/ is never missing or partial, whenever the
build is killed, and the next build removes what a killed one left beside it; and, before any of it, whether
a folder can be written and may be replaced whole."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from bcto.exchange import ExchangeUnsupported, exchange


def unwritable(folder: Path) -> str | None:
    """Why the build could not write in folder, or None. Tried (a folder made, a file made and deleted),
    not inferred from permissions, which root bypasses; the build asks before any stage runs, so a bad
    --output or --cache is one line and exit 4, not a traceback after the work is done."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tempfile.TemporaryFile(dir=folder).close()
    except OSError as err:
        return f"cannot write there ({err.strerror}: {err.filename})" if err.filename else f"cannot write there ({err})"
    return None


def not_replaceable(folder: Path, ours: Iterable[str], what: str, option: str) -> str | None:
    """Why folder may not be replaced whole, or None: it must be new, empty, or hold one of the files named
    by ours (what the writer leaves in every folder it writes). A file, or a folder of someone else's files,
    named by mistake would otherwise be deleted."""
    if folder.exists() and not folder.is_dir():
        return f"{folder}: a file, not a folder; give {option} a new folder (it is replaced whole)"
    if folder.is_dir() and any(folder.iterdir()) and not any((folder / name).is_file() for name in ours):
        return (
            f"{folder}: holds files but no {what}, so it was not written here, and it would be replaced whole; "
            f"give {option} a new or empty folder, or one written before"
        )
    return None


def _reached(point: str) -> None:
    """A marker between two steps of the write stage; does nothing. The kill test replaces it to stop a build there."""


def _leftover_pid(path: Path, output: Path) -> int | None:
    """The build id in a `.output.new-PID` / `.output.old-PID` folder name beside output/, or None."""
    for kind in ("new", "old"):
        stem = f".{output.name}.{kind}-"
        if path.name.startswith(stem) and path.name[len(stem) :].isascii() and path.name[len(stem) :].isdigit():
            return int(path.name[len(stem) :])
    return None


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return False  # an earlier write of this process, which cleans up after itself: anything left is stale
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_leftovers(output: Path) -> None:
    """Remove what killed builds left beside output/ (a half-written new release, or the previous one).
    Where output/ is missing (a build killed between the two renames of the fallback swap), the previous
    release is put back first. Folders of builds still running are left alone."""
    if not output.parent.is_dir():
        return
    for path in sorted(output.parent.iterdir()):
        pid = _leftover_pid(path, output)
        if pid is None or _running(pid):
            continue
        if ".old-" in path.name and not (output.exists() or output.is_symlink()):
            path.rename(output)
        else:
            shutil.rmtree(path, ignore_errors=True)


def _swap_in(fresh: Path, output: Path, stale: Path) -> None:
    """Put fresh in output's place. With an atomic exchange output/ is never missing; the fallback (two
    renames) leaves it missing for the instant between them, and the next build repairs a kill there."""
    if output.exists() or output.is_symlink():
        try:
            exchange(fresh, output)  # fresh now holds the previous release
            _reached("exchanged")
            return
        except ExchangeUnsupported:
            pass
        output.rename(stale)
        _reached("moved the previous release aside")
    fresh.rename(output)
    _reached("renamed into place")


def write_atomically(files: dict[str, bytes], output: Path) -> None:
    """Write the whole release into a sibling folder, then swap it in: a failure or a kill leaves output/
    complete, either the previous release or the new one, and the next write removes any leftovers."""
    output.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(output)
    _reached("removed leftovers")
    fresh = output.parent / f".{output.name}.new-{os.getpid()}"
    stale = output.parent / f".{output.name}.old-{os.getpid()}"
    try:
        for name, data in sorted(files.items()):
            target = fresh / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            _reached(f"wrote {name}")
        _swap_in(fresh, output, stale)
    except BaseException:
        if stale.exists() and not output.exists():
            stale.rename(output)
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    shutil.rmtree(fresh, ignore_errors=True)
    shutil.rmtree(stale, ignore_errors=True)
    _reached("removed the previous release")
