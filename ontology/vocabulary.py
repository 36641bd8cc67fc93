"""Namespaces and the fixed vocabulary BCTO writes with."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

BCTO = Namespace("https://w3id.org/bcto/")
SOURCE = Namespace("https://w3id.org/bcto/source/")
OBO = Namespace("http://purl.obolibrary.org/obo/")
OBOINOWL = Namespace("http://www.geneontology.org/formats/oboInOwl#")
VANN = Namespace("http://purl.org/vocab/vann/")
SH = Namespace("http://www.w3.org/ns/shacl#")

ONTOLOGY_IRI = BCTO["bcto.owl"]
DEFINITION = OBO.IAO_0000115
EXACT_SYNONYM = OBOINOWL.hasExactSynonym
DBXREF = OBOINOWL.hasDbXref
IN_SUBSET = OBOINOWL.inSubset
UPPER_SUBSET = BCTO.UpperLevel

# Prefixes bound in every serialisation and pre-bound for SPARQL users.
PREFIXES: dict[str, str] = {
    "bcto": str(BCTO),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "obo": str(OBO),
    "oboInOwl": str(OBOINOWL),
    "vann": str(VANN),
    "sh": str(SH),
}

# The source's own frequency words, from most to least frequent.
FREQUENCIES = ("always", "usually", "often", "sometimes", "occasionally", "rarely", "much-rarer")

# Criterion polarity (table word) -> the object property that carries it.
POLARITIES: dict[str, str] = {
    "required": "isRequiredFor",
    "indication": "isIndicationFor",
    "favours": "favours",
    "against": "arguesAgainst",
    "rules-out": "rulesOut",
    "considered": "isConsideredFor",
}

MAPPING_PREDICATES: dict[str, object] = {
    "skos:exactMatch": SKOS.exactMatch,
    "skos:closeMatch": SKOS.closeMatch,
    "skos:broadMatch": SKOS.broadMatch,
    "skos:narrowMatch": SKOS.narrowMatch,
    "skos:relatedMatch": SKOS.relatedMatch,  # the two overlap; neither contains the other
    "oboInOwl:hasDbXref": DBXREF,
}

# Where a mapping's target id and label were confirmed (mappings.tsv `evidence`), and what SSSOM says of it:
# (mapping_justification, confidence). A curator chose every predicate; the weaker the copy of the target term that
# was read, the lower the confidence, and a target reached through Mondo's own mapping is a chained mapping.
EVIDENCE: dict[str, tuple[str, float]] = {
    "target-file": ("semapv:ManualMappingCuration", 0.95),  # the target ontology's own file or mapping table
    "target-release-report": ("semapv:ManualMappingCuration", 0.9),  # mondo-ingest's report of the current NCIt
    "mondo-mapping": ("semapv:MappingChaining", 0.8),  # via a Mondo mapping file (NCIt labels of 2018, ICD-O xrefs)
    "third-party-copy": ("semapv:ManualMappingCuration", 0.7),  # another project's copy of the term
}
