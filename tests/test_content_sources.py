"""Per-document content: each source document must yield its key terms and statements, citing that document.

A term counts when its class carries dcterms:source pointing at a section of the document (or the
document itself). A statement (subject, predicate, object[, frequency]) counts when the plain edge is
in the knowledge graph and an owl:Axiom on `subject SubClassOf (predicate some object)` in the
ontology cites a section of the document (and carries the frequency, when one is given).
"""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

BCTO = Namespace("https://w3id.org/bcto/")
SOURCE = "https://w3id.org/bcto/source/"

DOCUMENTS: dict[str, dict[str, list]] = {
    "spread-surgery": {
        "terms": [
            "PrimaryBoneCancer",
            "LungMetastasis",
            "Osteosarcoma",
            "Chondrosarcoma",
            "EwingSarcoma",
            "MetastaticOsteosarcoma",
            "MetastaticEwingSarcoma",
            "MetastaticChondrosarcoma",
            "ChemotherapyToShrinkMetastases",
            "Thoracotomy",
            "VideoAssistedThoracoscopicSurgery",
            "ChestDrainInsertion",
            "ChestDrain",
            "LungCollapse",
            "AntibioticTherapy",
            "MultidisciplinaryTeam",
            "SurgicalTeam",
            "FollowUpAppointment",
            "ExpectedLungFunction",
            "LungMetastasisPosition",
            "OsteosarcomaLungMetsAtDiagnosisPathway",
            "ShrinkThenResectLungMetsPathway",
            "LungMetastasisTimingConflict",
        ],
        "statements": [
            ("PrimaryBoneCancer", "canSpreadTo", "Lung"),
            ("MetastaticEwingSarcoma", "hasTreatmentOption", "LungMetastasisSurgery", "much-rarer"),
            ("MetastaticChondrosarcoma", "hasTreatmentOption", "MetastasisSurgery", "occasionally"),
            ("Osteosarcoma", "hasTreatmentOption", "BoneSecondaryRemovalSurgery", "occasionally"),
            ("ChemotherapyToShrinkMetastases", "canRelieve", "LungMetastasis", "sometimes"),
            ("Thoracotomy", "hasPossibleSideEffect", "LungCollapse"),
            ("ChestDrainInsertion", "hasAim", "LungReinflation"),
            ("ChestDrainInsertion", "canUse", "ChestDrain"),
            ("AntibioticTherapy", "canReduceRiskOf", "Infection"),
            ("Surgery", "hasPossibleSideEffect", "Infection"),
            ("AdjuvantChemotherapy", "canBeFollowedBy", "LungMetastasisSurgery"),
            ("Physiotherapy", "canBeDeliveredBy", "MultidisciplinaryTeam"),
            ("LungSurgeryLungFunctionCriterion", "isCriterionFor", "LungMetastasisSurgery"),
            ("LungSurgeryLungFunctionCriterion", "concernsFactor", "ExpectedLungFunction"),
            ("LungSurgeryClearedByChemoCriterion", "isCriterionFor", "LungMetastasisSurgery", "sometimes"),
            ("LungSurgeryBenefitRiskCriterion", "isCriterionFor", "LungMetastasisSurgery"),
            ("LungSurgeryTimingSpreadCriterion", "isCriterionFor", "LungMetastasisSurgery"),
            ("OsteosarcomaLungMetsAtDiagnosisPathwayStep4", "hasStepActivity", "LungMetastasisSurgery"),
            ("ShrinkThenResectLungMetsPathwayStep1", "hasStepActivity", "ChemotherapyToShrinkMetastases"),
        ],
    },
    "ccs-surgery": {
        "terms": [
            "WideResection",
            "LimbSparingSurgery",
            "ReconstructiveSurgery",
            "BoneGraft",
            "Autograft",
            "Allograft",
            "Endoprosthesis",
            "Arthrodesis",
            "Amputation",
            "Curettage",
            "Curette",
            "BoneCement",
            "WedgeResection",
            "SurgicalMargin",
            "NegativeSurgicalMargin",
            "SurgicalMarginAnalysis",
            "PathologicalFracture",
            "PhantomLimbPain",
            "BoneNonUnion",
            "ArtificialLimb",
            "Stump",
            "RehabilitationTeam",
            "Lifestyle",
            "HealingTime",
            "BodyImage",
            "ResectableBoneTumour",
            "UnresectableBoneTumour",
            "SkullBase",
            "Collarbone",
            "EndoprostheticImplant",
            "AmputationRecoveryPathway",
            "LimbBoneTumour",
            "PrimaryTumourPathologicalFracture",
            "CurettagePathway",
        ],
        "statements": [
            ("LimbSparingSurgery", "hasPossibleSideEffect", "GaitChange"),
            ("Amputation", "hasPossibleSideEffect", "GaitChange"),
            ("TumourRemovalSurgery", "hasPossibleSideEffect", "WoundReopening"),
            ("Amputation", "hasPossibleSideEffect", "PhantomLimbPain"),
            ("Allograft", "hasPossibleSideEffect", "BoneNonUnion"),
            ("Allograft", "hasPossibleSideEffect", "GraftInfection"),
            ("Arthrodesis", "hasPossibleSideEffect", "LossOfJointMotion"),
            ("Arthrodesis", "canUse", "Rod"),
            ("Endoprosthesis", "canBeAppliedTo", "KneeJoint"),
            ("Endoprosthesis", "canUse", "Metal", "usually"),
            ("Curettage", "canUse", "Curette"),
            ("LimbSparingSurgery", "hasComponent", "WideResection"),
            ("WideResection", "hasComponent", "SurgicalMarginAnalysis"),
            ("SurgicalMarginAnalysis", "canShow", "NegativeSurgicalMargin"),
            ("UnresectableBoneTumour", "canOccurIn", "SkullBase"),
            ("ResectableBoneTumour", "canOccurIn", "Limb"),
            ("PrimaryBoneCancer", "canCause", "PrimaryTumourPathologicalFracture", "sometimes"),
            ("PrimaryTumourPathologicalFracture", "hasTreatmentOption", "LimbSparingSurgery"),
            ("LimbBoneTumour", "hasTreatmentOption", "LimbSparingSurgery", "often"),
            ("LimbBoneTumour", "hasTreatmentOption", "Amputation"),
            ("PreoperativeTesting", "canInclude", "CTScan"),
            ("LimbSparingSurgery", "canInclude", "SoftTissueExcision"),
            ("LocalRecurrence", "hasTreatmentOption", "Amputation"),
            ("LungMetastasis", "hasTreatmentOption", "WedgeResection", "often"),
            ("LimbSparingChemoResponseCriterion", "isCriterionFor", "LimbSparingSurgery"),
            ("LimbSparingVesselNerveCriterion", "concernsFactor", "VesselNerveInvolvement"),
            ("AmputationVesselNerveCriterion", "isCriterionFor", "Amputation"),
            ("CurettageSafetyCriterion", "isCriterionFor", "Curettage"),
            ("ArthrodesisAgeCriterion", "isCriterionFor", "Arthrodesis"),
            ("ArthrodesisAgeCriterion", "hasConditionValue", "OlderAdult"),
            ("LungSurgeryRecurrenceTimingCriterion", "isCriterionFor", "LungMetastasisSurgery"),
            ("ReconstructionSmallBoneCriterion", "isCriterionFor", "ReconstructiveSurgery", "usually"),
            ("LungSurgeryTimingCcsCriterion", "isCriterionFor", "LungMetastasisSurgery", "often"),
            ("AmputationRecoveryPathwayStep2", "hasStepActivity", "ProsthesisFitting"),
        ],
    },
    "macmillan-secondary": {
        "terms": [
            "SecondaryBoneCancer",
            "Myeloma",
            "CancerOfUnknownPrimary",
            "BreastCancer",
            "ProstateCancer",
            "Hypercalcaemia",
            "BloodCalciumTest",
            "XRay",
            "BoneScan",
            "CTScan",
            "MRIScan",
            "PETCTScan",
            "PETScan",
            "BoneBiopsy",
            "HormonalTherapy",
            "TargetedTherapy",
            "Denosumab",
            "Immunotherapy",
            "BisphosphonateTherapy",
            "PainMedication",
            "ClinicalTrial",
            "SpinalCordDecompressionSurgery",
            "GeneralPractitioner",
            "SpecialistNurse",
            "CancerControl",
            "Humerus",
            "BoneMarrow",
            "MetastaticPathologicalFracture",
            "PrimaryCancerTreatment",
        ],
        "statements": [
            ("SecondaryBoneCancer", "canOccurIn", "Humerus"),
            ("SecondaryBoneCancer", "canOccurIn", "Pelvis"),
            ("SecondaryBoneCancer", "canOriginateFrom", "BreastCancer"),
            ("SecondaryBoneCancer", "canOriginateFrom", "PrimaryCancer", "always"),
            ("SecondaryBoneCancer", "canOriginateFrom", "CancerOfUnknownPrimary", "occasionally"),
            ("Myeloma", "canOccurIn", "BoneMarrow"),
            ("Myeloma", "canOccurIn", "Bone", "often"),
            ("SecondaryBoneCancer", "hasSymptom", "BonePain"),
            ("BloodCalciumTest", "canShow", "Hypercalcaemia"),
            ("XRay", "canShow", "Fracture"),
            ("PETCTScan", "hasComponent", "PETScan"),
            ("Denosumab", "canReduceRiskOf", "MetastaticPathologicalFracture"),
            ("PrimaryCancerTreatment", "canRelieve", "SecondaryBoneCancer"),
            ("SecondaryBoneCancer", "hasTreatmentOption", "PrimaryCancerTreatment"),
            ("SymptomManagement", "canInclude", "PalliativeRadiotherapy"),
            ("PalliativeRadiotherapy", "hasAim", "SymptomRelief"),
            ("BisphosphonateTherapy", "canReduceRiskOf", "Hypercalcaemia"),
            ("SecondaryBoneCancer", "hasAim", "CancerControl"),
            ("SecondaryBoneCancer", "hasTreatmentOption", "ClinicalTrial"),
            ("SecondaryBoneCancer", "hasTreatmentOption", "SymptomManagement", "usually"),
            ("SecondaryBoneCancer", "hasTreatmentOption", "BoneSecondaryRemovalSurgery", "occasionally"),
            ("SpinalCordDecompressionSurgery", "canRelieve", "SpinalCordCompression"),
            ("FollowUpAppointment", "canBeDeliveredBy", "SpecialistNurse"),
            ("HormonalTherapyPrimaryCriterion", "isCriterionFor", "HormonalTherapy"),
            ("HormonalTherapyPrimaryCriterion", "hasConditionValue", "BreastCancer"),
            ("HormonalTherapyPrimaryCriterion", "hasConditionValue", "ProstateCancer"),
            ("ChemotherapyPrimarySiteCriterion", "isCriterionFor", "Chemotherapy"),
        ],
    },
    "grace-bone-mets": {
        "terms": [
            "StabilisingSurgery",
            "Vertebroplasty",
            "Kyphoplasty",
            "VertebralCompressionFracture",
            "Osteoporosis",
            "LyticBoneLesion",
            "BlasticBoneLesion",
            "BoneCortex",
            "ProximalFemur",
            "LongBone",
            "PalliativeRadiotherapy",
            "Zoledronate",
            "InterventionalRadiologist",
            "OrthopaedicSurgeon",
            "Balloon",
            "Needle",
            "StructuralStability",
            "KyphoplastyPathway",
            "VertebroplastyPathway",
            "DebilitationDegree",
            "ExpectedSurvival",
            "SurgicalHardware",
        ],
        "statements": [
            ("StabilisingSurgery", "hasAim", "StructuralStability"),
            ("StabilisingSurgery", "canReduceRiskOf", "MetastaticPathologicalFracture"),
            ("StabilisingSurgery", "canBeAppliedTo", "LongBone"),
            ("Osteoporosis", "canCause", "VertebralCompressionFracture"),
            ("SecondaryBoneCancer", "canCause", "VertebralCompressionFracture"),
            ("Kyphoplasty", "hasComponent", "BalloonInflation"),
            ("Vertebroplasty", "hasComponent", "CementInjection"),
            ("Vertebroplasty", "canBeDeliveredBy", "InterventionalRadiologist"),
            ("Kyphoplasty", "canBeDeliveredBy", "OrthopaedicSurgeon"),
            ("Kyphoplasty", "canRelieve", "Pain", "usually"),
            ("BlasticBoneLesion", "canCause", "StructuralInstability"),
            ("PalliativeRadiotherapy", "canBeFollowedBy", "StabilisingSurgery"),
            ("SecondaryBoneCancer", "hasTreatmentOption", "Zoledronate"),
            ("StabilisingLyticCriterion", "isCriterionFor", "StabilisingSurgery"),
            ("StabilisingLyticCriterion", "concernsFactor", "CorticalInvolvement"),
            ("StabilisingSurvivalCriterion", "isCriterionFor", "StabilisingSurgery"),
            ("StabilisingDebilityCriterion", "isCriterionFor", "StabilisingSurgery"),
            ("StabilisingProximalFemurCriterion", "isCriterionFor", "StabilisingSurgery"),
            ("StabilisingDiffuseCriterion", "isCriterionFor", "StabilisingSurgery"),
            ("KyphoplastyPathwayStep2", "hasStepActivity", "BalloonInflation"),
            ("VertebroplastyPathwayStep2", "hasStepActivity", "CementInjection"),
        ],
    },
    "canceradvice-outcomes": {
        "terms": [
            "LocalisedPrimaryBoneTumour",
            "PrimaryChemotherapy",
            "AdjuvantChemotherapy",
            "SalvageChemotherapy",
            "HighDoseChemotherapy",
            "AutologousStemCellTransplant",
            "StemCellHarvest",
            "StemCellReinfusion",
            "CyberKnife",
            "RelapsedEwingSarcoma",
            "RecurrentOsteosarcoma",
            "EarlyMetastaticOsteosarcoma",
            "BoneMarrowFailure",
            "RelapsedEwingSalvagePathway",
            "LocalisedPrimaryBoneTumourPathway",
            "HighDoseRescuePathway",
            "Cure",
            "SurgicalAccessibility",
        ],
        "statements": [
            ("LocalisedPrimaryBoneTumour", "hasAim", "Cure"),
            ("LocalisedPrimaryBoneTumour", "hasTreatmentOption", "PrimaryChemotherapy", "usually"),
            ("HighDoseChemotherapy", "hasPossibleSideEffect", "BoneMarrowFailure"),
            ("AutologousStemCellTransplant", "canRelieve", "BoneMarrowFailure"),
            ("RecurrentOsteosarcoma", "hasTreatmentOption", "CyberKnife"),
            ("RecurrentOsteosarcoma", "hasTreatmentOption", "LungMetastasisSurgery"),
            ("SalvageChemotherapy", "canBeFollowedBy", "HighDoseChemotherapy"),
            ("EarlyMetastaticOsteosarcoma", "hasTreatmentOption", "LungMetastasisSurgery", "occasionally"),
            ("Radiotherapy", "canBeAppliedTo", "Spine"),
            ("RadiotherapyAccessCriterion", "isCriterionFor", "Radiotherapy"),
            ("AdjuvantChemoResponseCriterion", "isCriterionFor", "AdjuvantChemotherapy"),
            ("LungSurgeryTimingCaCriterion", "isCriterionFor", "LungMetastasisSurgery"),
            ("SalvageCyberKnifeNumberCriterion", "isCriterionFor", "CyberKnife"),
            ("RelapsedEwingSalvagePathwayStep3", "hasStepActivity", "AutologousStemCellTransplant"),
            ("LocalisedPrimaryBoneTumourPathwayStep1", "hasStepActivity", "PrimaryChemotherapy"),
        ],
    },
}


