"""Reasoning with HermiT (through owlready2): consistency, unsatisfiable classes, inferred hierarchy."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from bcto.ontology import hermit
from bcto.ontology.cache_entry import keep
from bcto.ontology.compile import new_graph
from bcto.ontology.hermit import ReasonerUnavailable
from bcto.ontology.serialise import ntriples, rdfxml_ntriples
from bcto.ontology.triples import Triples
from bcto.ontology.vocabulary import BCTO, SOURCE

# Predicates that never change what HermiT concludes (besides every declared owl:AnnotationProperty).
_NON_LOGICAL = {RDFS.label, RDFS.comment, RDFS.seeAlso, RDFS.isDefinedBy, OWL.versionInfo, OWL.versionIRI}
_TYPE = f"<{RDF.type}>"
_ANNOTATION_PROPERTY = f"<{OWL.AnnotationProperty}> ."
_AXIOM = f"<{OWL.Axiom}> ."
_NOTHING = str(OWL.Nothing)
_TAXONOMY_LINE = re.compile(r"^([A-Za-z]+)\( ((?:<[^>]+>\s*)+) \)$", re.MULTILINE)  # as owlready2 reads it


@dataclass(frozen=True)
class Reasoning:
    """What HermiT concluded about the ontology."""

    consistent: bool
    unsatisfiable: tuple[str, ...] = ()
    # class -> its direct named superclasses as HermiT classifies them; the rest follow by transitivity
    direct_superclasses: dict[str, frozenset[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.consistent and not self.unsatisfiable


def _direct(parents: dict[str, set[str]], equivalents: dict[str, set[str]], cls: str, keep: str) -> frozenset[str]:
    """The nearest classes above cls whose IRI starts with keep, with the classes equivalent to each; classes
    outside keep (owl:Thing, another namespace) are walked through, not stopped at. A loop, not a recursion."""
    found: set[str] = set()
    seen: set[str] = {cls}
    todo = list(parents.get(cls, ()))
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        named = {current, *equivalents.get(current, ())}
        kept = {n for n in named if n.startswith(keep) and n != cls}
        if kept:
            found |= kept
        else:
            todo.extend(p for n in named for p in parents.get(n, ()))
    return frozenset(found)


def _read_taxonomy(output: str, classes: list[str]) -> Reasoning:
    """HermiT's printed taxonomy (direct SubClassOf and EquivalentClasses lines) -> a Reasoning."""
    parents: dict[str, set[str]] = {}
    equivalents: dict[str, set[str]] = {}
    nothing: set[str] = set()
    for relation, iris in _TAXONOMY_LINE.findall(output):
        names = iris[1:-1].split("> <")
        if relation == "SubClassOf":
            parents.setdefault(names[0], set()).add(names[1])
        elif relation == "EquivalentClasses":
            if _NOTHING in names:
                nothing.update(names)
            else:
                for name in names:
                    equivalents.setdefault(name, set()).update(n for n in names if n != name)
    namespace = str(BCTO)
    unsatisfiable = tuple(sorted(c for c in nothing if c.startswith(namespace)))
    direct = {cls: _direct(parents, equivalents, cls, namespace) for cls in classes if cls not in nothing}
    return Reasoning(True, unsatisfiable, direct)


def reason(ontology: Triples, nt: bytes | None = None, early: hermit.Early | None = None) -> Reasoning:
    """Classify with HermiT (the jar owlready2 ships), fed only the triples that can change its answer: on the
    early JVM where one waits (bcto/ontology/hermit.py), else on one started now. Pass nt when the caller
    already holds ntriples(ontology)."""
    logical = logical_ntriples(ntriples(ontology) if nt is None else nt)
    classes = sorted(
        {
            line.split(" ", 1)[0][1:-1]
            for line in logical.decode("utf-8").split("\n")
            if line.startswith(f"<{BCTO}") and line.endswith(f" <{RDF.type}> <{OWL.Class}> .")
        }
    )
    triples = logical.count(b"\n")
    answer = None
    if early is not None and early.suits(triples):
        rdfxml = rdfxml_ntriples(logical)
        answer = early.classify(rdfxml) if rdfxml is not None else None
    if early is not None and answer is None:
        early.discard()  # not used (too big for its flags, no RDF/XML) or gave no answer: stopped before HermiT runs afresh
    if answer is None:
        answer = _run(logical, triples)
    if answer.inconsistent:
        return Reasoning(consistent=False)
    if not answer.classified:
        what = "load the ontology" if hermit.FAILED in answer.stderr else f"run (exit {answer.returncode})"
        raise ReasonerUnavailable(f"HermiT could not {what}: {(answer.stdout + answer.stderr)[-2000:]}")
    return _read_taxonomy(answer.stdout, classes)


