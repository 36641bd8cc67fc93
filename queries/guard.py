"""Decide whether a SPARQL text may run here, by parsing it with a real SPARQL 1.1 parser (rdflib's).

The engine (Oxigraph) would send an HTTP request for SERVICE, and a text read one way by a checker and
another way by the engine is a hole: so the decision is made on rdflib's parse tree and algebra, and a
text rdflib cannot parse is refused rather than guessed at. Parsing costs time linear in the text, but
a hostile text can still cost seconds: callers run this inside a query worker, under the query timeout,
never in the server. Nesting is bounded by the parser's own recursion budget (Oxigraph's recursive parser
overflows its stack on deep nesting, and so would rdflib's without a budget).
"""

from __future__ import annotations

import logging
import re
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pyoxigraph as ox
from pyparsing import ParseBaseException, ParseResults
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import Query, UpdateUnit, expandUnicodeEscapes
from rdflib.plugins.sparql.parserutils import CompValue

from bcto.ontology.problems import line_column

MAX_DEPTH = 200  # brackets; the parser's budget below admits about 220 nested groups or 160 nested parentheses
PARSE_FRAMES = 6000  # Python frames for one parse: rdflib uses ~26 per nested group, ~37 per nested parenthesis
PARSE_STACK = 32 * 1024 * 1024  # the parse thread's C stack, so that the frame budget is the only limit
ORACLE_OPENERS = 1000  # Oxigraph's parser is asked for its (better) syntax message only below this many brackets
FORMS = {"SelectQuery": "SELECT", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE", "AskQuery": "ASK"}
UPDATES = {
    "Load": "LOAD",
    "Clear": "CLEAR",
    "Drop": "DROP",
    "Create": "CREATE",
    "Add": "ADD",
    "Move": "MOVE",
    "Copy": "COPY",
    "InsertData": "INSERT",
    "DeleteData": "DELETE",
    "DeleteWhere": "DELETE",
    "Modify": "DELETE/INSERT",
}
logging.getLogger("rdflib.term").setLevel(logging.ERROR)  # "does not look like a valid URI": the parse decides


@dataclass(frozen=True)
class Refusal:
    """Why a text may not run here: an HTTP status for the endpoint and a sentence for people."""

    status: int
    message: str


@dataclass(frozen=True)
class ParsedQuery:
    """What the parser found in a text that may run."""

    form: str  # SELECT, CONSTRUCT, DESCRIBE or ASK
    text: str  # the text as read, \u escapes expanded: what the engine must be given, so both read the same
    declared: frozenset[str]  # prefixes the text declares itself

    @property
    def is_graph(self) -> bool:
        return self.form in {"CONSTRUCT", "DESCRIBE"}


def _bounded(read: Callable[[], ParsedQuery | Refusal], too_deep: Refusal) -> ParsedQuery | Refusal:
    """Run a parse in a fresh thread with a fixed frame budget; `too_deep` when the text nests beyond it."""
    box: list[object] = []

    def target() -> None:
        try:
            box.append(read())
        except RecursionError:
            box.append(too_deep)
        except BaseException as err:  # handed back to the calling thread
            box.append(err)

    old_limit, old_stack = sys.getrecursionlimit(), threading.stack_size()
    sys.setrecursionlimit(max(old_limit, PARSE_FRAMES))
    threading.stack_size(PARSE_STACK)
    try:
        thread = threading.Thread(target=target, name="bcto-sparql-guard")
        thread.start()
    finally:
        threading.stack_size(old_stack)
    thread.join()
    sys.setrecursionlimit(old_limit)
    if isinstance(box[0], BaseException):
        raise box[0]
    result = box[0]
    assert isinstance(result, ParsedQuery | Refusal)
    return result


def _nodes(tree: object) -> Iterator[CompValue]:
    """Every CompValue in a parse tree or algebra, without recursion (trees can be deep)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            yield node
            stack.extend(node.values())
        elif isinstance(node, list | tuple | ParseResults):
            stack.extend(node)


def syntax_message(text: str, err: SyntaxError) -> str | None:
    """Oxigraph's 'error at L:C: expected …' as a sentence with the line quoted and a caret under the place
    where it stopped reading (at or just after the mistake); None when that place is not in the text."""
    found = re.match(r"error at (\d+):(\d+): (.*)", str(err).splitlines()[0] if str(err) else "")
    lines = text.split("\n")
    if not found or not 0 < int(found[1]) <= len(lines):
        return None
    line, column, what = int(found[1]), int(found[2]), found[3]
    what = what if len(what) <= 160 else what[:157] + "..."
    return f"syntax error at line {line}, column {column}: {what}\n  {lines[line - 1]}\n  {' ' * (column - 1)}^"


def _syntax(text: str, err: ParseBaseException, prefixes: dict[str, str]) -> Refusal:
    """A syntax error at the user's line and column, in Oxigraph's words when its parser can be asked safely.

    Oxigraph is asked about the text followed by a newline and a backtick, which is never valid SPARQL (a
    backtick is outside every token, and the newline ends any comment or short string), so it parses and
    never evaluates; its message is used when it stops inside the user's text."""
    if sum(text.count(c) for c in "{([") <= ORACLE_OPENERS:
        try:
            ox.Store().query(text + "\n`", prefixes=prefixes)
        except SyntaxError as oracle:
            message = syntax_message(text, oracle)
            if message:
                return Refusal(400, message)
    detail = str(err).split("  (at char")[0]
    return Refusal(
        400,
        f"syntax error at line {err.lineno}, column {err.col} or after it ({detail}); the query may be incomplete, "
        "or use syntax that BCTO's checker does not read (it refuses what it cannot read)",
    )


def _unknown_prefix(text: str, message: str) -> Refusal | None:
    found = re.match(r"Unknown namespace prefix : (\S*)", message)
    if not found:
        return None
    prefix = found[1]
    use = re.search(rf"(?<![\w.:\\-]){re.escape(prefix)}:", text)
    where = "line {}, column {}: ".format(*line_column(text, use.start())) if use else ""
    return Refusal(400, f"{where}unknown prefix '{prefix}:'; declare it, e.g. PREFIX {prefix}: <http://example.org/{prefix}/>")


def _update(text: str) -> Refusal | None:
    """The refusal for a text that parses as SPARQL Update, or None when it does not parse as one."""
    try:
        parsed = UpdateUnit.parse_string(text, parse_all=True)[0]
    except ParseBaseException:
        return None
    operations = [op for op in parsed.get("request", []) if isinstance(op, CompValue)]
    if not operations:
        return None
    form = UPDATES.get(operations[0].name, "update")
    return Refusal(
        403,
        f"SPARQL Update ({form}) is refused: BCTO's query tools are read-only. "
        "Load the release files into your own store to change them.",
    )


def check(text: str, prefixes: dict[str, str], allow_federation: bool = False) -> ParsedQuery | Refusal:
    """Parse the text; refuse updates, LOAD, SERVICE and FROM (unless federation is allowed), too-deep
    nesting, unknown prefixes, and anything the parser cannot read. Otherwise say what the text is."""
    too_deep = Refusal(400, f"the query nests brackets too deep; at most about {MAX_DEPTH} levels are accepted")
    return _bounded(lambda: _read(text, prefixes, allow_federation), too_deep)


def bracket_depth(text: str) -> int:
    """The deepest nesting of brackets counted over raw characters, strings and comments included: linear, and
    a fast way to refuse a text that is plainly too deep. It is not the authority (a bracket in a string can
    lower the count as well as raise it): the parser's frame budget is."""
    depth = deepest = 0
    for char in text:
        if char in "{([":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "})]":
            depth -= 1
    return deepest


def _read(text: str, prefixes: dict[str, str], allow_federation: bool) -> ParsedQuery | Refusal:
    if not text.strip():
        return Refusal(400, "the query is empty; send a SELECT, CONSTRUCT, DESCRIBE or ASK query")
    if sum(text.count(c) for c in "{([") > MAX_DEPTH and bracket_depth(text) > MAX_DEPTH:
        raise RecursionError  # refused as too deep, without paying for a parse to the frame budget
    try:
        text = expandUnicodeEscapes(text)  # SPARQL 1.1 reads \u escapes before the grammar; Oxigraph does not
    except ValueError as err:
        return Refusal(400, f"the query cannot be read: {err}")
    try:
        parsed = Query.parse_string(text, parse_all=True)
    except ParseBaseException as err:
        return _update(text) or _syntax(text, err, prefixes)
    try:
        query = translateQuery(parsed, initNs=prefixes)
    except RecursionError:
        raise
    except Exception as err:  # rdflib raises plain Exception for unknown prefixes and unsupported forms
        return _unknown_prefix(text, str(err)) or Refusal(400, f"the query cannot be checked, so it is refused: {err}")
    names = {node.name for tree in (parsed, query.algebra) for node in _nodes(tree)}
    if not allow_federation and "ServiceGraphPattern" in names:
        return Refusal(
            403,
            "SERVICE is refused: BCTO's query tools send no request off the machine "
            "(start with --allow-federation to permit federated queries)",
        )
    if not allow_federation and "DatasetClause" in names:
        return Refusal(
            403,
            "FROM / FROM NAMED is refused: queries are answered from the release's own default graph, and no "
            "other dataset is fetched (start with --allow-federation to permit it)",
        )
    declared = frozenset(str(node.get("prefix") or "") for node in _nodes(parsed[0]) if node.name == "PrefixDecl")
    return ParsedQuery(FORMS.get(parsed[1].name, parsed[1].name), text, declared)


_DECLARED = re.compile(r"(?im)^\s*PREFIX\s+([A-Za-z][\w.-]*|):")


def with_prefixes(text: str, prefixes: dict[str, str], declared: frozenset[str] | None = None) -> tuple[str, int]:
    """The text with PREFIX declarations for the standard prefixes it does not declare itself, and how many
    characters were added. The declarations go on the text's first line, so line numbers do not change.
    `declared` comes from the parsed query; without it (a trusted library text sent to another store) the
    text's PREFIX lines are read directly, and a prefix declared again would only be re-bound to itself."""
    if declared is None:
        declared = frozenset(_DECLARED.findall(text))
    head = "".join(f"PREFIX {p}: <{iri}> " for p, iri in prefixes.items() if p not in declared)
    return head + text, len(head)
