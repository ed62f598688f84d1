"""Benchmarks: the whole pipeline through the broker, redaction, and the dashboards' queries."""
