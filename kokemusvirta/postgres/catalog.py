"""The DuckLake catalog string for a PostgreSQL server, and the DuckDB extensions it needs.

The string names a libpq ``passfile`` rather than carrying the password, so it can be printed,
logged and put in a setting (KOKEMUSVIRTA_LAKE) without leaking the secret; libpq (inside
DuckDB's postgres extension) reads the password from the file, which must be 0600.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

#: The extensions' wheels (duckdb-extension-ducklake, duckdb-extension-postgres-scanner) ship
#: the binaries for our DuckDB version; DuckDB does not find them by itself and would try to
#: download them, so they are loaded from the wheel's files.
EXTENSION_WHEELS = {"ducklake": "duckdb_extension_ducklake",
                    "postgres_scanner": "duckdb_extension_postgres_scanner"}


def conninfo_value(value: str) -> str:
    """A libpq keyword/value string's value: quoted when it has spaces or quotes."""
    if value and not any(ch in value for ch in " '\\\t\n"):
        return value
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def conninfo(**params: str | int) -> str:
    return " ".join(f"{key}={conninfo_value(str(value))}" for key, value in params.items())


def ducklake_catalog(*, host: str, port: int, dbname: str, user: str, passfile: Path) -> str:
    """``ducklake:postgres:dbname=… host=… port=… user=… passfile=…`` (no password in it)."""
    return "ducklake:postgres:" + conninfo(dbname=dbname, host=host, port=port, user=user,
                                           passfile=str(passfile))


def pgpass_line(host: str, dbname: str, user: str, password: str) -> str:
    """One line of a libpq password file, any port (a restart may pick another free one)."""

    def field(text: str) -> str:
        return text.replace("\\", "\\\\").replace(":", "\\:")

    return f"{field(host)}:*:{field(dbname)}:{field(user)}:{field(password)}\n"


def extension_file(name: str) -> Path:
    import duckdb

    package = importlib.import_module(EXTENSION_WHEELS[name])
    folder = Path(str(package.__file__)).parent / "extensions" / f"v{duckdb.__version__}"
    return folder / f"{name}.duckdb_extension"


def load_lake_extensions(con: Any) -> None:
    """Load DuckLake and the postgres extension into ``con`` (a DuckDB connection) from their
    wheels, and forbid downloading any (a test or a sandbox must not reach the network)."""
    for name in EXTENSION_WHEELS:
        path = str(extension_file(name)).replace("'", "''")
        con.execute(f"LOAD '{path}'")
    con.execute("SET autoinstall_known_extensions = false")
