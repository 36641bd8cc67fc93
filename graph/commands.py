"""`bcto path` and `bcto stats`: explain connections and summarise the graph's shape."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    """Add the graph subcommands to the bcto command."""
