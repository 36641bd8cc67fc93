"""The build benchmark runs the release's own stages: a change to what a stage hands HermiT must not break it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bcto.release import STAGES
from tests.conftest import REPO


@pytest.mark.parametrize("mode", [["--no-reason"], [], ["--reason-only"]])
def test_the_stage_worker_reports_every_stage(mode: list[str], tree: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "build_bench.py"), "--worker", str(tree), *mode],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr
    reported = [json.loads(line)["stage"] for line in done.stdout.splitlines() if '"stage"' in line]
    if mode == ["--reason-only"]:
        assert reported[-1] == "reason", reported
    else:
        assert [s for s in reported if s in dict(STAGES)] == [name for name, _ in STAGES]


def test_a_second_run_on_the_same_day_keeps_the_first_results(tmp_path: Path) -> None:
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        from build_bench import free_name
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    assert free_name(tmp_path, "2026-12-03") == tmp_path / "build-2026-12-03.md"
    (tmp_path / "build-2026-12-03.md").write_text("first")
    (tmp_path / "build-2026-12-03b.json").write_text("{}")  # a .json alone also takes the name
    assert free_name(tmp_path, "2026-12-03") == tmp_path / "build-2026-12-03c.md"
