"""The graph views without a browser: extraction, exports, determinism, safe embedding, `bcto path`/`bcto stats`."""

from __future__ import annotations

import html
import io
import json
import os
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Graph, Literal
from rdflib.namespace import RDFS

from bcto.cli import main
from bcto.graph.commands import EXIT_NO_RELEASE, EXIT_NOT_FOUND, EXIT_OK
from bcto.graph.explain import UnknownTerm, describe, resolve, routes
from bcto.graph.extract import asserted_data, graph_data, with_inferred
from bcto.graph.files import graph_files
from bcto.graph.model import SUBCLASS
from bcto.graph.page import json_for_script, page_data
from bcto.graph.summary import summary
from bcto.ontology.compile import edges
from bcto.ontology.model import Passage
from bcto.ontology.vocabulary import BCTO
from tests.conftest import REPO, Release


def _copy(graph: Graph) -> Graph:
    copy = Graph()
    copy += graph
    return copy


@pytest.fixture(scope="module")
def data(minimal_release: Release):
    return graph_data(minimal_release.owl, minimal_release.kg, minimal_release.inferred, minimal_release.curation.families)


def test_every_class_but_the_top_ones_is_a_node_in_its_family(data, minimal_release: Release) -> None:
    assert len(data.terms) == len(minimal_release.curation.terms) + len(minimal_release.curation.criteria) + len(
        minimal_release.curation.steps
    )
    assert data.terms["Amputation"].family == "Procedure"
    assert data.terms["LimbSparingNeedsGoodResponse"].family == "DecisionCriterion"
    assert data.terms["AmputationPathwayStep1"].family == "PathwayStep"
    assert "MedicalCondition" not in data.terms


def test_one_link_per_knowledge_graph_edge_with_qualifiers_and_sources(data, minimal_release: Release) -> None:
    stated = [link for link in data.links if link.predicate != SUBCLASS]
    assert len(stated) == len(minimal_release.kg)
    link = next(k for k in stated if (k.subject, k.predicate) == ("PrimaryTumourSurgery", "canBeFollowedBy"))
    assert link.qualifiers.conflict == "LungSurgeryTimingConflict"
    assert "chemotherapy has finished" in link.qualifiers.context
    assert [(data.documents[c.source], c.section) for c in link.sources] == [
        ("Surgery for bone cancer that has spread", "Surgery for bone cancer that has spread")
    ]
    together = next(k for k in stated if k.predicate == "canBeDoneTogetherWith")
    assert together.qualifiers.frequency == "often"


def test_each_link_carries_its_curated_qualifiers_and_citations_read_back_from_the_release(release: Release) -> None:
    """Every export formats these links, so the read-back must lose nothing the tables said (passages come in
    document and position order, as RDF keeps none)."""
    links = {(k.subject, k.predicate, k.object): k for k in asserted_data(release.owl, release.kg).links}
    for edge, citations, q in edges(release.curation):
        in_order = tuple(sorted(q.passages, key=lambda p: (p.source, p.start, p.end)))
        assert links[edge].qualifiers == q._replace(passages=in_order), edge
        assert sorted(links[edge].sources, key=str) == sorted(set(citations), key=str), edge
    assert any(len(q.passages) > 1 and q.comment for _, _, q in edges(release.curation)), "the check reaches every field"


def test_term_carries_names_definition_and_sources(data) -> None:
    term = data.terms["LimbSparingSurgery"]
    assert term.synonyms == ("limb-salvage surgery",) and term.lay_terms == ("limb salvage",)
    assert term.definition.startswith("An operation")
    assert ("Surgery for bone cancer", "Limb-sparing surgery") in [(data.documents[c.source], c.section) for c in term.sources]


