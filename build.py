"""Build BCTO: `python build.py [--check]` turns ontology/ into a checked release under output/."""

import sys

from bcto.cli import script

if __name__ == "__main__":
    sys.exit(script(["build", *sys.argv[1:]]))
