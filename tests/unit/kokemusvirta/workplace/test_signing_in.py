"""Signing in to the workplace in process: password then TOTP, CSRF on every POST, the
session's lifetime, the guards' headers, each role to its place, 403 for another role's page."""

from __future__ import annotations

import pyotp
import pytest
from starlette.testclient import TestClient

from kokemusvirta.settings import Settings
from kokemusvirta.workplace import sessions
from kokemusvirta.workplace.accounts import Accounts
from tests.unit.kokemusvirta.workplace.conftest import PASSWORD, RecordingActor, SignIn, csrf_of


def test_a_unit_manager_signs_in_with_password_and_code_and_lands_on_the_inbox(
        sign_in: SignIn) -> None:
    client = sign_in("maija")
    r = client.get("/")
    assert r.status_code == 303 and r.headers["location"] == "/saapuneet"
    page = client.get("/saapuneet")
    assert page.status_code == 200
    assert "Maija M" in page.text and "Yksikön esihenkilö" in page.text
    assert "lappi.rovaniemen-terveysasema" in page.text
    assert 'action="/kirjaudu/ulos"' in page.text  # sign-out is a POST form


def test_the_password_alone_does_not_sign_in(client: TestClient) -> None:
    page = client.get("/kirjaudu")
    client.post("/kirjaudu", data={"kayttaja": "maija", "salasana": PASSWORD,
                                   "csrf": csrf_of(page.text)})
    r = client.get("/saapuneet")
    assert r.status_code == 303 and r.headers["location"].startswith("/kirjaudu")


def test_a_wrong_password_and_an_unknown_user_get_the_same_answer(client: TestClient) -> None:
    answers = []
    for user, password in (("maija", "vaara-salasana-on"), ("eiole", "vaara-salasana-on")):
        page = client.get("/kirjaudu")
        r = client.post("/kirjaudu", data={"kayttaja": user, "salasana": password,
                                           "csrf": csrf_of(page.text)})
        assert r.status_code == 401
        answers.append(r.text.replace(user, "USER").replace(csrf_of(r.text), "TOKEN"))
    assert answers[0] == answers[1]


def test_a_wrong_code_is_refused(client: TestClient, secrets_of: dict[str, str]) -> None:
    page = client.get("/kirjaudu")
    client.post("/kirjaudu", data={"kayttaja": "maija", "salasana": PASSWORD,
                                   "csrf": csrf_of(page.text)})
    good = pyotp.TOTP(secrets_of["maija"]).now()
    wrong = f"{(int(good) + 1) % 1_000_000:06d}"
    page = client.get("/kirjaudu/tunnistus")
    r = client.post("/kirjaudu/tunnistus", data={"koodi": wrong, "csrf": csrf_of(page.text)})
    assert r.status_code == 401 and 'role="alert"' in r.text
    assert client.get("/saapuneet").status_code == 303


@pytest.mark.parametrize("path", ["/kirjaudu", "/kirjaudu/tunnistus", "/kirjaudu/ulos",
                                  "/toimi"])
def test_every_post_without_the_csrf_token_is_refused(sign_in: SignIn, path: str) -> None:
    client = sign_in("maija")
    r = client.post(path, data={"kayttaja": "maija", "salasana": PASSWORD, "koodi": "000000",
                                "askel": "acknowledged", "kohde": "fb-0123456789abcdef"})
    assert r.status_code == 403
    r = client.post(path, data={"csrf": "forged", "askel": "acknowledged"})
    assert r.status_code == 403
    assert client.get("/saapuneet").status_code == 200  # still signed in: nothing happened


def test_signing_out_ends_the_session(sign_in: SignIn) -> None:
    client = sign_in("maija")
    page = client.get("/saapuneet")
    r = client.post("/kirjaudu/ulos", data={"csrf": csrf_of(page.text)})
    assert r.status_code == 303
    assert client.get("/saapuneet").status_code == 303


