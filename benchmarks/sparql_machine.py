"""The machine line every SPARQL benchmark result carries: CPUs, Python, library versions, date."""

from __future__ import annotations

import datetime
import os
import platform
from importlib.metadata import version


def machine_line() -> str:
    return (
        f"Machine: {os.cpu_count()} CPUs ({platform.machine()}, {platform.system()}), "
        f"Python {platform.python_version()}, pyoxigraph {version('pyoxigraph')}, rdflib {version('rdflib')}; "
        f"measured {datetime.date.today().isoformat()}."
    )
