"""Fault runs of the intake paths (issue #9): see README.md."""
