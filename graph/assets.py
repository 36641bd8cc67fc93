"""The vis-network build that pyvis ships, read from the installed package so no third-party file is committed."""

from __future__ import annotations

import importlib.util
import re
from functools import cache
from importlib.resources import files
from pathlib import Path

VIS_VERSION = "9.1.2"
TEMPLATES = Path(str(files("bcto.graph"))) / "templates"


class MissingAsset(RuntimeError):
    """The installed pyvis does not hold the vis-network files the viewer inlines."""


def _pyvis_lib() -> Path:
    spec = importlib.util.find_spec("pyvis")  # locate without importing (pyvis imports IPython)
    if spec is None or not spec.submodule_search_locations:
        raise MissingAsset("pyvis is not installed; `pip install pyvis` (it ships the vis-network library)")
    return Path(next(iter(spec.submodule_search_locations))) / "templates" / "lib" / f"vis-{VIS_VERSION}"


@cache
def vis_network() -> tuple[str, str]:
    """(javascript, css) of vis-network, without the source-map comment (a debugger would fetch the .map)."""
    lib = _pyvis_lib()
    try:
        js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
        css = (lib / "vis-network.css").read_text(encoding="utf-8")
    except FileNotFoundError as err:
        raise MissingAsset(f"{err.filename} is missing; reinstall pyvis>=0.3.2") from err
    js = re.sub(r"\n//# sourceMappingURL=\S*\s*$", "\n", js)
    return js, css


@cache
def template(name: str) -> str:
    """One of our own page parts (page.html, viewer.js, viewer.css)."""
    return (TEMPLATES / name).read_text(encoding="utf-8")
