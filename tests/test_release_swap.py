"""The write stage never leaves output/ missing or partial, whenever the build is killed, and cleans up after killed builds."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bcto.exchange import exchange
from bcto.swap import write_atomically
from tests.conftest import REPO, SEEDS, Release

# Runs the real write stage in a child process that SIGKILLs itself at the Nth step (0: never) and prints the steps.
DRIVER = """
import json, os, signal, sys
from pathlib import Path
import bcto.swap as release

kill_at, mode, source, output = int(sys.argv[1]), sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4])
steps = []

def reached(point):
    steps.append(point)
    if len(steps) == kill_at:
        os.kill(os.getpid(), signal.SIGKILL)

def unsupported(first, second):
    raise release.ExchangeUnsupported(38, "not on this filesystem (test)")

release._reached = reached
if mode == "fallback":
    release.exchange = unsupported
if mode == "build":
    from bcto.cli import main
    main(["build", "--ontology", str(source), "--seeds", sys.argv[5], "--output", str(output), "--no-cache"])
else:
    files = {p.relative_to(source).as_posix(): p.read_bytes() for p in sorted(source.rglob("*")) if p.is_file()}
    release.write_atomically(files, output)
print(json.dumps(steps))
"""


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _drive(
    kill_at: int, mode: str, source: Path, output: Path, *extra: str, temporary: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", DRIVER, str(kill_at), mode, str(source), str(output), *extra],
        check=False,
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
        env={**os.environ, "TMPDIR": str(temporary)} if temporary else None,
    )


def _releases(release: Release, tmp_path: Path) -> tuple[dict[str, bytes], Path]:
    """The real release as the old one; a new one that differs in every file's bytes and in its file list."""
    old = _snapshot(release.output)
    new = {name: b"new " + data for name, data in old.items() if name != "bcto.sssom.tsv"} | {"reports/extra.tsv": b"x\n"}
    source = tmp_path / "new-release"
    for name, data in new.items():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_bytes(data)
    return old, source


def _siblings(output: Path) -> list[str]:
    return sorted(p.name for p in output.parent.iterdir() if p.name != "new-release")


def test_exchange_swaps_two_folders_on_this_filesystem(tmp_path: Path) -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("renameat2(RENAME_EXCHANGE) is Linux's; elsewhere the documented two-rename fallback runs")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "in-a").write_bytes(b"a")
    (tmp_path / "b" / "in-b").write_bytes(b"b")
    exchange(tmp_path / "a", tmp_path / "b")
    assert [p.name for p in (tmp_path / "a").iterdir()] == ["in-b"]
    assert [p.name for p in (tmp_path / "b").iterdir()] == ["in-a"]


def test_a_kill_at_any_step_of_the_write_stage_leaves_a_complete_output(release: Release, tmp_path: Path) -> None:
    old, source = _releases(release, tmp_path)
    new = _snapshot(source)
    output = tmp_path / "output"
    write_atomically(old, output)
    counted = _drive(0, "exchange", source, output)
    assert counted.returncode == 0, counted.stderr
    steps = json.loads(counted.stdout)
    assert len(steps) == len(new) + 3, steps  # leftovers, one per file, the exchange, the clean-up
    assert _snapshot(output) == new
    for kill_at in range(1, min(len(steps), 20) + 1):
        write_atomically(old, output)
        done = _drive(kill_at, "exchange", source, output)
        assert done.returncode == -signal.SIGKILL, f"step {kill_at}: {done.stderr}"
        after = _snapshot(output)
        assert after in (old, new), f"killed after {steps[kill_at - 1]!r}: output/ is neither release"
        assert after == (new if kill_at > len(new) + 1 else old), steps[kill_at - 1]
        write_atomically(new, output)  # the next build
        assert _siblings(output) == ["output"], f"leftovers after a kill at {steps[kill_at - 1]!r}"
        assert _snapshot(output) == new


def test_the_fallback_swap_is_repaired_by_the_next_build(release: Release, tmp_path: Path) -> None:
    """Without an atomic exchange, a kill between the two renames leaves output/ missing; the next build puts it back."""
    old, source = _releases(release, tmp_path)
    output = tmp_path / "output"
    write_atomically(old, output)
    steps = json.loads(_drive(0, "fallback", source, output).stdout)
    between = steps.index("moved the previous release aside") + 1
    write_atomically(old, output)
    assert _drive(between, "fallback", source, output).returncode == -signal.SIGKILL
    assert not output.exists()
    write_atomically(old, output)
    assert _siblings(output) == ["output"]
    assert _snapshot(output) == old


def test_a_killed_build_is_cleaned_up_by_the_next(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    """The real build killed in its write stage: output/ is still the previous release, and the next build tidies.
    HermiT's early JVM has answered by then, and its folder went with its answer: the kill leaves none behind."""
    output = tmp_path / "output"
    (output / "reports").mkdir(parents=True)
    (output / "reports" / "qc.tsv").write_bytes(b"previous\n")
    previous = _snapshot(output)
    temporary = tmp_path_factory.mktemp("tmp")  # not beside output/, whose siblings are checked below
    done = _drive(5, "build", REPO / "ontology", output, str(SEEDS), temporary=temporary)
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert list(temporary.iterdir()) == [], "HermiT's folder outlived its answer"
    assert _snapshot(output) == previous
    assert any(name.startswith(".output.new-") for name in _siblings(output)), "the kill left a half-written folder"
    again = _drive(0, "build", REPO / "ontology", output, str(SEEDS))
    assert again.returncode == 0, again.stderr
    assert _siblings(output) == ["output"]
    assert "bcto.owl" in _snapshot(output)


def test_folders_of_running_builds_are_left_alone(tmp_path: Path) -> None:
    output = tmp_path / "output"
    running = os.getppid()  # alive for the whole test
    for name in (f".output.new-{running}", ".output.new-99999999", ".output.old-99999999", ".outputs.new-99999999"):
        (tmp_path / name).mkdir()
    write_atomically({"a.txt": b"a"}, output)
    assert _siblings(output) == [f".output.new-{running}", ".outputs.new-99999999", "output"]
