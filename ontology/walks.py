"""Walks over the parent links of the term tables, as loops: a hierarchy thousands of levels deep must not
overflow Python's stack (a recursive walk did, at about 1,000 levels)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

SHOWN = 12  # terms of a long cycle named in its message


def parent_cycles(parents: Mapping[str, Sequence[str]]) -> Iterator[list[str]]:
    """Every cycle a depth-first walk over the parent links meets (at least one per knot of terms that are
    each other's ancestors), each once, rotated to start at its smallest id. Parents that name no key are
    not followed; the loader reports them separately."""
    seen: set[str] = set()
    for start in sorted(parents):
        if start in seen:
            continue
        seen.add(start)
        path, depth = [start], {start: 0}
        stack = [iter(parents[start])]
        while stack:
            parent = next(stack[-1], None)
            if parent is None:
                stack.pop()
                del depth[path.pop()]
            elif parent in depth:
                cycle = path[depth[parent] :]
                first = cycle.index(min(cycle))
                yield cycle[first:] + cycle[:first]
            elif parent not in seen and parent in parents:
                seen.add(parent)
                depth[parent] = len(path)
                path.append(parent)
                stack.append(iter(parents[parent]))


def describe_cycle(cycle: Sequence[str]) -> str:
    """'A -> B -> A', with the middle of a long cycle left out."""
    names = [*cycle, cycle[0]]
    if len(names) > SHOWN:
        names = [*names[: SHOWN // 2], f"... ({len(cycle) - SHOWN + 1} more) ...", *names[-SHOWN // 2 :]]
    return " -> ".join(names)


def too_deep(parents: Mapping[str, Sequence[str]], limit: int) -> Iterator[str]:
    """The terms exactly limit + 1 levels down (a term right under its family's top class is level 1): where
    a too-deep hierarchy first crosses the limit. A parent link that closes a cycle is not counted."""
    level: dict[str, int] = {}
    for start in sorted(parents):
        if start in level:
            continue
        stack, visiting = [start], {start}
        while stack:
            node = stack[-1]
            pending = [p for p in parents[node] if p in parents and p not in level and p not in visiting]
            if pending:
                stack.append(pending[0])
                visiting.add(pending[0])
                continue
            stack.pop()
            visiting.discard(node)
            level[node] = 1 + max((level[p] for p in parents[node] if p in level), default=0)
            if level[node] == limit + 1:
                yield node
