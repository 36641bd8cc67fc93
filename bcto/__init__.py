"""BCTO, the Bone Cancer Treatment Ontology: one import package for the sources compiler, the views and the queries."""

# The release version, in this one place: pyproject.toml reads it, and the build writes it into the ontology
# header as owl:versionInfo (as a date), owl:versionIRI, dcterms:issued/modified and the citation.
__version__ = "2026.11.22"
