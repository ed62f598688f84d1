"""A workplace in process (Starlette's TestClient): local accounts in tmp_path, an actor that
records what it was asked instead of publishing."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyotp
import pytest
from starlette.testclient import TestClient

from kokemusvirta.settings import Settings
from kokemusvirta.workplace.accounts import Accounts
from kokemusvirta.workplace.app import create_app
from kokemusvirta.workplace.users import StaffRole, StaffUser

KEY = b"k" * 32
PASSWORD = "oikein-hyva-salasana"


class RecordingActor:
    def __init__(self) -> None:
        self.asked: list[tuple[StaffUser, str, str, dict[str, Any]]] = []

    def publish_step(self, user: StaffUser, step: str, item_id: str,
                     fields: dict[str, Any]) -> str:
        from kokemusvirta.workplace.acting import NotAllowed

        if not user.may_act:
            raise NotAllowed(f"a {user.role.value} reads, and does not act on items")
        self.asked.append((user, step, item_id, fields))
        return "00000000-0000-0000-0000-000000000001"

    def close(self) -> None:
        pass


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(KOKEMUSVIRTA_HOME=tmp_path / "home",  # type: ignore[call-arg]
                    KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:9",
                    KOKEMUSVIRTA_WORKPLACE_SESSION_KEY="s" * 40)


@pytest.fixture
def accounts(tmp_path: Path) -> Accounts:
    return Accounts(tmp_path / "accounts.sqlite", KEY)


@pytest.fixture
def secrets_of(accounts: Accounts) -> dict[str, str]:
    return {
        "maija": accounts.add("maija", role=StaffRole.UNIT_MANAGER,
                              scope="lappi.rovaniemen-terveysasema", display_name="Maija M",
                              password=PASSWORD),
        "tarja": accounts.add("tarja", role=StaffRole.AUDITOR, scope="*",
                              display_name="Tarja T", language="sv", password=PASSWORD),
    }


@pytest.fixture
def actor() -> RecordingActor:
    return RecordingActor()


@pytest.fixture
def client(settings: Settings, accounts: Accounts, actor: RecordingActor,
           secrets_of: dict[str, str]) -> TestClient:
    return TestClient(create_app(settings, accounts=accounts, actor=actor),
                      base_url="http://testserver", follow_redirects=False)


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF field on the page"
    return found.group(1)


SignIn = Callable[[str], TestClient]


@pytest.fixture
def sign_in(client: TestClient, secrets_of: dict[str, str]) -> SignIn:
    def run(user: str) -> TestClient:
        page = client.get("/kirjaudu")
        r = client.post("/kirjaudu", data={"kayttaja": user, "salasana": PASSWORD,
                                           "csrf": csrf_of(page.text), "seuraava": "/"})
        assert r.status_code == 303, r.text
        page = client.get("/kirjaudu/tunnistus")
        r = client.post("/kirjaudu/tunnistus", data={
            "koodi": pyotp.TOTP(secrets_of[user]).now(), "csrf": csrf_of(page.text)})
        assert r.status_code == 303, r.text
        return client
    return run
