"""A real PostgreSQL server (Debian's packages) on loopback, for DuckLake's PostgreSQL catalog.

See :mod:`kokemusvirta.postgres.server` and docs/postgres.md. Importing starts nothing.
"""

from __future__ import annotations

from kokemusvirta.postgres.catalog import ducklake_catalog, load_lake_extensions
from kokemusvirta.postgres.errors import PostgresError, PrerequisiteMissing
from kokemusvirta.postgres.server import LocalPostgres

__all__ = ["LocalPostgres", "PostgresError", "PrerequisiteMissing", "ducklake_catalog",
           "load_lake_extensions"]
