"""Signing in to the workplace in process: password then TOTP, CSRF on every POST, the
session's lifetime, the guards' headers, each role to its place, 403 for another role's page."""

from __future__ import annotations

import pyotp
import pytest
from starlette.testclient import TestClient

from kokemusvirta.settings import Settings
from kokemusvirta.workplace import sessions
from kokemusvirta.workplace.accounts import Accounts
from kokemusvirta.workplace.users import StaffRole
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


def test_each_role_goes_to_its_place_in_the_users_language(sign_in: SignIn) -> None:
    client = sign_in("tarja")  # an auditor whose language is Swedish
    assert client.get("/").headers["location"] == "/loki"
    page = client.get("/loki")
    assert page.status_code == 200 and '<html lang="sv">' in page.text and "Granskare" in page.text
    assert '<html lang="en">' in client.get("/loki", params={"kieli": "en"}).text


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


def test_a_store_or_broker_that_does_not_answer_is_503_not_a_traceback(
        sign_in: SignIn, actor: RecordingActor, monkeypatch: pytest.MonkeyPatch) -> None:
    from kokemusvirta.workplace.acting import Unavailable

    def down(*_args: object) -> str:
        raise Unavailable("the broker did not take the request (KafkaTimeoutError)")

    monkeypatch.setattr(actor, "publish_step", down)
    client = sign_in("maija")
    r = client.post("/toimi", data={"csrf": csrf_of(client.get("/saapuneet").text),
                                    "askel": "closed", "kohde": "fb-0123456789abcdef"})
    assert r.status_code == 503 and "KafkaTimeoutError" in r.text


def test_the_real_actor_refuses_a_reader_and_a_missing_store_in_one_line(
        settings: Settings) -> None:
    from kokemusvirta.workplace.acting import NotAllowed, Unavailable, WebActor
    from kokemusvirta.workplace.users import StaffRole, StaffUser

    actor = WebActor(settings)
    reader = StaffUser("tarja", "us-0123456789abcdef", "Tarja", StaffRole.AUDITOR, "*")
    with pytest.raises(NotAllowed):
        actor.publish_step(reader, "acknowledged", "fb-0123456789abcdef", {})
    manager = StaffUser("maija", "us-0123456789abcdef", "Maija", StaffRole.SECRETARY, "lappi")
    with pytest.raises(NotAllowed):  # a label step is the unit's or the area's
        actor.publish_step(manager, "relabelled", "fb-0123456789abcdef", {})
    with pytest.raises(Unavailable):
        actor.publish_step(manager, "acknowledged", "fb-0123456789abcdef", {})
    actor.close()


def test_the_oidc_link_shows_when_a_part_sets_it_up(
        settings: Settings, accounts: Accounts, monkeypatch: pytest.MonkeyPatch) -> None:
    from kokemusvirta.workplace import routes
    from kokemusvirta.workplace.app import create_app

    plain = TestClient(create_app(settings, accounts=accounts, actor=RecordingActor()))
    assert "/kirjaudu/oidc" not in plain.get("/kirjaudu").text

    def setup(app: object, _settings: Settings) -> None:
        app.state.oidc = object()  # type: ignore[attr-defined]

    monkeypatch.setattr(routes, "SETUP_HOOKS", (setup,))
    with_oidc = TestClient(create_app(settings, accounts=accounts, actor=RecordingActor()))
    page = with_oidc.get("/kirjaudu?seuraava=/saapuneet")
    assert 'href="/kirjaudu/oidc?seuraava=/saapuneet"' in page.text
    assert "Kirjaudu organisaation tunnuksilla" in page.text


def test_removing_an_account_or_changing_its_scope_ends_its_session(
        sign_in: SignIn, accounts: Accounts) -> None:
    client = sign_in("maija")
    assert client.get("/saapuneet").status_code == 200
    accounts.remove("maija")
    assert client.get("/saapuneet").status_code == 303
    accounts.add("maija", role=StaffRole.UNIT_MANAGER, scope="lappi.kemin-terveysasema",
                 display_name="Maija M", password=PASSWORD)
    assert client.get("/saapuneet").status_code == 303  # signed out, not moved to Kemi


def test_a_forged_or_altered_cookie_signs_no_one_in(sign_in: SignIn) -> None:
    import base64
    import json

    client = sign_in("maija")
    cookie = client.cookies["kv_workplace"]
    data, _, _sig = cookie.partition(".")
    body = json.loads(base64.b64decode(data + "=" * (-len(data) % 4)))
    # The cookie carries a session id only: no name, role or scope to alter.
    assert isinstance(body["user"], str) and "maija" not in json.dumps(body).lower()
    body["user"] = "another-session-id-" + body["user"][19:]
    forged = base64.b64encode(json.dumps(body).encode()).decode() + "." + cookie.split(".", 1)[1]
    client.cookies.clear()
    client.cookies.set("kv_workplace", forged)
    assert client.get("/jono").status_code == 303  # to sign-in: the signature did not match


def test_an_unexpected_error_is_a_500_page_and_one_line_without_its_message(
        settings: Settings, accounts: Accounts, caplog: pytest.LogCaptureFixture) -> None:
    from starlette.routing import Route

    from kokemusvirta.workplace.app import create_app

    async def broken(request: object) -> None:
        raise RuntimeError("asiakkaan sanat: Maija Meikäläinen")

    app = create_app(settings, accounts=accounts, actor=RecordingActor(),
                     extra_routes=[Route("/rikki", broken)])
    with caplog.at_level("ERROR", logger="kokemusvirta.workplace"):
        r = TestClient(app, raise_server_exceptions=False).get("/rikki")
    assert r.status_code == 500 and "Traceback" not in r.text and "Maija" not in r.text
    assert r.headers["cache-control"] == "no-store"
    assert "RuntimeError" in caplog.text and "Maija" not in caplog.text
