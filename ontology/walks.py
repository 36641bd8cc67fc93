

def too_deep(parents: Mapping[str, Sequence[str]], limit: int) -> Iterator[str]:
    """The terms exactly limit + 1 levels down (a term under its family's top class is level 1): where a
    too-deep hierarchy first crosses the limit. Call it on a hierarchy without cycles."""
    level: dict[str, int] = {}
    for start in sorted(parents):
        stack = [start]
        while stack:
            node = stack[-1]
            if node in level:
                stack.pop()
                continue
            pending = [p for p in parents[node] if p in parents and p not in level]
            if pending:
                stack.extend(pending)
                continue
            stack.pop()
            level[node] = 1 + max((level[p] for p in parents[node] if p in parents), default=0)
            if level[node] == limit + 1:
                yield node
