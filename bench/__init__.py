"""Benchmarks (nicht Teil des Pakets)."""
