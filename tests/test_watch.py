"""`bcto build --watch`: a change to a curated file is built once it settles, into the same bytes as a
one-shot build; a broken table is reported and the watch goes on; Ctrl-C or `kill` stops it cleanly."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from bcto.release import Settings
from bcto.watch import changed, look, snapshot, watch
from tests.conftest import SEEDS, build_py

DEFINITION = "Pain felt as if it came from a limb that has been removed."


def test_snapshot_sees_data_files_but_not_code_hidden_files_or_skipped_folders(tmp_path: Path) -> None:
    (tmp_path / "terms").mkdir()
    (tmp_path / "terms" / "a.tsv").write_text("x")
    (tmp_path / "code.py").write_text("x")
    (tmp_path / ".hidden.tsv").write_text("x")
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "b.tsv").write_text("x")
    (tmp_path / "output").mkdir()
    (tmp_path / "output" / "bcto.owl").write_text("x")
    found = snapshot([tmp_path], skip=[tmp_path / "output"])
    assert sorted(found) == [str(tmp_path / "terms" / "a.tsv")]


def test_changed_names_added_removed_and_modified_files() -> None:
    before = {"a": (1, 1), "b": (1, 1), "c": (1, 1)}
    after = {"a": (1, 1), "b": (2, 1), "d": (1, 1)}
    assert changed(before, after) == ["b", "c", "d"]


def _scripted(steps: list[Callable[[], None]]) -> tuple[list[str], Callable[[float], None]]:
    """A sleep that makes one scripted change per call (then none), and the list the watch's lines go to."""
    lines: list[str] = []

    def sleep(_seconds: float) -> None:
        if steps:
            steps.pop(0)()

    return lines, sleep


def test_a_change_is_built_once_it_settles_and_only_then(tree: Path, tmp_path: Path) -> None:
    findings = tree / "terms" / "findings.tsv"
    text = findings.read_text(encoding="utf-8")
    seen: list[str] = []  # the definition each build saw

    def rebuild(_settings: Settings) -> int:
        seen.append("edited" if "edited" in findings.read_text(encoding="utf-8") else "first")
        return 0

    def nothing() -> None:
        pass

    def half_saved() -> None:  # an editor's save in two writes: the watch must not build the first
        findings.write_text(text.replace(DEFINITION, "Pain"), encoding="utf-8")
        os.utime(findings, ns=(1, 1))

    def saved() -> None:
        findings.write_text(text.replace(DEFINITION, "Pain felt, edited."), encoding="utf-8")
        os.utime(findings, ns=(2, 2))

    lines, sleep = _scripted([nothing, nothing, half_saved, saved, nothing])
    settings = Settings(tree, SEEDS, tmp_path / "output", cache=None)
    assert watch(settings, say=lines.append, rebuild=rebuild, sleep=sleep, rounds=2) == 0
    assert seen == ["first", "edited"]  # two looks at nothing built nothing; the half-saved file was never built
    assert lines[2] == f"changed: {findings}; building"


def test_a_failed_build_is_reported_and_the_watch_goes_on(tree: Path, tmp_path: Path) -> None:
    codes = [1, 0]
    lines, sleep = _scripted([lambda: (tree / "relations.tsv").write_text("x"), lambda: None])
    settings = Settings(tree, SEEDS, tmp_path / "output", cache=None)
    watch(settings, say=lines.append, rebuild=lambda _s: codes.pop(0), sleep=sleep, rounds=2)
    assert [line.split(" in ")[0] for line in lines if line.startswith("build ")] == ["build stopped (exit 1)", "build finished"]


def test_look_skips_an_output_folder_inside_the_sources(tree: Path) -> None:
    """Otherwise each build would change a watched file and set off the next build, for ever."""
    output = tree / "release"
    output.mkdir()
    (output / "bcto.owl").write_text("x")
    assert not any(path.startswith(str(output)) for path in look(Settings(tree, SEEDS, output, cache=tree / "cache")))


class _Output:
    """The watch's output lines, read by a thread: a line that never comes fails the test instead of hanging it."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.lines: list[str] = []
        self._queue: queue.Queue[str] = queue.Queue()
        assert process.stdout is not None
        stream = process.stdout
        threading.Thread(target=lambda: [*map(self._queue.put, stream), self._queue.put("")], daemon=True).start()

    def wait_for(self, text: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self._queue.get(timeout=left)
            except queue.Empty:
                break
            if not line:
                raise AssertionError(f"the watch ended before {text!r}:\n{''.join(self.lines)}")
            self.lines.append(line)
            if text in line:
                return
        raise AssertionError(f"no {text!r} within {timeout} s:\n{''.join(self.lines)}")


def test_the_watch_rebuilds_an_edit_into_the_bytes_of_a_one_shot_build(tree: Path, tmp_path: Path) -> None:
    output = tmp_path / "output"
    command = [sys.executable, "-m", "bcto.cli", "build", "--watch", "--interval", "0.05"]
    command += ["--ontology", str(tree), "--seeds", str(SEEDS), "--output", str(output), "--cache", str(tmp_path / "cache")]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output_lines = _Output(process)
    try:
        output_lines.wait_for("build finished")
        findings = tree / "terms" / "findings.tsv"
        text = findings.read_text(encoding="utf-8")
        findings.write_text(text.replace("\tphantom limb pain\t", "\tphantom limb pain \t"), encoding="utf-8")
        output_lines.wait_for("build stopped (exit 1)")
        assert any("findings.tsv:2:" in line and "stray whitespace" in line for line in output_lines.lines)
        findings.write_text(text.replace(DEFINITION, "Pain felt where a removed limb was."), encoding="utf-8")
        output_lines.wait_for("build finished")
        process.send_signal(signal.SIGTERM)
        output_lines.wait_for("stopped watching")
        assert process.wait(timeout=60) == 0
    finally:
        process.kill()
        process.wait()
    assert "Pain felt where a removed limb was." in (output / "bcto.ttl").read_text(encoding="utf-8")
    one_shot = build_py(tree, tmp_path / "one-shot")
    assert one_shot.returncode == 0, one_shot.stderr
    watched, once = (
        {p.relative_to(f): p.read_bytes() for p in f.rglob("*") if p.is_file()} for f in (output, tmp_path / "one-shot")
    )
    assert watched == once


def test_an_interval_that_is_not_a_number_of_seconds_is_refused_in_one_line() -> None:
    for bad in ("0", "-1", "nan", "soon"):
        done = subprocess.run(
            [sys.executable, "-m", "bcto.cli", "build", "--watch", "--interval", bad],
            check=False,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 2 and "Traceback" not in done.stderr
        assert f"argument --interval: {bad!r} is not a number of seconds from 0.01 to 60" in done.stderr
