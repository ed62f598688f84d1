"""DuckLake's PostgreSQL catalog on a real PostgreSQL server (Debian's, started on loopback by the
project's own code: the `postgres_server` fixture), with writers and readers in processes of
their own, as on different hosts sharing the catalog and the data path.

One lake for the module: writer A makes the table and two commits, reader B (read-only) attaches
and travels in time, A commits again while B stays attached, then A and a second writer C commit
at the same moment.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kokemusvirta.postgres import LocalPostgres
from kokemusvirta.postgres.catalog import conninfo
from kokemusvirta.postgres.server import HOST, ROLE

ROOT = Path(__file__).resolve().parents[2]


class LakeClient:
    """tests/integration/lake_client.py in a process of its own, attached until closed."""

    def __init__(self, catalog: str, data_path: str, *, read_only: bool = False) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.integration.lake_client", catalog, data_path,
             *(["--read-only"] if read_only else [])],
            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)})

    def attached(self) -> None:
        self.send("attach")
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        assert json.loads(line or "{}").get("ready"), f"the lake client did not attach: {line!r}"

    def send(self, sql: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(sql + "\n")
        self.proc.stdin.flush()

    def answer(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        return dict(json.loads(self.proc.stdout.readline()))

    def sql(self, sql: str) -> list[list[Any]]:
        self.send(sql)
        answer = self.answer()
        assert "error" not in answer, f"{sql}: {answer['error']}"
        return list(answer["rows"])

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class Lake:
    def __init__(self, server: LocalPostgres, data_path: Path) -> None:
        self.catalog = server.catalog()
        self.data_path = data_path
        # Started together (each pays ~1.5 s for Python, DuckDB and the extensions), attached
        # one after the other: the first attach of a new lake creates the catalog's tables, and
        # two doing it at once race in PostgreSQL (pg_type_typname_nsp_index).
        self.a = LakeClient(self.catalog, f"{data_path}/")
        self.b = LakeClient(self.catalog, "-", read_only=True)
        self.c = LakeClient(self.catalog, f"{data_path}/")
        self.a.attached()
        self.a.sql("CREATE TABLE lake.palaute (id INTEGER, teema VARCHAR)")
        self.a.sql("INSERT INTO lake.palaute VALUES (1, 'saavutettavuus'), (2, 'odotusaika')")
        self.first = self.a.sql("SELECT id FROM lake.current_snapshot()")[0][0]
        self.a.sql("INSERT INTO lake.palaute VALUES (3, 'kohtelu')")
        self.second = self.a.sql("SELECT id FROM lake.current_snapshot()")[0][0]
        # Another host's reader: no DATA_PATH of its own, the catalog says where the files are.
        self.b.attached()
        self.c.attached()

    def close(self) -> None:
        for client in (self.a, self.b, self.c):
            client.close()


@pytest.fixture(scope="module")
def lake(postgres_server: LocalPostgres,
         tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lake]:
    made = Lake(postgres_server, tmp_path_factory.mktemp("lake-data"))
    try:
        yield made
    finally:
        made.close()


def test_a_reader_elsewhere_sees_both_commits_and_travels_to_the_first(lake: Lake) -> None:
    snapshots = lake.b.sql("SELECT snapshot_id FROM ducklake_snapshots('lake') ORDER BY 1")
    assert [lake.first, lake.second] == [s for [s] in snapshots][-2:]
    assert lake.b.sql("SELECT list(id ORDER BY id) FROM lake.palaute") == [[[1, 2, 3]]]
    assert lake.b.sql(f"SELECT list(id ORDER BY id) FROM lake.palaute "
                      f"AT (VERSION => {lake.first})") == [[[1, 2]]]
    # The rows are Parquet files under the shared data path, not rows in PostgreSQL.
    assert list(lake.data_path.rglob("*.parquet"))


def test_a_commit_made_while_the_reader_is_attached_is_in_its_next_query(lake: Lake) -> None:
    before = lake.b.sql("SELECT count(*) FROM lake.palaute")[0][0]
    lake.a.sql("INSERT INTO lake.palaute VALUES (4, 'tiedonkulku')")
    assert lake.b.sql("SELECT count(*) FROM lake.palaute")[0][0] == before + 1
    assert lake.b.sql("SELECT teema FROM lake.palaute WHERE id = 4") == [["tiedonkulku"]]


def test_the_reader_cannot_write(lake: Lake) -> None:
    lake.b.send("INSERT INTO lake.palaute VALUES (99, 'ei')")
    assert "read-only" in lake.b.answer().get("error", "")


def test_two_writers_appending_at_once_both_land(lake: Lake) -> None:
    """Two transactions open on the same snapshot, both append: DuckLake retries the second
    commit on top of the first (appends do not conflict)."""
    for client, row in ((lake.a, "(10, 'A')"), (lake.c, "(20, 'C')")):
        client.sql("BEGIN")
        client.sql(f"INSERT INTO lake.palaute VALUES {row}")
    lake.a.sql("COMMIT")
    lake.c.sql("COMMIT")
    assert lake.b.sql("SELECT list(id ORDER BY id) FROM lake.palaute "
                      "WHERE id >= 10") == [[[10, 20]]]


def test_two_writers_deleting_the_same_row_one_gets_a_clear_conflict(lake: Lake) -> None:
    for client in (lake.a, lake.c):
        client.sql("BEGIN")
        client.sql("DELETE FROM lake.palaute WHERE id = 1")
    lake.a.sql("COMMIT")
    lake.c.send("COMMIT")
    error = lake.c.answer().get("error", "")
    assert "Transaction conflict" in error, error
    assert lake.b.sql("SELECT count(*) FROM lake.palaute WHERE id = 1") == [[0]]


def test_the_server_is_on_loopback_with_passwords_and_private_files(
    postgres_server: LocalPostgres,
) -> None:
    status = postgres_server.status()
    target = conninfo(host=HOST, port=status["port"], user=ROLE, dbname="kokemusvirta")
    bindir = Path(json.loads(Path(status["home"], "state.json").read_text())["bin_dir"])
    base = {k: v for k, v in os.environ.items() if not k.startswith("PG")}

    def psql_query(sql: str, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(bindir / "psql"), "-XtA", "-d", target, "-c", sql],
                              env={**base, **env}, capture_output=True, text=True, timeout=30,
                              check=False)

    shown = psql_query("SHOW listen_addresses", PGPASSFILE=status["passfile"])
    assert shown.stdout.strip() == "127.0.0.1", shown.stderr
    assert psql_query("SHOW password_encryption",
                      PGPASSFILE=status["passfile"]).stdout.strip() == "scram-sha-256"
    refused = psql_query("SELECT 1", PGPASSFILE="/dev/null")
    assert refused.returncode != 0 and "password" in refused.stderr
    assert postgres_server.password() not in postgres_server.catalog()
    for private in (postgres_server.password_file, postgres_server.passfile):
        assert stat.S_IMODE(private.stat().st_mode) == 0o600
    if os.geteuid() == 0:  # PostgreSQL refuses root: the cluster is the system user's
        assert (postgres_server.data_dir.stat().st_uid
                == Path(f"/proc/{status['pid']}").stat().st_uid != 0)


def test_the_command_prints_the_catalog_string_without_the_password(
    postgres_server: LocalPostgres,
) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT),
           "KOKEMUSVIRTA_HOME": str(postgres_server.home.parent)}
    url = subprocess.run([sys.executable, "-m", "kokemusvirta", "postgres", "url"], env=env,
                         capture_output=True, text=True, timeout=60, check=False)
    assert url.returncode == 0 and url.stdout.strip() == postgres_server.catalog(), url.stderr
    assert postgres_server.password() not in url.stdout + url.stderr
