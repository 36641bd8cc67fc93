"""`bcto query` and `bcto serve`: SPARQL from a terminal and over HTTP."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    """Add the SPARQL subcommands to the bcto command."""
