"""Walking a hierarchy: the one ancestor closure every module uses (a loop, never recursion, so any depth works)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def ancestors(parents: Mapping[str, Iterable[str]], node: str) -> set[str]:
    """Every node reachable from `node` by parent links, not counting `node` itself unless a cycle returns to it."""
    seen: set[str] = set()
    todo = list(parents.get(node, ()))
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo.extend(parents.get(current, ()))
    return seen
