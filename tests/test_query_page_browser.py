"""The query page of `bcto serve` in a real browser (headless Debian Chromium through Playwright): links and
labels in results, no @en clutter, the query in the URL, example and description in step with the text,
errors clear old results, ASK shows only true/false, downloads that never meet a 406."""

from __future__ import annotations

import time
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest

from bcto.queries.endpoint import EndpointSettings, running
from tests.conftest import Release
from tests.test_viewer_browser import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")

SIDE_EFFECTS = "SELECT ?effect ?label WHERE { bcto:Amputation bcto:hasPossibleSideEffect ?effect . ?effect rdfs:label ?label }"


@pytest.fixture(scope="module")
def base(minimal_release: Release) -> Iterator[str]:
    with running(EndpointSettings(minimal_release.output, port=0, workers=1, quiet=True)) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, base: str):
    context = browser.new_context()
    tab = context.new_page()
    tab.errors = []
    tab.on("pageerror", lambda e: tab.errors.append(str(e)))
    tab.goto(base + "/")
    yield tab
    context.close()


def _until(page, condition: str, seconds: float = 15.0) -> None:
    """Poll from Python: Playwright's in-page wait_for_function evaluates a string, which the page's CSP forbids."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(condition):
        assert time.monotonic() < deadline, f"timed out waiting for {condition}"
        time.sleep(0.05)


def _run(page, text: str) -> None:
    page.fill("#query", text)
    page.click("#run")
    _until(page, "!document.getElementById('status').textContent.startsWith('running')")


def test_results_link_to_the_viewer_with_labels_and_no_en_tag(page) -> None:
    _run(page, SIDE_EFFECTS)
    link = page.locator("#results td a").first
    assert link.text_content() == "bcto:PhantomLimbPain"
    assert link.get_attribute("href") == "/viewer#term=PhantomLimbPain"
    _until(page, "document.querySelector('#results span.label').textContent !== ''")
    assert page.locator("#results span.label").first.text_content() == "phantom limb pain"
    cells = page.locator("#results td").all_text_contents()
    assert "phantom limb pain" in cells, cells
    assert not any("@en" in c for c in cells)
    assert page.errors == []


def test_the_query_is_in_the_url_and_a_permalink_reruns_it(page, base: str) -> None:
    _run(page, SIDE_EFFECTS)
    url = page.url
    assert urllib.parse.unquote(url.split("#query=", 1)[1]) == SIDE_EFFECTS
    page.goto("about:blank")
    page.goto(url)
    page.wait_for_selector("#results table")
    assert page.input_value("#query") == SIDE_EFFECTS
    assert "bcto:PhantomLimbPain" in page.locator("#results").text_content()


def test_example_and_description_follow_edits(page) -> None:
    options = page.locator("#examples option")
    assert options.count() > 10
    value = options.nth(1).get_attribute("value")
    page.select_option("#examples", value)
    summary = page.text_content("#summary")
    assert summary and page.input_value("#query").startswith("#+")
    page.type("#query", " ")
    assert page.input_value("#examples") == ""
    assert page.text_content("#summary") == ""


def test_an_error_clears_the_previous_results(page) -> None:
    _run(page, SIDE_EFFECTS)
    assert page.locator("#results table").count() == 1
    _run(page, "SELECT ?x WHERE { ?x")
    assert page.locator("#results *").count() == 0
    assert page.get_attribute("#status", "class") == "error"
    assert "HTTP 400" in page.text_content("#status")


def test_ask_shows_true_or_false_only(page) -> None:
    _run(page, "ASK { bcto:Amputation bcto:hasPossibleSideEffect bcto:PhantomLimbPain }")
    assert page.text_content("#results").strip() == "true"
    assert "row" not in page.text_content("#status")


@pytest.mark.parametrize(
    "text,formats",
    [
        (SIDE_EFFECTS, ["csv", "tsv", "json"]),
        ("ASK { ?s ?p ?o }", ["json"]),
        ("CONSTRUCT WHERE { ?s bcto:hasPossibleSideEffect ?o }", ["turtle"]),
    ],
)
def test_downloads_fit_the_query_and_are_never_406(page, base: str, text: str, formats: list[str]) -> None:
    page.fill("#query", text)
    page.dispatch_event("#query", "input")
    hrefs = [a.get_attribute("href") for a in page.locator("#downloads a").all()]
    assert [urllib.parse.parse_qs(h.split("?", 1)[1])["format"][0] for h in hrefs] == formats
    for href in hrefs:
        with urllib.request.urlopen(base + href, timeout=30) as response:  # loopback only
            assert response.status == 200
            assert response.read()
