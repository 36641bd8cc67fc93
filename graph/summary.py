"""`bcto stats`: the graph's shape (sizes, parts, degree and centrality), as plain text."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import networkx as nx

from bcto.graph.model import GraphData
from bcto.graph.network import walkable

SAMPLE_ABOVE = 2000  # exact betweenness is O(nodes * edges); above this many terms it is estimated


def _table(rows: Sequence[tuple[str, ...]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  " + "  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths)))
        for row in rows
    ]


def summary(data: GraphData, top: int = 10) -> str:
    """Counts, connected parts, and the terms with most links and most 'in-between' routes."""
    g = walkable(data)
    asserted = [link for link in data.links if not link.inferred]
    inferred = len(data.links) - len(asserted)
    parts = sorted((len(c) for c in nx.connected_components(g)), reverse=True) if len(g) else []
    degree_in = Counter(link.object for link in asserted)
    degree_out = Counter(link.subject for link in asserted)
    k = None if len(g) <= SAMPLE_ABOVE else min(len(g), 500)
    between = nx.betweenness_centrality(g, k=k, seed=1) if len(g) else {}
    label = {tid: t.label for tid, t in data.terms.items()}

    lines = [
        f"{data.title} {data.version}".strip(),
        f"{len(data.terms)} terms; {len(asserted)} stated links and {inferred} is-a links inferred by the reasoner.",
        f"{len(parts)} connected part(s); the largest holds {parts[0] if parts else 0} terms"
        + (f"; {sum(1 for p in parts if p == 1)} term(s) have no link." if parts else "."),
        f"Density {nx.density(g):.4f}; mean links per term {2 * g.number_of_edges() / max(1, len(g)):.2f}.",
        "",
    ]
    lines.append("Terms by family:")
    families = Counter(t.family for t in data.terms.values())
    name = {f.id: f.label for f in data.families.values()}
    lines += _table([(name.get(f, "other"), str(n)) for f, n in sorted(families.items(), key=lambda x: (-x[1], x[0]))])
    lines += ["", "Links by kind:"]
    kinds = Counter(data.predicates[link.predicate].label + (" (inferred)" if link.inferred else "") for link in data.links)
    lines += _table([(name, str(n)) for name, n in sorted(kinds.items(), key=lambda x: (-x[1], x[0]))])
    lines += ["", f"Most connected terms (stated links, in + out; top {top}):"]
    ranked = sorted(data.terms, key=lambda t: (-(degree_in[t] + degree_out[t]), t))[:top]
    lines += _table(
        [("term", "in", "out", "total")]
        + [(f"{label[t]} ({t})", str(degree_in[t]), str(degree_out[t]), str(degree_in[t] + degree_out[t])) for t in ranked]
    )
    lines += [
        "",
        f"Most central terms (betweenness: share of shortest routes that pass through the term; top {top}"
        + (", estimated from 500 sampled terms" if k else "")
        + "):",
    ]
    central = sorted(between, key=lambda t: (-between[t], t))[:top]
    lines += _table([("term", "betweenness")] + [(f"{label[t]} ({t})", f"{between[t]:.4f}") for t in central])
    return "\n".join(lines) + "\n"
