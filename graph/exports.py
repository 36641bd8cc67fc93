"""GraphML (Cytoscape) and GEXF (Gephi) files, byte-identical for identical data."""

from __future__ import annotations

import io
import re

import networkx as nx

from graph.model import GraphData
from graph.network import to_networkx


def graphml(data: GraphData) -> bytes:
    buffer = io.BytesIO()
    nx.write_graphml(to_networkx(data), buffer, encoding="utf-8", prettyprint=True, named_key_ids=True)
    return buffer.getvalue()


def gexf(data: GraphData) -> bytes:
    """GEXF with its last-modified date pinned to the ontology version (networkx writes today's date)."""
    buffer = io.BytesIO()
    nx.write_gexf(to_networkx(data), buffer, encoding="utf-8", prettyprint=True)
    text = buffer.getvalue().decode("utf-8")
    text = re.sub(r'lastmodifieddate="[^"]*"', f'lastmodifieddate="{data.version or "1970-01-01"}"', text, count=1)
    return text.encode("utf-8")
