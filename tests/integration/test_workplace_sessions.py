"""Sessions the server can end, on the real parts: the workplace app (Starlette's TestClient)
over the real accounts and sessions files in $KOKEMUSVIRTA_HOME/workplace/, and the
administrator's `kokemusvirta users reset` as a process. A cookie copied while signed in stops
working once its owner signs out, and once the account is reset; the sessions file keeps only
the ids' hashes. No broker: nothing here publishes.
"""

from __future__ import annotations

import os
import re
import sqlite3
import stat
import subprocess
import sys
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from kokemusvirta.settings import Settings
from kokemusvirta.workplace.accounts import Accounts, accounts_path
from kokemusvirta.workplace.app import COOKIE, create_app
from kokemusvirta.workplace.users import StaffRole
from tests.unit.kokemusvirta.workplace.conftest import RecordingActor, csrf_of

PASSWORD = "oikein-hyva-salasana"
UNIT = "lappi.rovaniemen-terveysasema"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def settings(home: Path) -> Settings:
    return Settings(KOKEMUSVIRTA_HOME=home,  # type: ignore[call-arg]
                    KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:9",
                    KOKEMUSVIRTA_PSEUDONYM_KEY="p" * 40,
                    KOKEMUSVIRTA_WORKPLACE_SESSION_KEY="s" * 40)


@pytest.fixture
def app(settings: Settings, home: Path) -> Any:
    accounts = Accounts(accounts_path(home), b"k" * 32)
    accounts.add("maija", role=StaffRole.UNIT_MANAGER, scope=UNIT, display_name="Maija M",
                 password=PASSWORD)
    return create_app(settings, accounts=accounts, actor=RecordingActor())


def reset_by_cli(home: Path) -> subprocess.CompletedProcess[str]:
    """`kokemusvirta users reset maija` as an administrator runs it."""
    env = dict(os.environ, KOKEMUSVIRTA_HOME=str(home), KOKEMUSVIRTA_PSEUDONYM_KEY="p" * 40)
    return subprocess.run([sys.executable, "-m", "kokemusvirta", "users", "reset", "maija"],
                          env=env, capture_output=True, text=True, timeout=60, input="")


def signed_in(app: Any) -> TestClient:
    """Maija signed in with her password and a code not used yet (as `users code` prints)."""
    client = TestClient(app, base_url="http://testserver", follow_redirects=False)
    page = client.get("/kirjaudu")
    assert client.post("/kirjaudu", data={"kayttaja": "maija", "salasana": PASSWORD,
                                          "csrf": csrf_of(page.text)}).status_code == 303
    page = client.get("/kirjaudu/tunnistus")
    r = client.post("/kirjaudu/tunnistus", data={
        "koodi": app.state.accounts.current_code("maija"), "csrf": csrf_of(page.text)})
    assert r.status_code == 303, r.text[:300]
    assert client.get("/saapuneet").status_code == 200
    return client


def copy_of(app: Any, client: TestClient) -> TestClient:
    """Someone else's browser with the cookie copied."""
    thief = TestClient(app, base_url="http://testserver", follow_redirects=False)
    thief.cookies.set(COOKIE, client.cookies[COOKIE])
    assert thief.get("/saapuneet").status_code == 200
    return thief


def test_a_copied_cookie_stops_working_after_sign_out_and_after_users_reset(
        app: Any, home: Path) -> None:
    client = signed_in(app)
    thief = copy_of(app, client)
    r = client.post("/kirjaudu/ulos", data={"csrf": csrf_of(client.get("/saapuneet").text)})
    assert r.status_code == 303
    assert thief.get("/saapuneet").status_code == 303  # to sign-in: the session is over

    client = signed_in(app)  # the next step's code: a code works once
    thief = copy_of(app, client)
    cookie_id = client.cookies[COOKIE]
    sessions = home / "workplace" / "sessions.sqlite"
    assert stat.S_IMODE(sessions.stat().st_mode) == 0o600
    with closing(sqlite3.connect(sessions)) as db:
        (id_hash, user_id, auth), = db.execute("SELECT id_hash, user_id, auth FROM sessions")
    assert (user_id, auth) == ("maija", "local") and re.fullmatch(r"[0-9a-f]{64}", id_hash)
    assert id_hash not in cookie_id  # the file alone cannot make a cookie

    done = reset_by_cli(home)
    assert done.returncode == 0, done.stderr
    assert "1 session ended" in done.stdout
    assert thief.get("/saapuneet").status_code == 303
    assert client.get("/saapuneet").status_code == 303
    with closing(sqlite3.connect(sessions)) as db:
        assert db.execute("SELECT count(*) FROM sessions").fetchone() == (0,)
