"""SPARQL: the query library (competency questions, QC checks, reports) and the code that runs it."""
