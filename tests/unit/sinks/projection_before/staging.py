# sinks/store.py's staged_tables and _table as they were at 100b36b, before the rows were turned
# into columns in one pass: the old side of tests/unit/sinks/test_projection_differential.py.
"""The batch's rows as Arrow tables, column by column in Python (the code before)."""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from sinks.store import STAGING_SCHEMAS


def staged_tables(batch: Any) -> dict[str, pa.Table]:
    """The batch's rows as the Arrow tables write_batch.sql reads (stage_<name>)."""
    return {name: _table(name, getattr(batch, name)) for name in STAGING_SCHEMAS}


# The columns whose values may be uuid.UUID objects (staged as text). Converting only these
# keeps staging a large batch cheap.
_UUID_COLUMNS = frozenset({"event_id", "caused_by"})


def _table(name: str, rows: list[dict[str, Any]]) -> pa.Table:
    schema = STAGING_SCHEMAS[name]
    cols = {}
    for f in schema:
        values = [r.get(f.name) for r in rows]
        if f.name in _UUID_COLUMNS:
            values = [None if v is None else str(v) for v in values]
        cols[f.name] = values
    return pa.Table.from_pydict(cols, schema=schema)
