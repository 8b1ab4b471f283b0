"""Adding documents by hand review: propose a draft mapping, review it fact by fact, and see
what a change does to the graph (kg add, kg propose, kg review, kg diff)."""
