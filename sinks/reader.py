"""Read-only queries on the store's published snapshot, safe while the sink runs.

Every reader (query, the dashboards' server and file, inbox, digest, trace, verify, quality,
the operators' tools) opens the store through `open_read_only`, a sandbox: DuckDB's file access
off (`enable_external_access`: no read_text/read_blob/read_csv/read_parquet/glob of any path, no
COPY, no ATTACH, no EXPORT), no extension installed or loaded, and the configuration locked so
that no statement turns any of it back on. The store itself is the connection's database and
stays readable; the key store and the pseudonym key, on the same disk, are not. The sink's
writer (sinks/store.py) has a connection of its own. `kokemusvirta query` further runs one read
statement only (`read_statement`), judged by DuckDB's own parser.
"""

from __future__ import annotations

import csv
import io
import json
import os
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

import duckdb

from sinks.excel_csv import as_excel_csv
from sinks.lake import LakeLocation
from sinks.paths import snapshot_path

# Set when the database is opened. `enable_external_access=false` also turns off the Python
# client's replacement scans of local variables; relations registered on purpose still work.
SANDBOX: dict[str, bool | list[str]] = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
    "allow_unsigned_extensions": False,
    "allow_persistent_secrets": False,
    # The two display settings a reader may still change once locked: each connection's own
    # time zone and progress bar (a session setting, on by default on a terminal).
    "allowed_configs": ["TimeZone", "enable_progress_bar"],
}


class StoreMissing(RuntimeError):
    pass


class NotSandboxed(RuntimeError):
    """The opened database is not in the sandbox (never expected: a guard, not a case)."""


def _check_sandboxed(con: duckdb.DuckDBPyConnection, what: str) -> None:
    """Never expected to fail (a guard, not a case): external access off, configuration locked."""
    row = con.execute("SELECT current_setting('enable_external_access'), "
                      "current_setting('lock_configuration')").fetchone()
    if row != (False, True):
        raise NotSandboxed(f"{what}: external access {row and row[0]}, locked {row and row[1]}")


def open_sandboxed(path: Path) -> duckdb.DuckDBPyConnection:
    """One DuckDB file, read-only, in the sandbox (see the module's docstring)."""
    con = duckdb.connect(str(path), read_only=True, config=dict(SANDBOX))
    try:
        # DuckDB hands out one database per file and configuration within a process: a second
        # reader of the same snapshot gets the first one's database, already set and locked.
        locked = con.execute("SELECT current_setting('lock_configuration')").fetchone()
        if not (locked and locked[0]):
            # TimeZone comes with ICU, which the connect-time configuration does not take.
            con.execute("SET GLOBAL TimeZone = 'UTC'")
            con.execute("SET GLOBAL lock_configuration = true")
        con.execute("SET enable_progress_bar = false")
        _check_sandboxed(con, str(path))
    except BaseException:
        con.close()
        raise
    return con


def open_read_only(store: Path) -> duckdb.DuckDBPyConnection:
    """The snapshot the sink publishes; the store itself only when no snapshot exists yet and
    no sink holds it (DuckDB allows one writer process and no reader beside it). Sandboxed."""
    snap = snapshot_path(store)
    for attempt in range(_LOCKED_TRIES):
        target = snap if snap.exists() else store
        if not target.exists():
            raise StoreMissing(
                f"No store at {store}. Run `kokemusvirta demo`, or `kokemusvirta sink` to build "
                "one.")
        try:
            return open_sandboxed(target)
        except duckdb.IOException as exc:
            # The sink locks the snapshot file it is about to publish while it patches it
            # (sinks/snapshot.py); the link moves to it right after. Not for the store itself.
            if target == store or "lock" not in str(exc) or attempt == _LOCKED_TRIES - 1:
                raise
            time.sleep(0.05)
    raise AssertionError("unreachable")


_LOCKED_TRIES = 40  # 2 s: a snapshot is patched in well under that


# `kokemusvirta query`: one read statement. SELECT covers WITH, FROM, VALUES, DESCRIBE, SHOW,
# SUMMARIZE and the PRAGMAs DuckDB rewrites to a SELECT (table_info, show_tables, version).
READ_TYPES = frozenset({"SELECT"})
REFUSED = "kielletty lause (refused statement)"
ONLY_READS = ("`kokemusvirta query` only reads the store (SELECT, WITH, FROM, DESCRIBE, SHOW, "
              "SUMMARIZE)")
