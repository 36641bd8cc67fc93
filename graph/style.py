"""How each family and predicate is drawn: one fixed table, so colours never change between releases."""

from __future__ import annotations

from bcto.graph.model import SUBCLASS

# A family's colour and shape are declared in ontology/families.tsv; this is the style of a term in none.
OTHER_STYLE = ("other", "#aaaaaa", "dot")

# Edge colours cycle through this palette in predicate order; dash patterns split the groups further.
_PALETTE = (
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#9467bd",
    "#ff7f0e",
    "#17becf",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#393b79",
    "#637939",
    "#843c39",
    "#7b4173",
)
_DASHES: tuple[list[int] | bool, ...] = (False, [8, 4], [2, 4])
SUBCLASS_STYLE = {"color": "#9e9e9e", "dashes": False, "width": 1.5}
INFERRED_STYLE = {"color": "#c9c9c9", "dashes": [3, 6], "width": 1}
INFERRED = "inferred"  # the filter key for is-a links only the reasoner entails


def predicate_styles(predicates: list[str]) -> dict[str, dict[str, object]]:
    """A colour, dash pattern and width for every predicate id, stable for a given sorted list."""
    styles: dict[str, dict[str, object]] = {}
    others = sorted(p for p in predicates if p != SUBCLASS)
    for i, pid in enumerate(others):
        styles[pid] = {"color": _PALETTE[i % len(_PALETTE)], "dashes": _DASHES[(i // len(_PALETTE)) % len(_DASHES)], "width": 1.5}
    styles[SUBCLASS] = SUBCLASS_STYLE
    styles[INFERRED] = INFERRED_STYLE
    return styles
