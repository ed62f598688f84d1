"""The commands a user types, against the real broker."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from kokemusvirta.processes import child_env
from tests.factories import as_bytes, feedback, statement
from tests.integration.helpers import catch_up, read_topic, running

pytestmark = pytest.mark.broker


def kv(settings, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:  # type: ignore[no-untyped-def]
    env = child_env(settings, settings.kafka_bootstrap_servers)
    return subprocess.run([sys.executable, "-m", "kokemusvirta", *args], env=env, input=stdin,
                          capture_output=True, timeout=120)


def test_publish_reports_bad_lines_by_number_and_publishes_the_rest(  # type: ignore[no-untyped-def]
    settings_factory, tmp_path
) -> None:
    s = settings_factory()
    lines = [as_bytes(feedback()), b"{not json", b"", as_bytes(statement()),
             as_bytes(feedback(channel="pigeon"))]
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    done = kv(s, "publish", str(path))
    assert done.returncode == 1
    err = done.stderr.decode()
    assert "line 2: not_json" in err and "line 5: schema_violation" in err
    assert "published 2 events" in done.stdout.decode()
    assert len(read_topic(s, s.topics.intake)) == 2

    done = kv(s, "publish", "-", "--include-invalid", stdin=b"\n".join(lines))
    assert done.returncode == 1
    assert len(read_topic(s, s.topics.intake)) == 2 + 4


def test_query_answers_while_the_sink_runs(settings_factory) -> None:  # type: ignore[no-untyped-def]
    s = settings_factory()
    with running(s, "worker", "sink") as children:
        published = kv(s, "publish", "-", stdin=b"\n".join(as_bytes(feedback()) for _ in range(7)))
        assert published.returncode == 0, published.stderr
        catch_up(s, children)
        assert all(c.alive() for c in children)
        sql = "select county, unit, count(*) as n from knowledge_items group by all"
        table = kv(s, "query", sql)
        assert table.returncode == 0, table.stderr
        assert "rovaniemen-terveysasema" in table.stdout.decode()
        as_json = json.loads(kv(s, "query", sql, "--json").stdout)
        assert as_json == [{"county": "lappi", "unit": "rovaniemen-terveysasema", "n": 7}]
        csv_out = kv(s, "query", sql, "--csv").stdout.decode().splitlines()
        assert csv_out == ["county,unit,n", "lappi,rovaniemen-terveysasema,7"]
        # New data shows up within seconds while the sink keeps running.
        kv(s, "publish", "-", stdin=as_bytes(feedback()))
        deadline = time.monotonic() + 30
        while json.loads(kv(s, "query", sql, "--json").stdout)[0]["n"] != 8:
            assert time.monotonic() < deadline
            time.sleep(0.5)
        bad = kv(s, "query", "select nonsense from nowhere")
        assert bad.returncode == 2 and b"query failed" in bad.stderr
        assert all(c.alive() for c in children)


def test_commands_say_what_is_wrong_without_a_broker(tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = {k: v for k, v in os.environ.items() if k != "KAFKA_BOOTSTRAP_SERVERS"}
    env["KOKEMUSVIRTA_HOME"] = str(tmp_path)
    done = subprocess.run([sys.executable, "-m", "kokemusvirta", "publish", "-"], env=env,
                          input=b"", capture_output=True, timeout=60)
    assert done.returncode == 2
    assert b"kokemusvirta broker start" in done.stderr
    done = subprocess.run([sys.executable, "-m", "kokemusvirta", "query", "select 1"], env=env,
                          capture_output=True, timeout=60)
    assert done.returncode == 2 and b"No store" in done.stderr


def _subcommands() -> list[str]:
    """Every subcommand the parser has, so a new one is covered without listing it here."""
    import argparse

    from kokemusvirta.cli import build_parser

    for action in build_parser()._actions:
        if isinstance(action, argparse._SubParsersAction):
            return sorted(action.choices)
    raise AssertionError("the parser has no subcommands")


@pytest.mark.parametrize("command", _subcommands())
def test_every_subcommand_has_help(command: str) -> None:
    done = subprocess.run([sys.executable, "-m", "kokemusvirta", command, "--help"],
                          capture_output=True, timeout=60)
    assert done.returncode == 0 and b"usage: kokemusvirta" in done.stdout
