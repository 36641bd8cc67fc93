"""The parts of the reference page that pyLODE and Widoco pages have: metadata, downloads, a search box, the
class tree, the property hierarchy, annotation properties and example queries. Each is read from core.ttl and
the checked model at build time, so the page follows whatever the schema declares (criterion properties too).
"""

from __future__ import annotations

import base64
import hashlib
import html
from collections import defaultdict
from collections.abc import Iterable, Mapping
from functools import lru_cache

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

from bcto.manifest import FILES
from bcto.ontology.curies import Curies
from bcto.ontology.model import Curation
from bcto.ontology.schema import Schema
from bcto.ontology.vocabulary import BCTO, DEFINITION, ONTOLOGY_IRI, VANN


@lru_cache(maxsize=1 << 16)
def escape(text: str) -> str:
    """html.escape, remembered: the reference page escapes the same labels, titles and sections thousands of
    times, and html.escape runs five replaces on each (the page: 11.6 -> 9.6 ms for the real graph)."""
    return html.escape(text)


Example = tuple[str, str, str]  # name, summary, SPARQL text

# Filters the term sections as one types; the page's Content-Security-Policy allows this script by its hash.
SEARCH_SCRIPT = """
(function () {
  var box = document.getElementById("search"), count = document.getElementById("search-count");
  var sections = Array.prototype.slice.call(document.querySelectorAll("section.term"));
  var texts = sections.map(function (s) { return s.textContent.toLowerCase(); });
  box.addEventListener("input", function () {
    var wanted = box.value.trim().toLowerCase(), shown = 0;
    sections.forEach(function (s, i) {
      var hit = !wanted || texts[i].indexOf(wanted) >= 0;
      s.hidden = !hit; if (hit) shown++;
    });
    count.textContent = wanted ? shown + " of " + sections.length + " entries match" : "";
  });
})();
"""


