"""The auditor's page /loki: auditors only, their county's views (or every county's), filters by
item and viewer with one clear error each, fi/sv/en; and the 503 page an item page shows when its
view cannot be logged."""

from __future__ import annotations

from pathlib import Path

import pyotp
import pytest
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.testclient import TestClient

from kokemusvirta.settings import Settings
from kokemusvirta.workplace.accounts import Accounts
from kokemusvirta.workplace.app import create_app
from kokemusvirta.workplace.log_page import unavailable_page
from kokemusvirta.workplace.users import StaffRole
from tests.access_log_store import ELSEWHERE, MAIJA, SEEN, store_with_views
from tests.unit.kokemusvirta.workplace.conftest import PASSWORD, RecordingActor, SignIn, csrf_of


@pytest.fixture(autouse=True)
def views(settings: Settings) -> None:
    store_with_views(settings.store, settings.topic_prefix)


def test_an_auditor_reads_who_viewed_an_item_in_her_language(sign_in: SignIn) -> None:
    client = sign_in("tarja")  # an auditor of every county, Swedish
    page = client.get("/loki?kieli=sv")
    assert page.status_code == 200 and '<html lang="sv">' in page.text
    assert "Logghändelser" in page.text and "3 visningar" in page.text
    assert MAIJA in page.text and "vuositarkastus" in page.text and "spårning" in page.text
    page = client.get(f"/loki?kohde={SEEN}&katsoja={MAIJA}&kieli=fi")
    assert "1 katselua" in page.text and "palautteen sivu" in page.text
    assert ELSEWHERE not in page.text.replace(f"kohde={ELSEWHERE}", "")


def test_a_county_auditor_sees_only_her_county(
        client: TestClient, accounts: Accounts, secrets_of: dict[str, str]) -> None:
    secret = accounts.add("leena", role=StaffRole.AUDITOR, scope="lappi",
                          display_name="Leena L", password=PASSWORD)
    page = client.get("/kirjaudu")
    client.post("/kirjaudu", data={"kayttaja": "leena", "salasana": PASSWORD,
                                   "csrf": csrf_of(page.text), "seuraava": "/"})
    page = client.get("/kirjaudu/tunnistus")
    client.post("/kirjaudu/tunnistus", data={"koodi": pyotp.TOTP(secret).now(),
                                             "csrf": csrf_of(page.text)})
    page = client.get("/loki?kieli=en")
    assert page.status_code == 200 and "2 views" in page.text
    assert ELSEWHERE not in page.text


def test_a_unit_manager_may_not_read_the_log(sign_in: SignIn) -> None:
    assert sign_in("maija").get("/loki").status_code == 403


def test_signing_in_comes_first(client: TestClient) -> None:
    answer = client.get("/loki")
    assert answer.status_code == 303 and "/kirjaudu" in answer.headers["location"]


def test_a_malformed_filter_is_one_clear_error(sign_in: SignIn) -> None:
    page = sign_in("tarja").get("/loki?kohde=Maija&kieli=en")
    assert page.status_code == 400
    assert "An item id is fb-, ws-, st- or ag- and 16 hex digits." in page.text
    assert 'aria-invalid="true"' in page.text and "<table>" not in page.text


def test_an_item_whose_view_cannot_be_logged_is_not_shown(
        settings: Settings, accounts: Accounts, tmp_path: Path) -> None:
    async def item_page(request: Request) -> Response:
        return unavailable_page(request)  # as the item page does on AccessLogUnavailable

    app = create_app(settings, accounts=accounts, actor=RecordingActor(),
                     extra_routes=[Route("/kohde", item_page)])
    answer = TestClient(app).get("/kohde")
    assert answer.status_code == 503 and answer.headers["retry-after"] == "10"
    assert "Katselua ei voitu kirjata" in answer.text


def test_every_text_the_log_page_uses_is_in_every_language() -> None:
    import re

    from kokemusvirta.workplace.i18n import LANGUAGES
    from kokemusvirta.workplace.log_page import TEMPLATES, TEXTS

    source = (TEMPLATES / "loki.html").read_text(encoding="utf-8")
    used = set(re.findall(r"\bt\.([a-z_]+)", source))
    assert used and {k for k in used if k.startswith("log_")} <= set(TEXTS)
    assert all(set(v) == set(LANGUAGES) and all(v.values()) for v in TEXTS.values())
