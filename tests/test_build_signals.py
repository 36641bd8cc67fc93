"""A build stopped by SIGTERM or Ctrl-C says so in one line, ends by that signal, and leaves nothing behind:
no traceback, no HermiT folder in the temporary directory, no JVM. Stopped as the early JVM starts (the
narrowest place: HermiT's folder exists, the cleanup that removes it may not be armed yet) and mid-build."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from bcto.stops import held
from tests.conftest import REPO, SEEDS


def _running(folder: Path) -> list[str]:
    """The processes whose command line names folder (the early JVM is given its pipe there)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if str(folder).encode() in cmdline.read_bytes():
                found.append(cmdline.parent.name)
        except OSError:  # ended meanwhile
            pass
    return found


def _forked(pid: int) -> bool:
    """Whether the build has forked its second process: a child running the build's own command line."""
    try:
        own = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid and (stat.parent / "cmdline").read_bytes() == own:
                return True
        except (OSError, IndexError, ValueError):  # ended meanwhile
            continue
    return False


@pytest.mark.parametrize("mid_build", [False, True], ids=["as-the-JVM-starts", "mid-build"])
@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_stopped_build_cleans_up_and_ends_by_the_signal(tmp_path: Path, number: signal.Signals, mid_build: bool) -> None:
    """Mid-build is when the second process runs beside the first and HermiT: found from /proc, not after a
    fixed wait, which a faster build outran (it ended before a stop sent 0.8 s after the JVM started)."""
    if shutil.which("java") is None or len(os.sched_getaffinity(0)) < 2:
        pytest.skip("the early JVM whose cleanup this checks needs java and two cores (bcto/ontology/hermit.py)")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    command = [sys.executable, str(REPO / "build.py"), "--check", "--no-cache", "--seeds", str(SEEDS)]
    command += ["--ontology", str(REPO / "ontology")]
    build = subprocess.Popen(
        command, cwd=tmp_path, env={**os.environ, "TMPDIR": str(temporary)}, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 30
        while not list(temporary.glob("bcto-hermit-*")):  # the early JVM is up: the build is under way
            assert build.poll() is None and time.monotonic() < deadline, "the build ended before it could be stopped"
            time.sleep(0.01)
        while mid_build and not _forked(build.pid):
            assert build.poll() is None and time.monotonic() < deadline, "the build ended before it could be stopped"
            time.sleep(0.002)
        assert build.poll() is None, "the build ended before it could be stopped"
        build.send_signal(number)
        _, err = build.communicate(timeout=60)
    finally:
        if build.poll() is None:
            build.kill()
    said = err.decode()
    assert build.returncode == -number, said
    assert "Traceback" not in said, said
    assert f"bcto build: stopped by {number.name}" in said, said
    assert list(temporary.iterdir()) == [], "the HermiT folder (named pipe, answer files) is deleted"
    assert _running(temporary) == [], "the early JVM is stopped"


def test_a_stop_that_python_dropped_still_ends_the_build_by_its_signal() -> None:
    """Raised inside a finaliser, the stop is printed and dropped by Python and the build goes on: it still ends
    by the signal once the build is done. Simulated: a build that records a SIGTERM without raising it."""
    code = (
        "import signal, bcto.cli as cli\n"
        "def build(argv):\n"
        "    cli._STOPS.append(signal.SIGTERM)\n"
        "    return 0\n"
        "cli.main = build\n"
        "cli.script(['build'])\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == -signal.SIGTERM, done.stderr
    assert "bcto build: stopped by SIGTERM" in done.stderr and "Traceback" not in done.stderr


def test_a_stop_that_comes_while_held_is_raised_as_the_block_ends() -> None:
    seen: list[str] = []
    previous = signal.signal(signal.SIGTERM, lambda *_: seen.append("handled"))
    try:
        with held():
            # to this thread: sent to the process, the kernel gives it to any thread that does not hold it (the
            # suite's other threads); the build holds it only where it has no other thread
            signal.pthread_kill(threading.get_ident(), signal.SIGTERM)
            time.sleep(0.05)  # long enough for the handler to run, were the signal not held
            seen.append("end of the block")
        assert seen == ["end of the block", "handled"]
    finally:
        signal.signal(signal.SIGTERM, previous)
