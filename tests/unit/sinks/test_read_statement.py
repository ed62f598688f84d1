"""`kokemusvirta query` runs one read statement, judged by DuckDB's own parser (statement types),
not by a pattern on the text. Parsing only: no store is opened here; what the sandbox refuses
when a read statement touches a file is tests/integration/sinks/test_read_sandbox.py."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from sinks.reader import FILE_ACCESS_OFF, SANDBOX, Refused, judge, read_statement


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    """An empty in-memory database in the readers' sandbox (the parse of some PRAGMAs acts)."""
    return duckdb.connect(config=dict(SANDBOX))


@pytest.mark.parametrize("sql", [
    "select 1",
    "SELECT county, count(*) FROM knowledge_items GROUP BY ALL",
    "with a as (select 1 as n) select n from a",
    "from knowledge_items",
    "values (1), (2)",
    "describe knowledge_items",
    "show tables",
    "summarize lifecycle",
    "pragma table_info('knowledge_items')",
    "select 1 union all select 2",
    "select 1;",  # a trailing semicolon is still one statement
    "-- a comment\nselect 1",
])
def test_a_read_statement_is_accepted(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    assert read_statement(con, sql).type == duckdb.StatementType.SELECT


@pytest.mark.parametrize(("sql", "why"), [
    ("copy knowledge_items to '/tmp/x.csv'", "COPY reads or writes files"),
    ("copy (select 1) to '/tmp/x.parquet' (format parquet)", "COPY reads or writes files"),
    ("copy knowledge_items from '/tmp/x.csv'", "COPY reads or writes files"),
    ("export database '/tmp/x'", "EXPORT DATABASE writes files"),
    ("attach '/tmp/other.duckdb' as other (read_write)", "ATTACH opens another database"),
    ("attach ':memory:' as m", "ATTACH opens another database"),
    ("detach other", "DETACH closes a database"),
    ("install httpfs", "INSTALL and LOAD of extensions are off"),
    ("load httpfs", "INSTALL and LOAD of extensions are off"),
    ("force install httpfs from community", "INSTALL and LOAD of extensions are off"),
    ("set enable_external_access = true", "SET, RESET and USE change"),
    ("set lock_configuration = false", "SET, RESET and USE change"),
    ("reset threads", "SET, RESET and USE change"),
    ("pragma threads = 1", "SET, RESET and USE change"),
    ("pragma enable_profiling", "this PRAGMA changes"),
    ("set variable x = 1", "SET, RESET and USE change"),
    ("use other", "SET, RESET and USE change"),
    ("insert into lifecycle select * from lifecycle", "INSERT writes"),
    ("update knowledge_items set text = ''", "UPDATE writes"),
    ("delete from dead_letters", "DELETE writes"),
    ("create table t (a int)", "CREATE writes"),
    ("create temp table t as select 1", "CREATE writes"),
    ("create secret (type s3, key_id 'k', secret 's')", "CREATE writes"),
    ("create macro m(a) as a", "CREATE writes"),
    ("drop table knowledge_items", "DROP writes"),
    ("alter table knowledge_items add column x int", "ALTER writes"),
    ("merge into t using s on t.a = s.a when matched then delete", "MERGE INTO writes"),
    ("vacuum", "VACUUM writes"),
    ("checkpoint", "CALL runs a procedure"),
    ("call pragma_version()", "CALL runs a procedure"),
    ("explain analyze select 1", "EXPLAIN can run"),
    ("begin transaction", "read-only transaction of its own"),
    ("prepare p as select 1", "PREPARE and EXECUTE"),
    ("update extensions", "not a read statement"),
])
def test_anything_but_a_read_is_refused_in_one_line(
    con: duckdb.DuckDBPyConnection, sql: str, why: str
) -> None:
    with pytest.raises(Refused) as refused:
        read_statement(con, sql)
    line = str(refused.value)
    assert line.startswith("kielletty lause (refused statement): ") and why in line
    assert "\n" not in line


@pytest.mark.parametrize(("sql", "count"), [
    ("select 1; select 2", 2),
    ("select 1; copy knowledge_items to '/tmp/x.csv'", 2),  # a read first hides nothing
    ("select 1; attach '/tmp/o.duckdb'; select 2", 3),
])
def test_one_statement_only(con: duckdb.DuckDBPyConnection, sql: str, count: int) -> None:
    with pytest.raises(Refused, match=rf"vain yksi lause \(one statement only\).* {count} "):
        read_statement(con, sql)


@pytest.mark.parametrize("sql", ["", "   ", "-- nothing but a comment", ";"])
def test_an_empty_query_is_refused(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    with pytest.raises(Refused, match=r"tyhjä kysely \(empty query\)"):
        read_statement(con, sql)


def test_a_pragma_that_reads_files_while_parsed_is_refused(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    """import_database reads its folder's schema.sql while the statement is parsed: the parse
    happens in the sandboxed connection, whose file access is off."""
    (tmp_path / "schema.sql").write_text("CREATE TABLE leaked (a INTEGER);")
    (tmp_path / "load.sql").write_text("")
    with pytest.raises(Refused) as refused:
        read_statement(con, f"pragma import_database('{tmp_path}')")
    assert str(refused.value) == FILE_ACCESS_OFF


def test_sql_that_does_not_parse_is_duckdbs_parser_error(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(duckdb.ParserException):
        read_statement(con, "selec 1")


def test_judge_reads_duckdbs_statement_types() -> None:
    assert judge(["SELECT"]) is None
    assert judge([]) is not None and judge(["SELECT", "SELECT"]) is not None
    for kind in ("COPY", "ATTACH", "LOAD", "SET", "PRAGMA", "INSERT", "EXPORT", "SOMETHING_NEW"):
        assert (judge([kind]) or "").startswith("kielletty lause"), kind
