"""Run the kgx validator (kgx 2.7.0) on KGX TSV files, offline, and print its report as JSON.

Runs in the kgx environment .ci/run makes (kgx pins its own dependencies, so it is not in BCTO's). kgx and bmt
download the Biolink Model, its predicate map and a JSON-LD context at start-up; here they read the YAML and the
prefix map of the installed biolink-model package instead, and any other attempt to reach the network fails.
Prefixes outside Biolink's context (bcto) are declared with --prefix NAME=IRI, as a kgx config's context would.

    python kgx_validate.py --prefix bcto=https://w3id.org/bcto/ nodes.tsv edges.tsv
"""

from __future__ import annotations

import argparse
import json
import socket
import sys
from importlib import resources


def _no_network(*_args: object, **_kwargs: object) -> socket.socket:
    raise OSError("kgx_validate: network access is disabled")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--prefix", action="append", default=[], help="NAME=IRI, a prefix to declare")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    socket.create_connection = _no_network  # type: ignore[assignment]
    socket.socket.connect = _no_network  # type: ignore[method-assign,assignment]

    import bmt.toolkit
    from linkml_runtime.utils.schemaview import SchemaView

    schema_dir = resources.files("biolink_model")
    local_schema = str(schema_dir / "schema" / "biolink_model.yaml")

    def local_toolkit(self: bmt.toolkit.Toolkit, *_args: object, **_kwargs: object) -> None:
        """bmt reads the Biolink YAML and a predicate map from GitHub (kgx builds one at import): read the
        installed package's YAML whatever it asks for; the predicate map is not used by validation."""
        self.view = SchemaView(local_schema)
        self.pmap = {}

    bmt.toolkit.Toolkit.__init__ = local_toolkit  # type: ignore[method-assign]
    context = json.loads((schema_dir / "prefixmaps" / "biolink-model-prefix-map.json").read_text())
    context |= dict(p.split("=", 1) for p in args.prefix)

    import kgx.config

    kgx.config.jsonld_context_map["biolink"] = context
    from kgx.transformer import Transformer
    from kgx.validator import Validator

    toolkit = Validator.get_toolkit()
    validator = Validator()
    Transformer(stream=True).transform(
        input_args={"filename": args.files, "format": "tsv"}, output_args={"format": "null"}, inspector=validator
    )
    report = {
        "biolink_version": toolkit.get_model_version(),
        "errors": validator.get_errors(),
    }
    json.dump(report, sys.stdout, indent=1, sort_keys=True, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())
