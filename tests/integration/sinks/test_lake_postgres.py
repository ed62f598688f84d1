"""The history lake (sinks/lake.py) with DuckLake's PostgreSQL catalog, on the real PostgreSQL
server the project's own code starts on loopback (tests/integration/postgres_fixture.py): the
sink's writer fills it, a sandboxed reader sees every sync as a snapshot (a reader attached
before a sync sees it in its next query, as a reader on another host would), travels back to an
earlier one, and still reads no other path."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import duckdb
import pytest

from kokemusvirta.postgres import LocalPostgres
from sinks import reader
from sinks.lake import HISTORY_TABLES, LakeLocation, LakeWriter, location
from sinks.projection import project
from sinks.store import Store
from tests.factories import as_bytes, feedback
from tests.integration.sinks.test_store import NOW, T, records_for

RECORDS = records_for(*(as_bytes(feedback()) for _ in range(6)))
FIRST, SECOND = RECORDS[: len(RECORDS) // 2], RECORDS[len(RECORDS) // 2:]
DATABASE = "lake_of_the_sink"  # its own database: the session's server is shared with other tests


def _counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    row = con.execute("SELECT " + ", ".join(f"(SELECT count(*) FROM {t})"
                                            for t in HISTORY_TABLES)).fetchone()
    assert row is not None
    return dict(zip(HISTORY_TABLES, row, strict=True))


def _own_database(server: LocalPostgres) -> str:
    """The server's catalog string, for a database of this test's own (CREATE DATABASE cannot
    run in the transaction DuckDB's postgres extension wraps every statement in: psql, which
    comes with Debian's server)."""
    catalog = server.catalog()
    conninfo = catalog.removeprefix("ducklake:postgres:")
    subprocess.run(["psql", "--no-psqlrc", "-q", "-v", "ON_ERROR_STOP=1", "-d", conninfo,
                    "-c", f"CREATE DATABASE {DATABASE}"], check=True, timeout=30)
    assert "dbname=kokemusvirta " in catalog
    return catalog.replace("dbname=kokemusvirta ", f"dbname={DATABASE} ", 1)


@pytest.fixture(scope="module")
def lake(postgres_server: LocalPostgres, tmp_path_factory: pytest.TempPathFactory
         ) -> tuple[Store, LakeWriter, LakeLocation]:
    home = tmp_path_factory.mktemp("lake-pg")
    where = location(_own_database(postgres_server), home, data_path=home / "lake-data")
    assert where is not None and where.catalog_file is None
    store = Store(home / "store" / "kokemusvirta.duckdb")
    return store, LakeWriter(store.con, where, inlining_row_limit=0), where


def test_the_sink_fills_a_lake_whose_catalog_is_postgresql_and_readers_see_each_sync(
        lake: tuple[Store, LakeWriter, LakeLocation]) -> None:
    store, writer, where = lake
    store.write(project(FIRST, T, NOW))
    assert writer.sync() > 0
    first = _counts(store.con)

    held: Any = reader.open_lake(where)  # attached before the next sync, kept open across it
    try:
        assert _counts(held) == first
        store.write(project(SECOND, T, NOW))
        assert writer.sync() > 0
        assert writer.sync() == 0  # nothing new: no snapshot
        assert _counts(held) == _counts(store.con) != first  # the next query sees the new sync
        versions = [r[0] for r in held.execute(
            "SELECT snapshot_id FROM ducklake_snapshots('lake') ORDER BY 1").fetchall()]
    finally:
        held.close()

    assert len(versions) >= 2
    then = reader.open_lake(where, version=versions[-2])
    try:
        assert _counts(then) == first  # time travel: the lake as the first sync left it
    finally:
        then.close()


def test_a_reader_of_the_postgresql_lake_reads_no_other_path(
        lake: tuple[Store, LakeWriter, LakeLocation], tmp_path: Path) -> None:
    store, _writer, where = lake
    secret = tmp_path / "secret.txt"
    secret.write_text("key", encoding="utf-8")
    con = reader.open_lake(where)
    try:
        for sql in (f"SELECT * FROM read_text('{secret}')",
                    f"SELECT * FROM read_csv('{secret}')",
                    f"ATTACH '{tmp_path / 'other.duckdb'}' AS other",
                    # allowed for a PostgreSQL catalog's sake, yet nothing can be stored
                    f"CREATE PERSISTENT SECRET kept (TYPE postgres, HOST '{tmp_path}')",
                    "SET secret_directory = '/tmp'"):
            with pytest.raises(duckdb.Error):
                con.execute(sql)
        assert _counts(con) == _counts(store.con)  # the lake itself stays readable
    finally:
        con.close()
