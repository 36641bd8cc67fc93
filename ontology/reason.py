"""Reasoning with HermiT (through owlready2): consistency, unsatisfiable classes, inferred hierarchy."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from ontology.compile import bind_prefixes
from ontology.serialise import ntriples
from ontology.vocabulary import BCTO, SOURCE

# Predicates that never change what HermiT concludes (besides every declared owl:AnnotationProperty).
_NON_LOGICAL = {RDFS.label, RDFS.comment, RDFS.seeAlso, RDFS.isDefinedBy, OWL.versionInfo, OWL.versionIRI}


class ReasonerUnavailable(RuntimeError):
    """Java (which HermiT needs) is missing or failed to start."""


@dataclass(frozen=True)
class Reasoning:
    """What HermiT concluded about the ontology."""

    consistent: bool
    unsatisfiable: tuple[str, ...] = ()
    superclasses: dict[str, frozenset[str]] = field(default_factory=dict)  # class -> every named superclass

    @property
    def ok(self) -> bool:
        return self.consistent and not self.unsatisfiable


def reason(ontology: Graph) -> Reasoning:
    """Run HermiT on the ontology; it reads N-Triples, so the graph goes through a temporary file."""
    if shutil.which("java") is None:
        raise ReasonerUnavailable("java is not on PATH; HermiT needs a Java runtime (apt-get install default-jre-headless)")
    import owlready2  # deferred: its import costs ~0.3 s that runs without reasoning do not need

    with tempfile.TemporaryDirectory(prefix="bcto-reason-") as tmp:
        path = Path(tmp) / "bcto.nt"
        path.write_bytes(ntriples(ontology))
        world = owlready2.World()
        onto = world.get_ontology(path.as_uri()).load(format="ntriples")
        try:
            with onto:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError:
            return Reasoning(consistent=False)
        except (owlready2.OwlReadyJavaError, FileNotFoundError, OSError) as err:
            raise ReasonerUnavailable(f"HermiT could not run: {err}") from None
        namespace = str(BCTO)
        unsatisfiable = tuple(sorted(c.iri for c in world.inconsistent_classes() if c.iri.startswith(namespace)))
        superclasses: dict[str, frozenset[str]] = {}
        for cls in world.classes():
            if cls.iri.startswith(namespace) and cls.iri not in unsatisfiable:
                names = {a.iri for a in cls.ancestors(include_self=False) if a.iri.startswith(namespace)}
                superclasses[cls.iri] = frozenset(names)
        world.close()
    return Reasoning(True, unsatisfiable, superclasses)


def inferred_hierarchy(reasoning: Reasoning) -> Graph:
    """Every named superclass HermiT entails for each BCTO class (the transitive closure, not just direct links)."""
    graph = bind_prefixes(Graph())
    for cls, supers in reasoning.superclasses.items():
        for sup in supers:
            graph.add((URIRef(cls), RDFS.subClassOf, URIRef(sup)))
    return graph


def logical_fingerprint(ontology: Graph) -> str:
    """A hash of the triples that can change HermiT's answer: annotations, axiom provenance and
    source metadata are left out, so editing a definition, a synonym or a citation keeps the hash."""
    annotation = {p for p in ontology.subjects(RDF.type, OWL.AnnotationProperty)} | _NON_LOGICAL
    axioms = set(ontology.subjects(RDF.type, OWL.Axiom))
    kept = Graph()
    for s, p, o in ontology:
        if p in annotation or s in axioms or str(s).startswith(str(SOURCE)):
            continue
        kept.add((s, p, o))
    digest = hashlib.sha256(ntriples(kept))
    digest.update(f"owlready2 {version('owlready2')}".encode())
    return digest.hexdigest()


def _to_json(reasoning: Reasoning) -> str:
    return json.dumps({"consistent": reasoning.consistent, "unsatisfiable": list(reasoning.unsatisfiable),
                       "superclasses": {k: sorted(v) for k, v in sorted(reasoning.superclasses.items())}})


def _from_json(text: str) -> Reasoning:
    data = json.loads(text)
    return Reasoning(data["consistent"], tuple(data["unsatisfiable"]),
                     {k: frozenset(v) for k, v in data["superclasses"].items()})


def cached_reason(ontology: Graph, cache: Path | None) -> tuple[Reasoning, bool]:
    """Reason, or reuse the answer for the same logical content; returns (reasoning, whether it was cached)."""
    if cache is None:
        return reason(ontology), False
    entry = cache / f"{logical_fingerprint(ontology)}.json"
    if entry.is_file():
        try:
            return _from_json(entry.read_text(encoding="utf-8")), True
        except (ValueError, KeyError):
            entry.unlink()  # a damaged entry is recomputed, never trusted
    result = reason(ontology)
    cache.mkdir(parents=True, exist_ok=True)
    partial = entry.with_suffix(f".tmp-{os.getpid()}")
    partial.write_text(_to_json(result), encoding="utf-8")
    partial.replace(entry)
    return result, False