def _documents_of(owl: Graph, citations) -> set[str]:
    """The source ids that a set of dcterms:source values (sections or documents) belong to."""
    found: set[str] = set()
    for cited in citations:
        for node in (cited, *owl.objects(cited, DCTERMS.isPartOf)):
            text = str(node)
            if text.startswith(SOURCE) and "/" not in text[len(SOURCE) :]:
                found.add(text[len(SOURCE) :])
    return found


def _axioms(owl: Graph, subject: URIRef, predicate: URIRef, obj: URIRef):
    for axiom in owl.subjects(OWL.annotatedSource, subject):
        if (axiom, RDF.type, OWL.Axiom) not in owl:
            continue
        target = owl.value(axiom, OWL.annotatedTarget)
        if owl.value(target, OWL.onProperty) == predicate and owl.value(target, OWL.someValuesFrom) == obj:
            yield axiom


@pytest.mark.parametrize("source_id", sorted(DOCUMENTS))
def test_document_yields_its_key_terms(release, source_id: str) -> None:
    owl = release.owl
    missing, uncited = [], []
    for term in DOCUMENTS[source_id]["terms"]:
        iri = BCTO[term]
        if (iri, RDF.type, OWL.Class) not in owl or owl.value(iri, RDFS.label) is None:
            missing.append(term)
        elif source_id not in _documents_of(owl, owl.objects(iri, DCTERMS.source)):
            uncited.append(term)
    assert not missing, f"terms missing from the ontology: {missing}"
    assert not uncited, f"terms that do not cite {source_id}: {uncited}"


