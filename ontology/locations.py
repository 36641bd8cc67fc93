"""Where a BCTO project keeps things, relative to the working directory (never to the installed code).

Every command takes these as defaults and an option to override each, so an installed `bcto` works on
any checkout: run it from the project folder, or pass --ontology / --output.
"""

from __future__ import annotations

from pathlib import Path

ONTOLOGY = Path("ontology")  # the curated sources
OUTPUT = Path("output")  # the release, written only by the build
CACHE = Path(".cache")  # reasoner answers, viewer layouts and the parsed sources, by content hash
SEEDS = Path("../shared/seeds")  # the source documents, when a checkout has them beside it
REASONER_CACHE = "reasoner"  # HermiT's answers, in the cache folder, one file per logical fingerprint
SOURCES_CACHE = "sources"  # the checked core.ttl, the parsed tables and the seeds' shapes, in the cache folder

# The release files a SPARQL query or a graph command reads, loaded together.
QUERYABLE = ("bcto.ttl", "bcto-kg.ttl", "bcto-inferred.ttl", "bcto-statements.ttl")


def missing_release(output: Path) -> str | None:
    """The one wording every command uses when there is no built release in `output`, or None."""
    missing = [name for name in QUERYABLE if not (output / name).is_file()]
    if not missing:
        return None
    return (
        f"no built release in {output} ({', '.join(missing)} missing); run `python build.py` first (or `bcto build`), "
        "or point --output at a release folder"
    )