def test_only_reasoner_is_a_links_are_marked_inferred(minimal_release: Release) -> None:
    owl, inferred = _copy(minimal_release.owl), _copy(minimal_release.inferred)
    owl.add((BCTO.LimbSparingSurgery, RDFS.subClassOf, BCTO.PrimaryTumourSurgery))
    inferred.add((BCTO.LimbSparingSurgery, RDFS.subClassOf, BCTO.PrimaryTumourSurgery))
    inferred.add((BCTO.LimbSparingSurgery, RDFS.subClassOf, BCTO.Amputation))  # pretend HermiT found it
    links = {
        (k.subject, k.object): k
        for k in graph_data(owl, minimal_release.kg, inferred, minimal_release.curation.families).links
        if k.predicate == SUBCLASS
    }
    assert not links["LimbSparingSurgery", "PrimaryTumourSurgery"].inferred
    assert links["LimbSparingSurgery", "Amputation"].inferred
    styles = {
        p["id"]: p
        for p in page_data(graph_data(owl, minimal_release.kg, inferred, minimal_release.curation.families))["predicates"]
    }
    assert styles["inferred"]["dashes"] and not styles[SUBCLASS]["dashes"]


def test_graph_files_are_deterministic_across_hash_seeds(minimal_release: Release) -> None:
    files = graph_files(
        graph_data(minimal_release.owl, minimal_release.kg, minimal_release.inferred, minimal_release.curation.families)
    )
    assert sorted(files) == ["bcto.gexf", "bcto.graphml", "bcto.html"]
    script = (
        "import sys, hashlib; from pathlib import Path; from rdflib import Graph; from bcto.graph.files import graph_files; "
        "from bcto.graph.extract import graph_data; "
        "o = Path(sys.argv[1]); f = graph_files(graph_data(*(Graph().parse(o / n) for n in "
        "('bcto.ttl', 'bcto-kg.ttl', 'bcto-inferred.ttl')))); "
        "print(' '.join(hashlib.sha256(f[k]).hexdigest() for k in sorted(f)))"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", script, str(minimal_release.output)],
            cwd=REPO,
            check=True,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    }
    assert len(digests) == 1


def test_exports_load_in_networkx_with_every_node_and_edge(data, minimal_release: Release) -> None:
    files = graph_files(
        graph_data(minimal_release.owl, minimal_release.kg, minimal_release.inferred, minimal_release.curation.families)
    )
    for name, reader in (("bcto.graphml", nx.read_graphml), ("bcto.gexf", nx.read_gexf)):
        g = reader(io.BytesIO(files[name]))
        assert g.number_of_nodes() == len(data.terms), name
        assert g.number_of_edges() == len(data.links), name
    assert b'lastmodifieddate="2026-' in files["bcto.gexf"]


def test_exports_carry_every_attribute_and_valid_key_ids(minimal_release: Release) -> None:
    """What Cytoscape and Gephi users get: each term's and link's columns, with types, under unique XML ids."""
    inferred_graph = _copy(minimal_release.inferred)
    inferred_graph.add((BCTO.LimbSparingSurgery, RDFS.subClassOf, BCTO.Amputation))  # pretend HermiT found it
    data = graph_data(minimal_release.owl, minimal_release.kg, inferred_graph, minimal_release.curation.families)
    files = graph_files(data)
    key_ids = re.findall(r'<key id="([^"]+)"', files["bcto.graphml"].decode())
    assert len(key_ids) == len(set(key_ids))  # GraphML key ids are XML ids: a node and an edge key cannot share one
    term = data.terms["LimbSparingSurgery"]
    link = next(k for k in data.links if k.predicate == "canBeDoneTogetherWith")
    inferred = next(k for k in data.links if k.inferred)
    for name, reader in (("bcto.graphml", nx.read_graphml), ("bcto.gexf", nx.read_gexf)):
        g = reader(io.BytesIO(files[name]))
        node = g.nodes[term.id]
        assert (node["label"], node["family"], node["definition"]) == (term.label, term.family, term.definition), name
        assert node["sources"] == "; ".join(f"{data.documents[c.source]} — {c.section}" for c in term.sources), name
        assert (node["synonyms"], node["lay_terms"]) == ("limb-salvage surgery", "limb salvage"), name
        assert node["mappings"] == "|".join(m.target for m in term.mappings), name
        edges = {attrs.get("id", key): attrs for _, _, key, attrs in g.edges(keys=True, data=True)}
        assert edges[link.key]["frequency"] == link.qualifiers.frequency == "often", name
        assert edges[link.key]["predicate"] == "canBeDoneTogetherWith", name
        assert edges[link.key]["inferred"] is False and edges[inferred.key]["inferred"] is True, name
        assert edges[link.key]["sources"] == "; ".join(f"{data.documents[c.source]} — {c.section}" for c in link.sources), name


