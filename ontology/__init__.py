"""Curated sources of BCTO and the code that checks and compiles them into OWL."""
