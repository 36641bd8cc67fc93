"""How links are drawn: a few link groups with distinct, legible styles, and the direction of decision criteria.

One fixed table, so styles never change between releases. Colours are from the Okabe-Ito palette (safe for
the common colour-vision deficiencies), and every group also differs by dash pattern, so no meaning rests
on colour alone. A predicate no group names falls in "other links".
"""

from __future__ import annotations

from bcto.graph.model import SUBCLASS

# A family's colour and shape are declared in ontology/families.tsv; this is the style of a term in none.
OTHER_STYLE = ("other", "#aaaaaa", "dot")
INFERRED = "inferred"  # the filter key for is-a links only the reasoner entails

# (group id, label, colour, dashes, width, predicates in the group)
LINK_GROUPS: tuple[tuple[str, str, str, list[int] | bool, float, tuple[str, ...]], ...] = (
    ("hierarchy", "kinds (is a kind of)", "#8c8c8c", False, 1.5, (SUBCLASS, INFERRED)),
    (
        "decision",
        "decisions (criteria)",
        "#e69f00",
        [2, 5],
        2.5,
        ("favours", "isIndicationFor", "isRequiredFor", "arguesAgainst", "rulesOut", "isConsideredFor", "concernsFactor"),
    ),
    (
        "treatment",
        "treatments and how they are given",
        "#0072b2",
        False,
        2,
        ("hasTreatmentOption", "canBeAppliedTo", "canUse", "hasComponent", "canBeDeliveredBy", "canBeDoneTogetherWith"),
    ),
    ("aim", "aims", "#56b4e9", [12, 4], 2.5, ("hasAim",)),
    (
        "effect",
        "effects, symptoms and relief",
        "#cc79a7",
        [10, 5],
        2,
        ("hasPossibleSideEffect", "canCause", "hasSymptom", "canShow", "canRelieve", "canReduceRiskOf"),
    ),
    (
        "sequence",
        "order of treatment",
        "#333333",
        [6, 3, 2, 3],
        2,
        ("precedes", "canBeFollowedBy", "isStepOf", "hasStepActivity", "isPathwayFor"),
    ),
    ("place", "where: sites, spread, parts", "#a6761d", [3, 3], 2, ("canOccurIn", "canSpreadTo", "canOriginateFrom", "isPartOf")),
)
OTHER_GROUP = ("other", "other links", "#666666", [1, 4], 2, ())
INFERRED_STYLE = {"color": "#b8b8b8", "dashes": [2, 5], "width": 1.5}

# A criterion's direction (for / against / considered), the colour and icon that show it, and, per predicate,
# the direction and the strength in words that the predicate carries until a link states its own.
DIRECTIONS = {
    "for": {"label": "for", "icon": "✓", "color": "#009e73", "dashes": False, "width": 3},
    "against": {"label": "against", "icon": "✗", "color": "#d55e00", "dashes": [8, 4], "width": 3},
    "considered": {"label": "considered", "icon": "?", "color": "#e69f00", "dashes": [2, 5], "width": 2.5},
}
PREDICATE_DIRECTION = {
    "favours": ("for", "favours"),
    "isIndicationFor": ("for", "indication"),
    "isRequiredFor": ("for", "required"),
    "arguesAgainst": ("against", "argues against"),
    "rulesOut": ("against", "rules out"),
    "isConsideredFor": ("considered", "considered"),
}


def link_group(predicate: str) -> tuple[str, str, str, list[int] | bool, float, tuple[str, ...]]:
    return next((g for g in LINK_GROUPS if predicate in g[5]), OTHER_GROUP)


def predicate_styles(predicates: list[str]) -> dict[str, dict[str, object]]:
    """A group, colour, dash pattern and width for every predicate id (and the inferred is-a key); decision
    predicates get their direction's style and strength word."""
    styles: dict[str, dict[str, object]] = {}
    for pid in sorted({*predicates, INFERRED}):
        group = link_group(pid)
        style: dict[str, object] = {"group": group[0], "color": group[2], "dashes": group[3], "width": group[4]}
        if pid == INFERRED:
            style.update(INFERRED_STYLE)
        if pid in PREDICATE_DIRECTION:
            direction, strength = PREDICATE_DIRECTION[pid]
            looks = DIRECTIONS[direction]
            style.update(direction=direction, strength=strength)
            style.update({k: looks[k] for k in ("color", "dashes", "width")})
        styles[pid] = style
    return styles


def groups() -> list[dict[str, object]]:
    """The link groups in legend order, with the direction styles the decision group uses."""
    return [{"id": g[0], "label": g[1], "color": g[2], "dashes": g[3], "width": g[4]} for g in (*LINK_GROUPS, OTHER_GROUP)]
