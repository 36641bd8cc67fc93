"""Namespaces and the fixed vocabulary BCTO writes with."""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD


class SharedTerms(Namespace):
    """A namespace that gives one URIRef object per name, however often it is asked. rdflib makes a new
    object on every `NS.name` and `NS[name]`, and two equal but distinct terms compare through rdflib's
    Python-level __eq__ in every dict and set the build keeps (~90,000 comparisons a build); the same
    object compares by identity. The names are the curation's own, so the memory is bounded by it."""

    def term(self, name: str) -> URIRef:
        return _shared_term(self, name if isinstance(name, str) else "")


@cache
def _shared_term(namespace: str, name: str) -> URIRef:
    return URIRef(namespace + name)


BCTO = SharedTerms("https://w3id.org/bcto/")
SOURCE = SharedTerms("https://w3id.org/bcto/source/")
OBO = SharedTerms("http://purl.obolibrary.org/obo/")
OBOINOWL = Namespace("http://www.geneontology.org/formats/oboInOwl#")
VANN = Namespace("http://purl.org/vocab/vann/")
SH = Namespace("http://www.w3.org/ns/shacl#")

ONTOLOGY_IRI = BCTO["bcto.owl"]
DEFINITION = OBO.IAO_0000115
EXACT_SYNONYM = OBOINOWL.hasExactSynonym
DBXREF = OBOINOWL.hasDbXref
IN_SUBSET = OBOINOWL.inSubset
UPPER_SUBSET = BCTO.UpperLevel
CLINICAL_SUBSET = BCTO.ClinicalTerm

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

# Why a term or criterion was retired (retired.tsv `reason`): IAO's obsolescence reasons (IAO:0000225).
RETIREMENT_REASONS = {
    "merged": OBO.IAO_0000227,  # terms merged: replaced by the more encompassing term
    "split": OBO.IAO_0000229,  # term split: replaced by two or more terms
    "other": OBO.IAO_0000230,  # other: the comment says why (a rename, or a reading the source does not support)
}

# The source's own frequency words, from most to least frequent.
FREQUENCIES = ("always", "usually", "often", "sometimes", "occasionally", "rarely", "much-rarer")


class Strength(NamedTuple):
    """A value of the strength scale: its individual in core.ttl, its label, and the direction it can take."""

    local: str  # the individual's local name in core.ttl
    label: str  # its rdfs:label
    direction: str  # the one direction (table word) it may be paired with


# Direction of a criterion (table word) -> its individual in core.ttl.
DIRECTIONS: dict[str, str] = {"for": "For", "against": "Against", "considered": "Considered"}

# The strength scale (table word -> value), strongest first within each direction. Each keeps the modal
# verb of the wording it stands for; ontology/README.md lists the wordings that map to each.
STRENGTHS: dict[str, Strength] = {
    "required": Strength("Required", "required", "for"),
    "needed": Strength("Needed", "needed", "for"),
    "indicated": Strength("Indicated", "indicated", "for"),
    "helpful": Strength("Helpful", "can be helpful", "for"),
    "probable": Strength("Probable", "probable", "for"),
    "may-be-advised": Strength("MayBeAdvised", "may be advised", "for"),
    "may-be-needed": Strength("MayBeNeeded", "may be needed", "for"),
    "may-be-offered": Strength("MayBeOffered", "may be offered", "for"),
    "may-be-done": Strength("MayBeDone", "may be done", "for"),
    "possible": Strength("Possible", "can be done", "for"),
    "done": Strength("Done", "is done", "for"),
    "more-often": Strength("MoreOften", "done more often", "for"),
    "less-often": Strength("LessOften", "done less often", "against"),
    "not-needed": Strength("NotNeeded", "not needed", "against"),
    "not-recommended": Strength("NotRecommended", "not recommended", "against"),
    "depends-on": Strength("DependsOn", "depends on", "considered"),
}

# A threshold is `comparator number [unit]`, e.g. `> 1 year`, `> 50 %`, `= 1` (a count has no unit).
COMPARATORS = ("<", "<=", "=", ">=", ">")
UNITS = ("year", "month", "week", "day", "%")

# The object properties of the first model (one per polarity), kept declared and deprecated in core.ttl
# so that their IRIs resolve; no row may use them.
DEPRECATED_CRITERION_PROPERTIES = ("isRequiredFor", "isIndicationFor", "favours", "arguesAgainst", "rulesOut", "isConsideredFor")

MAPPING_PREDICATES: dict[str, URIRef] = {
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
