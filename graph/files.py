"""The graph part of a release: the viewer page and the GraphML/GEXF exports, as bytes."""

from __future__ import annotations

from pathlib import Path

from bcto.graph.exports import gexf, graphml
from bcto.graph.model import GraphData
from bcto.graph.page import viewer_html


def graph_files(data: GraphData, layout_cache: Path | None = None, options: dict[str, object] | None = None) -> dict[str, bytes]:
    """{'bcto.html', 'bcto.graphml', 'bcto.gexf'} for the release's graph data (graph.extract.graph_data);
    `options` is the viewer's Explore options panel data (graph/options.py)."""
    return {"bcto.html": viewer_html(data, layout_cache, options), "bcto.graphml": graphml(data), "bcto.gexf": gexf(data)}
