"""Benchmarks: `make bench` runs them and writes BENCHMARKS.md. Targets live here, never in unit tests."""
