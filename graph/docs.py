"""HTML reference documentation of the ontology: one offline page, every term with its provenance.

pyLODE (the field's generator) was tried: it works offline, but takes ~4 s of CPU per build and knows
nothing of BCTO's criteria, pathways or axiom-level sources. This page is built from the checked model,
so it shows exactly what the release states, in milliseconds, byte-identical between builds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from rdflib import Literal
from rdflib.namespace import OWL, RDF, RDFS

from bcto.graph.docs_sections import (
    SEARCH_SCRIPT,
    Example,
    annotation_properties,
    class_tree,
    curie,
    downloads,
    escape,
    example_queries,
    metadata,
    property_tree,
    script_hash,
    search_box,
)
from bcto.ontology.compile import criterion_definition, edges, position_peers, step_definition
from bcto.ontology.evidence import CURATOR_INFERENCE
from bcto.ontology.model import Citation, Curation
from bcto.ontology.schema import Schema
from bcto.ontology.vocabulary import BCTO, DEFINITION, ONTOLOGY_IRI, RETIREMENT_REASONS, STRENGTHS

OBO_PURL = "http://purl.obolibrary.org/obo/"
STYLE = """
body{font:15px/1.5 system-ui,sans-serif;max-width:64rem;margin:auto;padding:1rem 2rem;color:#222}
h1{margin-bottom:0}.notice{background:#fff4d6;border:1px solid #e0c060;padding:.6rem 1rem;border-radius:4px}
section.term{border-top:1px solid #ddd;padding:.4rem 0}h3{margin:.4rem 0 .2rem}code{color:#555}
dl{display:grid;grid-template-columns:10rem 1fr;gap:.1rem 1rem;margin:.2rem 0}dt{color:#666}dd{margin:0}
nav ul{columns:3}.q{color:#666;font-size:90%}
dl.meta{grid-template-columns:11rem 1fr}table{border-collapse:collapse;font-size:90%}td,th{border:1px solid #ddd;
padding:.15rem .4rem;text-align:left;vertical-align:top}td.num{text-align:right}pre{background:#f6f6f6;padding:.5rem;
overflow:auto}p.search{position:sticky;top:0;background:#fff;padding:.4rem 0;border-bottom:1px solid #ddd}
#search{width:22rem;font:inherit}[id]{scroll-margin-top:3.5rem}
"""


def _link(local: str, label: str) -> str:
    return f'<a href="#{escape(local)}">{escape(label)}</a>'


def _cite(citations: tuple[Citation, ...], titles: Mapping[str, str]) -> str:
    return "; ".join(f"{escape(titles[c.source])}, section “{escape(c.section)}”" for c in citations)


def _curie_link(curie: str, prefixes: dict[str, str]) -> str:
    prefix, local = curie.split(":", 1)
    namespace = prefixes.get(prefix, "")
    if namespace.startswith(OBO_PURL) and not namespace.startswith(OBO_PURL + "mondo/mappings"):
        return f'<a href="{escape(namespace + local)}">{escape(curie)}</a>'
    return escape(curie)


def retired_section(curation: Curation, labels: Mapping[str, str], titles: Mapping[str, str]) -> str:
    """The retired terms and criteria, as pyLODE and Widoco list deprecated entities: kept, marked, with what to use."""
    if not curation.retired:
        return ""
    out = [
        '<h2 id="retired">Retired terms</h2><p>Kept as <code>owl:deprecated</code> IRIs so that data using them '
        "still resolves; use the replacement.</p>"
    ]
    for r in sorted(curation.retired.values(), key=lambda r: r.id):
        rows = [
            ("definition", "OBSOLETE. " + escape(r.definition)),
            ("reason", f"{escape(r.reason)} (<code>{escape(curie(RETIREMENT_REASONS[r.reason]))}</code>)"),
            ("replaced by", ", ".join(_link(x, labels.get(x, x)) for x in r.replaced_by)),
            ("why", escape(r.comment)),
            ("sources", _cite(r.citations, titles)),
        ]
        body = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows if v)
        out.append(
            f'<section class="term" id="{escape(r.id)}"><h3>obsolete {escape(r.label)} <code>bcto:{escape(r.id)}</code></h3>'
            f"<dl>{body}</dl></section>"
        )
    return "\n".join(out)


def _properties(schema: Schema) -> list[str]:
    g = schema.graph
    out = ['<h2 id="properties">Object properties</h2>']
    for prop in sorted(schema.properties):
        node = BCTO[prop]
        label = str(g.value(node, RDFS.label) or prop)
        kinds = [
            k
            for k, t in (("symmetric", OWL.SymmetricProperty), ("transitive", OWL.TransitiveProperty))
            if (node, RDF.type, t) in g
        ]
        spec = schema.properties[prop]
        out.append(
            f'<section class="term" id="{prop}"><h3>{escape(label)} <code>bcto:{prop}</code></h3><dl>'
            f"<dt>definition</dt><dd>{escape(str(g.value(node, DEFINITION) or ''))}</dd>"
            f"<dt>domain</dt><dd>{', '.join(_link(c, c) for c in sorted(spec.domain))}</dd>"
            f"<dt>range</dt><dd>{', '.join(_link(c, c) for c in sorted(spec.range))}</dd>"
            + (f"<dt>characteristics</dt><dd>{', '.join(kinds)}</dd>" if kinds else "")
            + "</dl></section>"
        )
    return out


_DOWNLOADS = "<!--bcto:downloads-->"  # no escaped text can hold it: escape() writes every "<" as "&lt;"


def docs_files(
    schema: Schema,
    curation: Curation,
    release_files: Mapping[str, int] | None = None,
    examples: Iterable[Example] = (),
) -> dict[str, bytes]:
    """{"docs/index.html": ...}: metadata, downloads (the other release files and their sizes), the class tree
    and property hierarchy, properties, annotation properties, every family's terms, criteria and pathway
    steps, example queries and sources; a search box filters the entries."""
    return with_downloads(reference_page(schema, curation, examples, bool(release_files)), release_files or {})


def with_downloads(page: str, release_files: Mapping[str, int]) -> dict[str, bytes]:
    """The page of reference_page with the downloads list in its place."""
    return {"docs/index.html": page.replace(_DOWNLOADS, downloads(release_files), 1).encode("utf-8")}


def reference_page(schema: Schema, curation: Curation, examples: Iterable[Example] = (), listed: bool = True) -> str:
    """The whole page but the downloads list (where `listed`, a place for it): the release's file sizes are
    known only once every other file is made, and the rest, 10 ms of a 0.4 s rebuild, is made by the second
    process from the curation while the first compiles (bcto/release.py)."""
    examples = list(examples)
    g = schema.graph
    titles = {s.id: s.title for s in curation.sources.values()}
    labels = {t.id: t.label for t in curation.terms.values()}
    labels |= {c.id: c.label for c in curation.criteria.values()}
    labels |= {s.id: f"{labels[s.pathway]}, step {s.number}" for s in curation.steps}
    labels |= {c: str(g.value(BCTO[c], RDFS.label) or c) for c in schema.classes}
    outgoing: dict[str, list[str]] = defaultdict(list)
    incoming: dict[str, list[str]] = defaultdict(list)
    prop_label = {p: str(g.value(BCTO[p], RDFS.label) or p) for p in schema.properties}
    for (s, p, o), citations, q in edges(curation):
        note = " ".join(x for x in (q.frequency, escape(q.context)) if x)
        extra = f' <span class="q">({note})</span>' if note else ""
        conflict = f' <span class="q">[sources disagree: {_link(q.conflict, labels[q.conflict])}]</span>' if q.conflict else ""
        passages = "; ".join(f"{escape(titles[x.source])}, {escape(x.pointer)}" for x in q.passages if x.section)
        where = f"passage: {passages}" if passages else _cite(citations, titles)  # the sentence when it is known
        evidence = " (curator inference)" if q.evidence == CURATOR_INFERENCE else ""
        source = f' <span class="q">— {where}{evidence}</span>'
        outgoing[s].append(f"<li>{escape(prop_label[p])} {_link(o, labels[o])}{extra}{conflict}{source}</li>")
        incoming[o].append(f"<li>{_link(s, labels[s])} {escape(prop_label[p])} this</li>")
    mappings: dict[str, list[str]] = defaultdict(list)
    for m in curation.mappings:
        label = f" “{escape(m.object_label)}”" if m.object_label else ""
        mappings[m.subject].append(f"{escape(m.predicate)} {_curie_link(m.object, schema.prefixes)}{label}")

    def term_section(
        tid: str, definition: str, parents: tuple[str, ...], citations: tuple[Citation, ...], extra: list[tuple[str, str]]
    ) -> str:
        rows = [("definition", escape(definition)), ("is a", ", ".join(_link(p, labels[p]) for p in parents)), *extra]
        if mappings[tid]:
            rows.append(("mappings", "<br>".join(sorted(mappings[tid]))))
        rows.append(("sources", _cite(citations, titles)))
        body = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows if v)
        out_list = f"<ul>{''.join(outgoing[tid])}</ul>" if outgoing[tid] else ""
        in_list = (
            f"<details><summary>{len(incoming[tid])} incoming</summary><ul>{''.join(incoming[tid])}</ul></details>"
            if incoming[tid]
            else ""
        )
        return (
            f'<section class="term" id="{escape(tid)}"><h3>{escape(labels[tid])} <code>bcto:{escape(tid)}</code></h3>'
            f"<dl>{body}</dl>{out_list}{in_list}</section>"
        )

    families: dict[str, list[str]] = defaultdict(list)
    for term in sorted(curation.terms.values(), key=lambda t: t.label.lower()):
        synonyms = ", ".join(escape(s) for s in term.synonyms)
        lay = ", ".join(escape(s) for s in term.lay_terms)
        hedge = curation.pathways.get(term.id)
        said = [("strength", escape(STRENGTHS[hedge.strength].label)), ("frequency", hedge.frequency)] if hedge else []
        families[term.family].append(
            term_section(
                term.id, term.definition, term.parents, term.citations, [("synonyms", synonyms), ("lay terms", lay), *said]
            )
        )
    for c in sorted(curation.criteria.values(), key=lambda c: c.label.lower()):
        facts = [
            ("direction", escape(c.direction)),
            ("strength", escape(STRENGTHS[c.strength].label)),
            ("values", ", ".join(_link(v, labels[v]) for v in c.values)),
            ("threshold", escape(str(c.threshold or ""))),
            ("scope", escape(c.scope)),
        ]
        families["DecisionCriterion"].append(
            term_section(c.id, criterion_definition(c, curation), ("DecisionCriterion",), c.citations, facts)
        )
    peers = position_peers(curation)
    for step in curation.steps:
        hedge = curation.pathways.get(step.pathway)
        facts = [("order", str(step.order)), ("pathway strength", escape(STRENGTHS[hedge.strength].label) if hedge else "")]
        families["PathwayStep"].append(
            term_section(step.id, step_definition(step, curation, peers[step.id]), ("PathwayStep",), step.citations, facts)
        )
    order = list(curation.families)
    header = {
        str(p).rsplit("/", 1)[-1].rsplit("#", 1)[-1]: str(o)
        for p, o in g.predicate_objects(ONTOLOGY_IRI)
        if isinstance(o, Literal)
    }
    nav = "".join(f'<li><a href="#family-{f}">{escape(labels[f])}</a> ({len(families[f])})</li>' for f in order)
    parts = [
        '<!doctype html><html lang="en"><head><meta charset="utf-8">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        f'script-src {script_hash()}">',
        f"<title>{escape(header.get('title', 'BCTO'))} — reference</title><style>{STYLE}</style></head><body>",
        f"<h1>{escape(header.get('title', 'BCTO'))}</h1><p>version {escape(header.get('versionInfo', ''))} · "
        '<a href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a> · namespace <code>https://w3id.org/bcto/</code></p>',
        '<p class="notice">BCTO is a knowledge resource drawn from patient-information pages, not medical advice.</p>',
        f"<p>{escape(header.get('description', ''))}</p>",
        metadata(schema),
        search_box(),
        '<nav><ul><li><a href="#metadata">Metadata</a></li>'
        + ('<li><a href="#downloads">Downloads</a></li>' if listed else "")
        + '<li><a href="#class-tree">Class tree</a></li><li><a href="#property-tree">Property hierarchy</a></li>'
        f'<li><a href="#properties">Object properties</a> ({len(schema.properties)})</li>'
        '<li><a href="#annotation-properties">Annotation properties</a></li>'
        f'<li><a href="#upper">Upper-level classes</a> ({len(schema.classes)})</li>{nav}'
        + (f'<li><a href="#retired">Retired terms</a> ({len(curation.retired)})</li>' if curation.retired else "")
        + ('<li><a href="#examples">Example queries</a></li>' if examples else "")
        + '<li><a href="#sources">Sources</a></li></ul></nav>',
        _DOWNLOADS if listed else "",
        class_tree(schema, curation, labels),
        property_tree(schema),
        *_properties(schema),
        annotation_properties(schema),
        '<h2 id="upper">Upper-level classes</h2>',
        *(
            f'<section class="term" id="{c}"><h3>{escape(labels[c])} <code>bcto:{c}</code></h3><dl><dt>definition</dt>'
            f"<dd>{escape(str(g.value(BCTO[c], DEFINITION) or ''))}</dd><dt>is a</dt>"
            f"<dd>{', '.join(_link(p, labels[p]) for p in sorted(schema.classes[c]))}</dd></dl>"
            + (f'<p><a href="#family-{c}">all {escape(labels[c])} terms</a></p>' if c in families else "")
            + "</section>"
            for c in sorted(schema.classes)
        ),
    ]
    for family in order:
        parts.append(f'<h2 id="family-{family}">{escape(labels[family])}</h2>')
        parts.append(f"<p>{escape(str(g.value(BCTO[family], DEFINITION) or ''))}</p>")
        parts.extend(families[family])
    parts.append(retired_section(curation, labels, titles))
    parts.append(example_queries(examples))
    parts.append('<h2 id="sources">Sources</h2><ul>')
    for doc in curation.sources.values():
        publisher = f", {escape(doc.publisher)}" if doc.publisher else ""
        reviewed = f", reviewed {escape(doc.reviewed)}" if doc.reviewed else ""
        parts.append(f"<li><strong>{escape(doc.title)}</strong>{publisher}{reviewed} <code>{escape(doc.id)}</code></li>")
    parts.append(f"</ul><script>{SEARCH_SCRIPT}</script></body></html>\n")
    return "\n".join(parts)
