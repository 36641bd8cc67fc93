"""Our own words: find any curated text that repeats a run of 8+ words from a source document."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from bcto.ontology.model import Curation, Where

RUN = 8
WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


@dataclass(frozen=True)
class Copy:
    where: Where
    field: str
    words: str
    source_file: str

    def __str__(self) -> str:
        file, line, column = self.where
        return (
            f"{file}:{line}:{column}: the {self.field} repeats {RUN}+ words of {self.source_file}: "
            f"'{self.words}'; rewrite it in our own words"
        )


def _words(text: str) -> list[str]:
    return WORD.findall(text.lower().replace("\u2019", "'"))


def _runs(words: list[str]) -> Iterator[tuple[str, ...]]:
    return (tuple(words[i : i + RUN]) for i in range(len(words) - RUN + 1))


def seed_runs(files: Iterable[Path]) -> dict[tuple[str, ...], str]:
    """Every 8-word run of every seed document, with the file it comes from."""
    runs: dict[tuple[str, ...], str] = {}
    for path in files:
        for run in _runs(_words(path.read_text(encoding="utf-8", errors="replace"))):
            runs.setdefault(run, path.name)
    return runs


def curated_texts(curation: Curation) -> Iterator[tuple[Where, str, str]]:
    """Every free text a curator wrote, with where it was written (source metadata is citation, not prose)."""
    for term in curation.terms.values():
        yield term.where, "label", term.label
        yield term.where, "definition", term.definition
        yield term.where, "comment", term.comment
        for text in (*term.synonyms, *term.lay_terms):
            yield term.where, "synonym", text
    for criterion in curation.criteria.values():
        yield criterion.where, "label", criterion.label
        yield criterion.where, "condition", criterion.condition
    for item in (*curation.statements, *curation.criteria.values(), *curation.steps):
        yield item.where, "context", item.qualifiers.context
        yield item.where, "comment", item.qualifiers.comment


def find_copies(curation: Curation, runs: dict[tuple[str, ...], str], more: Iterable[tuple[Where, str, str]] = ()) -> list[Copy]:
    """Copies in the curation's texts and in any more (where, field, text), such as must_not_hold.tsv's reasons."""
    copies = []
    for where, field, text in (*curated_texts(curation), *more):
        for run in _runs(_words(text)):
            if run in runs:
                copies.append(Copy(where, field, " ".join(run), runs[run]))
                break
    return copies
