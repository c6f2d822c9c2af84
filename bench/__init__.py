"""Benchmarks: scripts that measure the loader, not tests (run them by hand, see docs/benchmarks.md)."""
