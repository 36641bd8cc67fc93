"""Curation problems: collected, never raised one at a time, so a curator sees them all at once."""

from __future__ import annotations

from typing import NamedTuple


class Problem(NamedTuple):
    """One thing wrong with a curated file, located to the character."""

    file: str
    line: int
    column: int
    message: str
    fix: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}; {self.fix}"


class CurationError(Exception):
    """Raised with every problem found, after all files have been checked."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


def line_column(text: str | bytes, offset: int) -> tuple[int, int]:
    """1-based line and column of an offset into text (columns in characters for str, in bytes for bytes:
    a file that is not UTF-8 has no characters to count)."""
    newline: str | bytes = "\n" if isinstance(text, str) else b"\n"
    line = text.count(newline, 0, offset) + 1  # type: ignore[arg-type]
    return line, offset - (text.rfind(newline, 0, offset) + 1) + 1  # type: ignore[arg-type]
