"""The competency questions: documented, and answered exactly as expected by the release."""

from __future__ import annotations

import pytest

from bcto.queries.library import CQ_DIR, find_queries
from bcto.queries.store import select, store_of
from tests.conftest import Release

QUESTIONS = find_queries(CQ_DIR)


def test_library_is_large_enough() -> None:
    assert len(QUESTIONS) >= 30


def _expected(query_name: str) -> tuple[list[str], list[tuple[str, ...]]]:
    lines = (CQ_DIR / f"{query_name}.tsv").read_text(encoding="utf-8").splitlines()
    return lines[0].split("\t"), [tuple(line.split("\t")) for line in lines[1:] if line]


@pytest.fixture(scope="module")
def store(release: Release):
    return store_of([release.owl, release.kg, release.inferred])


@pytest.mark.parametrize("question", QUESTIONS, ids=[q.name for q in QUESTIONS])
def test_question_gives_its_expected_answer(question, store) -> None:
    assert question.summary and question.description
    variables, rows = select(store, question.text)
    expected_variables, expected_rows = _expected(question.name)
    assert variables == expected_variables
    assert rows, "a competency question with an empty answer tests nothing"
    if "ORDER BY" in question.text.upper():
        assert rows == expected_rows
    else:
        assert sorted(rows) == sorted(expected_rows)