def test_page_is_self_contained_and_says_it_is_not_advice(minimal_release: Release) -> None:
    page = graph_files(
        graph_data(minimal_release.owl, minimal_release.kg, minimal_release.inferred, minimal_release.curation.families)
    )["bcto.html"].decode("utf-8")
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", page)
    csp = html.unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1))
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["default-src"] == "'none'" and directives["connect-src"] == "'none'"
    assert all(source.startswith("'sha256-") for source in directives["script-src"].split())  # no inline handlers
    assert "not medical advice" in page
    assert "sourceMappingURL" not in page


def test_embedded_json_cannot_break_out_of_its_script_element() -> None:
    nasty = {"label": "</script><script>alert(1)</script><!-- <img src=x onerror=alert(2)> & \u2028"}
    text = json_for_script(nasty)
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == nasty


def test_names_resolve_by_id_label_synonym_and_lay_term(data) -> None:
    assert resolve(data, "LimbSparingSurgery") == "LimbSparingSurgery"
    assert resolve(data, "Limb-Sparing Surgery") == "LimbSparingSurgery"
    assert resolve(data, "limb-salvage surgery") == "LimbSparingSurgery"
    assert resolve(data, "limb salvage") == "LimbSparingSurgery"
    with pytest.raises(UnknownTerm, match="did you mean"):
        resolve(data, "amputaton")


def test_path_tells_each_step_with_its_source(data) -> None:
    found = routes(data, "Osteosarcoma", "PhantomLimbPain")
    assert [[(s.start, s.end) for s in r] for r in found] == [[("Osteosarcoma", "Amputation"), ("Amputation", "PhantomLimbPain")]]
    text = describe(data, "Osteosarcoma", "PhantomLimbPain", found)
    assert "osteosarcoma — has treatment option → amputation" in text
    assert "source: Surgery for bone cancer — Side effects" in text


