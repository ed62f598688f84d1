"""Commands that never shrug: a missing file, an unknown county, unit or item, or a malformed
argument is one line on stderr and exit 2, never a traceback and never exit 0; stored text is
printed with its control characters made visible, never obeyed. Run as a user runs them
(subprocesses, no broker); the pure escaping is tests/unit/kokemusvirta/test_terminal.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from kokemusvirta import cli
from sinks.store import Store
from tests.chains import Log
from tests.factories import as_bytes, feedback

HOSTILE = "Hyvä \x1b]0;pwned\x07\x1b[2J jono \u202etxt.exe\x00 loppu 👍"


def kv(home: Path, *args: str, store: Path | None = None,
       stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items()
           if k != "KAFKA_BOOTSTRAP_SERVERS" and not k.startswith("KOKEMUSVIRTA_")}
    env["KOKEMUSVIRTA_HOME"] = str(home)
    env["KOKEMUSVIRTA_STORE"] = str(store or home / "no-store.duckdb")
    return subprocess.run([sys.executable, "-m", "kokemusvirta", *args], env=env, input=stdin,
                          capture_output=True, text=True, timeout=120, check=False)


def refused(done: subprocess.CompletedProcess[str], *words: str) -> str:
    """Exit 2 with one line on stderr naming what is wrong; the line."""
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def store(tmp_path: Path) -> tuple[Path, str]:
    """One item of a known unit, one of a unit the demo registry lacks."""
    log = Log()
    [item] = log.intake(as_bytes(feedback()))
    log.whole_path(item)
    log.intake(as_bytes(feedback(county="pohjois-karjala", unit="joensuun-uusi-asema",
                                 service_area="perusterveydenhuolto")))
    return log.write(tmp_path / "s.duckdb"), item


@pytest.mark.parametrize("command", [["publish"], ["classify"], ["eval"],
                                     ["publish", "--include-invalid"]])
def test_a_missing_file_is_one_line_and_exit_2(tmp_path: Path, command: list[str]) -> None:
    missing = tmp_path / "ei-ole.jsonl"
    refused(kv(tmp_path, *command, str(missing)), "tiedostoa ei ole", str(missing))


def test_a_directory_for_a_file_is_one_line_and_exit_2(tmp_path: Path) -> None:
    refused(kv(tmp_path, "classify", str(tmp_path)), "hakemisto", str(tmp_path))
    refused(kv(tmp_path, "scenario", str(tmp_path / "no" / "such" / "dir.jsonl")),
            "tiedostoa ei ole")


def test_a_line_that_is_not_utf8_is_a_bad_line_not_the_end(tmp_path: Path) -> None:
    f = tmp_path / "in.jsonl"
    f.write_bytes(b'\xff\xfe{"text": "x"}\n' + json.dumps({"id": 2, "text": "Kiitos!"}).encode()
                  + b"\n")
    done = kv(tmp_path, "classify", str(f))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "line 1: not UTF-8" in done.stderr
    assert json.loads(done.stdout)["id"] == 2


def test_digest_of_an_unknown_unit_is_refused(tmp_path: Path,
                                              store: tuple[Path, str]) -> None:
    path, _ = store
    refused(kv(tmp_path, "digest", "--unit", "lappi.nosuch", "--period", "2026-10", store=path),
            "tuntematon yksikkö (unknown unit)", "lappi.nosuch")
    # A unit the store knows is real, whatever the demo registry says.
    done = kv(tmp_path, "digest", "--unit", "pohjois-karjala.joensuun-uusi-asema",
              "--period", "2026-10", store=path)
    assert done.returncode == 0, done.stderr
    done = kv(tmp_path, "digest", "--unit", "lappi.rovaniemen-terveysasema", "--period",
              "2026-10", store=path)
    assert done.returncode == 0 and "Takaisinsoitto" in done.stdout, done.stderr


def test_digest_of_a_month_beyond_the_calendar_is_refused(tmp_path: Path,
                                                          store: tuple[Path, str]) -> None:
    path, _ = store
    refused(kv(tmp_path, "digest", "--unit", "lappi.rovaniemen-terveysasema", "--period",
               "9999-12", store=path), "--period")


def test_trace_of_an_unknown_item_is_refused(tmp_path: Path, store: tuple[Path, str]) -> None:
    path, _ = store
    refused(kv(tmp_path, "trace", "fb-0000000000000000", store=path),
            "tuntematon kohde (unknown item)", "fb-0000000000000000")
    refused(kv(tmp_path, "trace", "nosuch", store=path), "unknown item")
    refused(kv(tmp_path, "verify", "--item", "fb-0000000000000000", store=path),
            "unknown item")


def test_inbox_of_a_malformed_unit_is_refused(tmp_path: Path) -> None:
    refused(kv(tmp_path, "inbox", "--unit", "malformed"), "--unit", "<county>.<unit>")
    refused(kv(tmp_path, "inbox", "--unit", "lappi.x", "--limit", "-1"),
            "virheellinen argumentti (bad argument)", "--limit")


def test_a_malformed_argument_is_one_line_not_the_usage(tmp_path: Path) -> None:
    line = refused(kv(tmp_path, "inbox", "--unit", "lappi.x", "--today", "eilen"),
                   "virheellinen argumentti (bad argument)", "--today", "--help")
    assert "usage:" not in line
    refused(kv(tmp_path, "ack", "fb-0000000000000000", "--timeout", "nan"), "--timeout")
    refused(kv(tmp_path, "signals", "--threshold", "0"), "--threshold")
    refused(kv(tmp_path, "dashboard", "serve", "--port", "99999"), "--port")
    refused(kv(tmp_path, "no-such-command"), "no-such-command")


def test_query_with_bad_sql_is_one_line(tmp_path: Path, store: tuple[Path, str]) -> None:
    path, _ = store
    refused(kv(tmp_path, "query", "select nonsense from nowhere", store=path), "query failed")
    refused(kv(tmp_path, "query", "selec 1\n from\n knowledge_items", store=path),
            "query failed")


def test_a_file_that_is_not_a_store_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "junk.duckdb"
    junk.write_text("ei tietokanta\n")
    for command in (["verify"], ["trace", "fb-0000000000000000"], ["query", "select 1"]):
        refused(kv(tmp_path, *command, store=junk), str(junk))


@pytest.mark.parametrize("command", ["forget", "pseudonym"])
def test_an_unknown_county_is_refused(tmp_path: Path, command: str) -> None:
    refused(kv(tmp_path, command, "asiakas-1", "--county", "atlantis"),
            "tuntematon hyvinvointialue (unknown county)", "atlantis")
    assert not (tmp_path / "keys" / "atlantis").exists()  # forget erased nothing anywhere
    done = kv(tmp_path, "pseudonym", "asiakas-1", "--county", "lappi")
    assert done.returncode == 0 and done.stdout.startswith("ps-"), done.stderr


def test_a_county_only_the_store_knows_is_accepted(tmp_path: Path,
                                                   store: tuple[Path, str]) -> None:
    path, _ = store
    done = kv(tmp_path, "pseudonym", "asiakas-1", "--county", "pohjois-karjala", store=path)
    assert done.returncode == 0 and done.stdout.startswith("ps-"), done.stderr


def test_query_shows_control_characters_as_escapes(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    Store(path).close()
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE notes (n INTEGER, t VARCHAR)")
    con.execute("INSERT INTO notes VALUES (1, ?)", [HOSTILE])
    con.close()

    for form in ([], ["--json"], ["--csv"]):
        done = kv(tmp_path, "query", "select t from notes", *form, store=path)
        assert done.returncode == 0, done.stderr
        out = done.stdout
        for raw in ("\x1b", "\x07", "\x00", "\u202e"):
            assert raw not in out, (form, out)
        assert "Hyvä" in out and "👍" in out and "txt.exe" in out
        if form == ["--json"]:
            assert json.loads(out) == [{"t": HOSTILE}]  # the same value, harmless on a screen
        elif form == ["--csv"]:  # a spreadsheet gets the words without the controls
            assert out.splitlines()[1] == "Hyvä ]0;pwned[2J jono txt.exe loppu 👍"
        else:
            assert "\\x1b]0;pwned\\x07\\x1b[2J" in out and "\\u202etxt.exe\\x00" in out


def test_trace_shows_control_characters_as_escapes(tmp_path: Path,
                                                   store: tuple[Path, str]) -> None:
    path, item = store
    con = duckdb.connect(str(path))
    con.execute("UPDATE knowledge_items SET text = ? WHERE item_id = ?",
                [HOSTILE + "\rpiilossa", item])
    con.close()
    for form in ([], ["--json"]):
        done = kv(tmp_path, "trace", item, *form, store=path)
        assert done.returncode == 0, done.stderr
        for raw in ("\x1b", "\x07", "\x00", "\u202e", "\r"):
            assert raw not in done.stdout, (form, done.stdout)
        if form:
            assert json.loads(done.stdout)["text"] == HOSTILE + "\rpiilossa"
        else:
            assert "\\x1b]0;pwned\\x07\\x1b[2J" in done.stdout
            assert "\\u202etxt.exe\\x00 loppu 👍\\x0dpiilossa" in done.stdout


def test_an_unexpected_error_is_one_line_exit_1_and_debug_shows_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import schemas.export

    def broken(folder: Path) -> list[Path]:
        raise RuntimeError("something\nnobody foresaw")

    monkeypatch.setenv("KOKEMUSVIRTA_HOME", str(tmp_path))
    monkeypatch.setattr(schemas.export, "export", broken)
    assert cli.main(["schemas", "export", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [
        "kokemusvirta: odottamaton virhe (unexpected error): RuntimeError: something nobody "
        "foresaw; run again as `kokemusvirta --debug …` to see the traceback"]
    with pytest.raises(RuntimeError):
        cli.main(["--debug", "schemas", "export", str(tmp_path / "out")])


def test_ctrl_c_exits_130_quietly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    import schemas.export

    def interrupted(folder: Path) -> list[Path]:
        raise KeyboardInterrupt

    monkeypatch.setenv("KOKEMUSVIRTA_HOME", str(tmp_path))
    monkeypatch.setattr(schemas.export, "export", interrupted)
    assert cli.main(["schemas", "export", str(tmp_path / "out")]) == 130
    assert capsys.readouterr().err == ""
