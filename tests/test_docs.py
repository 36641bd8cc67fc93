"""The HTML reference documentation: complete, linked, escaped, offline."""

from __future__ import annotations

import re
from pathlib import Path

from bcto.graph.docs import docs_files
from bcto.graph.docs_sections import script_hash
from bcto.ontology.load import load_curation
from tests.conftest import SEEDS, Release


def test_every_term_has_an_anchor_and_every_link_a_target(release: Release) -> None:
    page = (release.output / "docs" / "index.html").read_text(encoding="utf-8")
    anchors = set(re.findall(r'id="([^"]+)"', page))
    terms = {*release.curation.terms, *release.curation.criteria, *(s.id for s in release.curation.steps)}
    assert terms <= anchors
    targets = set(re.findall(r'href="#([^"]+)"', page))
    assert targets - anchors == set(), "every in-page link lands somewhere"


def test_page_loads_nothing_remote_and_says_it_is_not_advice(release: Release) -> None:
    page = (release.output / "docs" / "index.html").read_text(encoding="utf-8")
    assert "default-src 'none'" in page
    assert not re.search(r"<(img|link|iframe)\b|<script[^>]*\bsrc=", page), "no images, stylesheets or scripts to fetch"
    assert re.findall(r"<script>", page) == ["<script>"], "one inline script: the search box"
    assert f"script-src {script_hash()}" in page, "allowed by its hash, nothing else"
    assert "not medical advice" in page


def test_sources_and_qualifiers_are_shown(release: Release) -> None:
    page = (release.output / "docs" / "index.html").read_text(encoding="utf-8")
    section = page[page.index('id="LimbSparingSurgery"') :]
    section = section[: section.index("</section>")]
    assert "Surgery for bone cancer, section “Limb-sparing surgery”" in section


def test_text_is_escaped(tree: Path) -> None:
    schema, curation = load_curation(tree, SEEDS if SEEDS.is_dir() else None)
    term = curation.terms["Amputation"]
    curation.terms["Amputation"] = term._replace(label="<img src=x onerror=alert(1)>")
    page = docs_files(schema, curation)["docs/index.html"].decode()
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def test_statements_name_the_sentence_they_rest_on(release: Release) -> None:
    """Each statement's line points at its passage ("section X, sentence N"), not only at the section."""
    page = (release.output / "docs" / "index.html").read_text(encoding="utf-8")
    pinned = [s for s in release.curation.statements if s.qualifiers.passages]
    assert len(pinned) == len(release.curation.statements) > 0
    for statement in pinned[:25]:
        assert statement.qualifiers.passages[0].pointer in page
    inferred = [s for s in release.curation.statements if s.qualifiers.evidence == "ECO:0000305"]
    assert inferred and "(curator inference)" in page


def test_the_page_lists_each_retired_term_with_its_replacement(release: Release) -> None:
    """Deprecated entities stay findable, as pyLODE and Widoco show them: marked, with the term to use instead."""
    page = (release.output / "docs" / "index.html").read_text(encoding="utf-8")
    assert '<h2 id="retired">Retired terms</h2>' in page
    for r in release.curation.retired.values():
        section = page[page.index(f'<section class="term" id="{r.id}">') :]
        section = section[: section.index("</section>")]
        assert f"obsolete {r.label}" in section
        for replacement in r.replaced_by:
            assert f'href="#{replacement}"' in section, (r.id, replacement)
