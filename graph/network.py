"""GraphData as a networkx graph to walk, for `bcto path` and `bcto stats`."""

from __future__ import annotations

import networkx as nx

from bcto.graph.model import GraphData


def walkable(data: GraphData, include_inferred: bool = False) -> nx.Graph:
    """An undirected simple graph for paths and layout; each edge keeps the links it stands for.

    Inferred is-a links are left out by default: they shortcut the asserted hierarchy and would
    make every path through it look one step long.
    """
    g = nx.Graph()
    g.add_nodes_from(data.terms)
    for link in data.links:
        if link.inferred and not include_inferred:
            continue
        if g.has_edge(link.subject, link.object):
            g.edges[link.subject, link.object]["links"].append(link)
        else:
            g.add_edge(link.subject, link.object, links=[link])
    return g
