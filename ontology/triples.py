"""A graph as plain triples, and the one-pass index its readers ask.

The build makes the ontology as a set of rdflib-term triples, not an rdflib Graph: the store indexes every
triple three ways as it goes in (about half of compile) and gives them back through two generators, while
the build only writes them out and asks (subject, predicate) questions, which one dict answers. An rdflib
Graph is an iterable of triples too, so every reader that takes `Triples` takes a release parsed back.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib.term import Node

Triple = tuple[Node, Node, Node]
Triples = Iterable[Triple]


class TripleSet(dict[Triple, None]):
    """Triples without repeats, iterated in the order they were first added: a plain set would iterate in
    hash order, which PYTHONHASHSEED changes from run to run, and readers that keep first-seen order
    (the index below) would then make different files from the same sources."""

    def __init__(self, triples: Triples = ()) -> None:
        super().__init__((triple, None) for triple in triples)

    def add(self, triple: Triple) -> None:
        self[triple] = None


class Index:
    """A graph's objects by subject and predicate, read in one pass. The readers ask tens of thousands of
    (subject, predicate) questions; rdflib answers each through its generic triple-pattern machinery
    (~10 µs), a dict in well under one."""

    def __init__(self, graph: Triples) -> None:
        self._by: dict[Node, dict[Node, list[Node]]] = {}
        for s, p, o in graph:
            self._by.setdefault(s, {}).setdefault(p, []).append(o)

    def objects(self, subject: object, predicate: Node) -> list[Node]:
        return self._by.get(subject, {}).get(predicate, [])  # type: ignore[call-overload]

    def value(self, subject: object, predicate: Node) -> Node | None:
        found = self.objects(subject, predicate)
        return found[0] if found else None

    def subjects(self, predicate: Node, obj: object) -> list[Node]:
        return [s for s, by in self._by.items() if obj in by.get(predicate, ())]

    def subject_objects(self, predicate: Node) -> list[tuple[Node, Node]]:
        return [(s, o) for s, by in self._by.items() for o in by.get(predicate, ())]

    def predicate_objects(self, subject: object) -> list[tuple[Node, Node]]:
        return [(p, o) for p, found in self._by.get(subject, {}).items() for o in found]  # type: ignore[call-overload]
