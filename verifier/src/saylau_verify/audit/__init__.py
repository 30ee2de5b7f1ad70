"""Checks of an audit report (spec/audit.md §14): record.jsonl, manifest.json and plan.json."""
