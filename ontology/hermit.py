"""HermiT's Java process: its command line, and a JVM started before the build has an ontology to give it.

A HermiT run on BCTO spends about half its second starting the JVM and loading OWLAPI's and HermiT's classes.
`early()` starts that JVM first thing, while Python imports and compiles on the other core: it classifies a
tiny built-in ontology (so the parser and the reasoner are loaded) and then blocks on a named pipe, from which
it reads the real ontology when compile is done. Nothing here imports rdflib or owlready2: it runs before them.
"""

from __future__ import annotations

import errno
import importlib.util
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, NamedTuple

from bcto.stops import STOPS, held

if TYPE_CHECKING:
    import subprocess

JAVA = "java"
JAVA_MEMORY_MB = 2000  # owlready2's default heap for HermiT
C1_ONLY_BELOW = 100_000  # logical triples; see jvm_flags
CLI = "org.semanticweb.HermiT.cli.CommandLine"
# The pipe's name has no .owl: OWLAPI opens a document named *.owl more than once to guess its format.
PIPE = "ontology"
FAILED = "It all went pear-shaped"  # what the CLI prints, exiting 0, when OWLAPI cannot load an ontology

# What the early JVM classifies while it waits: a class, a property and a restriction, in RDF/XML, the format
# OWLAPI's first parser reads (the ontology too is given as RDF/XML, so that it is read in one go). Its
# namespace is dropped from HermiT's answer.
WARM_UP_NAMESPACE = "urn:bcto:warm-up:"
WARM_UP = f"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#"
    xmlns:owl="http://www.w3.org/2002/07/owl#">
  <owl:Ontology rdf:about="{WARM_UP_NAMESPACE}"/>
  <owl:ObjectProperty rdf:about="{WARM_UP_NAMESPACE}p"/>
  <owl:Class rdf:about="{WARM_UP_NAMESPACE}a">
    <rdfs:subClassOf><owl:Class rdf:about="{WARM_UP_NAMESPACE}b"/></rdfs:subClassOf>
    <rdfs:subClassOf><owl:Restriction><owl:onProperty rdf:resource="{WARM_UP_NAMESPACE}p"/>
      <owl:someValuesFrom rdf:resource="{WARM_UP_NAMESPACE}b"/></owl:Restriction></rdfs:subClassOf>
  </owl:Class>
</rdf:RDF>
""".encode()


class ReasonerUnavailable(RuntimeError):
    """Java (which HermiT needs) is missing or failed to start."""


def classpath() -> str:
    """owlready2's bundled HermiT, found without importing owlready2 (~0.3 s the build need not pay)."""
    spec = importlib.util.find_spec("owlready2")
    if spec is None or not spec.submodule_search_locations:
        raise ReasonerUnavailable("owlready2 (which bundles HermiT) is not installed")
    here = Path(next(iter(spec.submodule_search_locations))) / "hermit"
    return os.pathsep.join([str(here), str(here / "HermiT.jar")])


def jvm_flags(triples: int) -> list[str]:
    """A short HermiT run spends most of its time in JIT warm-up: the client compiler alone halves it for
    the real ontology (4.5 s -> 2.0 s); a long run needs the optimising compiler, so big inputs keep it.
    No perf-data file: nobody attaches jstat to a one-second process, and writing it costs ~0.05 s."""
    flags = [f"-Xmx{JAVA_MEMORY_MB}M", "-XX:+UseSerialGC", "-XX:-UsePerfData"]
    return flags + (["-XX:TieredStopAtLevel=1"] if triples < C1_ONLY_BELOW else [])


class Answer(NamedTuple):
    """How a HermiT run ended: its exit code and what it printed (the taxonomy on stdout)."""

    returncode: int
    stdout: str
    stderr: str

    @classmethod
    def of(cls, returncode: int, stdout: bytes, stderr: bytes) -> Answer:
        return cls(returncode, stdout.decode("utf-8", errors="replace"), stderr.decode("utf-8", errors="replace"))

    @property
    def inconsistent(self) -> bool:
        """HermiT's way of saying that no model exists: an exception, and a non-zero exit."""
        text = self.stdout + self.stderr
        return self.returncode != 0 and ("Inconsistent ontology" in text or "InconsistentOntologyException" in text)

    @property
    def classified(self) -> bool:
        """HermiT read the ontology and printed its taxonomy (the CLI exits 0 even when it could not read it)."""
        return self.returncode == 0 and FAILED not in self.stderr


def _without_warm_up(stdout: str) -> str:
    return "".join(line for line in stdout.splitlines(keepends=True) if WARM_UP_NAMESPACE not in line)


