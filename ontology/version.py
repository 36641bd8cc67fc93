"""The release version, written into the ontology header from its one place (bcto.__version__)."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, XSD

from bcto import __version__
from bcto.ontology.vocabulary import BCTO, ONTOLOGY_IRI

RELEASE = __version__.replace(".", "-")  # "2026.11.22" -> "2026-11-22", the date the release is named by
VERSION_IRI = URIRef(f"{BCTO}releases/{RELEASE}/bcto.owl")


def add_version(graph: Graph) -> Graph:
    """The header triples that name the release: version, dated version IRI, issue date and citation."""
    date = Literal(RELEASE, datatype=XSD.date)
    graph.add((ONTOLOGY_IRI, OWL.versionInfo, Literal(RELEASE)))
    graph.add((ONTOLOGY_IRI, OWL.versionIRI, VERSION_IRI))
    graph.add((ONTOLOGY_IRI, DCTERMS.issued, date))
    graph.add((ONTOLOGY_IRI, DCTERMS.modified, date))
    citation = f"The BCTO developers. Bone Cancer Treatment Ontology (BCTO), release {RELEASE}. {ONTOLOGY_IRI}"
    graph.add((ONTOLOGY_IRI, DCTERMS.bibliographicCitation, Literal(citation)))
    return graph
