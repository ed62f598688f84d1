"""One DuckDB process attached to a DuckLake, driven line by line: a reader or a writer on
"another host" for the PostgreSQL catalog's tests (test_postgres_catalog.py).

    python -m tests.integration.lake_client CATALOG DATA_PATH|- [--read-only]

attaches the lake as ``lake`` (a writer with every row in Parquet under DATA_PATH, none inlined
into the catalog; a reader with ``-`` takes the path the catalog holds) when it reads the line
``attach`` (so several can be started at once and attach in a chosen order), answers
``ready``, then runs each SQL statement read from stdin (one a line) and prints one JSON line:
``{"rows": [...]}`` or ``{"error": "..."}``. It stays attached between statements, as a
long-lived reader does.
"""

from __future__ import annotations

import json
import sys

import duckdb

from kokemusvirta.postgres import load_lake_extensions


def main(argv: list[str]) -> int:
    catalog, data_path = argv[0], argv[1]
    options = [] if data_path == "-" else [f"DATA_PATH '{data_path}'"]
    if "--read-only" in argv:
        options.append("READ_ONLY")
    else:
        options.append("DATA_INLINING_ROW_LIMIT 0")
    con = duckdb.connect()
    load_lake_extensions(con)
    if sys.stdin.readline().strip() != "attach":
        return 2
    con.execute(f"ATTACH '{catalog}' AS lake ({', '.join(options)})")
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        try:
            rows = con.execute(line).fetchall()
            print(json.dumps({"rows": [list(r) for r in rows]}, default=str), flush=True)
        except duckdb.Error as exc:
            print(json.dumps({"error": f"{type(exc).__name__}: {exc}"}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
