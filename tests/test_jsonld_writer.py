"""bcto.jsonld is written as text (ontology/serialise.py), and must be exactly what json.dumps makes of the same
node objects: the same quoting and escapes, keys in sort_keys order, whatever the literals and IRIs hold."""

from __future__ import annotations

import json
from itertools import groupby
from typing import Any

import pyoxigraph as ox

from bcto.ontology.curies import Curies
from bcto.ontology.serialise import _XSD_STRING, _jsonld_nodes

# Literals with every character class JSON escapes or keeps, language tags, datatypes; predicates whose
# compacted names sort before and after "@id" and around a prefix of each other ("a" < "a!x" < "ab").
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
TRICKY = f"""\
<https://w3id.org/bcto/T> {LABEL} "a \\"q\\" \\\\ back\\nnew\\ttab \\u0001 é 😀 \\u2028"@en-GB .
<https://w3id.org/bcto/T> <http://www.w3.org/2000/01/rdf-schema#label> "plain" .
<https://w3id.org/bcto/T> <http://www.w3.org/2000/01/rdf-schema#label> "<b>&amp;</b>" .
<https://w3id.org/bcto/T> <http://example.org/a!x> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .
<https://w3id.org/bcto/T> <http://example.org/a> _:b1 .
<https://w3id.org/bcto/T> <http://example.org/ab> <https://w3id.org/bcto/U> .
<https://w3id.org/bcto/T> <http://example.org/0> <http://example.org/x> .
<https://w3id.org/bcto/T> <http://example.org/%40id> "y"^^<http://example.org/dt> .
<https://w3id.org/bcto/T> <https://w3id.org/bcto/!> "bang" .
_:b1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/2002/07/owl#Restriction> .
_:b1 <http://www.w3.org/2002/07/owl#onProperty> <https://w3id.org/bcto/p> .
<https://w3id.org/bcto/U> <http://www.w3.org/2000/01/rdf-schema#label> "U"@en .
"""


def _by_json_dumps(triples: list[ox.Triple]) -> list[str]:
    """The writer's specification: each subject's node object, as dicts, through json.dumps."""
    curie = Curies()

    def ref(node: Any) -> str:
        return curie[node.value] if isinstance(node, ox.NamedNode) else f"_:{node.value}"

    def value(node: Any) -> dict[str, str]:
        if not isinstance(node, ox.Literal):
            return {"@id": ref(node)}
        if node.language:
            return {"@language": node.language, "@value": node.value}
        datatype = node.datatype.value
        return {"@value": node.value} if datatype == _XSD_STRING else {"@type": curie[datatype], "@value": node.value}

    nodes = []
    for subject, group in groupby(triples, key=lambda t: t.subject):
        node: dict[str, Any] = {"@id": ref(subject)}
        for triple in group:
            node.setdefault(curie[triple.predicate.value], []).append(value(triple.object))
        nodes.append(json.dumps(node, sort_keys=True, ensure_ascii=False))
    return nodes


def test_nodes_are_json_dumps_byte_for_byte() -> None:
    triples = list(ox.parse(TRICKY.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))
    written = list(_jsonld_nodes(triples))
    assert written == _by_json_dumps(triples)
    first = json.loads(written[0])
    assert list(first) == sorted(first), "keys in sort_keys order"
    assert first["rdfs:label"][0] == {"@language": "en-gb", "@value": 'a "q" \\ back\nnew\ttab \x01 é 😀 \u2028'}
