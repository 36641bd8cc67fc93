"""The shape of a source document: its lines, sentences and 8-word runs, with or without the text itself.

The seed documents belong to their publishers and are not in the repository. What the build needs from
them is kept in `ontology/seed_fingerprints.json`: for each document its length, the offset and a hash of
every line (so a cited heading can be found), the offset of every sentence (so a passage can be named
"section X, sentence N"), and hashes of its 8-word runs (so the copy check runs on any clone). Nothing in
it can be read back as text. When the documents are present, the build reads them instead and a test
confirms that they still give the same fingerprint.
"""

from __future__ import annotations

import hashlib
import json
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from bcto.ontology.cache_entry import pickled

RUN = 8  # words in a run the copy check looks for
BULLET = "•"
WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)")
FINGERPRINTS = "seed_fingerprints.json"


def digest(text: str, length: int = 16) -> str:
    """The first `length` hex digits of the SHA-256 of the text's UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


def heading_key(line: str) -> str:
    """A line as a citation names it: without surrounding space and list bullets."""
    return line.strip().lstrip(BULLET).strip()


def words(text: str) -> list[str]:
    return WORD.findall(text.lower().replace("\u2019", "'"))


def runs(found: list[str]) -> list[tuple[str, ...]]:
    return [tuple(found[i : i + RUN]) for i in range(len(found) - RUN + 1)]


def run_key(run: tuple[str, ...]) -> str:
    return digest(" ".join(run), 12)


@dataclass(frozen=True)
class Shape:
    """What the build knows of one document: enough to place and name passages, not to read it."""

    file: str
    length: int  # characters
    lines: tuple[tuple[int, str], ...]  # (offset, digest of heading_key(line)) of every non-empty line
    sentences: tuple[int, ...]  # offset of every sentence start, ascending
    shingles: frozenset[str]  # run_key of every 8-word run
    text: str | None = None  # the document itself, when the seeds are present

    def heading_offsets(self, heading: str) -> tuple[int, ...]:
        """Offsets of the lines a citation's heading can name. Every passage asks for all the headings cited
        for its document, thousands of times in all: each heading is hashed and looked up once."""
        found = self._by_heading.get(heading)
        if found is None:
            found = self._by_heading[heading] = self._line_offsets.get(digest(heading_key(heading)), ())
        return found

    @cached_property
    def _line_offsets(self) -> dict[str, tuple[int, ...]]:
        """Line digest -> offsets."""
        found: dict[str, list[int]] = {}
        for offset, line in self.lines:
            found.setdefault(line, []).append(offset)
        return {key: tuple(offsets) for key, offsets in found.items()}

    @cached_property
    def _by_heading(self) -> dict[str, tuple[int, ...]]:
        return {}

    def sentence_number(self, start: int, offset: int) -> int:
        """1-based number of the sentence holding `offset`, counting from the sentence at `start`."""
        return bisect_right(self.sentences, offset) - bisect_left(self.sentences, start)


def shape_of(file: str, text: str) -> Shape:
    """Read a document's shape from its text."""
    lines: list[tuple[int, str]] = []
    sentences: list[int] = []
    offset = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            lines.append((offset, digest(heading_key(raw))))
            first = offset + (len(raw) - len(raw.lstrip()))
            sentences.append(first)
            sentences += [first + m.end() for m in SENTENCE_END.finditer(stripped)]
        offset += len(raw) + 1
    shingles = frozenset(run_key(run) for run in runs(words(text)))
    return Shape(file, len(text), tuple(lines), tuple(sentences), shingles, text)


def read_seeds(folder: Path, files: list[str], cache: Path | None = None) -> dict[str, Shape]:
    """The shapes of the named documents in the seeds folder (missing ones are left out); with a cache
    folder, kept there by each document's bytes (cache_entry.pickled), as the seeds rarely change."""
    return {
        name: pickled(
            cache,
            b"seed\0" + name.encode() + b"\0" + path.read_bytes(),
            lambda: shape_of(name, path.read_text(encoding="utf-8")),  # noqa: B023 (called at once)
            Shape,
            lambda _: True,
        )
        for name in files
        if (path := folder / name).is_file()
    }


def fingerprint_json(shapes: dict[str, Shape]) -> str:
    """The fingerprint file's text: deterministic, and holding no text of any document."""
    documents = {
        name: {
            "length": shape.length,
            "lines": [[offset, key] for offset, key in shape.lines],
            "sentences": list(shape.sentences),
            "shingles": sorted(shape.shingles),
        }
        for name, shape in sorted(shapes.items())
    }
    return json.dumps({"format": 1, "documents": documents}, indent=1, sort_keys=True) + "\n"


def read_fingerprints(path: Path) -> dict[str, Shape]:
    """The shapes recorded in a fingerprint file (no text)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return {
        name: Shape(
            name,
            doc["length"],
            tuple((offset, key) for offset, key in doc["lines"]),
            tuple(doc["sentences"]),
            frozenset(doc["shingles"]),
        )
        for name, doc in data["documents"].items()
    }
