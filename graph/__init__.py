"""Knowledge-graph views of BCTO: networkx analysis, the HTML viewer, exports."""
