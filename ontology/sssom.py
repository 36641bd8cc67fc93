"""The mappings as an SSSOM mapping set, the format the OBO world exchanges mappings in."""

from __future__ import annotations

from bcto.ontology.model import Curation
from bcto.ontology.schema import Schema
from bcto.ontology.vocabulary import BCTO, EVIDENCE, OBOINOWL, ONTOLOGY_IRI

COLUMNS = (
    "subject_id",
    "subject_label",
    "predicate_id",
    "object_id",
    "object_label",
    "mapping_justification",
    "confidence",
    "see_also",
    "comment",
)
FIXED_PREFIXES = {
    "bcto": str(BCTO),
    "oboInOwl": str(OBOINOWL),
    "semapv": "https://w3id.org/semapv/vocab/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
}


def _cell(text: str) -> str:
    return " ".join(text.split())  # a tab or line break inside a value would break the table


def _file_url(confirmed_in: str) -> str:
    """owner/repo:path@commit -> the file's address at that commit, which anyone can open."""
    location, commit = confirmed_in.rsplit("@", 1)
    repository, path = location.split(":", 1)
    return f"https://github.com/{repository}/blob/{commit}/{path}"


def sssom_tsv(schema: Schema, curation: Curation) -> bytes:
    """SSSOM/TSV: a commented YAML metadata block, then one row per mapping, sorted."""
    version = schema.graph.value(ONTOLOGY_IRI, ONTOLOGY_IRI.__class__("http://www.w3.org/2002/07/owl#versionInfo"))
    used = sorted({m.object.split(":", 1)[0] for m in curation.mappings})
    prefixes = {**{p: schema.prefixes[p] for p in used}, **FIXED_PREFIXES}
    lines = ["# curie_map:"]
    lines += [f"#   {prefix}: {namespace}" for prefix, namespace in sorted(prefixes.items())]
    lines += [
        "# license: https://creativecommons.org/licenses/by/4.0/",
        "# mapping_set_id: https://w3id.org/bcto/bcto.sssom.tsv",
        f"# mapping_set_version: {version}",
        "# mapping_set_title: BCTO mappings to NCIt, Mondo, DOID, UBERON, HP, MAxO and ICD-O",
        '# mapping_set_description: "A curator chose each predicate. see_also names the file (repository, path and '
        "commit) in which the target id and label were confirmed - the target ontology's own file or mapping table "
        "(confidence 0.95), mondo-ingest's report of the current NCIt release (0.9), a Mondo mapping file, whose NCIt "
        "labels date from 2018 (semapv:MappingChaining, 0.8), or another project's copy of the term (0.7).\"",
        "# creator_label:",
        "#   - The BCTO developers",
        f"# subject_source: {ONTOLOGY_IRI}",
        "\t".join(COLUMNS),
    ]
    rows = sorted(
        (
            f"bcto:{m.subject}",
            curation.terms[m.subject].label,
            m.predicate,
            m.object,
            m.object_label,
            EVIDENCE[m.evidence][0],
            str(EVIDENCE[m.evidence][1]),
            _file_url(m.confirmed_in),
            m.comment,
        )
        for m in curation.mappings
    )
    lines += ["\t".join(_cell(c) for c in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")
