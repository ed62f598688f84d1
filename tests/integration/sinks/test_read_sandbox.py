"""The readers' sandbox against a real store, as a user runs `kokemusvirta query` (subprocesses,
no broker): every statement that is not one read is refused in one line with exit 2, nothing
reaches a file beyond the store (not /etc/passwd, not the key store, not the pseudonym key, not
another store), and results leave through the command's own --csv/--parquet FILE. The
dashboards' reader connection is the same sandbox. The statement check alone is
tests/unit/sinks/test_read_statement.py."""

from __future__ import annotations

import csv
import stat
import subprocess
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from dashboards.server import SnapshotReader
from kokemusvirta.keystore import FileKeyStore, pseudonym_key
from kokemusvirta.settings import Settings
from sinks.reader import open_read_only
from sinks.store import Store
from tests.chains import NOW, Log
from tests.factories import as_bytes, feedback
from tests.integration.kokemusvirta.test_commands_never_shrug import kv, refused

REFUSED = "kielletty lause (refused statement)"
FILES_OFF = f"{REFUSED}: file access is off"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A home with a store of three items, a key store with one person's key and the
    development pseudonym key, as the demo leaves them."""
    log = Log()
    for _ in range(3):
        [item] = log.intake(as_bytes(feedback()))
        log.whole_path(item)
    log.write(tmp_path / "s.duckdb")
    settings = Settings(KOKEMUSVIRTA_HOME=tmp_path)  # type: ignore[call-arg]
    pseudonym_key(settings)
    FileKeyStore(settings.key_store).get_or_create("lappi", "ps-" + "c" * 32, NOW)
    return tmp_path


def store(home: Path) -> Path:
    return home / "s.duckdb"


def query(home: Path, sql: str, *form: str) -> subprocess.CompletedProcess[str]:
    return kv(home, "query", sql, *form, store=store(home))


@pytest.fixture
def other_store(tmp_path: Path) -> Path:
    path = tmp_path / "toinen.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE precious AS SELECT range AS n FROM range(5)")
    return path


def refusals(home: Path, other: Path) -> list[tuple[str, str]]:
    keys = home / "keys"
    out = home / "ulos.csv"
    return [
        (f"COPY knowledge_items TO '{out}'", "COPY reads or writes files"),
        (f"COPY (SELECT * FROM lifecycle) TO '{out}' (FORMAT parquet)", "COPY reads or writes"),
        (f"COPY knowledge_items FROM '{out}'", "COPY reads or writes files"),
        (f"EXPORT DATABASE '{home / 'vienti'}'", "EXPORT DATABASE writes files"),
        (f"ATTACH '{other}' AS o (READ_WRITE)", "ATTACH opens another database"),
        (f"ATTACH '{other}' AS o (READ_ONLY)", "ATTACH opens another database"),
        ("INSTALL httpfs", "INSTALL and LOAD of extensions are off"),
        ("LOAD httpfs", "INSTALL and LOAD of extensions are off"),
        ("SET enable_external_access = true", "SET, RESET and USE change"),
        ("SET lock_configuration = false", "SET, RESET and USE change"),
        ("RESET enable_external_access", "SET, RESET and USE change"),
        ("PRAGMA threads = 64", "SET, RESET and USE change"),
        ("PRAGMA enable_profiling", "this PRAGMA changes"),
        ("INSERT INTO dead_letters SELECT * FROM dead_letters", "INSERT writes"),
        ("UPDATE knowledge_items SET reached_leadership_at = now()", "UPDATE writes"),
        ("DELETE FROM lifecycle", "DELETE writes"),
        ("DROP TABLE knowledge_items", "DROP writes"),
        ("CREATE TEMP TABLE t AS SELECT 1", "CREATE writes"),
        ("SELECT 1; SELECT 2", "vain yksi lause (one statement only)"),
        ("select * from read_text('/etc/passwd')", FILES_OFF),
        ("select * from read_blob('/etc/passwd')", FILES_OFF),
        ("select * from read_csv('/etc/passwd')", FILES_OFF),
        (f"select * from read_parquet('{home}/*.parquet')", FILES_OFF),
        (f"select * from read_blob('{keys}/*/*')", FILES_OFF),
        (f"select * from read_text('{home / 'pseudonym-dev.key'}')", FILES_OFF),
        (f"select * from read_json_auto('{keys}/*/*.key')", FILES_OFF),  # each key is JSON
        (f"select * from '{home}/tulos.csv'", FILES_OFF),  # a path in FROM
        (f"select * from glob('{keys}/**')", FILES_OFF),
        ("select * from query('select * from read_text(''/etc/passwd'')')", FILES_OFF),
    ]


CASES = [pytest.param(i, id=f"{i:02d}") for i in range(29)]


def test_the_cases_are_all_run(home: Path, other_store: Path) -> None:
    assert len(refusals(home, other_store)) == len(CASES)


@pytest.mark.parametrize("case", CASES)
def test_query_refuses_everything_but_one_read_in_one_line(
    home: Path, other_store: Path, case: int
) -> None:
    sql, why = refusals(home, other_store)[case]
    line = refused(query(home, sql), why)
    assert line.startswith("kokemusvirta: ")
    assert "root:" not in line and "ps-" not in line  # nothing read leaks into the message
    assert not (home / "ulos.csv").exists() and not (home / "vienti").exists()
    with duckdb.connect(str(other_store), read_only=True) as other:
        assert other.execute("SELECT count(*) FROM precious").fetchone() == (5,)
    with duckdb.connect(str(store(home)), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM knowledge_items").fetchone() == (3,)
        assert con.execute("SELECT count(*) FROM lifecycle").fetchone()[0] > 0  # type: ignore[index]


def test_a_read_answers_on_screen_and_into_csv_and_parquet_files(home: Path) -> None:
    sql = "select county, unit, count(*) as n from knowledge_items group by all"
    table = query(home, sql)
    assert table.returncode == 0, table.stderr
    assert "rovaniemen-terveysasema" in table.stdout and "(1 row)" in table.stdout
    on_stdout = query(home, sql, "--csv")
    assert on_stdout.stdout.splitlines() == ["county,unit,n", "lappi,rovaniemen-terveysasema,3"]

    as_csv = home / "tulos.csv"
    done = query(home, sql, "--csv", str(as_csv))
    assert done.returncode == 0, done.stderr
    assert "1 riviä" in done.stdout and "(1 rows written)" in done.stdout
    with as_csv.open(newline="", encoding="utf-8") as f:
        assert list(csv.reader(f)) == [["county", "unit", "n"],
                                       ["lappi", "rovaniemen-terveysasema", "3"]]
    assert stat.S_IMODE(as_csv.stat().st_mode) == 0o600  # results may hold clients' words

    as_parquet = home / "tulos.parquet"
    done = query(home, "select item_id, county, routed_at from knowledge_items order by 1",
                 "--parquet", str(as_parquet))
    assert done.returncode == 0, done.stderr
    written = pq.read_table(as_parquet)
    assert written.num_rows == 3 and written.column_names == ["item_id", "county", "routed_at"]
    assert set(written.column("county").to_pylist()) == {"lappi"}
    assert [p.name for p in home.iterdir() if p.name.startswith(".tulos")] == []  # no leftovers


def test_a_failed_query_leaves_an_existing_file_as_it_was(home: Path) -> None:
    target = home / "vanha.csv"
    target.write_text("vanha\n")
    done = query(home, "select nonsense from nowhere", "--csv", str(target))
    assert done.returncode == 2 and "query failed" in done.stderr
    assert target.read_text() == "vanha\n"


def test_every_readers_connection_is_the_sandbox(home: Path) -> None:
    """The connection inbox, digest, trace, verify, quality and the dashboards' file use, and
    the dashboards' server's per-request cursor: file access off, configuration locked."""
    con = open_read_only(store(home))
    reader = SnapshotReader(store(home))
    try:
        cur, _ = reader.cursor()
        for c in (con, cur):
            assert c.execute("select count(*) from knowledge_items").fetchone() == (3,)
            assert c.execute("select current_setting('TimeZone')").fetchone() == ("UTC",)
            for sql in ("select * from read_text('/etc/passwd')",
                        f"select * from read_blob('{home / 'keys'}/*/*')",
                        f"copy knowledge_items to '{home / 'ulos.csv'}'",
                        f"attach '{home / 'toinen.duckdb'}' as o",
                        "install httpfs", "load httpfs"):
                with pytest.raises(duckdb.PermissionException):
                    c.execute(sql)
            for sql in ("set enable_external_access = true", "set lock_configuration = false",
                        "set allowed_directories = ['/']", "set autoload_known_extensions = true"):
                with pytest.raises(duckdb.InvalidInputException, match="has been locked"):
                    c.execute(sql)
        assert not (home / "ulos.csv").exists() and not (home / "toinen.duckdb").exists()
    finally:
        reader.close()
        con.close()


def test_the_store_opened_with_the_sink_gone_is_the_sandbox_too(tmp_path: Path) -> None:
    """No snapshot yet: the store itself is read, in the same sandbox."""
    path = tmp_path / "s.duckdb"
    Store(path).close()
    con = open_read_only(path)
    try:
        with pytest.raises(duckdb.PermissionException):
            con.execute("select * from read_text('/etc/passwd')")
    finally:
        con.close()