@pytest.mark.parametrize("source_id", sorted(DOCUMENTS))
def test_document_yields_its_key_statements(release, source_id: str) -> None:
    owl, kg = release.owl, release.kg
    problems = []
    for subject, predicate, obj, *frequency in DOCUMENTS[source_id]["statements"]:
        s, p, o = BCTO[subject], BCTO[predicate], BCTO[obj]
        if (s, p, o) not in kg:
            problems.append(f"no edge {subject} {predicate} {obj}")
            continue
        axioms = list(_axioms(owl, s, p, o))
        cited = set().union(*(_documents_of(owl, owl.objects(a, DCTERMS.source)) for a in axioms)) if axioms else set()
        if source_id not in cited:
            problems.append(f"{subject} {predicate} {obj} does not cite {source_id} (cites {sorted(cited)})")
        if frequency and not any(
            (a, BCTO.frequency, Literal(frequency[0])) in owl or str(owl.value(a, BCTO.frequency)) == frequency[0] for a in axioms
        ):
            problems.append(f"{subject} {predicate} {obj} lacks frequency {frequency[0]!r}")
    assert not problems, "\n".join(problems)


def test_timing_conflict_has_a_side_from_each_disagreeing_document(release) -> None:
    owl = release.owl
    sides: set[str] = set()
    for axiom in owl.subjects(BCTO.inConflict, BCTO.LungMetastasisTimingConflict):
        sides |= _documents_of(owl, owl.objects(axiom, DCTERMS.source))
    assert {"spread-surgery", "ccs-surgery", "canceradvice-outcomes"} <= sides
