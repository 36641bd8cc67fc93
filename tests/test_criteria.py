"""Criteria keep the source's direction, strength and scope, with machine-readable conditions; pathway steps
are ordered only where the source orders them, and keep their hedges."""

from __future__ import annotations

from pathlib import Path

from rdflib import Literal
from rdflib.namespace import OWL, RDF, RDFS, XSD

from bcto.graph import layout
from bcto.graph.extract import graph_data
from bcto.ontology.compile import knowledge_graph
from bcto.ontology.load import load_curation
from bcto.ontology.schema import load_schema
from bcto.ontology.vocabulary import BCTO, DEFINITION, DEPRECATED_CRITERION_PROPERTIES, DIRECTIONS, STRENGTHS
from tests.conftest import REPO, SEEDS, Release


def _seeds() -> Path | None:
    return SEEDS if SEEDS.is_dir() else None


def test_scale_in_vocabulary_is_the_scale_core_ttl_declares() -> None:
    g = load_schema(REPO / "ontology" / "core.ttl").graph
    for kind, locals_ in (
        ("CriterionDirection", DIRECTIONS.values()),
        ("CriterionStrength", [s.local for s in STRENGTHS.values()]),
    ):
        declared = {str(s)[len(str(BCTO)) :] for s in g.subjects(RDF.type, BCTO[kind])}
        assert declared == set(locals_), kind
        for local in declared:
            assert (BCTO[local], RDF.type, OWL.NamedIndividual) in g
    for strength in STRENGTHS.values():
        assert g.value(BCTO[strength.local], RDFS.label) == Literal(strength.label, lang="en")


def test_old_polarity_properties_resolve_deprecated_and_name_their_replacement() -> None:
    g = load_schema(REPO / "ontology" / "core.ttl").graph
    for prop in DEPRECATED_CRITERION_PROPERTIES:
        assert (BCTO[prop], OWL.deprecated, Literal(True)) in g, prop
        assert "bcto:isCriterionFor" in str(g.value(BCTO[prop], RDFS.comment)), prop


def test_minimal_criterion_compiles_to_direction_strength_value_and_scope(minimal_release: Release) -> None:
    owl, kg, c = minimal_release.owl, minimal_release.kg, BCTO.LimbSparingNeedsGoodResponse
    assert (c, BCTO.isCriterionFor, BCTO.LimbSparingSurgery) in kg
    assert (c, BCTO.hasConditionValue, BCTO.GoodResponse) in kg
    assert (c, BCTO.hasScope, BCTO.Osteosarcoma) in kg
    assert owl.value(c, BCTO.direction) == BCTO.For
    assert owl.value(c, BCTO.strength) == BCTO.Possible
    assert "for limb-sparing surgery (can be done)" in str(owl.value(c, DEFINITION))
    assert owl.value(c, BCTO.scopeNote) == Literal("osteosarcoma given chemotherapy before the operation", lang="en")
    late = BCTO.LungSurgeryLateRelapse
    assert owl.value(late, BCTO.thresholdComparator) == Literal(">")
    assert owl.value(late, BCTO.thresholdValue) == Literal("1", datatype=XSD.decimal)
    assert owl.value(late, BCTO.thresholdUnit) == Literal("year")
    for prop in DEPRECATED_CRITERION_PROPERTIES:
        assert (None, BCTO[prop], None) not in kg, f"a criterion still uses the deprecated {prop}"


def test_steps_sharing_a_position_get_no_precedes(tree: Path) -> None:
    steps = tree / "pathway_steps.tsv"
    steps.write_text(
        steps.read_text(encoding="utf-8")
        + "AmputationPathway\t3\t2\tPrimaryTumourSurgery\t\t\t\t\t\tccs-surgery: Amputation\t\n"
        + "AmputationPathway\t4\t3\tLungMetastasisSurgery\t\t\t\t\t\tccs-surgery: Amputation\t\n",
        encoding="utf-8",
    )
    _, curation = load_curation(tree, _seeds())
    precedes = {
        (str(s).rsplit("Step", 1)[1], str(o).rsplit("Step", 1)[1])
        for s, _, o in knowledge_graph(curation).triples((None, BCTO.precedes, None))
    }
    assert precedes == {("1", "2"), ("1", "3"), ("2", "4"), ("3", "4")}


