"""`bcto options`: scenarios written from the five documents, each with the groups and reasons the sources give;
the reading rules (values, subclasses, thresholds, scope); and that it informs without ranking or advising."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bcto.ontology.load import load_curation
from bcto.ontology.model import Curation
from bcto.ontology.options import (
    AGAINST,
    GROUPS,
    MENTIONED,
    MET,
    NOT_MET,
    NOTICE,
    OUT_OF_SCOPE,
    SUPPORTED,
    UNKNOWN,
    WEIGHED,
    Answer,
    SituationError,
    explore,
)
from bcto.ontology.vocabulary import STRENGTHS
from bcto.queries.library import CQ_DIR, read_query
from bcto.queries.store import select, store_of

from .conftest import REPO, SEEDS, Release


@pytest.fixture(scope="module")
def curation() -> Curation:
    return load_curation(REPO / "ontology", SEEDS)[1]


def _groups(answer: Answer) -> dict[str, str]:
    return {o.activity: o.group for o in answer.options}


def _status(answer: Answer, activity: str, criterion: str) -> str:
    option = next(o for o in answer.options if o.activity == activity)
    return next(r.status for r in option.readings if r.criterion.id == criterion)


def _reason(answer: Answer, activity: str, criterion: str) -> str:
    option = next(o for o in answer.options if o.activity == activity)
    return next(r.reason for r in option.readings if r.criterion.id == criterion)


LIMB = ["limb", "primary chemotherapy"]  # a limb tumour given chemotherapy before the operation (the scope)


# ------------------------------------------------------------------ scenarios from the documents


def test_limb_tumour_good_response_no_vessel_involvement(curation: Curation) -> None:
    """ccs-surgery, Limb-sparing surgery: sparing the limb is possible when the tumour responded to chemotherapy
    and no major vessel or nerve is involved; the Amputation section's vessel reason does not hold."""
    a = explore(curation, "limb bone tumour", [*LIMB, "good response to chemotherapy", "major vessels and nerves free of cancer"])
    assert _groups(a)["LimbSparingSurgery"] == SUPPORTED
    for c in ("LimbSparingChemoResponseCriterion", "LimbSparingVesselNerveCriterion", "LimbSparingInLimbCriterion"):
        assert _status(a, "LimbSparingSurgery", c) == MET
    assert _status(a, "LimbSparingSurgery", "LimbSparingSoftTissueCriterion") == UNKNOWN
    assert _status(a, "Amputation", "AmputationVesselNerveCriterion") == NOT_MET
    assert _groups(a)["Amputation"] == MENTIONED  # a criterion said of tumour removal in general does not decide


def test_limb_tumour_grown_into_vessels(curation: Curation) -> None:
    """ccs-surgery, Amputation: growth into nerves or vessels is a main reason for amputation (needed)."""
    a = explore(curation, "limb bone tumour", [*LIMB, "major vessels or nerves invaded"])
    assert _groups(a)["Amputation"] == SUPPORTED
    assert _status(a, "Amputation", "AmputationVesselNerveCriterion") == MET
    assert _status(a, "LimbSparingSurgery", "LimbSparingVesselNerveCriterion") == NOT_MET
    assert curation.criteria["AmputationVesselNerveCriterion"].strength == "needed"


def test_good_response_without_chemotherapy_first_is_out_of_scope(curation: Curation) -> None:
    """The chemotherapy-response condition is scoped to tumours given chemotherapy before surgery."""
    a = explore(curation, "limb bone tumour", ["limb", "good response to chemotherapy"])
    assert _status(a, "LimbSparingSurgery", "LimbSparingChemoResponseCriterion") == OUT_OF_SCOPE
    assert "primary chemotherapy" in _reason(a, "LimbSparingSurgery", "LimbSparingChemoResponseCriterion")


def test_lytic_lesion_over_half_the_femoral_cortex(curation: Curation) -> None:
    """grace-bone-mets: a single well-defined lytic lesion over 50% of the cortex of a long bone: stabilising
    surgery is an attractive option (helpful)."""
    a = explore(curation, "secondary bone cancer", ["lytic bone lesion", "femur", "cortical involvement > 50%"])
    assert _groups(a)["StabilisingSurgery"] == SUPPORTED
    assert _status(a, "StabilisingSurgery", "StabilisingLyticCriterion") == MET
    assert _status(a, "StabilisingSurgery", "StabilisingLongBoneCriterion") == MET
    assert "a kind of long bone" in _reason(a, "StabilisingSurgery", "StabilisingLongBoneCriterion")


