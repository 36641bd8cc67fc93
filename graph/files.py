"""The graph part of a release: the viewer page and the GraphML/GEXF exports, as bytes."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from graph.exports import gexf, graphml
from graph.extract import graph_data
from graph.layout import graph_layout
from graph.page import viewer_html


def graph_files(owl: Graph, kg: Graph, inferred: Graph, layout_cache: Path | None = None) -> dict[str, bytes]:
    """{'bcto.html', 'bcto.graphml', 'bcto.gexf'} from the graphs build.py writes to bcto.ttl, bcto-kg.ttl, bcto-inferred.ttl."""
    data = graph_data(owl, kg, inferred)
    return {"bcto.html": viewer_html(data, layout_cache), "bcto.graphml": graphml(data), "bcto.gexf": gexf(data)}


def prepare_layout(owl: Graph, kg: Graph, layout_cache: Path | None = None) -> None:
    """Lay the graph out before the reasoner has answered: the layout ignores inferred links, so the
    build can do this while HermiT runs on the other core, and graph_files then reuses it. The graphs
    are read again once the inferred links exist (term families may depend on them); that repeat runs in
    HermiT's shadow, so it costs no wall time."""
    graph_layout(graph_data(owl, kg, Graph()), layout_cache)
