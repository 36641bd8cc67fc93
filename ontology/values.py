"""Checks of single cell values that the build turns into IRIs, dates, numbers and paths. Each returns what
is wrong (for the message) or None; the loader adds where and how to fix it."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from urllib.parse import urlsplit

# An http(s) IRI as N-Triples and Turtle can write it: no space, no control, none of <>"{}|\^`.
HTTP_IRI = re.compile(r"https?://[^\x00-\x20<>\"{}|\\^`\x7f]+")
STEP = re.compile(r"[1-9][0-9]{0,5}")  # ASCII digits only: '²' and '٢' are digits to str.isdigit()


def iri_problem(value: str) -> str | None:
    if not HTTP_IRI.fullmatch(value) or not urlsplit(value).hostname:
        return f"{value!r} is not an http(s) address"
    return None


def date_problem(value: str) -> str | None:
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        return f"{value!r} is not YYYY-MM-DD"
    try:
        datetime.date.fromisoformat(value)
    except ValueError as err:
        return f"{value!r} is no calendar date ({err})"
    return None


def step_number(value: str) -> int | None:
    """A step number as the tables write it (1, 2, 3 ..., ASCII digits, no leading zero), or None."""
    return int(value) if STEP.fullmatch(value) else None


def seed_file_problem(name: str, seeds: Path | None) -> str | None:
    """A source's `file` must name a document directly inside the seeds folder, never a path out of it."""
    if name in (".", "..") or "/" in name or "\\" in name or name.startswith(".") or "\x00" in name:
        return f"{name!r} is not a plain file name"
    if seeds is not None:
        resolved = (seeds / name).resolve()
        if resolved.parent != seeds.resolve():
            return f"{name!r} leads out of the seeds folder (a link to {resolved})"
    return None
