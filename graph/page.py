"""The offline viewer page: our own template around vis-network, with the graph as embedded JSON.

Nothing on the page is fetched: scripts and styles are inline and pinned by hash in a
Content-Security-Policy that forbids every remote load. Data never passes through HTML: it is
JSON in a <script type="application/json"> block, and the page script writes it with textContent.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from bcto.graph.assets import template, vis_network
from bcto.graph.layout import graph_layout, hubs, overview, pathways
from bcto.graph.model import OTHER_FAMILY, SUBCLASS, GraphData, Link, Node
from bcto.graph.style import DIRECTIONS, INFERRED, OTHER_STYLE, groups, predicate_styles
from bcto.ontology.model import Citation

PRESETS = ("osteosarcoma", "Ewing sarcoma", "chondrosarcoma", "secondary bone cancer")
DISCLAIMER = (
    "BCTO is a knowledge resource drawn from patient-information pages, not medical advice. "
    "Nothing here replaces a conversation with a healthcare team."
)


def json_for_script(value: object) -> str:
    """JSON that cannot close its <script> element or open a comment, whatever the strings hold."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def content_security_policy(scripts: list[str], styles: list[str]) -> str:
    """Only the page's own inline scripts and styles may run; nothing may be fetched from anywhere."""
    return "; ".join(
        [
            "default-src 'none'",
            "script-src " + " ".join(_sha256(s) for s in scripts),
            "style-src " + " ".join(_sha256(s) for s in styles),
            "style-src-attr 'unsafe-inline'",
            "img-src data:",
            "connect-src 'none'",
            "font-src 'none'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )


def find_presets(data: GraphData) -> list[dict[str, str]]:
    """The focus buttons people ask for, matched by label (then synonym); absent terms get no button."""
    wanted = {name.casefold(): name for name in PRESETS}
    by_label: dict[str, set[str]] = {}
    by_name: dict[str, set[str]] = {}
    for term in data.terms.values():  # one pass over the terms, whatever the number of presets
        for i, name in enumerate(term.names):
            if (folded := name.casefold()) in wanted:
                by_name.setdefault(folded, set()).add(term.id)
                if i == 0:  # the label
                    by_label.setdefault(folded, set()).add(term.id)
    found = []
    for folded, name in wanted.items():
        match = sorted(by_label.get(folded) or by_name.get(folded) or ())
        if match:
            found.append({"id": match[0], "label": name[0].upper() + name[1:]})
    return found


def _node(term: Node, xy: tuple[int, int], degree: int, cite: Callable[[Citation], int]) -> dict[str, object]:
    """A term for the page; empty fields are left out (the script supplies them) to keep large pages small."""
    node: dict[str, object] = {
        "id": term.id,
        "label": term.label,
        "family": term.family,
        "x": xy[0],
        "y": xy[1],
        "size": round(8 + min(14.0, 2 * math.sqrt(degree)), 1),
    }
    optional = {
        "definition": term.definition,
        "synonyms": list(term.synonyms),
        "lay": list(term.lay_terms),
        "mappings": [{"relation": m.relation, "target": m.target, "href": m.href} for m in term.mappings],
        "sources": [cite(c) for c in term.sources],
    }
    node.update({k: v for k, v in optional.items() if v})
    return node


def _edge(link: Link, cite: Callable[[Citation], int]) -> dict[str, object]:
    """A link for the page: its end points and predicate, and only the qualifiers it has (sources as numbers
    into the page's citation table). The script numbers the edges in this order."""
    edge: dict[str, object] = {"from": link.subject, "to": link.object, "predicate": link.predicate}
    q = link.qualifiers
    optional: dict[str, object] = {
        "inferred": link.inferred,
        "frequency": q.frequency,
        "context": q.context,
        "conflict": q.conflict,
        "sources": [cite(c) for c in link.sources],
        # Fields the content model may carry; absent ones stay out of the page.
        "passage": "; ".join(sorted(p.pointer if p.section else "" for p in q.passages)),
        "direction": link.direction,
        "strength": link.strength,
        "optional": link.optional,
    }
    edge.update({k: v for k, v in optional.items() if v})
    return edge


def page_data(data: GraphData, layout_cache: Path | None = None, options: dict[str, object] | None = None) -> dict[str, object]:
    """Everything the page script needs, in a stable order."""
    pos = graph_layout(data, layout_cache)
    found = pathways(data)
    presets = find_presets(data)
    opening = overview(data, [p["id"] for p in presets]) if presets else hubs(data, pos) if data.terms else None
    degree = Counter([link.subject for link in data.links] + [link.object for link in data.links])
    keys = [INFERRED if link.inferred else link.predicate for link in data.links]
    styles = predicate_styles(list(data.predicates))
    labels = {**{p.id: p.label for p in data.predicates.values()}, INFERRED: "is a kind of (inferred by the reasoner)"}
    definitions = {
        **{p.id: p.definition for p in data.predicates.values()},
        INFERRED: "An is-a link the HermiT reasoner entails but no table states directly.",
    }
    counts = Counter(keys)
    order = [SUBCLASS, INFERRED, *sorted((k for k in counts if k not in (SUBCLASS, INFERRED)), key=lambda k: labels[k])]
    families = Counter(t.family for t in data.terms.values())
    citations: dict[Citation, int] = {}

    def cite(citation: Citation) -> int:
        return citations.setdefault(citation, len(citations))

    return {
        "meta": {"title": data.title, "version": data.version, "nodes": len(data.terms), "edges": len(data.links)},
        "families": [
            {"id": f.id, "label": f.label, "color": f.colour, "shape": f.shape, "count": families[f.id]}
            for f in data.families.values()
            if families[f.id]
        ]
        + (
            [
                {
                    "id": OTHER_FAMILY,
                    "label": OTHER_STYLE[0],
                    "color": OTHER_STYLE[1],
                    "shape": OTHER_STYLE[2],
                    "count": families[OTHER_FAMILY],
                }
            ]
            if families[OTHER_FAMILY]
            else []
        ),
        "groups": groups(),
        "directions": DIRECTIONS,
        "predicates": [
            {"id": k, "label": labels[k], "definition": definitions[k], "count": counts[k], **styles[k]}
            for k in order
            if counts[k]
        ],
        "nodes": [_node(t, pos[t.id], degree[t.id], cite) for t in data.terms.values()],
        "edges": [_edge(link, cite) for link in data.links],
        "citations": [[data.documents.get(c.source, c.source), c.section] for c in citations],
        "presets": presets,
        "overview": {
            "columns": [
                {"heading": heading, "x": opening.positions[ids[0]][0], "ids": list(ids)} for heading, ids in opening.columns
            ],
            "positions": {k: list(v) for k, v in opening.positions.items()},
            "predicates": list(opening.predicates),
            "caption": opening.caption,
        }
        if opening
        else None,
        "pathways": [
            {
                "id": p.id,
                "label": p.label,
                "conditions": list(p.conditions),
                "members": list(p.members),
                "steps": [
                    {"id": s.id, "activities": list(s.activities), "optional": s.optional, "after": s.after_previous}
                    for s in p.steps
                ],
            }
            for p in found
        ],
        **({"options": options} if options is not None else {}),  # the "Explore options" panel (graph/options.py)
    }


def _fill(page: str, values: dict[str, str]) -> str:
    """Replace each {{name}} once, in a single pass, so inserted text is never scanned again."""
    seen: list[str] = []

    def value(match: re.Match[str]) -> str:
        seen.append(match.group(1))
        return values[match.group(1)]

    filled = re.sub(r"\{\{(\w+)\}\}", value, page)
    if sorted(seen) != sorted(values):
        raise ValueError(f"page.html placeholders {sorted(seen)} do not match {sorted(values)}")
    return filled


def viewer_html(data: GraphData, layout_cache: Path | None = None, options: dict[str, object] | None = None) -> bytes:
    """The whole self-contained page; `options` is the Explore options panel's data (graph/options.py), if any."""
    vis_js, vis_css = vis_network()
    app_js, app_css = template("viewer.js"), template("viewer.css")
    options_js = template("options.js")
    title = f"{data.title} — graph viewer" + (f" ({data.version})" if data.version else "")
    page = _fill(
        template("page.html"),
        {
            "csp": html.escape(content_security_policy([vis_js, app_js, options_js], [vis_css, app_css]), quote=True),
            "title": html.escape(title),
            "heading": html.escape(data.title),
            "version": html.escape(data.version),
            "disclaimer": html.escape(DISCLAIMER),
            "vis_css": vis_css,
            "app_css": app_css,
            "data": json_for_script(page_data(data, layout_cache, options)),
            "vis_js": vis_js,
            "app_js": app_js,
            "options_js": options_js,
        },
    )
    return page.encode("utf-8")
