"""Evidence at the level of the sentence: the passage a statement rests on, and how it is known.

A passage is written in a table cell as `source-id#char=START,END;sha256=HASH` — RFC 5147's character
range into the source document, with the first 16 hex digits of the SHA-256 of that range as its integrity
check. The repository stores spans and hashes only, never the text. The loader places each passage in one
of the statement's cited sections and numbers its sentence there ("Limb-sparing surgery, sentence 4"); with
the seed documents present it also checks the hash, so a changed document or a mistyped span is caught.
"""

from __future__ import annotations

import re

from bcto.ontology.model import Passage
from bcto.ontology.seedtext import Shape, digest

AUTHOR_STATEMENT = "ECO:0000303"  # non-traceable author statement (GAF code NAS): what a patient page says
CURATOR_INFERENCE = "ECO:0000305"  # curator inference (GAF code IC): what the curators conclude from the text
EVIDENCE_CODES = {AUTHOR_STATEMENT: "author statement", CURATOR_INFERENCE: "curator inference"}
PASSAGE = re.compile(r"(?P<source>[a-z0-9]+(?:-[a-z0-9]+)*)#char=(?P<start>[0-9]+),(?P<end>[0-9]+);sha256=(?P<hash>[0-9a-f]{16})")


def parse(text: str) -> Passage | None:
    match = PASSAGE.fullmatch(text)
    if match is None:
        return None
    return Passage(match["source"], int(match["start"]), int(match["end"]), match["hash"])


def section_range(shape: Shape, heading: str, headings: set[str]) -> tuple[int, int] | None:
    """The character range of a section: from its heading line to the next line that is a heading cited for
    the same document (or the document's end). `headings` are all headings cited for the document."""
    starts = shape.heading_offsets(heading)
    if not starts:
        return None
    start = starts[0]
    following = [o for h in headings for o in shape.heading_offsets(h) if o > start]
    return start, min(following, default=shape.length)


def place(passage: Passage, shape: Shape, cited: list[str], headings: set[str]) -> Passage | str:
    """The passage placed in one of the cited sections, or why it cannot be (a sentence for the curator)."""
    if not 0 <= passage.start < passage.end <= shape.length:
        return f"the range {passage.start},{passage.end} is outside the document ({shape.length} characters)"
    if shape.text is not None and digest(shape.text[passage.start : passage.end]) != passage.hash:
        return "the hash does not match the document's text at that range (the document changed, or the range is wrong)"
    for heading in cited:
        extent = section_range(shape, heading, headings)
        if extent and extent[0] <= passage.start and passage.end <= extent[1]:
            first = shape.sentence_number(extent[0], passage.start)
            last = shape.sentence_number(extent[0], passage.end - 1)
            return Passage(passage.source, passage.start, passage.end, passage.hash, heading, first, last)
    return "the range lies in none of the sections the row cites for that source"


def locate(shape: Shape, phrase: str) -> list[tuple[int, int]]:
    """The ranges of the whole sentences that contain `phrase` (case and spacing ignored)."""
    if shape.text is None:
        return []
    text = shape.text
    pattern = re.compile(r"\s+".join(re.escape(w) for w in phrase.split()), re.IGNORECASE)
    found = []
    for match in pattern.finditer(text):
        start = max((s for s in shape.sentences if s <= match.start()), default=0)
        later = [s for s in shape.sentences if s > match.end() - 1]
        end = min(later, default=shape.length)
        end = len(text[:end].rstrip())  # the sentence, without the space or line break after it
        found.append((start, end))
    return sorted(set(found))