def test_bcto_path_and_stats_commands(minimal_release: Release, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = str(minimal_release.output)
    assert main(["path", "osteosarcoma", "phantom limb pain", "--output", out]) == EXIT_OK
    assert "Surgery for bone cancer — Amputation" in capsys.readouterr().out
    assert main(["path", "osteosarcoma", "no such thing", "--output", out]) == EXIT_NOT_FOUND
    assert "no term is called 'no such thing'" in capsys.readouterr().err
    assert main(["stats", "--output", out]) == EXIT_OK
    assert "Most central terms" in capsys.readouterr().out
    assert main(["stats", "--output", str(tmp_path / "nowhere")]) == EXIT_NO_RELEASE
    assert "python build.py" in capsys.readouterr().err


def test_stats_counts_match_the_data(data) -> None:
    text = summary(data)
    assert f"{len(data.terms)} terms;" in text
    assert "procedure" in text


def test_planted_markup_reaches_the_page_only_as_json(minimal_release: Release) -> None:
    owl = _copy(minimal_release.owl)
    owl.remove((BCTO.Amputation, RDFS.label, None))
    owl.add((BCTO.Amputation, RDFS.label, Literal("<img src=x onerror=alert(1)></script>")))
    page = graph_files(graph_data(owl, minimal_release.kg, minimal_release.inferred, minimal_release.curation.families))[
        "bcto.html"
    ].decode("utf-8")
    assert "<img src=x" not in page and "\\u003cimg src=x onerror=alert(1)\\u003e\\u003c/script\\u003e" in page


def test_reasoner_can_move_a_term_into_a_more_specific_family(minimal_release: Release) -> None:
    """Families come from the told and the entailed hierarchy together, so the layout's early, told-only
    picture is corrected once HermiT answers."""
    told = asserted_data(minimal_release.owl, minimal_release.kg, minimal_release.curation.families)
    assert told.terms["Amputation"].family == "Procedure"
    inferred = _copy(minimal_release.inferred)
    inferred.add((BCTO.Amputation, RDFS.subClassOf, BCTO.ReconstructionTechnique))  # pretend HermiT found it
    assert with_inferred(told, inferred).terms["Amputation"].family == "ReconstructionTechnique"
    assert with_inferred(told, minimal_release.inferred) == graph_data(
        minimal_release.owl, minimal_release.kg, minimal_release.inferred, minimal_release.curation.families
    )


def test_exports_escape_markup_and_replace_characters_xml_cannot_carry(data) -> None:
    nasty = 'a <b> & "c"\tnew\nline \x01 end'
    term = next(iter(data.terms.values()))
    edited = replace(data, terms={**data.terms, term.id: term._replace(label=nasty, definition=nasty)})
    for name, reader in (("bcto.graphml", nx.read_graphml), ("bcto.gexf", nx.read_gexf)):
        g = reader(io.BytesIO(graph_files(edited)[name]))
        assert g.nodes[term.id]["definition"] == nasty.replace("\x01", "\ufffd"), name


def test_link_groups_are_few_and_each_drawn_its_own_way(data) -> None:
    predicates = page_data(data)["predicates"]
    groups = {p["group"] for p in predicates}
    assert len(groups) <= 8 < len(predicates)
    looks = {(g["color"], json.dumps(g["dashes"])) for g in page_data(data)["groups"]}
    assert len(looks) == len(page_data(data)["groups"])  # colour and dash pattern differ for every group
    for group in page_data(data)["groups"]:
        assert group["dashes"] is False or min(group["dashes"]) >= 1  # dashes long enough to see
        assert group["width"] >= 1.5


def test_criteria_carry_their_direction_and_strength_in_words(data) -> None:
    """A criterion's edges carry the direction and the source's strength word the content states for it."""
    page = page_data(data)
    directions = page["directions"]
    assert set(directions) == {"for", "against", "considered"}
    assert len({d["color"] for d in directions.values()}) == 3 and len({d["icon"] for d in directions.values()}) == 3
    criteria = [e for e in page["edges"] if e["predicate"] == "isCriterionFor"]
    assert criteria and all(e["direction"] in directions and e["strength"] for e in criteria)
    assert not any("direction" in e for e in page["edges"] if e["predicate"] == "hasPossibleSideEffect")


def test_page_carries_new_content_fields_only_when_present(data) -> None:
    bare = replace(
        data,
        links=[
            k._replace(qualifiers=k.qualifiers._replace(passages=()), direction="", strength="", optional=False)
            for k in data.links
        ],
    )
    plain = page_data(bare)["edges"]
    assert not any({"passage", "direction", "strength", "optional"} & set(e) for e in plain)
    marked = replace(
        data,
        links=[
            k._replace(
                qualifiers=k.qualifiers._replace(passages=(Passage("doc", 1, 9, "00", "section X", 2),)),
                strength="may",
                direction="against",
                optional=True,
            )
            if k.predicate == "isStepOf"
            else k
            for k in data.links
        ],
    )
    edges = [e for e in page_data(marked)["edges"] if e["predicate"] == "isStepOf"]
    assert edges and all(
        (e["passage"], e["strength"], e["direction"], e["optional"]) == ("section X, sentence 2", "may", "against", True)
        for e in edges
    )


def test_page_numbers_citations_once_and_omits_empty_fields(data) -> None:
    page = page_data(data)
    citations = page["citations"]
    assert len(citations) == len({tuple(c) for c in citations})
    link = next(k for k in data.links if k.sources)
    edge = page["edges"][data.links.index(link)]
    assert [citations[i] for i in edge["sources"]] == [[data.documents[c.source], c.section] for c in link.sources]
    bare = next(e for e, k in zip(page["edges"], data.links) if not k.qualifiers.context)
    assert "context" not in bare


def test_graph_without_the_tumour_presets_opens_on_its_most_connected_terms(data) -> None:
    renamed = replace(data, terms={k: t._replace(label=f"{t.label} copy", synonyms=()) for k, t in data.terms.items()})
    page = page_data(renamed)
    assert page["presets"] == [] and page["overview"]["columns"] == []
    degree = {tid: sum(1 for k in data.links if not k.inferred and tid in (k.subject, k.object)) for tid in data.terms}
    shown = set(page["overview"]["positions"])
    assert len(shown) == min(len(data.terms), 40)
    assert min(degree[t] for t in shown) >= max((degree[t] for t in set(data.terms) - shown), default=0)
    assert page["overview"]["caption"].startswith(f"the {len(shown)} most connected")
