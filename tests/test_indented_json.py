"""indented_json writes exactly what json.dumps(indent=..., ensure_ascii=False) writes."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

from bcto.graph.indented_json import indented_json

TEXTS = ["", "a", 'quote " and \\ backslash', "tab\tnew\nline", "\x00\x1f\x7f", "é ü — ‘’ 𝄞", "\u2028\ud800"]


def _value(rng: random.Random, depth: int) -> Any:
    kind = rng.randrange(9 if depth < 4 else 6)
    if kind == 0:
        return rng.choice(TEXTS)
    if kind == 1:
        return rng.randrange(-(10**20), 10**20)
    if kind == 2:
        return rng.choice([0.0, -1.5, 1e300, 3.14159, float("inf"), float("nan")])
    if kind == 3:
        return rng.choice([True, False, None])
    if kind in (4, 5):
        return rng.choice(TEXTS) + str(kind)
    if kind in (6, 7):
        return {rng.choice(TEXTS) + str(i): _value(rng, depth + 1) for i in range(rng.randrange(4))}
    return [_value(rng, depth + 1) for _ in range(rng.randrange(4))]


@pytest.mark.parametrize("indent", [1, 2, 4])
def test_the_same_text_as_json_dumps(indent: int) -> None:
    rng = random.Random(indent)
    for _ in range(2000):
        value = _value(rng, 0)
        assert indented_json(value, indent) == json.dumps(value, indent=indent, ensure_ascii=False)


def test_tuples_are_lists_and_other_types_are_refused_as_json_dumps_does() -> None:
    assert indented_json({"a": (1, [])}) == json.dumps({"a": (1, [])}, indent=1)
    with pytest.raises(TypeError):
        indented_json({"a": {1, 2}})
