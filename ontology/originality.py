"""Our own words: find any curated text that repeats a run of 8+ words from a source document."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import NamedTuple

from bcto.ontology.model import Criterion, Curation, Statement, Step, Where
from bcto.ontology.seedtext import RUN, run_key, runs, words


class Copy(NamedTuple):
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
    items: list[Statement | Criterion | Step] = [*curation.statements, *curation.criteria.values(), *curation.steps]
    for item in items:
        yield item.where, "context", item.qualifiers.context
        yield item.where, "comment", item.qualifiers.comment


def find_copies(curation: Curation, more: Iterable[tuple[Where, str, str]] = ()) -> list[Copy]:
    """Curated texts that repeat an 8-word run of a source document, found by the runs' hashes (the documents'
    fingerprints hold them, so this runs with or without the documents themselves), and in any more
    (where, field, text), such as the reasons in must_not_hold.tsv."""
    owner: dict[str, str] = {}
    for shape in sorted(curation.documents.values(), key=lambda s: s.file):
        for key in shape.shingles:
            owner.setdefault(key, shape.file)
    copies = []
    for where, field, text in (*curated_texts(curation), *more):
        for run in runs(words(text)):
            if run_key(run) in owner:
                copies.append(Copy(where, field, " ".join(run), owner[run_key(run)]))
                break
    return copies
