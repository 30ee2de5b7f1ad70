"""The audits context (issue 11): use cases of a risk-limiting audit of a paper event (spec/audit.md
§11-§13: plan, manifest, seed, draw, hand-count entry, status and report, on top of the pure core
``saylau.audit``) and the observers' parallel check (``parallel``: copies of precinct protocols compared
with the official entries, spec/formats.md §16).

The package imports nothing here: a command imports the module it runs (``workflow``, ``reading``,
``parallel``).
"""
