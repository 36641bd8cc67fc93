"""The schema that core.ttl declares: top classes, properties with domain and range, prefixes."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import NamedTuple

import rdflib
from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.compare import to_canonical_graph
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.term import Node

from bcto.ontology.cache_entry import pickled
from bcto.ontology.core_checks import MAX_NESTING, core_problems, nesting
from bcto.ontology.problems import CurationError, Problem, line_column
from bcto.ontology.version import RELEASE, add_version
from bcto.ontology.vocabulary import BCTO, SH


class Property(NamedTuple):
    """An object property: the classes its subjects and objects must fall under (any of)."""

    name: str
    domain: frozenset[str]
    range: frozenset[str]


@dataclass(frozen=True)
class Schema:
    """What the tables may refer to, read from core.ttl."""

    graph: Graph
    classes: dict[str, frozenset[str]]  # core class -> its direct core superclasses
    properties: dict[str, Property]
    prefixes: dict[str, str]  # declared xref/mapping prefix -> namespace

    @cached_property
    def canonical(self) -> tuple[tuple[Node, Node, Node], ...]:
        """The graph with its blank nodes named by content (rdflib.compare): the skeleton compile starts from.
        Computed when first asked (`bcto options` never asks), and kept in the core.ttl cache."""
        return tuple(to_canonical_graph(self.graph))


def _local(node: object) -> str | None:
    text = str(node)
    return text[len(str(BCTO)) :] if isinstance(node, URIRef) and text.startswith(str(BCTO)) else None


def _class_names(graph: Graph, node: object) -> frozenset[str]:
    """A named class or an owl:unionOf of named classes, as local names."""
    if isinstance(node, BNode):
        members = graph.value(node, OWL.unionOf)
        return frozenset(n for m in Collection(graph, members) if (n := _local(m))) if members else frozenset()
    name = _local(node)
    return frozenset([name]) if name else frozenset()


def _inherited(graph: Graph, prop: Node, axis: URIRef) -> frozenset[str]:
    """The domain or range of prop, or of its nearest super-property that has one (a loop: rdflib's
    transitive_objects recurses, and a deep sub-property chain would overflow the stack)."""
    seen: set[Node] = set()
    todo: list[Node] = [prop]
    while todo:
        current = todo.pop(0)
        if current in seen:
            continue
        seen.add(current)
        found = graph.value(current, axis)
        if found is not None:
            return _class_names(graph, found)
        todo.extend(sorted(graph.objects(current, RDFS.subPropertyOf), key=str))
    return frozenset()


def _syntax_problem(name: str, err: BadSyntax) -> Problem:
    consumed = err._str[: err._i] if isinstance(err._str, bytes) else err._str[: err._i].encode()
    line, column = line_column(consumed, len(consumed))
    return Problem(
        name,
        line,
        column,
        f"Turtle syntax error: {err._why}",
        "fix the Turtle at this position (a missing '.', ';' or quote is typical)",
    )


def parse_core(path: Path, display: str | None = None) -> Graph:
    """Parse core.ttl and check what the parser lets through; every problem becomes a located Problem."""
    name = display or str(path)
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line, _ = line_column(data, err.start)
        raise CurationError([Problem(name, line, 1, "bytes that are not UTF-8", "save core.ttl as UTF-8")]) from None
    deep = nesting(text)
    if deep is not None:
        where = line_column(text, deep)
        fix = "write the nested blank nodes or lists as separate named resources"
        raise CurationError([Problem(name, *where, f"brackets nested more than {MAX_NESTING} deep", fix)])
    graph = Graph()
    try:
        graph.parse(data=text, format="turtle", publicID=str(BCTO))
    except BadSyntax as err:
        raise CurationError([_syntax_problem(name, err)]) from None
    except RecursionError:
        raise CurationError([Problem(name, 1, 1, "Turtle nested too deeply for the parser", "flatten nested lists")]) from None
    except Exception as err:  # the parser's other complaints (a bad IRI, a bad escape) carry no position
        raise CurationError([Problem(name, 1, 1, f"Turtle the parser rejects: {err}", "fix what the message names")]) from None
    problems = core_problems(graph, text, name)
    if problems:
        raise CurationError(problems)
    return graph


def read_schema(graph: Graph) -> Schema:
    """Pull the declarations the loader checks against out of the parsed core graph."""
    classes: dict[str, frozenset[str]] = {}
    for cls in graph.subjects(RDF.type, OWL.Class):
        if (name := _local(cls)) is not None:
            classes[name] = frozenset(n for sup in graph.objects(cls, RDFS.subClassOf) if (n := _local(sup)))
    properties: dict[str, Property] = {}
    for prop in graph.subjects(RDF.type, OWL.ObjectProperty):
        if (name := _local(prop)) is not None:
            properties[name] = Property(name, _inherited(graph, prop, RDFS.domain), _inherited(graph, prop, RDFS.range))
    prefixes = {
        str(graph.value(decl, SH.prefix)): str(graph.value(decl, SH.namespace)) for decl in graph.objects(None, SH.declare)
    }
    return Schema(graph, classes, properties, prefixes)


def load_schema(path: Path, display: str | None = None, cache: Path | None = None) -> Schema:
    """The checked schema of core.ttl; with a cache folder, kept there by the hash of core.ttl and of the
    code that reads it. core.ttl rarely changes between builds, and parsing, checking and canonicalising
    it took a tenth of a rebuild. Only a schema that passed its checks is kept, so a kept one skips none.
    The key also holds the release version and rdflib's (cache_entry.pickled adds the code's)."""
    if cache is None:
        return read_schema(add_version(parse_core(path, display)))

    def checked() -> Schema:
        schema = read_schema(add_version(parse_core(path, display)))  # raises on a problem: nothing is kept
        schema.canonical  # noqa: B018 (computed now, so the kept entry holds it)
        return schema

    key = f"core.ttl, release {RELEASE}, rdflib {rdflib.__version__}\0".encode() + path.read_bytes()
    return pickled(cache, key, checked, Schema, lambda _: True)
