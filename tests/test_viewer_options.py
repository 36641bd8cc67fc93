"""The viewer's "Explore options" panel, in Debian's chromium: for the documents' scenarios it gives the same
groups and statuses as `bcto options`, offline, with a source on every line."""

from __future__ import annotations

import pytest

from bcto.ontology.options import explore
from tests.conftest import Release
from tests.test_viewer_browser import CHROMIUM, CHROMIUM_ARGS, Tab

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")

# condition, ticked terms, quantities (factor, number, unit)
SCENARIOS = [
    ("LimbBoneTumour", ["Limb", "PrimaryChemotherapy", "GoodChemotherapyResponse", "MajorVesselsNervesFree"], []),
    ("LimbBoneTumour", ["Limb", "PrimaryChemotherapy", "MajorVesselsNervesInvaded"], []),
    ("SecondaryBoneCancer", ["LyticBoneLesion", "LongBone"], [("CorticalInvolvement", "60", "%")]),
    ("SecondaryBoneCancer", ["LyticBoneLesion", "LongBone"], [("CorticalInvolvement", "30", "%")]),
    ("SecondaryBoneCancer", ["RecoveryOutlastsSurvival", "PathologicalFracture"], []),
    ("RecurrentOsteosarcoma", ["OneOrFewLungMetastases", "Lung"], [("RecurrenceTiming", "2", "year")]),
    ("SecondaryBoneCancer", ["BreastCancer"], []),
    ("LungMetastasis", ["ChemotherapyToShrinkMetastases", "ClearedByChemotherapy"], []),
    ("MetastaticEwingSarcoma", [], []),
    ("VertebralCompressionFracture", [], []),
]


@pytest.fixture(scope="module")
def tab(release: Release):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        t = Tab(chromium.new_page()).open(release.output / "bcto.html")
        yield t
        chromium.close()


def _panel(tab: Tab, condition: str, terms: list[str], quantities: list[tuple[str, str, str]]) -> dict[str, object]:
    return tab.js(
        """([condition, terms, quantities]) => {
            document.querySelector('details.options-panel').open = true;
            const boxes = [...document.querySelectorAll('#options-panel input[type=checkbox]')];
            boxes.forEach(i => { i.checked = terms.includes(i.dataset.term); });
            const missing = terms.filter(t => !boxes.some(i => i.dataset.term === t));
            document.querySelectorAll('#options-panel input[data-quantity]').forEach(i => {
                const q = quantities.find(q => q[0] === i.dataset.quantity); i.value = q ? q[1] : ''; });
            const pick = document.getElementById('options-condition');
            pick.value = condition; pick.dispatchEvent(new Event('change'));
            const groups = {}, statuses = {}, unsourced = [];
            document.querySelectorAll('#options-results li[data-activity]').forEach(li => {
                groups[li.dataset.activity] = li.dataset.group;
                li.querySelectorAll('li[data-criterion]').forEach(c => {
                    statuses[li.dataset.activity + ' ' + c.dataset.criterion] = c.dataset.status;
                    const text = c.textContent.trim();
                    if (!text.includes('Source: ') || text.endsWith('Source:')) unsourced.push(c.dataset.criterion);
                });
            });
            const order = [...document.querySelectorAll('#options-results li[data-activity]')].map(li => li.dataset.activity);
            return {groups, statuses, unsourced, order, missing};
        }""",
        [condition, terms, quantities],
    )  # type: ignore[return-value]


@pytest.mark.parametrize(
    ("condition", "terms", "quantities"), SCENARIOS, ids=[f"{c}-{i}" for i, (c, _, _) in enumerate(SCENARIOS)]
)
def test_the_panel_answers_as_bcto_options_does(
    tab: Tab, release: Release, condition: str, terms: list[str], quantities: list
) -> None:
    got = _panel(tab, condition, terms, quantities)
    given = terms + [f"{f} = {n} {u}" for f, n, u in quantities]
    a = explore(release.curation, condition, given)
    assert got["groups"] == {o.activity: o.group for o in a.options}
    assert got["statuses"] == {f"{o.activity} {r.criterion.id}": r.status for o in a.options for r in o.readings}
    assert got["order"] == [o.activity for o in a.options]
    assert got["unsourced"] == [] and got["missing"] == []  # every ticked term has its box in the panel


def test_the_panel_is_offline_and_says_it_does_not_advise(tab: Tab) -> None:
    text = tab.js("document.getElementById('options-panel').textContent")
    assert "does not advise" in text and "recommended;" not in text.replace("not ranked or recommended;", "")
    assert all(url.startswith("file://") for url in tab.requests)
    assert tab.errors == []