def test_lytic_lesion_of_a_third_of_the_cortex(curation: Curation) -> None:
    a = explore(curation, "secondary bone cancer", ["lytic bone lesion", "femur", "cortical involvement: 30%"])
    assert _status(a, "StabilisingSurgery", "StabilisingLyticCriterion") == NOT_MET


def test_lytic_lesion_without_a_long_bone_is_out_of_scope(curation: Curation) -> None:
    a = explore(curation, "secondary bone cancer", ["cortical involvement>50%"])
    assert _status(a, "StabilisingSurgery", "StabilisingLyticCriterion") == OUT_OF_SCOPE
    assert a.unused == ("cortical involvement>50%",)  # only an out-of-scope criterion speaks of it


def test_patient_expected_to_live_only_weeks(curation: Curation) -> None:
    """grace-bone-mets: surgery would not be recommended for someone whose recovery would take up the weeks left."""
    a = explore(
        curation, "secondary bone cancer", ["pathological fracture", "cortical involvement>50%", "expected survival: weeks"]
    )
    assert _groups(a)["StabilisingSurgery"] == AGAINST
    assert _status(a, "StabilisingSurgery", "StabilisingSurvivalCriterion") == MET
    weeks = next(f for f in a.facts if f.text == "expected survival: weeks")
    assert weeks.term == "RecoveryOutlastsSurvival" and "weeks" in weeks.note  # the loose word's reading is shown


def test_osteosarcoma_relapsing_with_one_lung_nodule_after_a_year(curation: Curation) -> None:
    """ccs-surgery (more than a year after treatment) and canceradvice-outcomes (one or a few nodules, salvage
    regime with surgery or CyberKnife)."""
    a = explore(
        curation,
        "relapsed osteosarcoma",
        ["one or a few lung metastases", "time since treatment ended > 1 year", "site of recurrence: lung"],
    )
    assert _groups(a)["LungMetastasisSurgery"] == SUPPORTED
    assert _groups(a)["CyberKnife"] == SUPPORTED
    for c in ("LungSurgeryRecurrenceTimingCriterion", "SalvageSurgeryNumberCriterion", "LungSurgeryRecurrenceSiteCriterion"):
        assert _status(a, "LungMetastasisSurgery", c) == MET
    assert (
        _status(a, "LungMetastasisSurgery", "LungSurgeryOsteosarcomaCriterion") == MET
    )  # the condition is a kind of osteosarcoma
    assert _status(a, "LungMetastasisSurgery", "LungSurgeryEwingCriterion") == NOT_MET
    assert a.unused == ()


def test_osteosarcoma_relapsing_within_the_year(curation: Curation) -> None:
    a = explore(curation, "relapsed osteosarcoma", ["time since treatment ended < 1 year"])
    assert _status(a, "LungMetastasisSurgery", "LungSurgeryRecurrenceTimingCriterion") == NOT_MET
    months = explore(curation, "relapsed osteosarcoma", ["time since treatment ended: 18 months"])
    assert _status(months, "LungMetastasisSurgery", "LungSurgeryRecurrenceTimingCriterion") == UNKNOWN  # other unit
    assert "not converted" in _reason(months, "LungMetastasisSurgery", "LungSurgeryRecurrenceTimingCriterion")


def test_secondary_bone_cancer_from_breast_cancer(curation: Curation) -> None:
    """macmillan-secondary: hormonal therapy may be offered when the spread came from breast or prostate cancer."""
    a = explore(curation, "secondary bone cancer", ["breast cancer"])
    assert _groups(a)["HormonalTherapy"] == SUPPORTED
    assert _status(a, "HormonalTherapy", "HormonalTherapyPrimaryCriterion") == MET
    assert _status(a, "Chemotherapy", "ChemotherapyPrimarySiteCriterion") == WEIGHED
    assert "given: breast cancer" in _reason(a, "Chemotherapy", "ChemotherapyPrimarySiteCriterion")


