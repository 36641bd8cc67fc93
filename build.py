"""Build BCTO: `python build.py [--check]` turns ontology/ into a checked release under output/."""

import sys

from bcto.cli import main

if __name__ == "__main__":
    sys.exit(main(["build", *sys.argv[1:]]))
