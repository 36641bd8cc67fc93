"""Read the release graphs (ontology, plain-edge knowledge graph, inferred hierarchy) into GraphData."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from bcto.graph.model import OTHER_FAMILY, SUBCLASS, GraphData, Link, MappingLink, Node, Predicate
from bcto.ontology.curies import Curies
from bcto.ontology.hierarchy import ancestors
from bcto.ontology.model import Citation, Family, Passage, Qualifiers
from bcto.ontology.triples import Index, Triples
from bcto.ontology.vocabulary import (
    BCTO,
    DBXREF,
    DEFINITION,
    DIRECTIONS,
    EXACT_SYNONYM,
    IN_SUBSET,
    OBO,
    ONTOLOGY_IRI,
    SH,
    SOURCE,
    UPPER_SUBSET,
)

MAPPING_RELATIONS = {
    SKOS.exactMatch: "exact match",
    SKOS.closeMatch: "close match",
    SKOS.broadMatch: "broad match",
    SKOS.narrowMatch: "narrow match",
    SKOS.relatedMatch: "related match",
    DBXREF: "cross-reference",
}
SUBCLASS_PREDICATE = Predicate(SUBCLASS, "is a kind of", "The subject is a more specific kind of the object (rdfs:subClassOf).")


class _Index(Index):
    """The one-pass index, with the citations and document titles extraction resolves as it goes. Made from
    triples, or on an index already made (the build's, which the statement nodes read too)."""

    def __init__(self, graph: Triples | Index) -> None:
        if isinstance(graph, Index):
            self._by = graph._by
        else:
            super().__init__(graph)
        self.citations: dict[object, Citation] = {}  # section -> its citation: sections are cited many times over
        self.documents: dict[str, str] = {}  # source id -> title, for every document a citation names


_NAMESPACE = str(BCTO)
_SOURCE, _SECTION_OF, _TITLE = DCTERMS.source, DCTERMS.isPartOf, DCTERMS.title
# Looked up once: an rdflib namespace makes a new term on every attribute access, thousands of times here.
_LABEL, _COMMENT, _SUBCLASS_OF, _TRUE = RDFS.label, RDFS.comment, RDFS.subClassOf, Literal(True)
_PASSAGE, _FREQUENCY, _CONTEXT, _CONFLICT = BCTO.passage, BCTO.frequency, BCTO.contextNote, BCTO.inConflict
_EVIDENCE, _DIRECTION, _STRENGTH, _OPTIONAL = BCTO.evidence, BCTO.direction, BCTO.strength, BCTO.optionalStep


@lru_cache(maxsize=1 << 18)
def _local(node: object) -> str | None:
    """The BCTO local name of an IRI, or None for anything else."""
    if isinstance(node, URIRef) and node.startswith(_NAMESPACE):
        local = str(node)[len(_NAMESPACE) :]
        return local if local and "/" not in local else None
    return None


def _text(graph: _Index, subject: object, predicate: URIRef) -> str:
    """One literal, English preferred, chosen deterministically when there are several."""
    values = sorted(
        (o for o in graph.objects(subject, predicate) if isinstance(o, Literal)),
        key=lambda o: (o.language not in ("en", None), str(o)),
    )
    return str(values[0]) if values else ""


def _texts(graph: _Index, subject: object, predicate: URIRef) -> tuple[str, ...]:
    return tuple(sorted({str(o) for o in graph.objects(subject, predicate) if isinstance(o, Literal)}))


def _citation(owl: _Index, section: object) -> Citation:
    """section (dcterms:title) -> dcterms:isPartOf -> document (dcterms:identifier, dcterms:title)."""
    found = owl.citations.get(section)
    if found is None:
        document = next(iter(sorted(owl.objects(section, _SECTION_OF), key=str)), None)
        source = (_text(owl, document, DCTERMS.identifier) if document is not None else "") or str(document or section)
        title = _text(owl, document, _TITLE) if document is not None else ""
        owl.documents.setdefault(source, title or source)
        found = owl.citations[section] = Citation(source, _text(owl, section, _TITLE))
    return found


def _citations(owl: _Index, node: object) -> tuple[Citation, ...]:
    """Every dcterms:source of a node, as citations in a stable order (by document title, then section)."""
    found = {_citation(owl, section) for section in owl.objects(node, _SOURCE)}
    return tuple(sorted(found, key=lambda c: (owl.documents[c.source], c.section)))


_FRAGMENT = re.compile(r"char=(\d+),(\d+);sha256=(\w+)$")
_SENTENCES = re.compile(r", sentences? (\d+)(?:–(\d+))?$")


def _passage(owl: _Index, node: object) -> Passage:
    """A passage IRI (the document's IRI, an RFC 5147 fragment) and its 'Section, sentence N' title,
    read back into the curation's Passage."""
    document, _, fragment = str(node).partition("#")
    chars = _FRAGMENT.match(fragment)
    section = next((_text(owl, s, _TITLE) for s in sorted(owl.objects(node, _SECTION_OF), key=str)), "")
    sentences = _SENTENCES.search(_text(owl, node, _TITLE))
    first = int(sentences.group(1)) if sentences else 0
    last = int(sentences.group(2) or first) if sentences else 0
    start, end, digest = (int(chars.group(1)), int(chars.group(2)), chars.group(3)) if chars else (0, 0, fragment)
    return Passage(document.removeprefix(str(SOURCE)), start, end, digest, section, first, last)


def _prefixes(owl: _Index) -> Curies:
    """The sh:declare prefixes, to turn mapping IRIs into CURIEs."""
    pairs = {}
    for declaration in owl.objects(ONTOLOGY_IRI, SH.declare):
        prefix, namespace = _text(owl, declaration, SH.prefix), _text(owl, declaration, SH.namespace)
        if prefix and namespace:
            pairs[prefix] = namespace
    return Curies(pairs)


def _mapping(target: object, relation: str, curie: Curies) -> MappingLink:
    """SKOS mappings are IRIs and become links; database cross-references are CURIE text and stay text
    (their prefixes need not have a resolvable namespace)."""
    text = str(target)
    if isinstance(target, URIRef):
        return MappingLink(relation, curie[text], text if text.startswith(("https://", "http://")) else "")
    return MappingLink(relation, text, "")


def _family(ancestors: set[str], depth: dict[str, int]) -> str:
    """The most specific declared family among a term's ancestors (a reconstruction technique is also a
    procedure, and is filed as the former)."""
    return max((f for f in ancestors if f in depth), key=lambda f: (depth[f], f), default=OTHER_FAMILY)


def _depths(families: Iterable[str], parents: dict[str, set[str]]) -> dict[str, int]:
    """Each family with how many declared families lie above it."""
    declared = set(families)
    return {f: len(ancestors(parents, f) & declared) for f in declared}


def _rdf_families(owl: _Index, upper: set[str]) -> dict[str, Family]:
    """The families of a release read back without its tables: the upper-level classes, with their labels."""
    return {f: Family(f, _text(owl, BCTO[f], RDFS.label) or f, "", "", "", "") for f in sorted(upper)}


def _subclass_pairs(graph: Index) -> set[tuple[str, str]]:
    pairs = set()
    for child, parent in graph.subject_objects(_SUBCLASS_OF):
        c, p = _local(child), _local(parent)
        if c and p and c != p:
            pairs.add((c, p))
    return pairs


def _statement_links(owl: _Index) -> dict[tuple[str, str, str], Link]:
    """(subject, predicate, object) -> its link, with the sources and qualifiers on the owl:Axiom behind it."""
    found: dict[tuple[str, str, str], Link] = {}
    target, source, on, some = OWL.annotatedTarget, OWL.annotatedSource, OWL.onProperty, OWL.someValuesFrom
    for axiom in owl.subjects(RDF.type, OWL.Axiom):
        subject, restriction = owl.value(axiom, source), owl.value(axiom, target)
        s, p, o = _local(subject), _local(owl.value(restriction, on)), _local(owl.value(restriction, some))
        if s is None or p is None or o is None:
            continue
        found[(s, p, o)] = Link(
            s,
            p,
            o,
            sources=_citations(owl, axiom),
            qualifiers=_qualifiers(owl, axiom),
            # a criterion's direction and the source's strength word are annotations of the criterion class
            direction=_DIRECTION_KEYS.get(_local(owl.value(subject, _DIRECTION)) or "", ""),
            strength=_label_of(owl, owl.value(subject, _STRENGTH)),
            optional=owl.value(subject, _OPTIONAL) == _TRUE,
        )
    return found


def _qualifiers(owl: _Index, axiom: object) -> Qualifiers:
    """The annotations compile.py puts on a statement's axiom, read back; passages by document and position."""
    passages = sorted((_passage(owl, p) for p in owl.objects(axiom, _PASSAGE)), key=lambda p: (p.source, p.start, p.end))
    return Qualifiers(
        frequency=_text(owl, axiom, _FREQUENCY),
        context=_text(owl, axiom, _CONTEXT),
        conflict=_local(owl.value(axiom, _CONFLICT)) or "",
        comment=_text(owl, axiom, _COMMENT),
        passages=tuple(passages),
        evidence=_eco(owl.value(axiom, _EVIDENCE)),
    )


_DIRECTION_KEYS = {local: key for key, local in DIRECTIONS.items()}


def _eco(node: object) -> str:
    """obo:ECO_0000303 -> ECO:0000303."""
    return str(node).removeprefix(str(OBO)).replace("_", ":", 1) if node is not None else ""


def _label_of(owl: _Index, node: object) -> str:
    return _text(owl, node, _LABEL) if node is not None else ""


def _terms(owl: _Index, hierarchy: dict[str, set[str]], upper: set[str], depth: dict[str, int]) -> dict[str, Node]:
    prefixes = _prefixes(owl)
    terms = {}
    for node in set(owl.subjects(RDF.type, OWL.Class)):
        tid = _local(node)
        if tid is None or tid in upper or owl.value(node, OWL.deprecated) == _TRUE:
            continue  # top classes are families, not terms; a retired class stays in the ontology, not in views
        mappings = sorted(
            (
                _mapping(target, relation, prefixes)
                for predicate, relation in MAPPING_RELATIONS.items()
                for target in owl.objects(node, predicate)
            ),
            key=lambda m: (m.relation, m.target),
        )
        terms[tid] = Node(
            id=tid,
            label=_text(owl, node, _LABEL) or tid,
            family=_family(ancestors(hierarchy, tid), depth),
            definition=_text(owl, node, DEFINITION),
            synonyms=_texts(owl, node, EXACT_SYNONYM),
            lay_terms=_texts(owl, node, BCTO.layTerm),
            mappings=tuple(mappings),
            sources=_citations(owl, node),
        )
    return dict(sorted(terms.items()))


def _predicates(owl: _Index, used: Iterable[str]) -> dict[str, Predicate]:
    found = {SUBCLASS: SUBCLASS_PREDICATE}
    for pid in sorted(set(used) - {SUBCLASS}):
        found[pid] = Predicate(pid, _text(owl, BCTO[pid], RDFS.label) or pid, _text(owl, BCTO[pid], DEFINITION))
    return found


def asserted_data(owl: Triples | Index, kg: Triples, families: dict[str, Family] | None = None) -> GraphData:
    """The browsable picture of what is asserted: every non-upper-level BCTO class, every curated edge,
    and the told is-a links. The viewer's layout needs no more, so a build makes it while HermiT runs.
    `families` are the declared ones (the build passes them); without them they are read from the release."""
    index = _Index(owl)
    told = _subclass_pairs(index)
    upper = {tid for tid in (_local(s) for s in index.subjects(IN_SUBSET, UPPER_SUBSET)) if tid}
    parents: dict[str, set[str]] = defaultdict(set)
    for child, parent in told:
        parents[child].add(parent)
    families = families if families is not None else _rdf_families(index, upper)
    terms = _terms(index, parents, upper, _depths(families, parents))
    stated = _statement_links(index)
    links = []
    for s, p, o in kg:
        subject, predicate, obj = _local(s), _local(p), _local(o)
        if subject in terms and obj in terms and predicate:
            links.append(stated.get((subject, predicate, obj)) or Link(subject, predicate, obj))
    for child, parent in told:
        if child in terms and parent in terms:
            links.append(Link(child, SUBCLASS, parent, sources=()))
    links.sort(key=lambda link: (link.subject, link.predicate, link.object, link.inferred))
    return GraphData(
        terms=terms,
        links=links,
        predicates=_predicates(index, (link.predicate for link in links)),
        title=_text(index, ONTOLOGY_IRI, DCTERMS.title) or "Bone Cancer Treatment Ontology",
        version=_text(index, ONTOLOGY_IRI, OWL.versionInfo),
        parents={child: frozenset(found) for child, found in sorted(parents.items())},
        families=families,
        documents=dict(sorted(index.documents.items())),
    )


def with_inferred(data: GraphData, inferred: Graph) -> GraphData:
    """Add the is-a links only the reasoner entails, flagged `inferred` so views can draw them differently,
    and place each term in its family by the told and entailed hierarchy together."""
    entailed = _subclass_pairs(Index(inferred))
    told = {(child, parent) for child, found in data.parents.items() for parent in found}
    hierarchy: dict[str, set[str]] = defaultdict(set)
    for child, parent in told | entailed:
        hierarchy[child].add(parent)
    depth = _depths(data.families, hierarchy)
    terms = {
        tid: term._replace(family=family) if (family := _family(ancestors(hierarchy, tid), depth)) != term.family else term
        for tid, term in data.terms.items()
    }
    links = data.links + [
        Link(child, SUBCLASS, parent, inferred=True) for child, parent in entailed - told if child in terms and parent in terms
    ]
    links.sort(key=lambda link: (link.subject, link.predicate, link.object, link.inferred))
    return replace(data, terms=terms, links=links)


def graph_data(owl: Triples, kg: Triples, inferred: Graph, families: dict[str, Family] | None = None) -> GraphData:
    """The browsable picture of a release: asserted_data plus the reasoner's is-a links (from the inferred hierarchy)."""
    return with_inferred(asserted_data(owl, kg, families), inferred)