def script_hash(script: str = SEARCH_SCRIPT) -> str:
    """The CSP source expression that allows exactly this inline script."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"


_CURIE = Curies()


def curie(node: URIRef) -> str:
    return _CURIE(str(node))


def _text(value: object) -> str:
    return escape(str(value)) if value is not None else ""


def metadata(schema: Schema) -> str:
    """Title, version IRI, version, dates, creators, licence, citation and namespace, as the header states them."""
    g = schema.graph

    def values(predicate: URIRef) -> list[object]:
        return sorted(g.objects(ONTOLOGY_IRI, predicate), key=str)

    def link(node: object) -> str:
        return f'<a href="{_text(node)}">{_text(node)}</a>' if isinstance(node, URIRef) else _text(node)

    rows = [
        ("Ontology IRI", link(ONTOLOGY_IRI)),
        ("Version IRI", ", ".join(link(v) for v in values(OWL.versionIRI))),
        ("Version", ", ".join(_text(v) for v in values(OWL.versionInfo))),
        ("Created", ", ".join(_text(v) for v in values(DCTERMS.created))),
        ("Issued", ", ".join(_text(v) for v in values(DCTERMS.issued))),
        ("Modified", ", ".join(_text(v) for v in values(DCTERMS.modified))),
        ("Creators", ", ".join(_text(v) for v in values(DCTERMS.creator))),
        ("Publisher", ", ".join(_text(v) for v in values(DCTERMS.publisher))),
        ("Licence", ", ".join(link(v) for v in values(DCTERMS.license))),
        ("Cite as", ", ".join(_text(v) for v in values(DCTERMS.bibliographicCitation))),
        ("Namespace", ", ".join(f"<code>{_text(v)}</code>" for v in values(VANN.preferredNamespaceUri))),
        ("Preferred prefix", ", ".join(f"<code>{_text(v)}</code>" for v in values(VANN.preferredNamespacePrefix))),
    ]
    body = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows if v)
    return f'<h2 id="metadata">Metadata</h2><dl class="meta">{body}</dl>'


def downloads(files: Mapping[str, int]) -> str:
    """Every other file of the release, linked relative to docs/index.html, with its size."""
    if not files:
        return ""
    rows = "".join(
        f'<tr><td><a href="../{escape(name)}">{escape(name)}</a></td><td class="num">{size:,} bytes</td>'
        f"<td>{escape(FILES.get(name, '')).replace('`', '')}</td></tr>"
        for name, size in sorted(files.items())
    )
    return f'<h2 id="downloads">Downloads</h2><p>Every file of this release, beside this page:</p><table>{rows}</table>'


def search_box() -> str:
    return (
        '<p class="search"><label for="search">Search the page: </label>'
        '<input id="search" type="search" placeholder="a name, synonym or word" autocomplete="off"> '
        '<span id="search-count" aria-live="polite"></span></p>'
    )


def _tree(roots: Iterable[str], children: Mapping[str, list[str]], labels: Mapping[str, str], fold: set[str]) -> str:
    def item(node: str, seen: frozenset[str]) -> str:
        kids = [c for c in children.get(node, []) if c not in seen]
        link = f'<a href="#{escape(node)}">{escape(labels.get(node, node))}</a>'
        if not kids:
            return f"<li>{link}</li>"
        inner = "<ul>" + "".join(item(c, seen | {c}) for c in kids) + "</ul>"
        if node in fold:
            return f"<li>{link} <details><summary>{len(kids)} entries</summary>{inner}</details></li>"
        return f"<li>{link}{inner}</li>"

    return "<ul>" + "".join(item(r, frozenset([r])) for r in roots) + "</ul>"


def class_tree(schema: Schema, curation: Curation, labels: Mapping[str, str]) -> str:
    """The stated hierarchy from the upper-level classes down; criteria and steps folded under their classes."""
    children: dict[str, list[str]] = defaultdict(list)
    for cls, parents in schema.classes.items():
        for parent in parents:
            children[parent].append(cls)
    for term in curation.terms.values():
        for parent in term.parents:
            children[parent].append(term.id)
    children["DecisionCriterion"] += list(curation.criteria)
    children["PathwayStep"] += [s.id for s in curation.steps]
    for kids in children.values():
        kids.sort(key=lambda k: labels.get(k, k).lower())
    roots = sorted((c for c, parents in schema.classes.items() if not parents & set(schema.classes)), key=str.lower)
    fold = {"DecisionCriterion", "PathwayStep"}
    note = "<p>Stated parents only; a term with two parents appears twice.</p>"
    return f'<h2 id="class-tree">Class tree</h2>{note}{_tree(roots, children, labels, fold)}'


def property_tree(schema: Schema) -> str:
    """Object properties by rdfs:subPropertyOf, as core.ttl declares them (the criterion properties included)."""
    g = schema.graph
    names = set(schema.properties)
    parents = {p: {str(o)[len(str(BCTO)) :] for o in g.objects(BCTO[p], RDFS.subPropertyOf)} & names for p in names}
    children: dict[str, list[str]] = defaultdict(list)
    for prop, ups in parents.items():
        for up in ups:
            children[up].append(prop)
    for kids in children.values():
        kids.sort()
    deprecated = {p for p in names if g.value(BCTO[p], OWL.deprecated) == Literal(True)}
    labels = {p: f"{g.value(BCTO[p], RDFS.label) or p} (bcto:{p})" + (" — deprecated" if p in deprecated else "") for p in names}
    roots = sorted(p for p in names if not parents[p])
    return f'<h2 id="property-tree">Property hierarchy</h2>{_tree(roots, children, labels, set())}'


def annotation_properties(schema: Schema) -> str:
    """Every annotation property core.ttl declares: BCTO's qualifiers (frequency, context...) and the reused ones."""
    g = schema.graph
    declared = sorted((p for p in g.subjects(RDF.type, OWL.AnnotationProperty) if isinstance(p, URIRef)), key=curie)
    rows = []
    for prop in declared:
        name = curie(prop)
        label = g.value(prop, RDFS.label)
        meaning = g.value(prop, DEFINITION) or g.value(prop, RDFS.comment)
        supers = sorted((u for u in g.objects(prop, RDFS.subPropertyOf) if isinstance(u, URIRef)), key=str)
        ups = ", ".join(f"<code>{escape(curie(u))}</code>" for u in supers)
        rows.append(
            f'<tr id="annotation-{escape(name.replace(":", "-"))}"><td><code>{escape(name)}</code></td>'
            f"<td>{_text(label) if isinstance(label, Literal) else ''}</td><td>{_text(meaning) if meaning else ''}</td>"
            f"<td>{ups}</td></tr>"
        )
    head = "<tr><th>property</th><th>label</th><th>meaning</th><th>sub-property of</th></tr>"
    return (
        '<h2 id="annotation-properties">Annotation properties</h2><p>On terms, on OWL axioms and on statement nodes '
        "(<code>https://w3id.org/bcto/statement/…</code>), where the qualifiers of a fact live.</p>"
        f"<table>{head}{''.join(rows)}</table>"
    )


def example_queries(examples: Iterable[Example]) -> str:
    found = list(examples)
    if not found:
        return ""
    items = "".join(
        f'<details id="query-{escape(name)}"><summary><strong>{escape(name)}</strong>: {escape(summary)}</summary>'
        f"<pre>{escape(text)}</pre></details>"
        for name, summary, text in found
    )
    return (
        '<h2 id="examples">Example queries</h2><p>The competency questions the tests answer; run one with '
        "<code>bcto query NAME</code>, or paste it into the query page of <code>bcto serve</code>.</p>" + items
    )
