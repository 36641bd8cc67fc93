"""Read a SPARQL text before any engine sees it: its form, its prefixes, and whether it may run here.

A lexical pass (comments, strings and IRIs skipped) is enough to decide what the grammar decides by its
first keyword — query or update — and to find SERVICE and FROM, which would make the engine fetch remote
data. It also catches what would hurt the engine itself: pyoxigraph's recursive parser overflows the
stack on a few thousand nested brackets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

QUERY_FORMS = frozenset({"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"})
UPDATE_FORMS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"})
MAX_DEPTH = 200  # pyoxigraph parses 1,000 nested groups and crashes on 10,000; real queries nest < 20

_TOKEN = re.compile(
    r"""
      (?P<space>\s+)
    | (?P<comment>\#[^\n]*)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$]\w+)
    | (?P<bnode>_:[\w.-]*)
    | (?P<pname>(?:[^\W\d_][\w.-]*)?:(?:[\w:%\\-]|\.(?=[\w:%\\-]))*)
    | (?P<word>[^\W\d]\w*)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_OPEN, _CLOSE = "{([", "})]"


@dataclass(frozen=True)
class Token:
    kind: str
    value: str
    offset: int


@dataclass(frozen=True)
class Refusal:
    """Why a text may not run here: an HTTP status for the endpoint and a sentence for people."""

    status: int
    message: str


@dataclass
class Analysis:
    form: str  # SELECT, CONSTRUCT, DESCRIBE, ASK, an update keyword, or "" when the text starts with neither
    declared: dict[str, str] = field(default_factory=dict)
    used: list[tuple[str, int]] = field(default_factory=list)  # (prefix, offset) of each prefixed name
    services: list[int] = field(default_factory=list)  # offsets of SERVICE keywords
    datasets: list[str] = field(default_factory=list)  # IRIs named by FROM / FROM NAMED
    depth: int = 0

    @property
    def is_update(self) -> bool:
        return self.form in UPDATE_FORMS

    @property
    def is_graph(self) -> bool:
        return self.form in {"CONSTRUCT", "DESCRIBE"}


def tokens(text: str) -> list[Token]:
    """The significant tokens of a SPARQL text (whitespace and comments dropped)."""
    return [
        Token(m.lastgroup or "other", m.group(), m.start())
        for m in _TOKEN.finditer(text)
        if m.lastgroup not in {"space", "comment"}
    ]


def analyse(text: str) -> Analysis:
    toks = tokens(text)
    found = Analysis(form="")
    i = 0
    while i < len(toks) and toks[i].kind == "word" and toks[i].value.upper() in {"PREFIX", "BASE"}:
        if toks[i].value.upper() == "PREFIX" and i + 2 < len(toks) and toks[i + 1].kind == "pname" and toks[i + 2].kind == "iri":
            found.declared[toks[i + 1].value.split(":", 1)[0]] = toks[i + 2].value[1:-1]
            i += 3
        else:
            i += 2
    if i < len(toks) and toks[i].kind == "word":
        found.form = toks[i].value.upper()
    depth = 0
    for j, tok in enumerate(toks):
        if tok.kind == "other" and tok.value in _OPEN:
            depth += 1
            found.depth = max(found.depth, depth)
        elif tok.kind == "other" and tok.value in _CLOSE:
            depth -= 1
        elif tok.kind == "pname" and j >= i:
            found.used.append((tok.value.split(":", 1)[0], tok.offset))
        elif tok.kind == "word" and tok.value.upper() == "SERVICE":
            found.services.append(tok.offset)
        elif tok.kind == "word" and tok.value.upper() == "FROM":
            k = j + 2 if j + 1 < len(toks) and toks[j + 1].value.upper() == "NAMED" else j + 1
            if k < len(toks):
                found.datasets.append(toks[k].value)
    return found


def position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def refusal(text: str, prefixes: dict[str, str], allow_federation: bool = False) -> Refusal | None:
    """Why this text may not run on the read-only, local-only endpoint, or None if it may."""
    found = analyse(text)
    if found.depth > MAX_DEPTH:
        return Refusal(400, f"the query nests brackets {found.depth} deep; at most {MAX_DEPTH} are accepted")
    if found.is_update:
        return Refusal(
            403,
            f"SPARQL Update ({found.form}) is refused: BCTO's query tools are read-only. "
            "Load the release files into your own store to change them.",
        )
    for prefix, offset in found.used:
        if prefix not in found.declared and prefix not in prefixes:
            line, column = position(text, offset)
            return Refusal(
                400,
                f"line {line}, column {column}: unknown prefix '{prefix}:'; "
                f"declare it, e.g. PREFIX {prefix}: <http://example.org/{prefix}/>",
            )
    if not allow_federation and found.services:
        line, column = position(text, found.services[0])
        return Refusal(
            403,
            f"line {line}, column {column}: SERVICE is refused: this endpoint sends no request "
            "off the machine (start it with --allow-federation to permit federated queries)",
        )
    if not allow_federation and found.datasets:
        return Refusal(
            403,
            f"FROM {found.datasets[0]} is refused: the endpoint answers from its own default graph "
            "and fetches no other dataset (start it with --allow-federation to permit it)",
        )
    return None


def with_prefixes(text: str, prefixes: dict[str, str]) -> tuple[str, int]:
    """The text with PREFIX declarations for the standard prefixes it does not declare itself, and how many
    characters were added. The declarations go on the text's first line, so line numbers do not change."""
    declared = analyse(text).declared
    head = "".join(f"PREFIX {p}: <{iri}> " for p, iri in prefixes.items() if p not in declared)
    return head + text, len(head)