def test_secondary_bone_cancer_with_nothing_given(curation: Curation) -> None:
    a = explore(curation, "secondary bone cancer", [])
    assert {o.group for o in a.options} == {MENTIONED}
    assert _status(a, "HormonalTherapy", "HormonalTherapyPrimaryCriterion") == UNKNOWN
    assert {"StabilisingSurgery", "Denosumab", "SpinalCordDecompressionSurgery"} <= set(_groups(a))


def test_spinal_cord_pressure_from_bone_secondaries(curation: Curation) -> None:
    a = explore(curation, "secondary bone cancer", ["spinal cord compression"])
    assert _groups(a)["SpinalCordDecompressionSurgery"] == SUPPORTED
    assert _groups(a)["StabilisingSurgery"] == MENTIONED


def test_painful_collapsed_vertebra(curation: Curation) -> None:
    """grace-bone-mets: vertebroplasty or kyphoplasty can be done for a painful collapsed vertebra; the condition
    itself is the criterion's value."""
    a = explore(curation, "vertebral compression fracture", [])
    assert _groups(a)["Vertebroplasty"] == _groups(a)["Kyphoplasty"] == SUPPORTED
    assert _status(a, "Vertebroplasty", "VertebroplastyCollapseCriterion") == MET


def test_lung_deposits_cleared_by_chemotherapy(curation: Curation) -> None:
    """spread-surgery: sometimes chemotherapy clears the deposits and surgery is not needed."""
    a = explore(curation, "lung metastasis", ["chemotherapy to shrink lung metastases", "cleared by chemotherapy"])
    assert _groups(a)["LungMetastasisSurgery"] == AGAINST
    assert _status(a, "LungMetastasisSurgery", "LungSurgeryClearedByChemoCriterion") == MET
    assert _status(a, "LungMetastasisSurgery", "LungSurgeryAfterShrinkageCriterion") == NOT_MET
    assert _groups(a)["WedgeResection"] == MENTIONED  # the broader operation's criterion is shown, never decides
    wedge = next(o for o in a.options if o.activity == "WedgeResection")
    assert any(r.via == ("LungMetastasisSurgery",) and r.status == MET for r in wedge.readings)


def test_ewing_sarcoma_in_the_lungs(curation: Curation) -> None:
    """spread-surgery: it is much rarer to have lung surgery for Ewing sarcoma (done less often)."""
    a = explore(curation, "Ewing sarcoma with lung metastases", [])
    assert _groups(a)["LungMetastasisSurgery"] == AGAINST
    assert _status(a, "LungMetastasisSurgery", "LungSurgeryEwingCriterion") == MET
    assert _status(a, "LungMetastasisSurgery", "LungSurgeryOsteosarcomaCriterion") == NOT_MET


def test_local_recurrence_after_limb_sparing(curation: Curation) -> None:
    a = explore(curation, "local recurrence after limb-sparing surgery", [])
    assert _groups(a)["Amputation"] == SUPPORTED
    assert _status(a, "Amputation", "AmputationRecurrenceCriterion") == MET
    assert next(o for o in a.options if o.activity == "Amputation").path == (
        "LocalRecurrence",
        "has treatment option",
        "Amputation",
    )


def test_fracture_through_a_primary_tumour(curation: Curation) -> None:
    """ccs-surgery: after a pathological fracture the surgeon checks there is enough normal tissue to spare the limb."""
    a = explore(curation, "pathological fracture through a primary bone tumour", ["enough normal tissue around the fracture"])
    assert _groups(a)["LimbSparingSurgery"] == SUPPORTED
    assert _status(a, "LimbSparingSurgery", "LimbSparingFractureCriterion") == MET


def test_activities_through_ancestors_show_the_path(curation: Curation) -> None:
    a = explore(curation, "relapsed osteosarcoma", [])
    curettage = next(o for o in a.options if o.activity == "Curettage")
    assert curettage.path[:3] == ("RecurrentOsteosarcoma", "is a kind of", "Osteosarcoma")
    assert curettage.path[-2:] == ("has treatment option", "Curettage")


def test_facts_no_criterion_uses_are_named(curation: Curation) -> None:
    a = explore(curation, "secondary bone cancer", ["breast cancer", "enough soft tissue to close the wound"])
    assert a.unused == ("enough soft tissue to close the wound",)


