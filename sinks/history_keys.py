"""Stores made before the history tables (events, lifecycle) lost their PRIMARY KEY.

DuckDB writes a key's whole index again at every checkpoint, which made each batch's cost grow
with the history (a second per million keys); the sink keeps event_id unique with the
anti-join in write_batch.sql instead (sinks/schema.sql). DuckDB cannot drop a key, so an older
store's tables are copied without it, once, when the sink opens the store.
"""

from __future__ import annotations

import duckdb

# The tables that grow with every event and whose key is kept by the anti-join in
# write_batch.sql, not by an index (sinks/schema.sql says why).
UNINDEXED_HISTORY = ("events", "lifecycle")


def drop_history_keys(con: duckdb.DuckDBPyConnection) -> None:
    """A store made before the history tables lost their PRIMARY KEY: copy each without it,
    once (DuckDB cannot drop a key). The rows, their order and the columns stay."""
    keyed = [t for (t,) in con.execute(
        "SELECT table_name FROM duckdb_constraints() WHERE schema_name = 'main' "
        "AND constraint_type = 'PRIMARY KEY' AND table_name IN ?",
        [list(UNINDEXED_HISTORY)]).fetchall()]
    for table in keyed:
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(f"CREATE TABLE {table}_unkeyed AS SELECT * FROM {table}")
            con.execute(f"DROP TABLE {table} CASCADE")
            con.execute(f"ALTER TABLE {table}_unkeyed RENAME TO {table}")
            con.execute(f"ALTER TABLE {table} ALTER COLUMN event_id SET NOT NULL")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
