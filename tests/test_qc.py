"""Every QC check passes on a good release and fires on a deliberately broken one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from bcto.ontology.vocabulary import BCTO, CLINICAL_SUBSET, DBXREF, DEFINITION, IN_SUBSET
from bcto.queries.library import qc_checks
from bcto.queries.qc import run_checks
from bcto.queries.store import store_of
from bcto.release import EXIT_QC_VIOLATIONS, Settings, build
from tests.conftest import SEEDS, Release, build_py

OBO = Namespace("http://purl.obolibrary.org/obo/")
Breakage = Callable[[Graph, Graph], None]  # (ontology, knowledge graph) -> None, mutating


def _drop_axiom_sources(owl: Graph, _: Graph) -> None:
    for axiom in list(owl.subjects(OWL.annotatedSource, BCTO.Amputation)):
        owl.remove((axiom, DCTERMS.source, None))


def _one_sided_conflict(owl: Graph, _: Graph) -> None:
    for axiom in list(owl.subjects(BCTO.inConflict, BCTO.LungSurgeryTimingConflict)):
        if (axiom, BCTO.frequency, Literal("often")) in owl:
            owl.remove((axiom, BCTO.inConflict, None))


def _second_strength(owl: Graph, _: Graph) -> None:
    owl.add((BCTO.LimbSparingNeedsGoodResponse, BCTO.strength, BCTO.Required))


def _steps_out_of_order(owl: Graph, kg: Graph) -> None:
    kg.add((BCTO.AmputationPathwayStep2, BCTO.precedes, BCTO.AmputationPathwayStep1))


def _retire(owl: Graph, term: URIRef, *, reason: bool = True) -> None:
    """Retire a term as core.ttl says to: deprecated, no parents, a reason and an explanation."""
    owl.add((term, OWL.deprecated, Literal(True)))
    owl.remove((term, RDFS.subClassOf, None))
    if reason:
        owl.add((term, OBO.IAO_0000231, OBO.IAO_0000227))
        owl.add((term, RDFS.comment, Literal("Merged into another term.", lang="en")))


BREAKAGES: dict[str, Breakage] = {
    "missing-label-violation": lambda owl, kg: owl.remove((BCTO.Amputation, RDFS.label, None)),
    "missing-definition-violation": lambda owl, kg: owl.remove((BCTO.Amputation, DEFINITION, None)),
    "missing-term-source-violation": lambda owl, kg: owl.remove((BCTO.Amputation, DCTERMS.source, None)),
    "missing-axiom-source-violation": _drop_axiom_sources,
    "duplicate-label-violation": lambda owl, kg: owl.add((BCTO.PhantomLimbPain, RDFS.label, Literal("Amputation", lang="en"))),
    "orphan-term-violation": lambda owl, kg: owl.remove((BCTO.Amputation, RDFS.subClassOf, BCTO.Procedure)),
    "foreign-iri-violation": lambda owl, kg: owl.add(
        (BCTO.Amputation, RDFS.subClassOf, URIRef("http://purl.obolibrary.org/obo/NCIT_C1"))
    ),
    "dangling-reference-violation": lambda owl, kg: kg.add((BCTO.Amputation, BCTO.hasPossibleSideEffect, BCTO.Ghost)),
    "domain-range-violation": lambda owl, kg: kg.add((BCTO.PhantomLimbPain, BCTO.hasPossibleSideEffect, BCTO.PhantomLimbPain)),
    "undeclared-xref-prefix-violation": lambda owl, kg: owl.add((BCTO.Amputation, DBXREF, Literal("FOO:1"))),
    "label-whitespace-violation": lambda owl, kg: owl.set((BCTO.Amputation, RDFS.label, Literal("amputation ", lang="en"))),
    "one-sided-conflict-violation": _one_sided_conflict,
    "criterion-hedge-violation": _second_strength,
    "step-order-violation": _steps_out_of_order,
    # Amputation is retired but relations still state things about it.
    "deprecated-term-in-use-violation": lambda owl, kg: _retire(owl, BCTO.Amputation),
    "deprecated-without-reason-violation": lambda owl, kg: _retire(owl, BCTO.Retired, reason=False),
    # a procedure left out of the subset while the rest of its family is in it
    "clinical-subset-violation": lambda owl, kg: owl.remove((BCTO.Amputation, IN_SUBSET, CLINICAL_SUBSET)),
}


@pytest.mark.parametrize(
    "entity,why",
    [
        (BCTO.LimbSparingNeedsGoodResponse, "in the subset, but a DecisionCriterion"),
        (BCTO.AmputationPathwayStep1, "in the subset, but a PathwayStep"),
        (BCTO.Procedure, "in the subset, but a top class"),
    ],
    ids=["criterion", "pathway step", "top class"],
)
def test_a_criterion_step_or_top_class_in_the_clinical_subset_fires(entity: URIRef, why: str, minimal_release: Release) -> None:
    (check,) = [q for q in qc_checks() if q.name == "clinical-subset-violation"]
    owl, kg = _graphs(minimal_release)
    owl.add((entity, IN_SUBSET, CLINICAL_SUBSET))
    (result,) = run_checks(store_of([owl, kg]), [check])
    assert (f"bcto:{entity[len(BCTO) :]}", why) in result.rows, result.rows


def test_a_retired_class_in_the_clinical_subset_fires(minimal_release: Release) -> None:
    (check,) = [q for q in qc_checks() if q.name == "clinical-subset-violation"]
    owl, kg = _graphs(minimal_release)
    _retire(owl, BCTO.Amputation)  # it keeps the subset it had as a term
    (result,) = run_checks(store_of([owl, kg]), [check])
    assert result.rows == [("bcto:Amputation", "in the subset, but retired")]


def test_a_properly_retired_term_passes_every_check(minimal_release: Release) -> None:
    """The mechanism: a retired term nothing uses any more, with its reason and replacement, is a clean release."""
    owl, kg = _graphs(minimal_release)
    retired = BCTO.OldAmputationName
    owl.add((retired, RDF.type, OWL.Class))
    owl.add((retired, RDFS.label, Literal("obsolete amputation name", lang="en")))
    owl.add((retired, DEFINITION, Literal("OBSOLETE. An operation that takes off a limb.", lang="en")))
    owl.add((retired, DCTERMS.source, next(owl.objects(BCTO.Amputation, DCTERMS.source))))
    owl.add((retired, OBO.IAO_0100001, BCTO.Amputation))
    _retire(owl, retired)
    assert [r.check.name for r in run_checks(store_of([owl, kg])) if not r.passed] == []


def test_a_retired_property_in_use_fires(minimal_release: Release) -> None:
    (check,) = [q for q in qc_checks() if q.name == "deprecated-term-in-use-violation"]
    owl, kg = _graphs(minimal_release)
    owl.add((BCTO.hasPossibleSideEffect, OWL.deprecated, Literal(True)))
    (result,) = run_checks(store_of([owl, kg]), [check])
    edge = ("bcto:hasPossibleSideEffect", "bcto:Amputation", "bcto:hasPossibleSideEffect", "bcto:PhantomLimbPain")
    assert edge in result.rows, result.rows


@pytest.mark.parametrize("other_pathway", [True, False], ids=["of another pathway", "of no pathway"])
def test_precedes_to_a_step_outside_the_pathway_fires(other_pathway: bool, minimal_release: Release) -> None:
    """The branch the broken fixture above does not reach: the next position, but not the same pathway."""
    (check,) = [q for q in qc_checks() if q.name == "step-order-violation"]
    owl, kg = _graphs(minimal_release)
    owl.add((BCTO.StrayStep, BCTO.stepOrder, Literal(2)))
    if other_pathway:
        kg.add((BCTO.StrayStep, BCTO.isStepOf, BCTO.OtherPathway))
    kg.add((BCTO.AmputationPathwayStep1, BCTO.precedes, BCTO.StrayStep))
    (result,) = run_checks(store_of([owl, kg]), [check])
    assert result.rows == [("bcto:AmputationPathwayStep1", "bcto:StrayStep", "steps of different pathways")], result.rows


def _graphs(release: Release) -> tuple[Graph, Graph]:
    owl, kg = Graph(), Graph()
    owl += release.owl
    kg += release.kg
    return owl, kg


def test_every_check_has_a_broken_fixture() -> None:
    assert {q.name for q in qc_checks()} == set(BREAKAGES), "add a breakage for every new *-violation.rq"


@pytest.mark.parametrize("name", sorted(BREAKAGES))
def test_check_fires_on_its_broken_fixture_only(name: str, minimal_release: Release) -> None:
    (check,) = [q for q in qc_checks() if q.name == name]
    assert check.summary and check.description, "every check documents itself with #+ summary and #+ description"
    owl, kg = _graphs(minimal_release)
    (clean,) = run_checks(store_of([owl, kg]), [check])
    assert clean.passed, f"{name} fires on the good fixture: {clean.rows}"
    BREAKAGES[name](owl, kg)
    (broken,) = run_checks(store_of([owl, kg]), [check])
    assert broken.rows, f"{name} did not fire on its broken fixture"


def test_foreign_iri_also_fires_on_a_foreign_class_declaration(minimal_release: Release) -> None:
    (check,) = [q for q in qc_checks() if q.name == "foreign-iri-violation"]
    owl, kg = _graphs(minimal_release)
    owl.add((URIRef("http://example.org/Thing"), RDF.type, OWL.Class))
    owl.add((BCTO.Amputation, SKOS.exactMatch, URIRef("http://example.org/x")))
    (result,) = run_checks(store_of([owl, kg]), [check])
    assert ("<http://example.org/Thing>", "declared class or property") in result.rows


def test_real_release_passes_every_check(release: Release) -> None:
    results = run_checks(store_of([release.owl, release.kg]))
    assert [r.check.name for r in results if not r.passed] == []
    assert len(results) == len(BREAKAGES)


def test_copied_sentence_fails_the_build(tree: Path, tmp_path: Path) -> None:
    procedures = tree / "terms" / "procedures.tsv"
    copied = "Limb-sparing surgery removes the tumour without removing (amputating) the whole arm or leg."
    procedures.write_text(
        procedures.read_text().replace("An operation that takes out a limb tumour while keeping the limb.", copied)
    )
    messages: list[str] = []
    code = build(
        Settings(ontology=tree, seeds=SEEDS, output=tmp_path / "output", cache=tmp_path / "cache"),
        say=messages.append,
        warn=messages.append,
    )
    assert code == EXIT_QC_VIOLATIONS
    report = "\n".join(messages)
    assert "procedures.tsv:3:1: the definition repeats 8+ words of 001_76b05413c26a2375.txt" in report
    assert not (tmp_path / "output").exists()


def test_a_failed_check_stops_the_build_it_ran_in_the_second_process_of(tree: Path, tmp_path: Path) -> None:
    """The checks run in the build's forked second process (bcto/release.py: _second); a violation found there
    still stops the build with the table of violations, exit 2, and nothing written."""
    findings = tree / "terms" / "findings.tsv"
    findings.write_text(  # a label the loader allows (another family's) and QC's duplicate-label check does not
        findings.read_text(encoding="utf-8")
        + "AmputationFinding\tamputation\tClinicalFinding\tA made-up finding.\t\t\tccs-surgery: Side effects\t\n",
        encoding="utf-8",
    )
    done = build_py(tree, tmp_path / "output")
    assert done.returncode == EXIT_QC_VIOLATIONS, done.stderr
    assert "QC duplicate-label-violation: 1 violation(s)" in done.stderr
    assert "amputation  bcto:Amputation  bcto:AmputationFinding" in done.stderr
    assert "QC failed; nothing was written." in done.stderr
    assert not (tmp_path / "output").exists()
