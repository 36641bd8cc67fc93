"""What a release holds: every file the build writes, with the one line that says what it is.

The build checks that it wrote exactly these files, the README's output table is tested against this list,
and so are the tests of the release: adding an output format is one entry here and its writer.
"""

from __future__ import annotations

FILES: dict[str, str] = {
    "bcto.owl": "the ontology as RDF/XML (Protégé, OWL API, owlready2)",
    "bcto.ttl": "the ontology as Turtle",
    "bcto.nt": "the ontology as N-Triples",
    "bcto.jsonld": "the ontology as JSON-LD (with `@context`)",
    "bcto-kg.ttl": "the knowledge graph: one plain triple `bcto:S bcto:p bcto:O` per curated fact",
    "bcto-statements.ttl": "one `rdf:Statement` node per curated fact, with its qualifiers, sources and passages",
    "bcto-kg-star.ttl": "the knowledge graph as RDF 1.2 Turtle: each edge annotated through its statement IRI",
    "bcto-queries.ttl": "the example queries as SHACL SPARQL executables (SIB style), with expected answers",
    "bcto-inferred.ttl": "the named superclasses HermiT entails for each class, and its `bcto:directParent` (no reasoner needed)",
    "bcto.sssom.tsv": "mappings to NCIt, Mondo, DOID, UBERON, HP, MAxO and ICD-O-3, as SSSOM",
    "bcto-kgx-nodes.tsv": "the knowledge graph's nodes as a KGX table with Biolink categories",
    "bcto-kgx-edges.tsv": "the knowledge graph's edges as a KGX table with Biolink predicates",
    "bcto-fhir-bundle.json": "the pathways and criteria as HL7 CPG-on-FHIR (R4): one transaction Bundle",
    "docs/index.html": "the reference documentation, one offline page",
    "bcto.html": "the graph viewer: one self-contained page; open it from disk, no internet needed",
    "bcto.graphml": "the graph for Cytoscape and yEd (GraphML)",
    "bcto.gexf": "the graph for Gephi (GEXF)",
    "reports/qc.tsv": "every QC check and its violation count (always zero in a release)",
    "reports/stats.tsv": "counts by family, by predicate and by source document",
    "reports/inherited.tsv": "every statement each class inherits, from which ancestor, with its source",
    "reports/changes.tsv": "what this release adds, removes and changes against the previous one (ontology/releases/)",
    "reports/snapshot.tsv": "this release's terms, statements, criteria and mappings, to compare the next one against",
}
