"""Virtuoso (Debian's virtuoso-opensource 7.2) run exactly as the README's "Use BCTO in your knowledge base" says.

The README is the one place for the Virtuoso recipe: its `ini` block (the settings to change in a copy of the
packaged virtuoso.ini) and its `sql` block (the bulk load) are read from it and run here with the placeholders
`/srv/bcto` (the database folder), `/path/to/output` (the release) and ports 1111 / 8890 replaced by a
temporary folder and free loopback ports. So the README cannot drift from what the tests and the benchmark do.
Shared by tests/test_virtuoso.py and benchmarks/virtuoso_bench.py.
"""

from __future__ import annotations

import json
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
PACKAGED_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
SERVER = shutil.which("virtuoso-t")
ISQL = shutil.which("isql-vt")
DB_PLACEHOLDER = "/srv/bcto"
RELEASE_PLACEHOLDER = "/path/to/output"
SQL_PORT, HTTP_PORT = "127.0.0.1:1111", "127.0.0.1:8890"
XSD = "http://www.w3.org/2001/XMLSchema#"
# Numeric datatypes compare by value (Virtuoso writes 1.0 for the double Oxigraph writes 1, and 15 digits of a
# decimal quotient where Oxigraph writes 18), rounded to 12 significant digits.
NUMERIC = {XSD + t for t in ("integer", "int", "long", "short", "byte", "decimal", "double", "float", "nonNegativeInteger")}
DIFFERENCE_MARK = "Virtuoso differs:"  # in a query's `#+ description:`: a documented difference, tested as such


def missing() -> str | None:
    """Why Virtuoso cannot run here, or None."""
    if SERVER is None or ISQL is None or not PACKAGED_INI.is_file():
        return "Virtuoso is not installed (apt-get install virtuoso-opensource; .ci/run does this)"
    return None


# --- the README's recipe -------------------------------------------------------------------------------


def section() -> str:
    """From the README's **Virtuoso** to the next bold paragraph or heading."""
    text = README.read_text(encoding="utf-8")
    start = text.index("**Virtuoso**")
    ends = [i for i in (text.find("\n**", start + 1), text.find("\n#", start + 1)) if i > 0]
    return text[start : min(ends, default=len(text))]


def readme_blocks(language: str) -> list[str]:
    """The ```language fenced blocks of the README's Virtuoso part, in order."""
    found = re.findall(rf"```{language}\n(.*?)```", section(), re.S)
    if not found:
        raise AssertionError(f"README.md: the Virtuoso part has no ```{language} block; the tests run it, so add it back")
    return found


def readme_block(language: str) -> str:
    return readme_blocks(language)[0]


def readme_graph() -> str:
    """The named graph the README loads the release into (the third argument of its ld_dir calls)."""
    graphs = set(re.findall(r"ld_dir\('[^']*',\s*'[^']*',\s*'([^']+)'\)", readme_block("sql")))
    if len(graphs) != 1:
        raise AssertionError(f"README.md: the Virtuoso ld_dir calls should load into one graph, found {sorted(graphs)}")
    return graphs.pop()


def settings(ini_block: str) -> dict[tuple[str, str], str]:
    """(section, key) -> value, from an ini fragment."""
    out: dict[tuple[str, str], str] = {}
    section = ""
    for raw in ini_block.splitlines():
        line = raw.strip()
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
        elif "=" in line and not line.startswith(";"):
            key, _, value = line.partition("=")
            out[(section, key.strip())] = value.strip()
    return out


def configured(packaged: str, changes: dict[tuple[str, str], str]) -> str:
    """The packaged virtuoso.ini with each (section, key) set to its new value; every other line kept."""
    lines, section, done = [], "", set()
    for original in packaged.splitlines():
        line, stripped = original, original.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            section = stripped[1:-1]
        key = stripped.partition("=")[0].strip()
        if "=" in stripped and not stripped.startswith(";") and (section, key) in changes:
            line = f"{key} = {changes[(section, key)]}"
            done.add((section, key))
        lines.append(line)
    absent = sorted(set(changes) - done)
    if absent:
        raise AssertionError(f"README.md: settings {absent} are not in the packaged virtuoso.ini; name existing ones")
    return "\n".join(lines) + "\n"


def _placed(text: str, folder: Path, release: Path, sql_port: int, http_port: int) -> str:
    return (
        text.replace(DB_PLACEHOLDER, str(folder))
        .replace(RELEASE_PLACEHOLDER, str(release))
        .replace(SQL_PORT, f"127.0.0.1:{sql_port}")
        .replace(HTTP_PORT, f"127.0.0.1:{http_port}")
    )


