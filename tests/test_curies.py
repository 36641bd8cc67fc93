"""The one CURIE compactor and the one offset-to-line/column helper every message and writer uses."""

import re

from bcto.ontology.curies import Curies, bracketed
from bcto.ontology.problems import line_column


def test_the_longest_namespace_wins_and_ties_go_by_prefix() -> None:
    curie = Curies({"obo": "http://purl.obolibrary.org/obo/", "mondo": "http://purl.obolibrary.org/obo/MONDO_"})
    assert curie("http://purl.obolibrary.org/obo/MONDO_0009807") == "mondo:0009807"
    assert curie("http://purl.obolibrary.org/obo/UBERON_0002481") == "obo:UBERON_0002481"
    tied = Curies({"b": "http://x.org/", "a": "http://x.org/"})
    assert tied("http://x.org/y") == "a:y"


def test_no_prefix_and_a_bare_namespace_go_to_the_fallback() -> None:
    curie = Curies({"bcto": "https://w3id.org/bcto/"}, fallback=bracketed)
    assert curie("https://example.org/z") == "<https://example.org/z>"
    assert curie("https://w3id.org/bcto/") == "<https://w3id.org/bcto/>"


def test_a_local_name_the_grammar_refuses_falls_through_to_a_shorter_namespace() -> None:
    curie = Curies({"long": "http://x.org/a/", "short": "http://x.org/"}, fallback=bracketed, local=re.compile(r"[A-Za-z]+"))
    assert curie("http://x.org/a/b") == "long:b"
    assert curie("http://x.org/a/1") == "<http://x.org/a/1>"
    assert curie("http://x.org/ab") == "short:ab"


def test_called_it_computes_indexed_it_remembers() -> None:
    curie = Curies({"x": "http://x.org/"})
    assert curie("http://x.org/a") == "x:a" and len(curie) == 0
    assert curie["http://x.org/a"] == "x:a" and len(curie) == 1


def test_line_and_column_count_characters_in_text_and_bytes_in_bytes() -> None:
    assert line_column("ab\ncé\nx", 0) == (1, 1)
    assert line_column("ab\ncé\nx", 5) == (2, 3)
    assert line_column("ab\ncé\nx", 6) == (3, 1)
    raw = "ab\ncé\nx".encode()
    assert line_column(raw, raw.index(b"\nx") + 1) == (3, 1)
    assert line_column(raw, raw.index(b"\nx")) == (2, 4)  # é is two bytes
