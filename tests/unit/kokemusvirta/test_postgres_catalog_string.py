"""DuckLake's PostgreSQL catalog string and the local server's prerequisites, without a server
(the real one: tests/integration/test_postgres_catalog.py)."""

from __future__ import annotations

import argparse
import stat
from pathlib import Path

import pytest

from kokemusvirta.postgres import account
from kokemusvirta.postgres.catalog import conninfo, ducklake_catalog, pgpass_line


def test_the_catalog_string_names_the_password_file_and_carries_no_password() -> None:
    text = ducklake_catalog(host="127.0.0.1", port=5433, dbname="kokemusvirta",
                            user="kokemusvirta", passfile=Path("/srv/lake/pgpass"))
    assert text == ("ducklake:postgres:dbname=kokemusvirta host=127.0.0.1 port=5433 "
                    "user=kokemusvirta passfile=/srv/lake/pgpass")
    assert "password=" not in text


def test_values_with_spaces_or_quotes_are_quoted_as_libpq_reads_them() -> None:
    assert conninfo(passfile="/home/a b/pgpass") == "passfile='/home/a b/pgpass'"
    assert conninfo(user="o'brien") == r"user='o\'brien'"
    assert conninfo(dbname="") == "dbname=''"


def test_a_password_file_line_escapes_its_separators() -> None:
    assert pgpass_line("*", "*", "kokemusvirta", "a:b\\c") == "*:*:*:kokemusvirta:a\\:b\\\\c\n"


def test_missing_server_programs_are_one_line_saying_how_to_install_them(tmp_path: Path) -> None:
    with pytest.raises(account.PrerequisiteMissing) as caught:
        account.find_server(tmp_path)
    assert "apt-get install postgresql" in str(caught.value)
    assert "\n" not in str(caught.value)


def _fake_server(lib: Path, version: str, programs: tuple[str, ...]) -> Path:
    bindir = lib / version / "bin"
    bindir.mkdir(parents=True)
    for name in programs:
        (bindir / name).write_text("#!/bin/sh\n")
        (bindir / name).chmod(stat.S_IRWXU)
    return bindir


def test_the_newest_complete_version_is_chosen(tmp_path: Path) -> None:
    _fake_server(tmp_path, "13", account.SERVER_PROGRAMS)
    newest = _fake_server(tmp_path, "15", account.SERVER_PROGRAMS)
    _fake_server(tmp_path, "16", ("psql",))  # only the client of a newer version
    assert account.find_server(tmp_path) == newest


def test_the_command_refuses_in_one_line_when_the_server_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    from kokemusvirta.commands.postgres import cmd_postgres
    from kokemusvirta.settings import Settings

    monkeypatch.setattr(account, "DEBIAN_LIB", tmp_path / "none")
    monkeypatch.setenv("KOKEMUSVIRTA_HOME", str(tmp_path / "home"))
    code = cmd_postgres(argparse.Namespace(action="start", json=False), Settings())
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "apt-get install postgresql" in err
    assert not (tmp_path / "home" / "postgres").exists()  # nothing made before the refusal


def test_the_server_account_must_pass_through_the_directories_above_its_cluster(
    tmp_path: Path,
) -> None:
    closed = tmp_path / "closed"
    closed.mkdir(mode=0o700)
    stranger = account.Account("kokemusvirta-pg", uid=64999, gid=64999)
    assert not stranger.can_search(closed / "postgres")
    assert account.Account("me", None, None).can_search(closed / "postgres")  # we run it


def test_status_of_a_server_never_started_is_one_line_and_exit_3(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    from kokemusvirta.commands.postgres import cmd_postgres
    from kokemusvirta.settings import Settings

    monkeypatch.setenv("KOKEMUSVIRTA_HOME", str(tmp_path / "home"))
    code = cmd_postgres(argparse.Namespace(action="status", json=False), Settings())
    out = capsys.readouterr().out
    assert code == 3
    assert out.count("\n") == 1 and "kokemusvirta postgres start" in out
