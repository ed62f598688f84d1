"""Dashboards: to come (see README.md in this folder)."""
