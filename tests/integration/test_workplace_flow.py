"""The workplace on the real parts: `kokemusvirta workplace serve` (uvicorn) with a local account
made by `kokemusvirta users add`, the real broker, worker and sink. A unit manager signs in over
HTTP with the password and the TOTP code (pyotp computes it), acknowledges an item of the unit,
and the store's lifecycle row carries the user's pseudonym (the trace shows it); an item of
another unit is refused and nothing reaches the broker for it. The workplace sends as the
unit's own requester principal, from a client file in KOKEMUSVIRTA_WORKPLACE_CLIENT_DIR.
One flow (the worker and sink cost a minute).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pyotp
import pytest

from kokemusvirta.access import clientfile
from kokemusvirta.access.local import grant_requester
from kokemusvirta.keystore import pseudonym_key
from kokemusvirta.processes import child_env
from kokemusvirta.settings import Settings
from kokemusvirta.workplace.users import pseudonym_of
from schemas.access import Requester
from schemas.knowledge import SourceFamily
from sinks import reader as query
from streams.items import item_id_for
from tests.conftest import SettingsFactory
from tests.factories import as_bytes, feedback
from tests.integration.helpers import catch_up, publish, read_topic, running

UNIT = Requester.parse("unit", "lappi.rovaniemen-terveysasema")
PASSWORD = "oikein-hyva-salasana"


def _env(settings: Settings, **extra: str) -> dict[str, str]:
    assert settings.kafka_bootstrap_servers
    return child_env(settings, settings.kafka_bootstrap_servers, **extra)


@contextmanager
def serving(settings: Settings, log: Path, **extra: str) -> Iterator[str]:
    """The real workplace on a free port; its base URL."""
    with log.open("wb") as errors:
        service = subprocess.Popen(
            [sys.executable, "-m", "kokemusvirta", "workplace", "serve", "--port", "0"],
            env=_env(settings, **extra), stdout=subprocess.PIPE, stderr=errors,
            stdin=subprocess.DEVNULL, text=True)
    try:
        assert service.stdout is not None
        line = service.stdout.readline()
        found = re.search(r"http://[0-9.]+:\d+", line)
        assert found, f"the workplace did not start: {line!r} {log.read_text()[-2000:]}"
        yield found.group(0)
    finally:
        service.terminate()
        try:
            assert service.wait(timeout=20) == 0, log.read_text()[-2000:]
        except subprocess.TimeoutExpired:
            service.kill()
            service.wait()


def csrf(page: httpx.Response) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found, page.text[:500]
    return found.group(1)


def add_user(settings: Settings) -> str:
    """`kokemusvirta users add` as an administrator runs it; the TOTP secret it printed."""
    done = subprocess.run(
        [sys.executable, "-m", "kokemusvirta", "users", "add", "maija", "--role",
         "unit_manager", "--scope", UNIT.scope, "--name", "Maija Meikäläinen",
         "--password-stdin"], input=PASSWORD + "\n", env=_env(settings), capture_output=True,
        text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    found = re.search(r"otpauth://totp/\S*secret=([A-Z2-7]+)", done.stdout)
    assert found, done.stdout[:500]
    assert PASSWORD not in done.stdout  # given on stdin: not echoed
    return found.group(1)


@pytest.mark.broker
def test_a_unit_manager_signs_in_and_acknowledges_with_a_pseudonym(
        settings_factory: SettingsFactory, tmp_path: Path) -> None:
    s = settings_factory(KOKEMUSVIRTA_PSEUDONYM_KEY="p" * 40)
    own = feedback(text="Jonotin puhelimessa tunnin.")
    other = feedback(text="Odotin kaksi tuntia.", unit="kemin-terveysasema")
    own_item = item_id_for(SourceFamily.FEEDBACK, own["event_id"])
    other_item = item_id_for(SourceFamily.FEEDBACK, other["event_id"])
    # The unit's requester principal, its client file where the workplace looks for it.
    clients = clientfile.private_dir(tmp_path / "clients")
    clientfile.write(clients / f"{UNIT.username(s.topic_prefix)}.properties",
                     grant_requester(s, UNIT))
    secret = add_user(s)
    with running(s, "worker", "sink") as children:
        publish(s, [as_bytes(own), as_bytes(other)])
        catch_up(s, children)
        with serving(s, tmp_path / "workplace.log",
                     KOKEMUSVIRTA_WORKPLACE_CLIENT_DIR=str(clients)) as url, \
                httpx.Client(base_url=url, timeout=60) as http:
            assert http.get("/saapuneet").status_code == 303  # not signed in
            page = http.get("/kirjaudu")
            r = http.post("/kirjaudu", data={"kayttaja": "maija", "salasana": PASSWORD,
                                             "csrf": csrf(page)})
            assert r.status_code == 303 and r.headers["location"] == "/kirjaudu/tunnistus"
            page = http.get("/kirjaudu/tunnistus")
            r = http.post("/kirjaudu/tunnistus", data={
                "koodi": pyotp.TOTP(secret).now(), "csrf": csrf(page)})
            assert r.status_code == 303, r.text[:1000]
            home = http.get("/", follow_redirects=True)
            assert home.status_code == 200 and "Maija Meikäläinen" in home.text
            token = csrf(home)
            done = http.post("/toimi", data={"csrf": token, "askel": "acknowledged",
                                             "kohde": own_item})
            assert done.status_code == 200, done.text[:2000]
            event_id = re.search(r"<code>([0-9a-f-]{36})</code>", done.text)
            assert event_id
            refused = http.post("/toimi", data={"csrf": token, "askel": "acknowledged",
                                                "kohde": other_item})
            assert refused.status_code == 403 and "outside your scope" in refused.text
        catch_up(s, children)

    ps = pseudonym_of(pseudonym_key(s), "maija")
    _, rows = query.run(s.store, "select item_id, step, actor_role, actor_pseudonym, "
                                 "cast(event_id as varchar), chain_hash is not null "
                                 "from lifecycle where step = 'acknowledged'")
    assert rows == [(own_item, "acknowledged", "unit_manager", ps, event_id.group(1), True)]
    # Only the one request reached the unit's request topic, and no name went with it.
    requests = read_topic(s, s.topics.requests(UNIT))
    assert len(requests) == 1 and ps.encode() in requests[0][1]
    assert b"maija" not in requests[0][1].lower() and b"Meik" not in requests[0][1]

    from sinks.audit.trace import render, trace
    from sinks.reader import open_read_only

    con = open_read_only(s.store)
    try:
        path = trace(con, own_item)
    finally:
        con.close()
    assert f"by unit_manager {ps}" in render(path)


def test_users_errors_are_one_line_and_exit_2(tmp_path: Path) -> None:
    env = dict(os.environ, KOKEMUSVIRTA_HOME=str(tmp_path), KOKEMUSVIRTA_PSEUDONYM_KEY="p" * 40)
    for args in (["users", "add", "x", "--role", "leadership", "--scope", "lappi"],
                 ["users", "remove", "ei-ole"], ["users", "reset", "ei-ole"]):
        done = subprocess.run([sys.executable, "-m", "kokemusvirta", *args], env=env,
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 2, (args, done.stderr)
        assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr, done.stderr


def test_serve_says_in_one_line_that_the_port_is_taken(tmp_path: Path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "kokemusvirta", "workplace", "serve", "--port", str(port)],
            env=dict(os.environ, KOKEMUSVIRTA_HOME=str(tmp_path)),
            capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "käytössä" in done.stderr
    assert done.stderr.count("\n") == 1
