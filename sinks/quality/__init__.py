"""Data-quality checks of the store with Great Expectations (`kokemusvirta quality`).

suites.py says what is expected of each table and view, identifiers.py what counts as a
personal identifier left in text, frames.py reads the store, checkpoint.py runs GX, summary.py
prints the result. docs/quality.md explains each rule and why it holds.
"""
