"""The release replaces output/ whole, so a build refuses, before any work, an --output that is a file or a
folder of other files (the swap would delete them), and an --output or --cache it cannot write: exit 4, one
line, nothing touched."""

from __future__ import annotations

from pathlib import Path

from bcto.release import EXIT_ENVIRONMENT, Settings, build, folder_problem
from tests.conftest import SEEDS


def _settings(tree: Path, output: Path, cache: Path | None = None, check_only: bool = False) -> Settings:
    return Settings(tree, SEEDS, output, check_only, cache)


def test_a_folder_of_other_files_is_refused_and_left_as_it_was(tree: Path, tmp_path: Path) -> None:
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "notes.txt").write_text("a curator's notes", encoding="utf-8")
    said: list[str] = []
    code = build(_settings(tree, folder), say=said.append, warn=said.append)
    assert code == EXIT_ENVIRONMENT
    assert said[-1].startswith(f"{folder}: holds files but no file a release has")  # after the seeds note, if any
    assert not any(line.startswith("  ") or line.startswith("release written") for line in said)  # no stage ran
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "a curator's notes"


def test_a_file_as_output_is_refused(tree: Path, tmp_path: Path) -> None:
    file = tmp_path / "release"
    file.write_text("not a folder", encoding="utf-8")
    problem = folder_problem(_settings(tree, file))
    assert problem is not None and problem.startswith(f"{file}: a file, not a folder")
    assert file.read_text(encoding="utf-8") == "not a folder"


def test_new_empty_and_earlier_release_folders_are_accepted(tree: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    earlier = tmp_path / "earlier"
    earlier.mkdir()
    (earlier / "bcto.owl").write_bytes(b"<rdf:RDF/>")
    (earlier / "bcto.ttl").write_bytes(b"")
    for output in (tmp_path / "new" / "output", empty, earlier):
        assert folder_problem(_settings(tree, output, tmp_path / "cache")) is None


def test_check_only_never_looks_at_the_output(tree: Path, tmp_path: Path) -> None:
    file = tmp_path / "release"
    file.write_text("not a folder", encoding="utf-8")
    assert folder_problem(_settings(tree, file, check_only=True)) is None


def test_a_cache_or_output_under_a_file_is_refused(tree: Path, tmp_path: Path) -> None:
    file = tmp_path / "file"
    file.write_text("in the way", encoding="utf-8")
    cache_problem = folder_problem(_settings(tree, tmp_path / "output", cache=file / "cache"))
    assert cache_problem is not None and cache_problem.startswith(f"{file / 'cache'}: cannot write there")
    assert cache_problem.endswith("give --cache a folder you can write, or --no-cache")
    output_problem = folder_problem(_settings(tree, file / "sub" / "output"))
    assert output_problem is not None and "give --output a folder you can write" in output_problem
    assert file.read_text(encoding="utf-8") == "in the way"
