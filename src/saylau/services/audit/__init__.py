"""Use cases of a risk-limiting audit of a paper event (spec/audit.md §11-§13): plan, manifest, seed,
draw, hand-count entry, status and report, on top of the pure core ``saylau.audit``.

The package imports nothing here: a command imports the module it runs (``workflow``, ``reading``).
"""
