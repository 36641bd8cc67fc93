"""Plain TSV tables read with the standard library, checked down to the byte."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from bcto.ontology.characters import FIX, FORBIDDEN, describe, holds_forbidden
from bcto.ontology.problems import Problem, line_column

MULTI_SEPARATOR = "|"
MAX_CELL_CHARACTERS = 2000  # six times the longest cell curated so far; a definition is a sentence or two


class Cell(NamedTuple):
    """A cell's text and where it starts (1-based line and column)."""

    value: str
    line: int
    column: int


@dataclass
class Row:
    """One data row: its cells by column name."""

    file: str
    line: int
    cells: dict[str, Cell] = field(default_factory=dict)

    def get(self, column: str) -> str:
        return self.cells[column].value

    def where(self, column: str) -> tuple[str, int, int]:
        cell = self.cells[column]
        return self.file, cell.line, cell.column

    def split(self, column: str) -> list[str]:
        value = self.get(column)
        return value.split(MULTI_SEPARATOR) if value else []


def _decode(data: bytes, name: str, problems: list[Problem]) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line, column = line_column(data, err.start)
        problems.append(
            Problem(
                name,
                line,
                column,
                f"byte 0x{data[err.start]:02x} is not UTF-8",
                "save the file as UTF-8 (in a spreadsheet: 'Unicode (UTF-8)' tab-separated text)",
            )
        )
        return None


def _stray_space(part: str) -> int | None:
    """Offset of the first stray whitespace character in a value, or None."""
    if part[:1].isspace():
        return 0
    if part[-1:].isspace():
        return len(part.rstrip())
    doubled = part.find("  ")
    return doubled if doubled >= 0 else None


_OTHER_SPACE = re.compile(r"[^\S\t\n ]")  # whitespace that is not a tab, a line end or a space
_SUSPECT_PAIRS = ("  ", " \t", "\t ", " \n", "\n ", " |", "| ", "||", "\t|", "|\t", "\n|", "|\n")


def _may_hold_stray_space(text: str) -> bool:
    """False when no cell of the table can fail _check_cell_whitespace: no whitespace other than single spaces
    inside cells, no space or '|' at a cell's edge, no '|' beside a space or another '|'. A few scans of the
    whole text instead of a check of every cell."""
    edges = text[:1] in (" ", "|") or text.rstrip("\n")[-1:] in (" ", "|")
    if edges or any(pair in text for pair in _SUSPECT_PAIRS):
        return True
    for other in _OTHER_SPACE.finditer(text):  # a no-break space inside a cell is fine; at its edge it is not
        before, after = text[other.start() - 1 : other.start()], text[other.end() : other.end() + 1]
        if not before or not after or before in "\t\n|" or after in "\t\n|" or before.isspace() or after.isspace():
            return True
    return False


def _check_cell_whitespace(cell: Cell, name: str, multi: bool, problems: list[Problem]) -> None:
    offset = 0
    for part in cell.value.split(MULTI_SEPARATOR) if multi else [cell.value]:
        bad = _stray_space(part)
        if bad is not None:
            problems.append(
                Problem(
                    name,
                    cell.line,
                    cell.column + offset + bad,
                    f"stray whitespace in {cell.value!r}",
                    "remove spaces at the start or end of the cell, around '|', and doubled spaces",
                )
            )
            return
        if multi and part == "" and cell.value:
            problems.append(
                Problem(
                    name,
                    cell.line,
                    cell.column + offset,
                    f"empty value in the '|'-separated list {cell.value!r}",
                    "remove the doubled or trailing '|'",
                )
            )
            return
        offset += len(part) + 1


def read_table(
    path: Path,
    columns: tuple[str, ...],
    required: frozenset[str],
    multi: frozenset[str] = frozenset(),
    display: str | None = None,
    optional: frozenset[str] = frozenset(),
    data: bytes | None = None,
) -> tuple[list[Row], list[Problem]]:
    """Read one table; return its rows and every problem found (rows are partial when problems exist).
    `optional` columns may be left out of the header altogether; their rows then have no such cell. `data` is
    the file's bytes where the caller has read them already (to key the table cache)."""
    name = display or str(path)
    problems: list[Problem] = []
    data = path.read_bytes() if data is None else data
    if not data.strip():
        problems.append(Problem(name, 1, 1, "the file is empty", "write the header row: " + "\\t".join(columns)))
        return [], problems
    text = _decode(data, name, problems)
    if text is None:
        return [], problems
    if "\r" in text:
        problems.append(
            Problem(
                name,
                *line_column(text, text.index("\r")),
                "carriage return (CR) in the file",
                "save with Unix (LF) line endings",
            )
        )
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.startswith("\ufeff"):
        problems.append(Problem(name, 1, 1, "the file starts with a byte-order mark", "save as UTF-8 without BOM"))
        text = text[1:]
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    header = lines[0].split("\t")
    positions: list[int] = []
    col = 1
    for heading in header:
        positions.append(col)
        col += len(heading) + 1
    known = set(columns)
    seen: set[str] = set()
    for heading, pos in zip(header, positions):
        if heading not in known:
            problems.append(Problem(name, 1, pos, f"unknown column {heading!r}", f"use only these columns: {', '.join(columns)}"))
        elif heading in seen:
            problems.append(Problem(name, 1, pos, f"column {heading!r} appears twice", "delete one of them"))
        seen.add(heading)
    for missing in (c for c in columns if c not in seen and c not in optional):
        problems.append(
            Problem(
                name,
                1,
                1,
                f"missing column {missing!r}",
                f"add a column headed {missing!r} (it may be left empty where not required)",
            )
        )
    rows: list[Row] = []
    suspect = _may_hold_stray_space(text)
    if holds_forbidden(text):  # each line is searched only when the file holds one
        for number, raw in enumerate(lines, start=1):
            if (bad := FORBIDDEN.search(raw)) is not None:
                problems.append(Problem(name, number, bad.start() + 1, f"character {describe(bad.group())} in the text", FIX))
    for number, raw in enumerate(lines[1:], start=2):
        if raw == "":
            problems.append(Problem(name, number, 1, "empty line", "delete the empty line"))
            continue
        values = raw.split("\t")
        if len(values) != len(header):
            column = len("\t".join(values[: len(header)])) + 2 if len(values) > len(header) else len(raw) + 1
            problems.append(
                Problem(
                    name,
                    number,
                    column,
                    f"row has {len(values)} cells but the header has {len(header)}",
                    "make every row have one cell per column (tabs separate cells; cells may be empty)",
                )
            )
            continue
        row = Row(name, number)
        col = 1
        for heading, value in zip(header, values):
            cell = Cell(value, number, col)
            col += len(value) + 1
            if heading not in known:
                continue
            row.cells[heading] = cell
            if suspect:  # most tables have no cell that could fail the check
                _check_cell_whitespace(cell, name, heading in multi, problems)
            if len(value) > MAX_CELL_CHARACTERS:
                problems.append(
                    Problem(
                        name,
                        number,
                        cell.column,
                        f"cell {heading!r} is {len(value):,} characters long; the limit is {MAX_CELL_CHARACTERS:,}",
                        "shorten it (a definition or context is a sentence or two) or split the fact into several rows",
                    )
                )
            if heading in required and value == "":
                problems.append(
                    Problem(name, number, cell.column, f"required cell {heading!r} is empty", f"fill in the {heading}")
                )
        if all(c in row.cells for c in columns if c not in optional):
            rows.append(row)
    return rows, problems
