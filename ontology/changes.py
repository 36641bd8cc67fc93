"""What a release adds, removes and changes against the previous one: terms, statements, criteria, pathway steps
and mappings, for importers who need to know what to update.

A release is summarised as a snapshot (one row per item: its kind, stable id, label and a short digest of each
field), small enough to keep in the repository as `ontology/releases/<release>.tsv`. Diffing two snapshots gives
reports/changes.tsv and the CHANGES.md section. Fields that only one side has (a newer release records more) are
not counted as changes.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections import Counter
from pathlib import Path
from typing import NamedTuple

from bcto.ontology.model import Citation, Curation

KINDS = ("term", "statement", "criterion", "pathway step", "mapping")
PLURALS = {
    "term": "terms",
    "statement": "statements",
    "criterion": "criteria",
    "pathway step": "pathway steps",
    "mapping": "mappings",
}
SNAPSHOT_COLUMNS = ("kind", "id", "label", "fields")
CHANGE_COLUMNS = ("kind", "change", "id", "label", "fields")


class Item(NamedTuple):
    kind: str
    id: str
    label: str
    fields: tuple[tuple[str, str], ...]  # (field name, digest of its value), sorted by name


class Change(NamedTuple):
    kind: str
    change: str  # added, removed, deprecated (gone from the tables, kept in core.ttl as owl:deprecated) or changed
    id: str
    label: str
    fields: tuple[str, ...]  # the fields that changed (for "changed"); "replaced by X" (for "deprecated")


def _digest(value: str | tuple[str, ...]) -> str:
    text = value if isinstance(value, str) else "|".join(value)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def _sources(citations: tuple[Citation, ...]) -> tuple[str, ...]:
    return tuple(sorted(f"{c.source}: {c.section}" for c in citations))


def _item(kind: str, id_: str, shown: str, **fields: str | tuple[str, ...]) -> Item:
    return Item(kind, id_, shown, tuple(sorted((name, _digest(value)) for name, value in fields.items())))


def snapshot(curation: Curation) -> list[Item]:
    """Every item of a release with a digest of each field, sorted."""
    items = [
        _item(
            "term",
            t.id,
            t.label,
            label=t.label,
            family=t.family,
            parents=tuple(sorted(t.parents)),
            definition=t.definition,
            synonyms=tuple(sorted(t.synonyms)),
            lay_terms=tuple(sorted(t.lay_terms)),
            sources=_sources(t.citations),
        )
        for t in curation.terms.values()
    ]
    items += [
        _item(
            "statement",
            f"{s.subject} {s.predicate} {s.object}",
            "",
            frequency=s.qualifiers.frequency,
            context=s.qualifiers.context,
            conflict=s.qualifiers.conflict,
            sources=_sources(s.citations),
            passages=tuple(p.cell for p in s.qualifiers.passages),
            evidence=s.qualifiers.evidence,
        )
        for s in curation.statements
    ]
    items += [
        _item(
            "criterion",
            c.id,
            c.label,
            label=c.label,
            activity=c.activity,
            direction=c.direction,
            strength=c.strength,
            factor=c.factor,
            values=tuple(sorted(c.values)),
            threshold=str(c.threshold or ""),
            condition=c.condition,
            scope=c.scope,
            frequency=c.qualifiers.frequency,
            context=c.qualifiers.context,
            conflict=c.qualifiers.conflict,
            sources=_sources(c.citations),
        )
        for c in curation.criteria.values()
    ]
    items += [
        _item(
            "pathway step",
            s.id,
            "",
            activity=s.activity,
            order=str(s.order),
            optional=str(s.optional),
            context=s.qualifiers.context,
            conflict=s.qualifiers.conflict,
            sources=_sources(s.citations),
        )
        for s in curation.steps
    ]
    items += [
        _item(
            "mapping",
            f"{m.subject} {m.object}",
            m.object_label,
            predicate=m.predicate,
            object_label=m.object_label,
            evidence=m.evidence,
            confirmed_in=m.confirmed_in,
        )
        for m in curation.mappings
    ]
    return sorted(items, key=lambda i: (KINDS.index(i.kind), i.id))


def _cell(text: str) -> str:
    return " ".join(text.split())


def snapshot_tsv(items: list[Item], release: str) -> bytes:
    lines = [f"# BCTO release {release}: one row per item, a digest of each field (bcto.ontology.changes)"]
    lines.append("\t".join(SNAPSHOT_COLUMNS))
    lines += ["\t".join((i.kind, i.id, _cell(i.label), ";".join(f"{name}={digest}" for name, digest in i.fields))) for i in items]
    return ("\n".join(lines) + "\n").encode("utf-8")


def read_snapshot(text: str) -> list[Item]:
    items = []
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    if not lines or tuple(lines[0].split("\t")) != SNAPSHOT_COLUMNS:
        raise ValueError(f"not a BCTO release snapshot: the header must be {' '.join(SNAPSHOT_COLUMNS)}")
    for line in lines[1:]:
        kind, id_, label, fields = line.split("\t")
        pairs = tuple(sorted(tuple(f.split("=", 1)) for f in fields.split(";") if f))
        items.append(Item(kind, id_, label, pairs))  # type: ignore[arg-type]
    return items


def diff(old: list[Item], new: list[Item], retired: dict[str, tuple[str, ...]] | None = None) -> list[Change]:
    """Added, removed, deprecated and changed items, by kind then id. An item gone from the tables whose IRI the
    ontology keeps as deprecated (`retired`: id -> replacements) is deprecated, not removed: an importer's data
    that uses it still resolves, and the replacement says what to use instead."""
    retired = retired or {}
    before = {(i.kind, i.id): i for i in old}
    after = {(i.kind, i.id): i for i in new}
    changes = [
        Change(i.kind, "deprecated", i.id, i.label, tuple(f"replaced by {r}" for r in retired[i.id]))
        if i.kind != "statement" and i.id in retired
        else Change(i.kind, "removed", i.id, i.label, ())
        for key, i in before.items()
        if key not in after
    ]
    changes += [Change(i.kind, "added", i.id, i.label, ()) for key, i in after.items() if key not in before]
    for key, i in after.items():
        if key in before:
            was, now = dict(before[key].fields), dict(i.fields)
            changed = tuple(sorted(name for name in was.keys() & now.keys() if was[name] != now[name]))
            if changed:
                changes.append(Change(i.kind, "changed", i.id, i.label, changed))
    return sorted(changes, key=lambda c: (KINDS.index(c.kind), c.change, c.id))


def _title(previous: str, release: str) -> str:
    if previous == release:  # the version is bumped when the release is cut
        return f"unreleased changes since release {previous}"
    return f"release {release} against release {previous}"


def changes_tsv(changes: list[Change], previous: str, release: str) -> bytes:
    lines = [f"# BCTO {_title(previous, release)}: every item added, removed, deprecated or changed"]
    lines.append("\t".join(CHANGE_COLUMNS))
    lines += ["\t".join((c.kind, c.change, c.id, _cell(c.label), "|".join(c.fields))) for c in changes]
    return ("\n".join(lines) + "\n").encode("utf-8")


def changes_markdown(changes: list[Change], previous: str, release: str) -> str:
    """The CHANGES.md section: counts per kind, then what changed most often (the full list is the TSV)."""
    counts = Counter((c.kind, c.change) for c in changes)
    heading = f"## {_title(previous, release)[0].upper()}{_title(previous, release)[1:]}"
    lines = [heading, "", "| | added | removed | deprecated | changed |", "| --- | ---: | ---: | ---: | ---: |"]
    for kind in KINDS:
        row = [str(counts[(kind, change)]) for change in ("added", "removed", "deprecated", "changed")]
        lines.append(f"| {PLURALS[kind]} | " + " | ".join(row) + " |")
    fields = Counter((c.kind, f) for c in changes if c.change == "changed" for f in c.fields)
    if fields:
        lines += ["", "Changed fields: " + ", ".join(f"{kind} {name} ({n})" for (kind, name), n in sorted(fields.items())) + "."]
    return "\n".join(lines) + "\n"


def previous_snapshot(releases: Path, release: str) -> Path | None:
    """The newest snapshot in releases/ not newer than this release (named <YYYY-MM-DD>.tsv, so names sort by date)."""
    if not releases.is_dir():
        return None
    older = sorted(p for p in releases.glob("*.tsv") if p.stem <= release)
    return older[-1] if older else None


def main(argv: list[str] | None = None) -> int:
    """`python -m bcto.ontology.changes`: print the CHANGES.md section for the built release in output/."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--output", type=Path, default=Path("output"), help="the built release (default: output)")
    args = parser.parse_args(argv)
    report = args.output / "reports" / "changes.tsv"
    if not report.is_file():
        print(f"{report}: no changes report; build the release first (python build.py)", file=sys.stderr)
        return 2
    lines = report.read_text(encoding="utf-8").splitlines()
    title = lines[0].removeprefix("# BCTO ").split(":")[0]
    if title.startswith("unreleased changes since release "):
        previous = release = title.removeprefix("unreleased changes since release ")
    else:
        release, previous = title.removeprefix("release ").split(" against release ")
    rows = [line.split("\t") for line in lines[2:]]
    changes = [Change(k, ch, i, lab, tuple(f.split("|")) if f else ()) for k, ch, i, lab, f in rows]
    print(changes_markdown(changes, previous, release), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
