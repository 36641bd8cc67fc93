"""Mappings to NCIt, Mondo, DOID, UBERON, HP and MAxO: verified ids only, published as valid SSSOM."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.namespace import SKOS

from bcto.ontology.load import load_curation
from bcto.ontology.vocabulary import BCTO, DBXREF, EVIDENCE
from tests.conftest import REPO, Release

VERIFIED = Path(__file__).parent / "data" / "external_ids.tsv"


def _verified() -> dict[str, tuple[str, str, str, str]]:
    lines = [line for line in VERIFIED.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return {
        row["id"]: (row["label"], row["repository_file"], row["commit"], row["evidence"])
        for row in csv.DictReader(lines, delimiter="\t")
    }


def test_every_mapping_target_was_verified_with_its_label(release: Release) -> None:
    verified = _verified()
    assert release.curation.mappings
    for mapping in release.curation.mappings:
        assert mapping.object in verified, f"{mapping.object} is not in {VERIFIED.name}: verify it and add it"
        label, _, commit, _ = verified[mapping.object]
        assert len(commit) == 40
        if mapping.object_label:
            assert mapping.object_label == label, mapping


def test_each_mapping_names_where_its_target_was_confirmed(release: Release) -> None:
    verified = _verified()
    for mapping in release.curation.mappings:
        _, repository_file, commit, evidence = verified[mapping.object]
        assert mapping.confirmed_in == f"{repository_file}@{commit}", mapping
        assert mapping.evidence == evidence, mapping


def test_verification_table_has_no_unused_ids(release: Release) -> None:
    used = {m.object for m in release.curation.mappings}
    assert set(_verified()) == used


def test_mappings_are_in_the_ontology_as_iris_or_xrefs(release: Release) -> None:
    prefixes = {
        "MONDO": "http://purl.obolibrary.org/obo/MONDO_",
        "NCIT": "http://purl.obolibrary.org/obo/NCIT_",
        "UBERON": "http://purl.obolibrary.org/obo/UBERON_",
        "DOID": "http://purl.obolibrary.org/obo/DOID_",
        "HP": "http://purl.obolibrary.org/obo/HP_",
        "MAXO": "http://purl.obolibrary.org/obo/MAXO_",
    }
    for mapping in release.curation.mappings:
        prefix, local = mapping.object.split(":", 1)
        subject = BCTO[mapping.subject]
        if mapping.predicate == "oboInOwl:hasDbXref":
            assert mapping.object in {str(o) for o in release.owl.objects(subject, DBXREF)}
        else:
            predicate = SKOS[mapping.predicate.split(":")[1]]
            assert (subject, predicate, URIRef(prefixes[prefix] + local)) in release.owl


def test_one_best_exact_match_per_target_ontology(release: Release) -> None:
    seen: dict[tuple[str, str], str] = {}
    for mapping in release.curation.mappings:
        if mapping.predicate == "skos:exactMatch":
            key = (mapping.subject, mapping.object.split(":")[0])
            assert key not in seen, f"{mapping.subject} has two exact matches in {key[1]}"
            seen[key] = mapping.object


def test_sssom_file_passes_the_sssom_validator(release: Release) -> None:
    from sssom.parsers import parse_sssom_table
    from sssom.validators import validate

    mapping_set = parse_sssom_table(release.output / "bcto.sssom.tsv")
    reports = validate(mapping_set, fail_on_error=False)
    assert all(not report.results for report in reports.values()), reports
    assert len(mapping_set.df) == len(release.curation.mappings)
    metadata = mapping_set.metadata
    assert metadata["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert metadata["mapping_set_id"] and metadata["creator_label"]
    assert mapping_set.df["subject_label"].str.len().min() > 0
    by_object = {(f"bcto:{m.subject}", m.object): m for m in release.curation.mappings}
    for row in mapping_set.df.itertuples():
        mapping = by_object[(row.subject_id, row.object_id)]
        assert (row.mapping_justification, float(row.confidence)) == EVIDENCE[mapping.evidence]
        location, commit = mapping.confirmed_in.rsplit("@", 1)
        assert commit in row.see_also and location.split(":", 1)[1] in row.see_also
    assert len(set(mapping_set.df["confidence"])) > 1, "the weaker copies are told apart"


@pytest.fixture(scope="module")
def bioregistry_converter():
    import bioregistry

    return bioregistry, bioregistry.get_converter()


def test_every_declared_prefix_expands_as_the_bioregistry_says(release: Release, bioregistry_converter) -> None:
    """Prefixes come from a registry, not by hand: BCTO's own (not registered) is the only exception."""
    bioregistry, _ = bioregistry_converter
    schema, _ = load_curation(REPO / "ontology", None)
    checked = 0
    for prefix, namespace in schema.prefixes.items():
        if prefix == "bcto":
            continue
        normal = bioregistry.normalize_prefix(prefix)
        assert normal, f"{prefix} is not a Bioregistry prefix or synonym"
        assert bioregistry.get_uri_prefix(normal) == namespace, prefix
        checked += 1
    assert checked >= 7


def test_every_mapping_curie_is_valid_in_the_bioregistry(release: Release, bioregistry_converter) -> None:
    bioregistry, converter = bioregistry_converter
    schema, _ = load_curation(REPO / "ontology", None)
    for mapping in release.curation.mappings:
        prefix, local = mapping.object.split(":", 1)
        normal = bioregistry.normalize_prefix(prefix)
        assert bioregistry.is_valid_identifier(normal, local), mapping.object
        assert converter.expand(f"{normal}:{local}") == schema.prefixes[prefix] + local, mapping.object