SAVE_WITH = "save a result with --csv FILE or --parquet FILE"
_WHY: dict[str, str] = {
    "COPY": f"COPY reads or writes files; {SAVE_WITH}",
    "COPY_DATABASE": f"COPY FROM DATABASE writes another database; {SAVE_WITH}",
    "EXPORT": f"EXPORT DATABASE writes files; {SAVE_WITH}",
    "ATTACH": "ATTACH opens another database; the query reads this store only",
    "DETACH": "DETACH closes a database; the query reads this store only",
    "LOAD": "INSTALL and LOAD of extensions are off",
    "EXTENSION": "INSTALL and LOAD of extensions are off",
    "SET": "SET, RESET and USE change the connection's settings, which are locked",
    "PRAGMA": "this PRAGMA changes the connection's settings, which are locked",
    "CALL": "CALL runs a procedure; select from the table function instead",
    "EXPLAIN": "EXPLAIN can run the statement it explains (ANALYZE)",
    "TRANSACTION": "the query runs in a read-only transaction of its own",
    "PREPARE": "PREPARE and EXECUTE keep state between statements",
    "EXECUTE": "PREPARE and EXECUTE keep state between statements",
}
WRITES = frozenset({"INSERT", "UPDATE", "DELETE", "MERGE_INTO", "CREATE", "CREATE_FUNC", "DROP",
                    "ALTER", "VACUUM", "ANALYZE"})
FILE_ACCESS_OFF = (f"{REFUSED}: file access is off (read_text, read_blob, read_csv, "
                   f"read_parquet, glob or a path in FROM); the query reads the store only: "
                   f"{SAVE_WITH}")


class Refused(ValueError):
    """A statement `kokemusvirta query` does not run; the message is the user's one line."""


def judge(types: list[str]) -> str | None:
    """Why a query whose statements have these types (DuckDB's StatementType names) is not
    run, or None when it is one read statement."""
    if not types:
        return "tyhjä kysely (empty query): give one SELECT statement"
    if len(types) > 1:
        return (f"vain yksi lause (one statement only): the query has {len(types)} "
                "statements; run them one at a time")
    kind = types[0]
    if kind in READ_TYPES:
        return None
    if kind in WRITES:
        why = f"{kind.replace('_', ' ')} writes; the store is read-only here"
    else:
        why = _WHY.get(kind, "not a read statement")
    return f"{REFUSED}: {why}; {ONLY_READS}"


def read_statement(con: duckdb.DuckDBPyConnection, sql: str) -> duckdb.Statement:
    """The one read statement in `sql`, parsed by DuckDB in the sandboxed connection (some
    PRAGMAs act while being parsed: import_database reads files). Raises Refused, or
    duckdb.ParserException for SQL that does not parse."""
    try:
        statements = con.extract_statements(sql)
    except duckdb.ParserException:
        raise
    except duckdb.PermissionException as exc:
        raise Refused(FILE_ACCESS_OFF) from exc
    except duckdb.Error as exc:  # e.g. UPDATE EXTENSIONS, which has no result type
        raise Refused(f"{REFUSED}: not a read statement ({type(exc).__name__}); "
                      f"{ONLY_READS}") from exc
    why = judge([s.type.name for s in statements])
    if why:
        raise Refused(why)
    return statements[0]


@contextmanager
def analyst_query(store: Path, sql: str) -> Iterator[duckdb.DuckDBPyConnection]:
    """The result of an analyst's one read statement on the sandboxed snapshot. Raises Refused
    (also for a file the statement tries to read), StoreMissing, duckdb.Error."""
    con = open_read_only(store)
    try:
        statement = read_statement(con, sql)
        try:
            yield con.execute(statement.query)
        except duckdb.PermissionException as exc:
            raise Refused(FILE_ACCESS_OFF) from exc
    finally:
        con.close()


