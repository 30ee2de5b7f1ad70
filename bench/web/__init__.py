"""Load benchmarks of the web API and the intake services (GitHub issue #5); see README.md."""