# ------------------------------------------------------------------ reading rules and wording


def test_a_broader_given_value_leaves_a_criterion_unknown(curation: Curation) -> None:
    """Given 'bone' where the criterion needs a long bone: neither met nor not met."""
    a = explore(curation, "secondary bone cancer", ["long bone site: bone"])
    assert _status(a, "StabilisingSurgery", "StabilisingLongBoneCriterion") == UNKNOWN


def test_groups_are_ordered_and_options_by_label(curation: Curation) -> None:
    a = explore(curation, "secondary bone cancer", ["breast cancer", "spinal cord compression"])
    ranks = [GROUPS.index(o.group) for o in a.options]
    assert ranks == sorted(ranks)
    for group in GROUPS:
        labels = [a.labels[o.activity].casefold() for o in a.options if o.group == group]
        assert labels == sorted(labels)


def test_strength_is_the_scales_own_words_and_nothing_ranks(curation: Curation) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "bcto.cli", "options", "secondary bone cancer", "--given", "breast cancer", "--format", "json"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    data = json.loads(out)
    assert data["notice"] == NOTICE and "does not advise" in NOTICE
    words = {r["strength"] for g in data["groups"] for o in g["options"] for r in o["criteria"]}
    assert words and words <= {s.label for s in STRENGTHS.values()}
    text = out.casefold()
    assert "score" not in text and "rank" not in text.replace("not ranked", "")
    assert text.count("recommended") == text.count("not recommended") + NOTICE.casefold().count("recommended")


@pytest.mark.parametrize("form", ["table", "markdown"])
def test_every_format_puts_the_notice_first_and_a_source_on_every_line(form: str) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "bcto.cli", "options", "vertebral compression fracture", "--format", form],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert NOTICE in out.splitlines()[0]
    assert "Surgery for Bone Metastases? When, Why, and How?" in out  # the vertebroplasty criteria's document
    if form == "table":
        statuses = [line for line in out.splitlines() if line.strip().startswith("[")]
        sources = [line for line in out.splitlines() if line.strip().startswith("source: ")]
        assert len(statuses) == len(sources) > 0


@pytest.mark.parametrize(
    ("condition", "given", "message"),
    [
        ("bone cancer of the moon", [], "names no BCTO term"),
        ("stabilising surgery", [], "not a condition"),
        ("secondary bone cancer", ["cortical involvement > fifty"], "not a number"),
        ("secondary bone cancer", ["cortical involvement > 50 furlongs"], "unit"),
        ("secondary bone cancer", ["expected survival: forever"], "not a value BCTO knows"),
    ],
)
def test_bad_input_is_reported_without_a_traceback(condition: str, given: list[str], message: str, curation: Curation) -> None:
    with pytest.raises(SituationError, match=message):
        explore(curation, condition, given)
    args = [sys.executable, "-m", "bcto.cli", "options", condition, *(x for g in given for x in ("--given", g))]
    done = subprocess.run(args, cwd=REPO, capture_output=True, text=True, check=False)
    assert done.returncode == 1 and done.stderr.startswith("bcto options: ") and "Traceback" not in done.stderr


def test_the_sparql_query_reads_the_situation_as_bcto_options_does(curation: Curation, release: Release) -> None:
    """queries/cq/options-for-condition.rq (secondary bone cancer, breast cancer) gives the explorer's statuses."""
    query = read_query(CQ_DIR / "options-for-condition.rq")
    variables, rows = select(store_of([release.owl, release.kg, release.inferred]), query.text)
    at = {name: i for i, name in enumerate(variables)}
    found = {(r[at["activity"]].removeprefix("bcto:"), r[at["criterion"]].removeprefix("bcto:")): r[at["status"]] for r in rows}
    a = explore(curation, "secondary bone cancer", ["breast cancer"])
    expected = {(o.activity, r.criterion.id): r.status for o in a.options for r in o.readings}
    assert found and all(expected[key] == status for key, status in found.items())
    assert found[("HormonalTherapy", "HormonalTherapyPrimaryCriterion")] == MET
    assert {s for s in found.values()} >= {MET, UNKNOWN, OUT_OF_SCOPE, WEIGHED}
