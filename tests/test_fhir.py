"""The CPG-on-FHIR bundle: valid R4 (FHIR.js), the CPG rules that matter, sources on every resource, and a
round trip that recovers every pathway order and every criterion from the bundle alone."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle

from bcto.graph import fhir
from bcto.ontology.load import load_curation
from bcto.ontology.model import Curation

from .conftest import REPO, SEEDS, Release

VALIDATOR = Path(os.environ.get("BCTO_FHIR_VALIDATOR", REPO / ".cache" / "fhir-validator")) / "node_modules"
SCRIPT = REPO / "tests" / "fhir_validate.js"


@pytest.fixture(scope="module")
def curation() -> Curation:
    return load_curation(REPO / "ontology", SEEDS)[1]


@pytest.fixture(scope="module")
def data(curation: Curation) -> dict[str, Any]:
    return json.loads(fhir.bundle_json(curation))


def _by_url(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["resource"]["url"]: e["resource"] for e in data["entry"]}


def _with_profile(data: dict[str, Any], profile: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in data["entry"] if profile in e["resource"].get("meta", {}).get("profile", [])]


def _validate(path: Path) -> dict[str, Any]:
    if not (VALIDATOR / "fhir").is_dir():
        why = f"the FHIR.js validator is not installed in {VALIDATOR} (.ci/run installs it: npm install fhir@4.12.0)"
        if os.environ.get("CI"):
            pytest.fail(f"{why}; CI must run these tests")
        pytest.skip(why)
    node = shutil.which("node")
    assert node is not None, "node is needed to run the FHIR.js validator"
    done = subprocess.run(
        [node, str(SCRIPT), str(path)],
        check=False,
        capture_output=True,
        text=True,
        env={**os.environ, "NODE_PATH": str(VALIDATOR)},
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_bundle_is_valid_r4_with_zero_errors(curation: Curation, tmp_path: Path) -> None:
    path = tmp_path / "bundle.json"
    path.write_bytes(fhir.bundle_json(curation))
    report = _validate(path)
    assert report["errors"] == 0, report["messages"]


def test_the_validator_rejects_a_broken_bundle(data: dict[str, Any], tmp_path: Path) -> None:
    """The same bundle with an invalid code and a misspelt element: the validator must report both."""
    broken = json.loads(json.dumps(data))
    strategy = _with_profile(broken, fhir.STRATEGY)[0]
    next(a for a in strategy["action"] if "relatedAction" in a)["relatedAction"][0]["relationship"] = "afterwards"
    _with_profile(broken, fhir.RECOMMENDATION)[0]["statuss"] = "draft"
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken), encoding="utf-8")
    report = _validate(path)
    assert report["errors"] >= 2, report["messages"]


def test_every_resource_has_its_cpg_profile(data: dict[str, Any], curation: Curation) -> None:
    counts = {
        p: len(_with_profile(data, p))
        for p in (fhir.PATHWAY, fhir.STRATEGY, fhir.RECOMMENDATION, fhir.CASE_FEATURE, fhir.ACTIVITY)
    }
    assert counts[fhir.PATHWAY] == counts[fhir.STRATEGY] == len(curation.pathways)
    assert counts[fhir.RECOMMENDATION] == len(curation.criteria) + len(curation.steps)
    assert counts[fhir.CASE_FEATURE] == len({c.factor for c in curation.criteria.values()})
    assert sum(counts.values()) == len(data["entry"])
    assert all(p.startswith("http://hl7.org/fhir/uv/cpg/StructureDefinition/cpg-") for p in counts)


def test_pathway_actions_have_no_related_action_and_every_action_resolves(data: dict[str, Any]) -> None:
    """CPGPathwayDefinition forbids relatedAction and selectionBehavior; each definitionCanonical must name a
    resource of the bundle with the profile the CPG IG allows there."""
    urls = _by_url(data)
    allowed = {fhir.PATHWAY: fhir.STRATEGY, fhir.STRATEGY: fhir.RECOMMENDATION, fhir.RECOMMENDATION: fhir.ACTIVITY}
    checked = 0
    for resource in urls.values():
        profile = resource["meta"]["profile"][0]
        for action in resource.get("action", []):
            if profile == fhir.PATHWAY:
                assert "relatedAction" not in action and "selectionBehavior" not in action, resource["id"]
            target = urls.get(action["definitionCanonical"])
            assert target is not None, f"{resource['id']}: {action['definitionCanonical']} is not in the bundle"
            assert target["meta"]["profile"] == [allowed[profile]], resource["id"]
            checked += 1
            ids = {a["id"] for a in resource["action"] if "id" in a}
            assert all(r["actionId"] in ids for r in action.get("relatedAction", [])), resource["id"]
    assert checked == sum(len(r.get("action", [])) for r in urls.values() if r["resourceType"] == "PlanDefinition")


def test_every_statement_resource_carries_its_id_and_passages(data: dict[str, Any], curation: Curation) -> None:
    cells = {c.id: [p.cell for p in c.qualifiers.passages] for c in curation.criteria.values()}
    cells.update({s.id: [p.cell for p in s.qualifiers.passages] for s in curation.steps})
    for r in _with_profile(data, fhir.RECOMMENDATION):
        statement = next(i["value"] for i in r["identifier"] if i["system"] == fhir.STATEMENT)
        assert [a["citation"] for a in r["relatedArtifact"]] == cells[statement] != []
        assert all(", sentence" in a["display"] for a in r["relatedArtifact"])
        assert [a["citation"] for a in r["action"][0]["documentation"]] == cells[statement]


def _parse_threshold(expression: str) -> tuple[str, str, str] | None:
    if " as " not in expression:
        return None
    comparator, quantity = expression.rsplit(") ", 1)[1].split(" ", 1)
    number, _, unit = quantity.partition(" ")
    return comparator, number, unit.strip("'")


def test_round_trip_recovers_every_criterion(curation: Curation) -> None:
    bundle = Bundle.model_validate_json(fhir.bundle_json(curation))
    found = {}
    for entry in bundle.entry or []:
        r = entry.resource
        if r.meta.profile != [fhir.RECOMMENDATION] or r.id not in curation.criteria:
            continue
        action = r.action[0]
        ext = {e.url: e.valueCodeableConcept.coding[0].code for e in action.extension}
        filters = {f.path: [c.code for c in f.code] for f in action.input[0].codeFilter}
        expressions = [c.expression.expression for c in action.condition]
        scope = re.findall(r"code = '(\w+)'", expressions[1]) if len(expressions) > 1 else []
        found[r.id] = (
            action.definitionCanonical.rsplit("/", 1)[1],
            ext.get(fhir.DIRECTION_EXT, "considered"),
            fhir.strength_word(ext[fhir.STRENGTH_EXT]),
            filters["code"][0],
            tuple(filters.get("value", ())),
            _parse_threshold(expressions[0]),
            action.condition[0].expression.description,
            tuple(scope),
        )
    expected = {
        c.id: (
            c.activity,
            c.direction,
            c.strength,
            c.factor,
            c.values,
            (c.threshold.comparator, c.threshold.number, c.threshold.unit) if c.threshold else None,
            c.condition,
            c.scope_terms,
        )
        for c in curation.criteria.values()
    }
    assert found == expected
    assert any(v[5] for v in found.values()) and any(v[1] == "considered" for v in found.values())


def test_round_trip_recovers_every_pathway_order(curation: Curation) -> None:
    """Positions come back from `after-end` alone: a step with none is first, else one after what it follows."""
    bundle = Bundle.model_validate_json(fhir.bundle_json(curation))
    urls = {e.resource.url: e.resource for e in bundle.entry or []}
    found = set()
    for r in urls.values():
        if r.meta.profile != [fhir.PATHWAY]:
            continue
        strategy = urls[r.action[0].definitionCanonical]
        actions = {a.id: a for a in strategy.action}
        position: dict[str, int] = {}
        while len(position) < len(actions):
            for aid, a in actions.items():
                before = [x.actionId for x in a.relatedAction or []]
                if aid not in position and all(b in position for b in before):
                    position[aid] = 1 + max((position[b] for b in before), default=0)
        for aid, a in actions.items():
            step = urls[a.definitionCanonical]
            activity = step.action[0].definitionCanonical.rsplit("/", 1)[1]
            found.add((r.id, int(a.prefix), position[aid], activity, "Optional" in step.description))
    expected = {(s.pathway, s.number, s.order, s.activity, s.optional) for s in curation.steps}
    assert found == expected
    assert any(s.order < s.number for s in curation.steps)  # shared positions are really exercised


def test_directions_are_cpg_codes_and_considered_has_none(data: dict[str, Any], curation: Curation) -> None:
    for r in _with_profile(data, fhir.RECOMMENDATION):
        c = curation.criteria.get(r["id"])
        if c is None:
            continue
        codes = [e["valueCodeableConcept"]["coding"][0] for e in r["action"][0]["extension"] if e["url"] == fhir.DIRECTION_EXT]
        if c.direction == "considered":
            assert codes == []
        else:
            assert codes == [{"system": fhir.DIRECTION_SYSTEM, "code": c.direction, "display": c.direction.capitalize()}]


def test_threshold_expression_is_fhirpath_over_the_case_feature(curation: Curation) -> None:
    c = curation.criteria["StabilisingLyticCriterion"]
    expression = fhir.recommendation(curation, c)["action"][0]["condition"][0]["expression"]["expression"]
    assert expression.endswith("value as Quantity) > 50 '%'") and "'CorticalInvolvement'" in expression
    assert Decimal(c.threshold.number) == 50 if c.threshold else False


def test_activities_carry_the_bcto_iri_and_exact_mappings(data: dict[str, Any], curation: Curation) -> None:
    exact = {
        (m.subject, m.object)
        for m in curation.mappings
        if m.predicate == "skos:exactMatch" and m.object.split(":")[0] in fhir.CODE_SYSTEMS
    }
    seen = set()
    for r in _with_profile(data, fhir.ACTIVITY):
        codings = r["code"]["coding"]
        assert codings[0] == {"system": fhir.TERMS, "code": r["id"], "display": curation.terms[r["id"]].label}
        for coding in codings[1:]:
            prefix = next(p for p, system in fhir.CODE_SYSTEMS.items() if system == coding["system"])
            seen.add((r["id"], f"{prefix}:{coding['code']}"))
    assert seen == {(s, o) for s, o in exact if s in {r["id"] for r in _with_profile(data, fhir.ACTIVITY)}} != set()


def test_the_bundle_is_deterministic_and_in_the_release(curation: Curation, release: Release) -> None:
    assert fhir.bundle_json(curation) == fhir.bundle_json(load_curation(REPO / "ontology", SEEDS)[1])
    assert (release.output / "bcto-fhir-bundle.json").read_bytes() == fhir.bundle_json(release.curation)