def test_real_criteria_each_state_one_direction_and_one_strength(release: Release) -> None:
    owl = release.owl
    for cid in release.curation.criteria:
        assert len(set(owl.objects(BCTO[cid], BCTO.direction))) == 1, cid
        assert len(set(owl.objects(BCTO[cid], BCTO.strength))) == 1, cid


def test_hedges_named_in_the_review_are_kept(release: Release) -> None:
    """The review's examples of hedges turned into rules stay fixed."""
    owl, kg = release.owl, release.kg

    def said(cid: str) -> tuple[object, object]:
        return owl.value(BCTO[cid], BCTO.direction), owl.value(BCTO[cid], BCTO.strength)

    assert said("HormonalTherapyPrimaryCriterion") == (BCTO.For, BCTO.MayBeOffered)
    assert {o for o in kg.objects(BCTO.HormonalTherapyPrimaryCriterion, BCTO.hasConditionValue)} == {
        BCTO.BreastCancer,
        BCTO.ProstateCancer,
    }
    assert said("StabilisingWeakBoneCriterion") == (BCTO.For, BCTO.MayBeDone)
    assert said("DecompressionCordCriterion") == (BCTO.For, BCTO.MayBeDone)
    assert said("LungSurgeryRecurrenceTimingCriterion") == (BCTO.For, BCTO.MayBeDone)
    assert (BCTO.LungSurgeryRecurrenceTimingCriterion, BCTO.hasScope, BCTO.RecurrentOsteosarcoma) in kg
    assert (BCTO.LimbSparingChemoResponseCriterion, BCTO.hasScope, BCTO.PrimaryChemotherapy) in kg
    assert said("CompleteRemovalAxialSiteCriterion")[0] == BCTO.For
    assert said("VertebroplastyCollapseCriterion") == (BCTO.For, BCTO.Possible)
    assert "only some kinds of cancer spread" not in str(owl.value(BCTO.TargetedTherapyTypeCriterion, BCTO.conditionText))
    required = {c for c, s in ((c, said(c)[1]) for c in release.curation.criteria) if s == BCTO.Required}
    assert required == {"LungSurgeryBenefitRiskCriterion"}


def test_pathways_keep_their_hedges_and_impose_no_unstated_order(release: Release) -> None:
    owl, kg = release.owl, release.kg
    assert owl.value(BCTO.OsteosarcomaLungMetsAtDiagnosisPathway, BCTO.strength) == BCTO.Probable
    assert owl.value(BCTO.LocalisedPrimaryBoneTumourPathway, BCTO.frequency) == Literal("usually")
    assert owl.value(BCTO.LocalisedPrimaryBoneTumourPathwayStep3, BCTO.optionalStep) == Literal(True)
    assert owl.value(BCTO.LocalisedPrimaryBoneTumourPathwayStep3, BCTO.strength) == BCTO.MayBeAdvised
    salvage = [s.id for s in release.curation.steps if s.pathway == "RelapsedOsteosarcomaSalvagePathway"]
    assert len(salvage) == 3
    assert not [(s, o) for s in salvage for o in kg.objects(BCTO[s], BCTO.precedes)]
    amputation = "AmputationRecoveryPathwayStep"
    assert (BCTO[amputation + "1"], BCTO.precedes, BCTO[amputation + "2"]) in kg
    assert (BCTO[amputation + "1"], BCTO.precedes, BCTO[amputation + "3"]) in kg
    assert (BCTO[amputation + "2"], BCTO.precedes, BCTO[amputation + "3"]) not in kg


def test_viewer_marks_steps_in_no_stated_order_as_such(release: Release) -> None:
    """The flowchart draws an arrow only where a step is ordered after the one before it."""
    data = graph_data(release.owl, release.kg, release.inferred, release.curation.families)
    found = {p.id: p for p in layout.pathways(data)}
    amputation = found["AmputationRecoveryPathway"]
    assert [(s.id, s.after_previous) for s in amputation.steps] == [
        ("AmputationRecoveryPathwayStep1", False),
        ("AmputationRecoveryPathwayStep2", True),
        ("AmputationRecoveryPathwayStep3", False),
    ]
    assert [s.after_previous for s in found["KyphoplastyPathway"].steps] == [False, True, True]
