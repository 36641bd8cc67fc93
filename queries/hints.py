""" "Did you mean": BCTO names a query uses that the release does not hold, with the closest ones it does."""

from __future__ import annotations

import difflib
import re

import pyoxigraph as ox

from bcto.ontology.vocabulary import BCTO

_NAME = re.compile(r"(?:\bbcto:|<https://w3id\.org/bcto/)([A-Za-z][A-Za-z0-9_]*)>?")
_NOISE = re.compile(r"#[^\n]*|\"[^\"\n]*\"|'[^'\n]*'")  # comments and short strings name nothing
_KNOWN = f'SELECT DISTINCT ?n WHERE {{ {{ ?n ?p ?o }} UNION {{ ?s ?n ?o }} FILTER(STRSTARTS(STR(?n), "{BCTO}")) }}'


def unknown_names(store: ox.Store, text: str) -> list[str]:
    """One line per bcto: name in the query that is in no triple of the store, with close matches."""
    used = sorted(set(_NAME.findall(_NOISE.sub(" ", text))))
    if not used:
        return []
    known = {str(row[0].value)[len(str(BCTO)) :] for row in store.query(_KNOWN)}  # type: ignore[union-attr]
    lines = []
    for name in used:
        if name in known or "/" in name:
            continue
        close = difflib.get_close_matches(name, sorted(known), n=3, cutoff=0.75)
        hint = "; did you mean " + " or ".join(f"bcto:{c}" for c in close) + "?" if close else ""
        lines.append(f"note: bcto:{name} is not in the release{hint}")
    return lines