class Early:
    """A HermiT JVM that has classified the warm-up and waits for one ontology on its pipe."""

    def __init__(self, folder: Path, process: subprocess.Popen[bytes], flags: list[str], out: IO[bytes], err: IO[bytes]) -> None:
        self.folder, self.process, self.flags, self._out, self._err = folder, process, flags, out, err
        self.used = False
        self.answered = False  # HermiT's answer came from this JVM

    @property
    def pipe(self) -> Path:
        return self.folder / PIPE

    def suits(self, triples: int) -> bool:
        """Whether this JVM runs as a fresh one would for this many logical triples (jvm_flags)."""
        return jvm_flags(triples) == self.flags

    def _open_pipe(self) -> int | None:
        """The pipe's writing end, once the JVM opens it to read; None once the JVM has ended. Opened without
        blocking, in a loop: a blocking open would wait forever for a JVM that has died."""
        while True:
            try:
                fd = os.open(self.pipe, os.O_WRONLY | os.O_NONBLOCK)
            except OSError as err:
                if err.errno != errno.ENXIO:  # ENXIO: nobody reads yet
                    return None
            else:
                os.set_blocking(fd, True)
                return fd
            if self.process.poll() is not None:
                return None
            time.sleep(0.002)

    def _serve(self, fd: int, document: bytes) -> None:
        """The whole document to the reader that opened the pipe (or as much as it reads before closing).
        The pipe is replaced before this end closes: the reader keeps the old one, and the JVM's next open
        gets a new pipe and its own copy from the first byte, never the rest of this one."""
        try:
            view = memoryview(document)
            while view:
                view = view[os.write(fd, view) :]
        except BrokenPipeError:  # the reader closed before the end
            pass
        finally:
            os.unlink(self.pipe)
            os.mkfifo(self.pipe)
            os.close(fd)

    def classify(self, rdfxml: bytes) -> Answer | None:
        """Give the JVM the ontology (RDF/XML) and wait for its answer; None where this JVM gives none (it had
        ended, could not read it, failed, or was used before): the caller then runs HermiT afresh, which
        reports any real problem in its own words.

        OWLAPI opens the document again for each parser it tries after one fails (and, for a name ending in
        .owl, twice more first), so every open is served the whole document, until the JVM ends."""
        if self.used:
            return None
        self.used = True
        while (fd := self._open_pipe()) is not None:
            self._serve(fd, rdfxml)
        self._out.seek(0)
        self._err.seek(0)
        answer = Answer.of(self.process.wait(), self._out.read(), self._err.read())
        self.discard()  # its folder goes now, not at the end of the build: a kill from here on leaves nothing
        if not (answer.classified or answer.inconsistent):  # ended some other way: a fresh run says how
            return None
        self.answered = True
        return answer._replace(stdout=_without_warm_up(answer.stdout))

    def discard(self) -> None:
        """Stop the JVM if it still runs (it may be waiting on the pipe) and delete its folder; idempotent.
        Called as soon as the build knows it needs this JVM no more, and again when the build ends."""
        self.used = True
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._out.close()
        self._err.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def _before_exec() -> Callable[[], None] | None:
    """What the child runs before exec: Linux's parent-death signal, so that the kernel kills it when the build
    ends, however it ends (a JVM waiting on the pipe would otherwise wait forever after a SIGKILL), and the stop
    signals let through again (early() holds them while it starts the JVM, bcto/stops.py). None where other threads run:
    between fork and exec the child must not need a lock that another thread may hold."""
    if not sys.platform.startswith("linux") or threading.active_count() > 1:
        return None
    import ctypes

    prctl = ctypes.CDLL(None, use_errno=True).prctl

    def ask() -> None:
        prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOPS)

    return ask


def _keep_to(pid: int, cpus: list[int]) -> None:
    """Keep the process on these cores, best effort: its main thread first (threads it starts inherit that),
    then every thread it has started already. While Python imports, the JVM then runs beside it, not over it."""
    try:
        os.sched_setaffinity(pid, cpus)
        for thread in os.listdir(f"/proc/{pid}/task"):
            os.sched_setaffinity(int(thread), cpus)
    except OSError:  # the process or a thread has ended, or there is no /proc
        pass


def start() -> Early | None:
    """Start HermiT's JVM on the warm-up; None where it cannot be (no java, no owlready2, no named pipes as on
    Windows): the build then starts HermiT when it has the ontology, as it would without this."""
    java = shutil.which(JAVA)
    if java is None or not hasattr(os, "mkfifo") or not hasattr(os, "sched_setaffinity"):
        return None
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2:  # with one core, the JVM would only slow down the imports it is meant to run beside
        return None
    try:
        path = classpath()
    except ReasonerUnavailable:
        return None
    folder = Path(tempfile.mkdtemp(prefix="bcto-hermit-"))
    out, err = (folder / "stdout").open("w+b"), (folder / "stderr").open("w+b")  # files: no pipe to fill up
    process = None
    try:
        (folder / "warm-up.owl").write_bytes(WARM_UP)
        os.mkfifo(folder / PIPE)
        documents = [(folder / "warm-up.owl").as_uri(), (folder / PIPE).as_uri()]
        flags = jvm_flags(0)  # the client compiler: the early JVM suits an ontology of BCTO's size, not 100x
        command = [java, *flags, "-cp", path, CLI, "-c", *documents]
        import subprocess  # here, where a JVM starts: a rebuild that reuses HermiT's answer starts none (~3 ms)

        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=out, stderr=err, preexec_fn=_before_exec())  # noqa: PLW1509 - only with no other thread
        _keep_to(process.pid, cpus[-1:])
    except BaseException as problem:  # an OSError, or a SIGTERM or Ctrl-C raised here (bcto/cli.py): no leftovers
        if process is not None:
            process.kill()
            process.wait()
        out.close()
        err.close()
        shutil.rmtree(folder, ignore_errors=True)
        if isinstance(problem, OSError):
            return None
        raise
    return Early(folder, process, flags, out, err)


@contextmanager
def early() -> Iterator[Early | None]:
    """An early JVM for the length of one build, stopped at its end whether the build used it or not."""
    started = None
    try:
        with held():  # a SIGTERM or Ctrl-C that comes while the JVM starts is raised after, with its cleanup armed
            started = start()
        yield started
    finally:
        if started is not None:
            started.discard()
