"""IRI -> prefixed name: the one compactor every writer, report and message uses."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from bcto.ontology.vocabulary import PREFIXES


def _as_is(iri: str) -> str:
    return iri


class Curies(dict[str, str]):
    """Compacts by the longest namespace that matches (ties by prefix, so the choice never depends on dict
    order); an IRI no prefix covers goes to `fallback`. `local`, when given, is the shape a local name must
    have (a writer's prefixed-name grammar). Called, it computes; indexed, it also remembers, which a writer
    wants per document and a long-running server must not do for every IRI its users send."""

    def __init__(
        self,
        prefixes: Mapping[str, str] = PREFIXES,
        fallback: Callable[[str], str] = _as_is,
        local: re.Pattern[str] | None = None,
    ) -> None:
        super().__init__()
        self._order = sorted(prefixes.items(), key=lambda item: (-len(item[1]), item[0]))
        self._fallback = fallback
        self._local = local

    def __call__(self, iri: str) -> str:
        for prefix, namespace in self._order:
            rest = iri[len(namespace) :]
            if rest and iri.startswith(namespace) and (self._local is None or self._local.fullmatch(rest)):
                return f"{prefix}:{rest}"
        return self._fallback(iri)

    def __missing__(self, iri: str) -> str:
        self[iri] = found = self(iri)
        return found


def bracketed(iri: str) -> str:
    """The N-Triples/SPARQL spelling of an IRI no prefix covers."""
    return f"<{iri}>"
