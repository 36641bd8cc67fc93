"""GraphData as networkx graphs: the directed multigraph for exports, and the simple view for walking."""

from __future__ import annotations

import networkx as nx

from graph.model import GraphData, Link


def citation_text(link_or_sources: Link | tuple) -> str:
    """Sources as 'Document — Section' joined by '; ' (the same wording in every export)."""
    sources = link_or_sources.sources if isinstance(link_or_sources, Link) else link_or_sources
    return "; ".join(f"{c.document} — {c.section}" for c in sources)


def to_networkx(data: GraphData) -> nx.MultiDiGraph:
    """One node per term, one keyed edge per link; attributes are plain strings and booleans (GraphML/GEXF-safe)."""
    g = nx.MultiDiGraph(name=data.title, version=data.version)
    for term in data.terms.values():
        g.add_node(term.id, label=term.label, family=term.family, definition=term.definition,
                   synonyms="|".join(term.synonyms), lay_terms="|".join(term.lay_terms),
                   mappings="|".join(m.target for m in term.mappings), sources=citation_text(term.sources),
                   iri=f"https://w3id.org/bcto/{term.id}")
    for link in data.links:
        g.add_edge(link.subject, link.object, key=link.key, id=link.key, predicate=link.predicate,
                   label=data.predicates[link.predicate].label, inferred=link.inferred,
                   frequency=link.frequency, context=link.context, conflict=link.conflict,
                   sources=citation_text(link))
    return g


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