# --- a running server -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Virtuoso:
    folder: Path
    sql_port: int
    http_port: int
    graph: str
    pid: int

    @property
    def sparql(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql"

    def isql(self, sql: str, timeout: float = 1800) -> str:
        """Run SQL statements through isql-vt as the README does (a file argument); fail on any error."""
        script = self.folder / "statements.sql"
        script.write_text(sql, encoding="utf-8")
        done = subprocess.run(
            [str(ISQL), f"127.0.0.1:{self.sql_port}", "dba", "dba", str(script)],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
            raise RuntimeError(f"isql-vt failed (exit {done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
        return done.stdout


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def post(url: str, fields: list[tuple[str, str]], accept: str, timeout: float) -> bytes:
    request = urllib.request.Request(url, data=urllib.parse.urlencode(fields).encode(), headers={"Accept": accept})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: never through a proxy
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.read()
    except urllib.error.HTTPError as err:
        raise RuntimeError(f"Virtuoso answered HTTP {err.code}: {err.read(2000).decode('utf-8', 'replace')}") from None


@contextmanager
def running(folder: Path, release: Path, startup_timeout: float = 300) -> Iterator[Virtuoso]:
    """A new Virtuoso database in `folder`, configured as the README says, bound to loopback on free ports;
    stopped by its pid afterwards, whatever happens."""
    folder.mkdir(parents=True, exist_ok=True)
    sql_port = http_port = _free_port()
    while http_port == sql_port:
        http_port = _free_port()
    changes = settings(_placed(readme_block("ini"), folder, release, sql_port, http_port))
    ini = folder / "virtuoso.ini"
    ini.write_text(configured(PACKAGED_INI.read_text(encoding="utf-8"), changes), encoding="utf-8")
    log = (folder / "server.out").open("wb")
    process = subprocess.Popen(
        [str(SERVER), "+foreground", "+configfile", str(ini)],
        cwd=folder,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # a Ctrl-C reaches pytest, whose teardown stops the server
    )
    server = Virtuoso(folder, sql_port, http_port, readme_graph(), process.pid)
    try:
        deadline = time.monotonic() + startup_timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"virtuoso-t exited with {process.returncode}; see {folder / 'server.out'}")
            try:
                post(server.sparql, [("query", "ASK {}")], "application/sparql-results+json", 5)
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"no answer within {startup_timeout} s; see {folder / 'server.out'}") from None
                time.sleep(0.25)
        yield server
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)  # virtuoso-t checkpoints and exits on TERM
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        log.close()


def load_release(server: Virtuoso, release: Path) -> str:
    """Run the README's sql block on the release folder; isql's output (its last statement lists load errors)."""
    return server.isql(_placed(readme_block("sql"), server.folder, release, server.sql_port, server.http_port))


# --- answers, normalised ------------------------------------------------------------------------------

Cell = str
Row = tuple[Cell, ...]


def _literal(value: str, datatype: str | None, language: str | None) -> Cell:
    if language:
        return f'"{value}"@{language.lower()}'
    if datatype is None or datatype == XSD + "string":
        return f'"{value}"'
    if datatype in NUMERIC:
        try:
            return f"{float(value):.12g}"
        except ValueError:
            pass
    return f'"{value}"^^<{datatype}>'


def from_json(binding: dict[str, str] | None) -> Cell:
    """One SPARQL JSON result cell (Virtuoso's 'typed-literal' included), normalised."""
    if binding is None:
        return ""
    kind = binding["type"]
    if kind == "uri":
        return f"<{binding['value']}>"
    if kind == "bnode":
        return "_:"  # blank node labels are the store's own; only their presence compares
    return _literal(binding["value"], binding.get("datatype"), binding.get("xml:lang"))


def from_oxigraph(term: object) -> Cell:
    """One embedded-engine cell, normalised the same way."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return f"<{term.value}>"
    if isinstance(term, ox.BlankNode):
        return "_:"
    assert isinstance(term, ox.Literal)
    return _literal(term.value, term.datatype.value, term.language)


@dataclass(frozen=True)
class Answer:
    variables: tuple[str, ...]
    rows: tuple[Row, ...]  # sorted: the order a query gives is not compared (ties would make it arbitrary)


def answer_from_json(body: bytes) -> Answer | bool:
    results = json.loads(body)
    if "boolean" in results:
        return bool(results["boolean"])
    variables = tuple(results["head"]["vars"])
    rows = [tuple(from_json(b.get(v)) for v in variables) for b in results["results"]["bindings"]]
    return Answer(variables, tuple(sorted(rows)))


def answer_from_oxigraph(result: ox.QuerySolutions | ox.QueryBoolean) -> Answer | bool:
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    variables = tuple(v.value for v in result.variables)
    rows = [tuple(from_oxigraph(s[v]) for v in variables) for s in result]
    return Answer(variables, tuple(sorted(rows)))


def ask(server: Virtuoso, query: str, timeout: float = 120) -> Answer | bool:
    """A query over the SPARQL 1.1 protocol, with the README's graph as the default graph."""
    fields = [("query", query), ("default-graph-uri", server.graph)]
    return answer_from_json(post(server.sparql, fields, "application/sparql-results+json", timeout))
