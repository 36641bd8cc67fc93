"""Checks of core.ttl that its Turtle parser does not make, each located in the file's text.

rdflib keeps no positions, so a problem found in the parsed graph is placed by searching the text for the
statement's subject, then for its predicate or value within that subject's block.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDFS

from bcto.ontology.characters import FIX, FORBIDDEN, describe
from bcto.ontology.curies import Curies, bracketed
from bcto.ontology.problems import Problem, line_column
from bcto.ontology.values import HTTP_IRI
from bcto.ontology.vocabulary import SH

MAX_NESTING = 64  # brackets inside brackets; core.ttl needs 3, and rdflib's parser recurses once per level
_TOKENS = re.compile(
    r'#[^\n]*|<[^>\n]*>|"""(?:[^"\\]|\\.|"(?!""))*"""|' + r"'''(?:[^'\\]|\\.|'(?!''))*'''|"
    r'"(?:[^"\\\n]|\\.)*"|' + r"'(?:[^'\\\n]|\\.)*'|[\[\]()]",
    re.S,
)
_PREFIX_LINE = re.compile(r"^[ \t]*(?:@prefix|PREFIX)[ \t]+([A-Za-z][\w.-]*)?:[ \t]*<([^>]*)>", re.M | re.I)


def nesting(text: str) -> int | None:
    """The offset of the first bracket nested deeper than MAX_NESTING (strings, IRIs, comments skipped), or None.
    One linear pass, so it runs before the parser, which would overflow Python's stack."""
    depth = 0
    for token in _TOKENS.finditer(text):
        bracket = token.group()
        if bracket in "[(":
            depth += 1
            if depth > MAX_NESTING:
                return token.start()
        elif bracket in "])":
            depth -= 1
    return None


_CURIE = Curies(fallback=bracketed)


def _curie(node: object) -> str:
    return _CURIE(str(node))


def _spellings(node: object) -> list[str]:
    return [_curie(node), f"<{node}>"] if isinstance(node, URIRef) else []


class _Text:
    """core.ttl's text, searched for where a parsed statement is written."""

    def __init__(self, text: str, name: str) -> None:
        self.text, self.name = text, name

    def problem(self, offset: int, message: str, fix: str) -> Problem:
        return Problem(self.name, *line_column(self.text, offset), message, fix)

    def block(self, subject: object) -> tuple[int, int]:
        """Start and end offsets of the lines that describe subject (from its line to the next unindented one)."""
        for spelling in _spellings(subject):
            found = re.search(rf"^{re.escape(spelling)}(?=[\s;,])", self.text, re.M)
            if found:
                end = re.compile(r"\n(?=\S)").search(self.text, found.end())
                return found.start(), end.start() if end else len(self.text)
        return 0, 0

    def find(self, subject: object, needles: list[str], nth: int = 0) -> int:
        """The offset of the nth occurrence of any needle in subject's block; else the block; else 0."""
        start, end = self.block(subject)
        hits = sorted(m.start() for needle in needles for m in re.finditer(re.escape(needle), self.text[start:end]))
        return start + hits[min(nth, len(hits) - 1)] if hits else start


def _describe(graph: Graph, node: object) -> str:
    if isinstance(node, BNode) and (members := graph.value(node, OWL.unionOf)) is not None:
        return "owl:unionOf (" + " ".join(_curie(m) for m in Collection(graph, members)) + ")"
    return _curie(node)


def _two_values(graph: Graph, text: _Text) -> Iterator[Problem]:
    for axis, word in ((RDFS.domain, "domain"), (RDFS.range, "range")):
        for subject in sorted(set(graph.subjects(axis, None)), key=str):
            values = sorted(graph.objects(subject, axis), key=lambda n: (isinstance(n, BNode), str(n)))
            if len(values) < 2:
                continue
            keyword = _spellings(axis)
            start, end = text.block(subject)
            repeated = sum(text.text.count(k, start, end) for k in keyword) > 1  # two lines, or one with a comma
            offset = text.find(subject, keyword, 1 if repeated else 0)
            yield text.problem(
                offset,
                f"property {_curie(subject)} has {len(values)} {word}s, "
                + " and ".join(_describe(graph, v) for v in values)
                + f" (OWL reads several {word}s as all at once, so every {'subject' if word == 'domain' else 'object'} "
                "would have to be in each, and HermiT finds such classes unsatisfiable)",
                f"give it one rdfs:{word}; for any one of several classes write a single rdfs:{word} "
                "[ a owl:Class ; owl:unionOf ( ... ) ]",
            )


def _declarations(graph: Graph, text: _Text) -> Iterator[Problem]:
    seen: dict[str, str] = {}
    for decl in sorted(graph.objects(None, SH.declare), key=lambda d: str(graph.value(d, SH.prefix))):
        prefix, namespace = graph.value(decl, SH.prefix), graph.value(decl, SH.namespace)
        spelled = f'sh:prefix "{prefix}"'
        occurrences = [m.start() for m in re.finditer(re.escape(spelled), text.text)]
        at = occurrences[-1] if occurrences else 0
        if not isinstance(namespace, Literal) or not HTTP_IRI.fullmatch(str(namespace)) or " " in str(namespace):
            yield text.problem(
                at,
                f"sh:namespace {'missing' if namespace is None else namespace.n3()} of prefix {str(prefix)!r} is no http(s) IRI",
                'write it as sh:namespace "http://..."^^xsd:anyURI (the IRI that prefix:ID expands to, minus the ID)',
            )
        elif str(prefix) in seen and seen[str(prefix)] != str(namespace):
            yield text.problem(
                at,
                f"prefix {str(prefix)!r} is declared twice, as {seen[str(prefix)]} and {namespace}",
                "keep one sh:declare for each prefix",
            )
        seen.setdefault(str(prefix), str(namespace))
    bound: dict[str, tuple[str, int]] = {}
    for match in _PREFIX_LINE.finditer(text.text):
        name, iri = match.group(1) or "", match.group(2)
        if name in bound and bound[name][0] != iri:
            yield text.problem(
                match.start(),
                f"@prefix {name}: is bound twice, to <{bound[name][0]}> (line {bound[name][1]}) and <{iri}>",
                "keep one @prefix line for each prefix; the second silently changes what the names after it mean",
            )
        bound.setdefault(name, (iri, line_column(text.text, match.start())[0]))


def _characters(graph: Graph, text: _Text) -> Iterator[Problem]:
    raw: set[str] = set()
    lines: set[int] = set()
    for match in FORBIDDEN.finditer(text.text):
        raw.add(match.group())
        problem = text.problem(match.start(), f"character {describe(match.group())} in core.ttl", FIX)
        if problem.line not in lines:  # the first on each line
            lines.add(problem.line)
            yield problem
    for subject, _, value in sorted(graph, key=lambda t: (str(t[0]), str(t[1]), str(t[2]))):
        bad = FORBIDDEN.search(str(value)) if isinstance(value, Literal) else None
        if bad is None or bad.group() in raw:
            continue
        code = ord(bad.group())
        escapes = [f"\\u{code:04x}", f"\\u{code:04X}", f"\\U{code:08x}", f"\\U{code:08X}"]
        hits = [text.text.find(e) for e in escapes if e in text.text]
        offset = min(hits) if hits else text.find(subject, [])
        yield text.problem(
            offset, f"character {describe(bad.group())} (written as an escape) in a literal of {_curie(subject)}", FIX
        )
        raw.add(bad.group())


def core_problems(graph: Graph, text: str, name: str) -> list[Problem]:
    """Everything in the parsed core.ttl that would make the build crash, mislead, or fail later without a pointer."""
    located = _Text(text, name)
    return [*_two_values(graph, located), *_declarations(graph, located), *_characters(graph, located)]
