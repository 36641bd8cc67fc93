"""Curator tools: `bcto locate` (the passage cell for a sentence) and `bcto fingerprint` (the seeds' fingerprints)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bcto.ontology import locations
from bcto.ontology.evidence import locate
from bcto.ontology.load import SOURCE_COLUMNS
from bcto.ontology.model import Passage
from bcto.ontology.seedtext import FINGERPRINTS, digest, fingerprint_json, read_seeds
from bcto.ontology.tables import read_table

EXIT_OK, EXIT_NOT_FOUND, EXIT_UNAVAILABLE = 0, 1, 2


def _source_files(ontology: Path) -> dict[str, str] | str:
    """source id -> document file name, from sources.tsv; or why it cannot be read."""
    path = ontology / "sources.tsv"
    if not path.is_file():
        return f"no {path}; run from a BCTO checkout or pass --ontology"
    rows, problems = read_table(path, SOURCE_COLUMNS, frozenset({"id", "file"}))
    if problems:
        return "\n".join(str(p) for p in problems)
    return {row.get("id"): row.get("file") for row in rows}


def _locate(args: argparse.Namespace) -> int:
    files = _source_files(args.ontology)
    if isinstance(files, str):
        print(f"bcto locate: {files}", file=sys.stderr)
        return EXIT_UNAVAILABLE
    if args.source not in files:
        print(f"bcto locate: no source {args.source!r}; sources are: {', '.join(files)}", file=sys.stderr)
        return EXIT_NOT_FOUND
    shapes = read_seeds(args.seeds, [files[args.source]])
    shape = shapes.get(files[args.source])
    if shape is None or shape.text is None:
        print(f"bcto locate: {files[args.source]} is not in {args.seeds}; locating needs the document (--seeds)", file=sys.stderr)
        return EXIT_UNAVAILABLE
    found = locate(shape, args.phrase)
    if not found:
        print(f"bcto locate: {args.phrase!r} is not in {args.source}", file=sys.stderr)
        return EXIT_NOT_FOUND
    for start, end in found:
        passage = Passage(args.source, start, end, digest(shape.text[start:end]))
        words = shape.text[start:end].split()
        preview = " ".join(words[:6]) + (" …" if len(words) > 6 else "")
        print(f"{passage.cell}\t{preview}")  # the cell to paste; the preview is for the curator, never for the table
    return EXIT_OK


def _fingerprint(args: argparse.Namespace) -> int:
    files = _source_files(args.ontology)
    if isinstance(files, str):
        print(f"bcto fingerprint: {files}", file=sys.stderr)
        return EXIT_UNAVAILABLE
    shapes = read_seeds(args.seeds, sorted(files.values()))
    missing = sorted(set(files.values()) - set(shapes))
    if missing:
        print(f"bcto fingerprint: not in {args.seeds}: {', '.join(missing)}", file=sys.stderr)
        return EXIT_UNAVAILABLE
    target = args.ontology / FINGERPRINTS
    partial = target.with_suffix(".tmp")
    partial.write_text(fingerprint_json(shapes), encoding="utf-8")
    partial.replace(target)
    print(f"wrote {target} ({len(shapes)} documents)")
    return EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    """Add the curator subcommands to the bcto command."""
    common = {
        "ontology": ("--ontology", "the curated sources (default: %(default)s)", locations.ONTOLOGY),
        "seeds": ("--seeds", "the source documents (default: %(default)s)", locations.SEEDS),
    }
    p = sub.add_parser(
        "locate",
        help="print the passage cell (char span + hash) of the sentence holding a phrase",
        description="Find a phrase in a source document and print, for each sentence that holds it, "
        "the cell to put in a table's passage column. Exit codes: 0 found, 1 not found, "
        "2 no document.",
    )
    p.add_argument("source", help="a source id from ontology/sources.tsv, e.g. ccs-surgery")
    p.add_argument("phrase", help="a few consecutive words of the sentence")
    f = sub.add_parser(
        "fingerprint",
        help="rewrite ontology/seed_fingerprints.json from the seed documents",
        description="Record the seeds' shape (line and sentence offsets, hashed headings and 8-word "
        "runs; no text) so that checks run on clones without the documents.",
    )
    for parser in (p, f):
        for flag, text, default in common.values():
            parser.add_argument(flag, type=Path, default=default, help=text)
    p.set_defaults(run=_locate)
    f.set_defaults(run=_fingerprint)
