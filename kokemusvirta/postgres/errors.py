"""What can go wrong managing the local PostgreSQL server. Every message is one line."""

from __future__ import annotations


class PostgresError(RuntimeError):
    """Something went wrong managing the local PostgreSQL server."""


class PrerequisiteMissing(PostgresError):
    """Debian's PostgreSQL server programs are not installed; the message says how to get them."""
