"""SPARQL files with grlc-style headers, found by glob, never by a hand-kept list."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

HERE = Path(str(files("bcto.queries")))
QC_DIR = HERE / "qc"
CQ_DIR = HERE / "cq"


@dataclass(frozen=True)
class Query:
    name: str
    path: Path
    summary: str
    description: str
    text: str


def read_query(path: Path) -> Query:
    """Read one .rq file; its '#+ summary:' and '#+ description:' lines document it."""
    text = path.read_text(encoding="utf-8")
    headers: dict[str, str] = {}
    for line in text.splitlines():
        if line.startswith("#+ ") and ":" in line:
            key, _, value = line[3:].partition(":")
            headers[key.strip()] = value.strip()
    return Query(path.stem, path, headers.get("summary", ""), headers.get("description", ""), text)


def find_queries(folder: Path, pattern: str = "*.rq") -> list[Query]:
    return [read_query(p) for p in sorted(folder.glob(pattern))]


def qc_checks(folder: Path = QC_DIR) -> list[Query]:
    return find_queries(folder, "*-violation.rq")
