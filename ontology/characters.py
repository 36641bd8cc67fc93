"""Characters no curated text may hold, in a table cell or a core.ttl literal: they are invisible or
reorder text on screen (bidi controls), break lines where no line ends (U+2028, U+0085), or cannot be
written in XML 1.0 at all (C0 controls, non-characters), so bcto.owl would not parse."""

from __future__ import annotations

import re
import unicodedata

_NONCHARACTERS = "".join(f"{chr(plane << 16 | 0xFFFE)}-{chr(plane << 16 | 0xFFFF)}" for plane in range(17))
FORBIDDEN = re.compile(
    "["
    "\x00-\x08\x0b\x0c\x0e-\x1f"  # C0 controls but tab, LF and CR (each has its own rule in tables and Turtle)
    "\x7f-\x9f"  # DEL and the C1 controls, NEL (U+0085) among them
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"  # bidi marks, embeddings, overrides and isolates
    "\u2028\u2029"  # line and paragraph separators
    "\ufeff"  # a byte-order mark inside text
    "\ufdd0-\ufdef" + _NONCHARACTERS + "\ud800-\udfff"  # non-characters and lone surrogates
    "]"
)
FIX = (
    "delete it, or write the plain character meant (a space, a hyphen); control characters, line separators, "
    "bidi controls and non-characters cannot be published"
)


def holds_forbidden(text: str) -> bool:
    """Whether any FORBIDDEN character is in the text: searched among its distinct characters, since the
    pattern's large character set costs ~70 ns a character (15 ms for the tables) and set() ~15."""
    return FORBIDDEN.search("".join(set(text))) is not None


_NAMES = {0: "NULL", 0x1B: "ESCAPE", 0x7F: "DELETE", 0x85: "NEXT LINE"}


def describe(char: str) -> str:
    """'U+202E (RIGHT-TO-LEFT OVERRIDE)': the code point and its name, for a message."""
    code = ord(char)
    name = _NAMES.get(code) or unicodedata.name(char, "a control character" if code < 0xA0 else "a non-character")
    return f"U+{code:04X} ({name})"
