"""The viewer in a real browser (headless Debian Chromium through Playwright), opened from disk with no network."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import RDFS

from bcto.graph.extract import graph_data
from bcto.graph.files import graph_files
from bcto.ontology.vocabulary import BCTO
from tests.conftest import Release

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PLANTED = '<img src=x onerror="window.__pwned=1">'

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="needs Debian's chromium at /usr/bin/chromium "
    "(apt-get install -y chromium); the viewer is only tested in a real browser",
)


class Tab:
    """A page plus everything it logged and requested."""

    def __init__(self, page) -> None:
        self.page = page
        self.errors: list[str] = []
        self.requests: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: self.requests.append(r.url))

    def open(self, path: Path) -> Tab:
        self.page.goto(path.as_uri())
        self.page.wait_for_function("window.BCTO && window.BCTO.timings.firstDraw !== null")
        return self

    def js(self, expression: str, arg: object = None) -> object:
        return self.page.evaluate(expression, arg)

    def visible(self) -> set[str]:
        return set(self.js("BCTO.visibleNodeIds()"))


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def pages(minimal_release: Release, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The viewer of the small release, and one whose labels carry planted markup."""
    folder = tmp_path_factory.mktemp("viewer")
    plain = folder / "bcto.html"
    plain.write_bytes(
        graph_files(
            graph_data(minimal_release.owl, minimal_release.kg, minimal_release.inferred, minimal_release.curation.families)
        )["bcto.html"]
    )
    owl = Graph()
    owl += minimal_release.owl
    owl.set((BCTO.Amputation, RDFS.label, Literal(f"amputation {PLANTED}</script><script>window.__pwned=2</script>")))
    owl.add((BCTO.Amputation, BCTO.layTerm, Literal(f"<!-- {PLANTED}")))
    planted = folder / "planted.html"
    planted.write_bytes(
        graph_files(graph_data(owl, minimal_release.kg, minimal_release.inferred, minimal_release.curation.families))["bcto.html"]
    )
    return {"plain": plain, "planted": planted}


@pytest.fixture
def tab(browser, pages: dict[str, Path]) -> Iterator[Tab]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    yield Tab(context.new_page()).open(pages["plain"])
    context.close()


@pytest.fixture(scope="module")
def data(minimal_release: Release):
    return graph_data(minimal_release.owl, minimal_release.kg, minimal_release.inferred, minimal_release.curation.families)


def test_loads_offline_without_errors_and_shows_every_node(tab: Tab, pages: dict[str, Path], data) -> None:
    assert tab.errors == []
    assert tab.requests == [pages["plain"].as_uri()]
    assert all(url.startswith("file://") for url in tab.requests)
    assert tab.js("BCTO.nodeCount()") == len(data.terms)
    assert tab.visible() == set(data.terms)
    assert "not medical advice" in tab.page.inner_text("#disclaimer")
    assert tab.page.inner_text("#status").startswith(f"Showing {len(data.terms)} of {len(data.terms)} terms")


def test_search_finds_a_term_by_its_lay_synonym(tab: Tab) -> None:
    tab.page.click("#search")
    tab.page.keyboard.type("limb salvage")
    suggestion = tab.page.locator("#suggestions li").first
    assert suggestion.get_attribute("data-term") == "LimbSparingSurgery"
    assert "everyday word: limb salvage" in suggestion.inner_text()
    tab.page.keyboard.press("Enter")
    assert tab.js("BCTO.selected()") == "LimbSparingSurgery"
    assert tab.page.inner_text("#details h2") == "limb-sparing surgery"


def test_clicking_a_node_shows_its_definition_and_source(tab: Tab) -> None:
    tab.js("BCTO.focus('PhantomLimbPain', 1)")  # zoomed in, so the node is large enough to hit
    tab.js("BCTO.showAll()")
    tab.js("() => document.getElementById('details').textContent = ''")
    where = tab.js("BCTO.domPosition('PhantomLimbPain')")
    box = tab.page.locator("#graph").bounding_box()
    tab.page.mouse.click(box["x"] + where["x"], box["y"] + where["y"])
    details = tab.page.inner_text("#details")
    assert tab.js("BCTO.selected()") == "PhantomLimbPain"
    assert "Pain felt as if it came from a limb" in details
    assert "Surgery for bone cancer — Side effects" in details  # document title — section
    assert "amputation" in details  # what it connects to


