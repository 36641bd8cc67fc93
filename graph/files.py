"""The graph part of a release: the viewer page and the GraphML/GEXF exports, as bytes."""

from __future__ import annotations

from rdflib import Graph

from graph.exports import gexf, graphml
from graph.extract import graph_data
from graph.page import viewer_html


def graph_files(owl: Graph, kg: Graph, inferred: Graph) -> dict[str, bytes]:
    """{'bcto.html', 'bcto.graphml', 'bcto.gexf'} from the graphs build.py writes to bcto.ttl, bcto-kg.ttl, bcto-inferred.ttl."""
    data = graph_data(owl, kg, inferred)
    return {"bcto.html": viewer_html(data), "bcto.graphml": graphml(data), "bcto.gexf": gexf(data)}
