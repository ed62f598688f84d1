"""The code before a change, kept as the old side of a differential test."""