def test_related_term_link_moves_there(tab: Tab) -> None:
    tab.js("BCTO.select('Osteosarcoma')")
    tab.page.locator("#details a.term[data-term='Amputation']").click()
    assert tab.js("BCTO.selected()") == "Amputation"
    assert tab.page.inner_text("#details h2") == "amputation"


def test_family_filter_hides_that_family(tab: Tab, data) -> None:
    procedures = {t.id for t in data.terms.values() if t.family == "Procedure"}
    tab.page.locator("input[data-family='Procedure']").uncheck()
    assert tab.visible() == set(data.terms) - procedures
    tab.page.locator("input[data-family='Procedure']").check()
    assert tab.visible() == set(data.terms)


def test_predicate_filter_hides_those_links(tab: Tab) -> None:
    before = len(tab.js("BCTO.visibleEdgeIds()"))
    tab.page.locator("input[data-predicate='hasTreatmentOption']").uncheck()
    assert len(tab.js("BCTO.visibleEdgeIds()")) == before - 1


def test_focus_shows_only_the_neighbours(tab: Tab, data) -> None:
    tab.js("BCTO.select('Amputation')")
    tab.page.locator("#details button[data-hops='1']").click()
    neighbours = {k.object for k in data.links if k.subject == "Amputation"} | {
        k.subject for k in data.links if k.object == "Amputation"
    }
    assert tab.visible() == {"Amputation"} | neighbours
    tab.page.click("#show-all")
    assert tab.visible() == set(data.terms)


def test_presets_exist_only_for_terms_present(tab: Tab) -> None:
    assert tab.page.locator("#presets button").all_inner_texts() == ["Osteosarcoma"]  # the small release has no others
    tab.page.click("#preset-Osteosarcoma")
    assert "Osteosarcoma" in tab.visible() and "Amputation" in tab.visible()


def test_pathway_view_draws_steps_left_to_right(tab: Tab) -> None:
    tab.page.click("#show-pathways")
    assert {"AmputationPathway", "AmputationPathwayStep1", "AmputationPathwayStep2"} <= tab.visible()
    xs = [
        tab.js(f"BCTO.domPosition('{step}').x")
        for step in ("AmputationPathway", "AmputationPathwayStep1", "AmputationPathwayStep2")
    ]
    assert xs == sorted(xs) and len(set(xs)) == 3


def test_planted_markup_is_shown_as_text_and_never_runs(browser, pages: dict[str, Path]) -> None:
    context = browser.new_context()
    tab = Tab(context.new_page()).open(pages["planted"])
    tab.page.click("#search")
    tab.page.keyboard.type("onerror")
    tab.page.keyboard.press("Enter")
    assert tab.js("BCTO.selected()") == "Amputation"
    assert PLANTED in tab.page.inner_text("#details h2")
    assert tab.js("window.__pwned") is None
    assert tab.js("document.querySelectorAll('img').length") == 0
    assert tab.requests == [pages["planted"].as_uri()]  # an <img src=x> would have asked for file:///…/x
    assert tab.errors == []
    context.close()


def test_real_release_loads_with_every_term_and_linked_mappings(
    browser, release: Release, tmp_path_factory: pytest.TempPathFactory
) -> None:
    data = graph_data(release.owl, release.kg, release.inferred, release.curation.families)
    page = tmp_path_factory.mktemp("real") / "bcto.html"
    page.write_bytes(graph_files(data)["bcto.html"])
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    tab = Tab(context.new_page()).open(page)
    assert tab.errors == [] and tab.requests == [page.as_uri()]
    assert tab.js("BCTO.nodeCount()") == len(data.terms)
    mapped = next((t for t in data.terms.values() if any(m.href for m in t.mappings)), None)
    if mapped is not None:
        tab.js("id => BCTO.select(id)", mapped.id)
        hrefs = tab.page.locator("#details a[target='_blank']").evaluate_all("links => links.map(a => a.href)")
        assert hrefs == [m.href for m in mapped.mappings if m.href]
    context.close()
