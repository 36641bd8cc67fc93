"""Direct parents: the nearest named classes above each class once the reasoner has run, so that a query can
ask for them in one pattern (`bcto:directParent`) instead of untangling `rdfs:subClassOf`, which holds stated
parents, the reasoner's direct parents and OWL restriction blank nodes side by side."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rdflib import Graph, URIRef

from bcto.ontology.hierarchy import ancestors
from bcto.ontology.vocabulary import BCTO

DIRECT_PARENT = BCTO.directParent


def direct_parents(
    stated: Mapping[str, Iterable[str]], inferred: Mapping[str, Iterable[str]], retired: Iterable[str] = ()
) -> dict[str, tuple[str, ...]]:
    """The transitive reduction of stated ∪ inferred parent links: a parent is dropped when it is also above
    another parent of the same class (a stated parent the reasoner placed higher up, say). Two parents above
    each other both ways (equivalent classes) are both kept; self-links and retired classes get none.
    Pass inferred={} when there is no reasoner's answer: the result is then the reduction of the stated links."""
    gone = set(retired)
    links: dict[str, set[str]] = {}
    for table in (stated, inferred):
        for child, parents in table.items():
            if child not in gone:
                links.setdefault(child, set()).update(p for p in parents if p != child and p not in gone)
    closure: dict[str, set[str]] = {}

    def above(node: str) -> set[str]:
        if node not in closure:
            closure[node] = ancestors(links, node)
        return closure[node]

    reduced: dict[str, tuple[str, ...]] = {}
    for child in sorted(links):
        parents = links[child]
        if len(parents) > 1:  # one parent needs no closure: a 900-level chain costs 900 steps, not 405,450
            parents = {p for p in parents if not any(p in above(q) and q not in above(p) for q in parents if q != p)}
        kept = tuple(sorted(parents))
        if kept:
            reduced[child] = kept
    return reduced


def direct_parent_graph(parents: Mapping[str, Iterable[str]], graph: Graph) -> Graph:
    """Add `child bcto:directParent parent` for every link to graph, and return it."""
    for child, found in parents.items():
        for parent in found:
            graph.add((URIRef(child), DIRECT_PARENT, URIRef(parent)))
    return graph