def test_a_session_older_than_its_hours_is_signed_out(
        sign_in: SignIn, monkeypatch: pytest.MonkeyPatch) -> None:
    client = sign_in("maija")
    assert client.get("/saapuneet").status_code == 200
    start = sessions._now()
    monkeypatch.setattr(sessions, "_now", lambda: start + 8 * 3600 + 60)
    r = client.get("/saapuneet")
    assert r.status_code == 303 and r.headers["location"] == "/kirjaudu?seuraava=/saapuneet"
    monkeypatch.setattr(sessions, "_now", lambda: start + 60)
    assert client.get("/saapuneet").status_code == 303  # signed out, not just hidden


def test_a_page_redirects_to_sign_in_and_an_api_path_is_401(client: TestClient) -> None:
    r = client.get("/saapuneet?jarjestys=uusin")
    assert r.status_code == 303
    assert r.headers["location"] == "/kirjaudu?seuraava=/saapuneet%3Fjarjestys%3Duusin"
    assert client.get("/api/jotain").status_code in (401, 404)


def test_after_sign_in_the_user_goes_where_they_were_going(
        client: TestClient, secrets_of: dict[str, str]) -> None:
    page = client.get("/kirjaudu", params={"seuraava": "/saapuneet?x=1"})
    client.post("/kirjaudu", data={"kayttaja": "maija", "salasana": PASSWORD,
                                   "csrf": csrf_of(page.text), "seuraava": "/saapuneet?x=1"})
    page = client.get("/kirjaudu/tunnistus")
    r = client.post("/kirjaudu/tunnistus", data={"koodi": pyotp.TOTP(secrets_of["maija"]).now(),
                                                 "csrf": csrf_of(page.text)})
    assert r.headers["location"] == "/saapuneet?x=1"


@pytest.mark.parametrize("target", ["//evil.example", "https://evil.example/", "/\\evil",
                                    "", None, "/\nSet-Cookie:x"])
def test_never_off_site_after_sign_in(target: str | None) -> None:
    assert sessions.safe_next(target) == "/"


def test_pages_carry_the_guards_headers(client: TestClient) -> None:
    r = client.get("/kirjaudu")
    csp = r.headers["content-security-policy"]
    assert "script-src" not in csp and "default-src 'none'" in csp
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["cache-control"] == "no-store"
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie


def test_the_cookie_is_https_only_behind_tls(settings: Settings, accounts: Accounts) -> None:
    from kokemusvirta.workplace.app import create_app

    app = create_app(settings.model_copy(update={"workplace_https": True}), accounts=accounts,
                     actor=RecordingActor())
    r = TestClient(app).get("/kirjaudu")
    assert "secure" in r.headers["set-cookie"].lower()


def test_another_roles_page_is_403_in_the_users_language(sign_in: SignIn) -> None:
    client = sign_in("maija")
    r = client.get("/jono")
    assert r.status_code == 403 and "Ei käyttöoikeutta" in r.text
    r = client.get("/loki", params={"kieli": "sv"})
    assert r.status_code == 403 and "Ingen behörighet" in r.text and 'lang="sv"' in r.text


def test_each_role_goes_to_its_place(sign_in: SignIn) -> None:
    client = sign_in("tarja")
    assert client.get("/").headers["location"] == "/loki"
    assert client.get("/loki").status_code == 200


def test_acting_goes_through_the_actor_for_the_signed_in_user(
        sign_in: SignIn, actor: RecordingActor) -> None:
    client = sign_in("maija")
    page = client.get("/saapuneet")
    r = client.post("/toimi", data={"csrf": csrf_of(page.text), "askel": "acknowledged",
                                    "kohde": "fb-0123456789abcdef"})
    assert r.status_code == 200, r.text
    (user, step, item, fields), = actor.asked
    assert (user.user_id, step, item, fields) == ("maija", "acknowledged",
                                                  "fb-0123456789abcdef", {})


def test_a_reader_cannot_act(sign_in: SignIn, actor: RecordingActor) -> None:
    client = sign_in("tarja")
    page = client.get("/loki")
    r = client.post("/toimi", data={"csrf": csrf_of(page.text), "askel": "acknowledged",
                                    "kohde": "fb-0123456789abcdef"})
    assert r.status_code == 403 and not actor.asked
