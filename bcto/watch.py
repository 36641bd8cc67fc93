"""`bcto build --watch`: build, then build again each time a curated file or a seed document changes.

A curator edits a table and wants the located problems, or the new release, at once. A fresh process spends
about a third of a rebuild importing rdflib and the build's own modules before it reads a byte; this one
imports them once. Each rebuild is the same `release.build` a one-shot build runs, on the files as they are
then, so it writes the same bytes. Files are compared by modification time and size every `interval`
seconds (no file-system notification library: a few dozen files cost microseconds to look at), and a
change is built only once two looks in a row agree, so an editor's save in several writes is built once.
Python files are not watched: the running build keeps the code it started with (restart to use new code).
"""

from __future__ import annotations

import gc
import os
import signal
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from bcto.release import Settings, build

Snapshot = dict[str, tuple[int, int]]  # path -> (modification time in ns, size)
SKIPPED_SUFFIXES = (".py", ".pyc")


def snapshot(folders: Iterable[Path], skip: Iterable[Path] = ()) -> Snapshot:
    """Every file under the folders but Python code, hidden files and the folders in `skip` (the build's own
    output and cache, should they lie inside a watched folder: each build would set off the next), with its
    modification time and size."""
    found: Snapshot = {}
    skipped = {os.path.realpath(path) for path in skip}
    for folder in folders:
        for root, dirs, files in os.walk(folder):
            dirs[:] = sorted(
                d
                for d in dirs
                if not d.startswith(".") and d != "__pycache__" and os.path.realpath(os.path.join(root, d)) not in skipped
            )
            for name in files:
                if name.startswith(".") or name.endswith(SKIPPED_SUFFIXES):
                    continue
                path = os.path.join(root, name)
                try:
                    stat = os.stat(path)
                except OSError:  # removed between the listing and the look: the next look will not see it
                    continue
                found[path] = (stat.st_mtime_ns, stat.st_size)
    return found


def changed(before: Snapshot, after: Snapshot) -> list[str]:
    """The paths added, removed or changed between two snapshots, sorted."""
    return sorted(path for path in before.keys() | after.keys() if before.get(path) != after.get(path))


def look(settings: Settings) -> Snapshot:
    """What a release is made from: the curated sources and, when they are there, the seed documents."""
    folders = [settings.ontology, *([settings.seeds] if settings.seeds.is_dir() else [])]
    return snapshot(folders, [settings.output, *([settings.cache] if settings.cache else [])])


def watch(
    settings: Settings,
    interval: float = 0.2,
    say: Callable[[str], None] = print,
    rebuild: Callable[[Settings], int] = build,
    sleep: Callable[[float], None] = time.sleep,
    rounds: int | None = None,
) -> int:
    """Build now and after every change until Ctrl-C or SIGTERM; return 0. `rounds` (for tests) stops after
    that many builds. A build that fails leaves the last release as it was and the watch goes on."""
    builds = 0
    terminated: list[int] = []  # SIGTERM lets the build under way finish, then stops: an exception raised by
    previous = signal.signal(signal.SIGTERM, lambda number, _frame: terminated.append(number))  # a handler can
    # land in a finaliser, where Python prints and drops it, and the watch would go on

    def run(why: str) -> None:
        nonlocal builds
        say(why)
        began = time.perf_counter()
        code = rebuild(settings)
        say(f"build {'finished' if code == 0 else f'stopped (exit {code})'} in {time.perf_counter() - began:.2f} s")
        builds += 1
        gc.collect()  # the build's cycles (~30 ms of collection), now, while nothing waits, not in the next build

    def going() -> bool:
        return not terminated and (rounds is None or builds < rounds)

    try:
        seeds = f" and {settings.seeds}" if settings.seeds.is_dir() else ""
        seen = look(settings)  # before the build: a file saved while it runs is built next
        run(f"watching {settings.ontology}{seeds}: building now, and again on each change (Ctrl-C stops)")
        while going():
            sleep(interval)
            now = look(settings)
            if now == seen:
                continue
            while going():  # settled: the same on two looks in a row
                sleep(interval)
                settled = look(settings)
                if settled == now:
                    break
                now = settled
            if not going():
                break
            paths = changed(seen, now)
            seen = now
            shown = ", ".join(paths[:3]) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")
            run(f"changed: {shown}; building")
    except KeyboardInterrupt:  # Ctrl-C stops at once, mid-build too: output/ is replaced whole or not at all
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
    say("stopped watching")
    return 0
