"""The mappings as an SSSOM mapping set, the format the OBO world exchanges mappings in."""

from __future__ import annotations

from bcto.ontology.model import Curation
from bcto.ontology.schema import Schema
from bcto.ontology.vocabulary import BCTO, OBOINOWL, ONTOLOGY_IRI

COLUMNS = ("subject_id", "subject_label", "predicate_id", "object_id", "object_label", "mapping_justification", "comment")
FIXED_PREFIXES = {
    "bcto": str(BCTO),
    "oboInOwl": str(OBOINOWL),
    "semapv": "https://w3id.org/semapv/vocab/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
}


def _cell(text: str) -> str:
    return " ".join(text.split())  # a tab or line break inside a value would break the table


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
        "# mapping_set_description: Each mapping was checked by hand against the target ontology's own files; "
        "tests/data/external_ids.tsv in the BCTO repository names the file and commit for each target id.",
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
            "semapv:ManualMappingCuration",
            m.comment,
        )
        for m in curation.mappings
    )
    lines += ["\t".join(_cell(c) for c in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")
