"""How each family and predicate is drawn: one fixed table, so colours never change between releases."""

from __future__ import annotations

from graph.model import OTHER_FAMILY, SUBCLASS

# family -> (legend label, colour, vis-network shape). Shape and colour together tell families apart,
# so the legend still works for readers who cannot tell some of the colours apart.
FAMILY_STYLES: dict[str, tuple[str, str, str]] = {
    "MedicalCondition": ("medical condition", "#c0392b", "dot"),
    "ClinicalFinding": ("clinical finding", "#e67e22", "triangleDown"),
    "AnatomicalSite": ("anatomical site", "#8d6e63", "square"),
    "Procedure": ("procedure", "#1f77b4", "diamond"),
    "ReconstructionTechnique": ("reconstruction technique", "#17becf", "diamond"),
    "Therapy": ("therapy", "#2ca02c", "hexagon"),
    "DiagnosticTest": ("diagnostic test", "#8e44ad", "triangle"),
    "DeviceOrMaterial": ("device or material", "#7f7f7f", "square"),
    "DecisionFactor": ("decision factor", "#b7950b", "triangle"),
    "TreatmentGoal": ("treatment goal", "#e377c2", "star"),
    "CareProvider": ("care provider", "#34495e", "hexagon"),
    "TreatmentPathway": ("treatment pathway", "#111111", "star"),
    "PathwayStep": ("pathway step", "#5d6d7e", "dot"),
    "DecisionCriterion": ("decision criterion", "#a04000", "triangleDown"),
    "SourceConflict": ("source conflict", "#d81b60", "star"),
    OTHER_FAMILY: ("other", "#aaaaaa", "dot"),
}

# Edge colours cycle through this palette in predicate order; dash patterns split the groups further.
_PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2",
            "#7f7f7f", "#bcbd22", "#393b79", "#637939", "#843c39", "#7b4173")
_DASHES: tuple[list[int] | bool, ...] = (False, [8, 4], [2, 4])
SUBCLASS_STYLE = {"color": "#9e9e9e", "dashes": False, "width": 1.5}
INFERRED_STYLE = {"color": "#c9c9c9", "dashes": [3, 6], "width": 1}
INFERRED = "inferred"  # the filter key for is-a links only the reasoner entails


def predicate_styles(predicates: list[str]) -> dict[str, dict[str, object]]:
    """A colour, dash pattern and width for every predicate id, stable for a given sorted list."""
    styles: dict[str, dict[str, object]] = {}
    others = sorted(p for p in predicates if p != SUBCLASS)
    for i, pid in enumerate(others):
        styles[pid] = {"color": _PALETTE[i % len(_PALETTE)], "dashes": _DASHES[(i // len(_PALETTE)) % len(_DASHES)],
                       "width": 1.5}
    styles[SUBCLASS] = SUBCLASS_STYLE
    styles[INFERRED] = INFERRED_STYLE
    return styles