def _run(logical: bytes, triples: int) -> hermit.Answer:
    """HermiT in a JVM started now, reading the logical N-Triples from a file."""
    java = shutil.which(hermit.JAVA)
    if java is None:
        raise ReasonerUnavailable("java is not on PATH; HermiT needs a Java runtime (apt-get install default-jre-headless)")
    with tempfile.TemporaryDirectory(prefix="bcto-reason-") as tmp:
        path = Path(tmp) / "bcto.nt"
        path.write_bytes(logical)
        command = [java, *hermit.jvm_flags(triples), "-cp", hermit.classpath(), hermit.CLI, "-c", path.as_uri()]
        import subprocess  # here, where a JVM starts: a rebuild that reuses HermiT's answer starts none (~3 ms)

        try:
            done = subprocess.run(command, capture_output=True, check=False)
        except OSError as err:
            raise ReasonerUnavailable(f"HermiT could not run: {err}") from None
    return hermit.Answer.of(done.returncode, done.stdout, done.stderr)


def inferred_hierarchy(reasoning: Reasoning) -> Graph:
    """The direct named superclasses HermiT entails for each BCTO class. Not the transitive closure: that grows
    with the square of the hierarchy's depth (a 900-level chain wrote 474 MB); `rdfs:subClassOf+` over the
    release gives it back."""
    graph = new_graph()
    for cls, supers in reasoning.direct_superclasses.items():
        for sup in supers:
            graph.add((URIRef(cls), RDFS.subClassOf, URIRef(sup)))
    return graph


@lru_cache(maxsize=2)  # the cache key and HermiT's input are the same subset of the same N-Triples
def logical_ntriples(nt: bytes) -> bytes:
    """The sorted N-Triples lines that can change HermiT's answer: annotation triples, the reified owl:Axiom
    nodes (provenance and qualifiers) and source metadata are left out. Works on text, so it costs one pass."""
    # split on LF only: str.splitlines() also breaks at U+2028, U+0085 and others, which a literal may hold
    lines = [line for line in nt.decode("utf-8").split("\n") if line]
    annotation = {f"<{p}>" for p in _NON_LOGICAL}
    axioms: set[str] = set()
    for line in lines:
        subject, predicate, rest = line.split(" ", 2)
        if predicate == _TYPE:
            if rest == _ANNOTATION_PROPERTY:
                annotation.add(subject)
            elif rest == _AXIOM:
                axioms.add(subject)
    source = f"<{SOURCE}"
    kept = [
        line
        for line in lines
        if not ((parts := line.split(" ", 2))[1] in annotation or parts[0] in axioms or parts[0].startswith(source))
    ]
    return ("\n".join(kept) + "\n").encode("utf-8") if kept else b"\n"


def logical_fingerprint(ontology: Triples, nt: bytes | None = None) -> str:
    """A hash of the triples that can change HermiT's answer: annotations, axiom provenance and
    source metadata are left out, so editing a definition, a synonym or a citation keeps the hash.
    Pass nt when the caller already holds ntriples(ontology)."""
    digest = hashlib.sha256(logical_ntriples(ntriples(ontology) if nt is None else nt))
    digest.update(f"owlready2 {version('owlready2')}".encode())
    return digest.hexdigest()


def _to_json(reasoning: Reasoning) -> str:
    return json.dumps(
        {
            "consistent": reasoning.consistent,
            "unsatisfiable": list(reasoning.unsatisfiable),
            "direct_superclasses": {k: sorted(v) for k, v in sorted(reasoning.direct_superclasses.items())},
        }
    )


def _from_json(text: str) -> Reasoning:
    data = json.loads(text)
    return Reasoning(
        data["consistent"], tuple(data["unsatisfiable"]), {k: frozenset(v) for k, v in data["direct_superclasses"].items()}
    )


def cached_reason(
    ontology: Triples, cache: Path | None, nt: bytes | None = None, early: hermit.Early | None = None
) -> tuple[Reasoning, bool]:
    """Reason, or reuse the answer for the same logical content; returns (reasoning, whether it was cached).
    Pass nt when the caller already holds ntriples(ontology)."""
    if cache is None:
        return reason(ontology, nt, early), False
    entry = cache / f"{logical_fingerprint(ontology, nt)}.json"
    if entry.is_file():
        try:
            return _from_json(entry.read_text(encoding="utf-8")), True
        except (ValueError, KeyError):
            entry.unlink()  # a damaged entry is recomputed, never trusted
    result = reason(ontology, nt, early)
    keep(entry, _to_json(result).encode("utf-8"))
    return result, False