def run(store: Path, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    con = open_read_only(store)
    try:
        cur = con.execute(sql)
        columns = [d[0] for d in cur.description or []]
        return columns, cur.fetchall()
    finally:
        con.close()


def _plain(v: Any) -> Any:
    if isinstance(v, (datetime, date)):
        return v.isoformat()
    if isinstance(v, (UUID, Decimal)):
        return str(v)
    return v


def as_json(columns: list[str], rows: list[tuple[Any, ...]]) -> str:
    return json.dumps(
        [{c: _plain(v) for c, v in zip(columns, row, strict=True)} for row in rows],
        ensure_ascii=False, indent=1, default=str,
    )


def as_csv(columns: list[str], rows: list[tuple[Any, ...]]) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")  # shell pipelines expect \n, not \r\n
    w.writerow(columns)
    w.writerows([[_plain(v) for v in row] for row in rows])
    return out.getvalue()


def as_table(columns: list[str], rows: list[tuple[Any, ...]], max_width: int = 60) -> str:
    def cell(v: Any) -> str:
        s = "" if v is None else str(_plain(v))
        return s if len(s) <= max_width else s[: max_width - 1] + "…"

    body = [[cell(v) for v in row] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in body]) for i, c in enumerate(columns)]
    line = "  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))
    sep = "  ".join("-" * w for w in widths)
    lines = [line, sep]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in body]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)


@contextmanager
def _replacing(path: Path) -> Iterator[Path]:
    """A new 0600 file beside `path` (results may hold clients' words) that replaces `path`
    only when written whole; a failed query leaves no half file."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_csv(path: Path, columns: list[str], rows: list[tuple[Any, ...]],
              excel: bool = False) -> None:
    """Written by this code, not by DuckDB (whose file access is off); `excel`: in Finnish
    Excel's dialect (sinks/excel_csv.py)."""
    text = as_excel_csv(columns, rows) if excel else as_csv(columns, rows)
    with _replacing(path) as tmp:
        tmp.write_bytes(text.encode("utf-8"))  # bytes: Excel's CRLF stays as written


def write_parquet(path: Path, cur: duckdb.DuckDBPyConnection, batch_rows: int = 100_000) -> int:
    """The result streamed into a Parquet file by pyarrow, not by DuckDB; the rows written."""
    import pyarrow.parquet as pq

    batches = cur.to_arrow_reader(batch_rows)
    written = 0
    with _replacing(path) as tmp, pq.ParquetWriter(str(tmp), batches.schema) as out:
        for batch in batches:
            out.write_batch(batch)
            written += batch.num_rows
    return written


_NO_SECRETS = f"/nonexistent/kokemusvirta-no-secrets-{secrets.token_hex(8)}"


def open_lake(where: LakeLocation, version: int | None = None,
              at: str | None = None) -> duckdb.DuckDBPyConnection:
    """The history lake (sinks/lake.py), read-only, as of the latest snapshot, `version` or the
    time `at`, in the same sandbox as the store: external access off except the lake's own
    directories (its Parquet files and its catalog), nothing more loaded, settings locked. The
    ducklake extension is loaded from its wheel and the lake attached before the lock."""
    for attempt in range(_LOCKED_TRIES):
        # DuckLake attaches a PostgreSQL catalog through DuckDB's secret manager, which it asks
        # for the persistent ('local_file') storage: allowed for such a lake only, and pointed at
        # a directory that never exists (no stored secret is read; none can be written once
        # external access is off, below).
        postgres = len(where.extensions) > 1
        con = duckdb.connect(":memory:", config={
            k: v for k, v in SANDBOX.items() if k != "enable_external_access"
            and not (postgres and k == "allow_persistent_secrets")})
        try:
            con.execute("SET TimeZone = 'UTC'")
            if postgres:
                con.execute("SET secret_directory = '" + _NO_SECRETS + "'")
            for extension in where.extensions:
                con.execute("LOAD '" + extension.replace("'", "''") + "'")
            try:
                con.execute(where.attach_sql("lake", read_only=True, version=version, at=at))
            except duckdb.IOException as exc:
                # The sink holds a catalog file only for a sync (well under a second).
                if "lock" not in str(exc) or attempt == _LOCKED_TRIES - 1:
                    raise
                con.close()
                time.sleep(0.05)
                continue
            con.execute("USE lake")
            con.execute("SET GLOBAL allowed_directories = $dirs", {"dirs": where.directories})
            con.execute("SET GLOBAL enable_external_access = false")
            con.execute("SET GLOBAL lock_configuration = true")
            con.execute("SET enable_progress_bar = false")
            _check_sandboxed(con, "lake")
        except BaseException:
            con.close()
            raise
        return con
    raise AssertionError("unreachable")
