"""Staff sign-in through a real OpenID Connect provider (zitadel/oidc's example OP, built and
started by tests/oidc_provider.py) into a real `kokemusvirta workplace serve` process, with an
HTTP client that fills in the provider's own login form as a person would.

A mapped person lands signed in with the role and scope of the users file; a tampered state,
a replayed answer, a denial by the provider and a person without a role all get one page and
no session. The ID token's checks (issuer of the discovery document, nonce) are each shown to
bite against the same real provider, with the app in this process so the session can be
forged.
"""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest

from tests import oidc_provider as provider
from tests.oidc_provider import ProviderUser, ServedWorkplace, oidc_env, workplace_with_provider

UNIT = "lappi.rovaniemen-terveysasema"
MAIJA = ProviderUser("maija", "Salasana-123", "maija.manager@lappi.example", "Maija", "Manager")
TARJA = ProviderUser("tarja", "Lösenord-456", "tarja@lappi.example", "Tarja", "Tarkastaja", "sv")
ULLA = ProviderUser("ulla", "Salasana-789", "ulla@lappi.example", "Ulla", "Ulkopuolinen")
USERS_YAML = f"""
users:
  maija.manager@lappi.example: {{role: unit_manager, scope: {UNIT}}}
  id-tarja: {{role: auditor, scope: lappi}}
"""
SESSION_KEY = "s" * 48


Workplace = ServedWorkplace


@pytest.fixture(scope="module")
def workplace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workplace]:
    home = tmp_path_factory.mktemp("oidc-home")
    with workplace_with_provider(home, (MAIJA, TARJA, ULLA), USERS_YAML,
                                 KOKEMUSVIRTA_PSEUDONYM_KEY="p" * 40,
                                 KOKEMUSVIRTA_WORKPLACE_SESSION_KEY=SESSION_KEY) as served:
        yield served
        log = served.log.read_text(errors="replace")
    assert "Traceback" not in log
    assert "maija" not in log.lower() and "@lappi.example" not in log  # no one named in the log


def to_provider_login(client: httpx.Client, base: str) -> httpx.Response:
    """From the workplace's OIDC link to the provider's own login page."""
    page = client.get(base + "/kirjaudu/oidc", follow_redirects=True)
    assert page.status_code == 200 and page.url.path == "/login/username", page.url
    return page


def submit_login(client: httpx.Client, page: httpx.Response, who: ProviderUser) -> httpx.Response:
    """The provider's form filled in; the answer before it goes back to the workplace: the
    redirect chain is followed on the provider only."""
    found = re.search(r'name="id" value="([^"]+)"', page.text)
    assert found, page.text[:500]
    answer = client.post(str(page.url.copy_with(query=None)), data={
        "id": found.group(1), "username": who.username, "password": who.password})
    while answer.is_redirect and not answer.headers["location"].startswith(("http://127.0.0.1",
                                                                             "http://testserver")):
        answer = client.get(answer.headers["location"])
    assert answer.is_redirect, answer.text[:500]
    return answer  # its Location: the workplace's callback with code and state


def sign_in(client: httpx.Client, base: str, who: ProviderUser) -> httpx.Response:
    back = submit_login(client, to_provider_login(client, base), who)
    return client.get(back.headers["location"], follow_redirects=True)


def signed_out(client: httpx.Client, base: str) -> bool:
    answer = client.get(base + "/", follow_redirects=False)
    return answer.is_redirect and answer.headers["location"].startswith("/kirjaudu")


def test_the_redirect_asks_for_code_with_state_nonce_and_pkce_s256(workplace: Workplace) -> None:
    with httpx.Client() as client:
        first = client.get(workplace.url + "/kirjaudu/oidc")
    assert first.status_code == 302
    target = urlsplit(first.headers["location"])
    query = {k: v[0] for k, v in parse_qs(target.query).items()}
    assert f"{target.scheme}://{target.netloc}/" == workplace.provider.issuer
    assert query["response_type"] == "code" and query["client_id"] == "web"
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) == 43
    assert len(query["state"]) >= 20 and len(query["nonce"]) >= 20
    assert set(query["scope"].split()) >= {"openid", "email"}
    assert query["redirect_uri"] == workplace.url + "/kirjaudu/oidc/paluu"


def test_a_mapped_person_lands_signed_in_with_the_role_and_scope(workplace: Workplace) -> None:
    with httpx.Client() as client:
        landed = sign_in(client, workplace.url, MAIJA)
        assert landed.status_code == 200, landed.text[:500]
        assert str(landed.url).startswith(workplace.url)
        assert "Yksikön esihenkilö" in landed.text and UNIT in landed.text
        assert "Maija Manager" in landed.text
        assert not signed_out(client, workplace.url)


def test_an_oidc_session_is_a_server_record_that_signing_out_ends_for_every_copy(
        workplace: Workplace) -> None:
    """The OIDC sign-in uses the same server-side records as local accounts: the cookie holds
    only an id, and signing out ends a copy of the cookie taken before."""
    import sqlite3
    from contextlib import closing

    sessions = workplace.log.parent / "workplace" / "sessions.sqlite"
    with httpx.Client() as client, httpx.Client() as thief:
        assert sign_in(client, workplace.url, MAIJA).status_code == 200
        with closing(sqlite3.connect(sessions)) as db:
            auths = [r[0] for r in db.execute("SELECT auth FROM sessions")]
        assert "oidc" in auths
        thief.cookies.set("kv_workplace", client.cookies["kv_workplace"])
        assert not signed_out(thief, workplace.url)
        page = client.get(workplace.url + "/loki")  # any page carries the sign-out form
        token = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert token, page.text[:300]
        client.post(workplace.url + "/kirjaudu/ulos", data={"csrf": token.group(1)})
        assert signed_out(client, workplace.url)
        assert signed_out(thief, workplace.url)  # the copy ended with it


def test_the_users_file_by_subject_and_the_providers_locale(workplace: Workplace) -> None:
    with httpx.Client() as client:
        landed = sign_in(client, workplace.url, TARJA)
        assert landed.status_code == 200, landed.text[:500]
        assert "Granskare" in landed.text  # auditor, in Swedish: her locale at the provider


def test_a_tampered_state_is_refused_and_signs_no_one_in(workplace: Workplace) -> None:
    with httpx.Client() as client:
        back = urlsplit(submit_login(client, to_provider_login(client, workplace.url), MAIJA)
                        .headers["location"])
        query = {k: v[0] for k, v in parse_qs(back.query).items()}
        forged = dict(query, state=query["state"][:-2] + ("AA" if query["state"][-2:] != "AA"
                                                          else "BB"))
        answer = client.get(f"{workplace.url}{back.path}?{urlencode(forged)}")
        assert answer.status_code == 400
        assert "Kirjautuminen vanhentui" in answer.text and "Traceback" not in answer.text
        assert signed_out(client, workplace.url)


def test_an_answer_is_used_once_even_with_the_session_it_was_meant_for(
        workplace: Workplace) -> None:
    """A captured callback URL with the cookie it went with: the state passes, but the code is
    spent (the provider refuses a second exchange), so no second session."""
    with httpx.Client() as client:
        back = submit_login(client, to_provider_login(client, workplace.url), MAIJA)
        captured = dict(client.cookies.items())
        first = client.get(back.headers["location"])
        assert first.status_code == 303
    with httpx.Client(cookies=captured) as thief:
        again = thief.get(back.headers["location"])
        assert again.status_code == 400, again.text[:300]
        assert signed_out(thief, workplace.url)


def test_a_person_without_a_role_gets_403_and_no_session(workplace: Workplace) -> None:
    with httpx.Client() as client:
        answer = sign_in(client, workplace.url, ULLA)
        assert answer.status_code == 403
        assert "Ei roolia Kokemusvirrassa" in answer.text
        assert signed_out(client, workplace.url)
        assert not any(k.startswith("_state_") for k in _session(client))


def test_a_denial_by_the_provider_is_one_page_in_the_users_language(
        workplace: Workplace) -> None:
    with httpx.Client() as client:
        first = client.get(workplace.url + "/kirjaudu/oidc?kieli=en")
        state = parse_qs(urlsplit(first.headers["location"]).query)["state"][0]
        answer = client.get(workplace.url + "/kirjaudu/oidc/paluu",
                            params={"error": "access_denied", "state": state})
        assert answer.status_code == 400
        assert "did not confirm the sign-in" in answer.text
        assert signed_out(client, workplace.url)


def _session(client: httpx.Client) -> dict[str, object]:
    """The workplace's session as the cookie carries it (signed, not encrypted)."""
    from itsdangerous import TimestampSigner

    cookie = client.cookies.get("kv_workplace")
    if not cookie:
        return {}
    data: dict[str, object] = json.loads(base64.b64decode(
        TimestampSigner(SESSION_KEY).unsign(cookie)))
    return data


def _forge(client: httpx.Client, session: dict[str, object]) -> None:
    from itsdangerous import TimestampSigner

    raw = base64.b64encode(json.dumps(session).encode())
    client.cookies.set("kv_workplace", TimestampSigner(SESSION_KEY).sign(raw).decode(),
                       domain="127.0.0.1")


def test_an_id_token_with_another_nonce_is_refused(workplace: Workplace) -> None:
    """The provider puts the sent nonce into the ID token; a session that expects another (as
    a replayed ID token would bring) is refused."""
    with httpx.Client() as client:
        back = submit_login(client, to_provider_login(client, workplace.url), MAIJA)
        session = _session(client)
        (key,) = [k for k in session if k.startswith("_state_")]
        kept = session[key]
        assert isinstance(kept, dict)
        kept["data"]["nonce"] = "another-nonce-than-the-one-sent"
        client.cookies.clear()
        _forge(client, session)
        answer = client.get(back.headers["location"])
        assert answer.status_code == 400, answer.text[:300]
        assert "could not be verified" in answer.text or "voitu varmentaa" in answer.text
        assert signed_out(client, workplace.url)


def test_a_discovery_document_of_another_issuer_is_refused(workplace: Workplace,
                                                           tmp_path: Path) -> None:
    """Configured as 127.0.0.1, the provider names itself localhost: not the same issuer."""
    from starlette.testclient import TestClient

    from kokemusvirta.settings import Settings
    from kokemusvirta.workplace.app import create_app

    users = tmp_path / "users.yaml"
    users.write_text(USERS_YAML, encoding="utf-8")
    env = oidc_env(workplace.provider, users)
    env["KOKEMUSVIRTA_OIDC_ISSUER"] = env["KOKEMUSVIRTA_OIDC_ISSUER"].replace("localhost",
                                                                              "127.0.0.1")
    values: dict[str, object] = {"KOKEMUSVIRTA_HOME": str(tmp_path),
                                 "KOKEMUSVIRTA_PSEUDONYM_KEY": "p" * 40, **env}
    settings = Settings(**values)  # type: ignore[arg-type]
    with TestClient(create_app(settings)) as client:
        answer = client.get("/kirjaudu/oidc", follow_redirects=False)
    assert answer.status_code == 502
    assert "voitu varmentaa" in answer.text


@pytest.mark.parametrize(("settings", "message"), [
    ({"KOKEMUSVIRTA_OIDC_ISSUER": "http://tunnistus.lappi.example/"}, "must use https"),
    ({"KOKEMUSVIRTA_OIDC_ISSUER": "https://tunnistus.lappi.example/",
      "KOKEMUSVIRTA_OIDC_CLIENT_ID": "kv", "KOKEMUSVIRTA_OIDC_CLIENT_SECRET": "x"},
     "KOKEMUSVIRTA_OIDC_ROLE_CLAIM or KOKEMUSVIRTA_OIDC_USERS"),
])
def test_a_configuration_that_cannot_work_stops_serve_in_one_line(
        tmp_path: Path, settings: dict[str, str], message: str) -> None:
    env = dict(os.environ, KOKEMUSVIRTA_HOME=str(tmp_path), KOKEMUSVIRTA_PSEUDONYM_KEY="p" * 40,
               **settings)
    done = subprocess.run([sys.executable, "-m", "kokemusvirta", "workplace", "serve",
                           "--port", "0"], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stdout + done.stderr
    lines = [line for line in done.stderr.splitlines() if line.startswith("kokemusvirta:")]
    assert len(lines) == 1 and message in lines[0], done.stderr
    assert "Traceback" not in done.stderr


def test_without_go_the_build_says_how_to_get_it(monkeypatch: pytest.MonkeyPatch,
                                                 tmp_path: Path) -> None:
    monkeypatch.setattr(provider, "BINARY", tmp_path / "not-built-yet")
    monkeypatch.setattr(provider.shutil, "which", lambda name: None)
    with pytest.raises(provider.ProviderUnavailable, match="Go is not installed") as caught:
        provider.build()
    assert "\n" not in str(caught.value)
    assert provider.main(["build"]) == 1


def test_a_built_binary_is_reused_keyed_by_version(monkeypatch: pytest.MonkeyPatch,
                                                   tmp_path: Path) -> None:
    built = tmp_path / f"zitadel-oidc-example-op-{provider.VERSION}"
    built.write_bytes(b"")
    monkeypatch.setattr(provider, "BINARY", built)
    monkeypatch.setattr(provider.shutil, "which", lambda name: None)
    assert provider.build() == built
    assert provider.VERSION in provider.PACKAGE


def test_a_provider_that_cannot_be_reached_is_one_page(tmp_path: Path) -> None:
    from starlette.testclient import TestClient

    from kokemusvirta.settings import Settings
    from kokemusvirta.workplace.app import create_app

    users = tmp_path / "users.yaml"
    users.write_text(USERS_YAML, encoding="utf-8")
    values: dict[str, object] = {
        "KOKEMUSVIRTA_HOME": str(tmp_path), "KOKEMUSVIRTA_PSEUDONYM_KEY": "p" * 40,
        "KOKEMUSVIRTA_OIDC_ISSUER": f"http://localhost:{provider.free_port()}/",
        "KOKEMUSVIRTA_OIDC_CLIENT_ID": "web", "KOKEMUSVIRTA_OIDC_CLIENT_SECRET": "secret",
        "KOKEMUSVIRTA_OIDC_USERS": str(users)}
    settings = Settings(**values)  # type: ignore[arg-type]
    with TestClient(create_app(settings)) as client:
        answer = client.get("/kirjaudu/oidc?kieli=sv", follow_redirects=False)
        assert answer.status_code == 502
        assert "kunde inte nås" in answer.text and "Traceback" not in answer.text
        login = client.get("/kirjaudu")
        assert 'href="/kirjaudu/oidc"' in login.text  # the link shows while OIDC is configured


def test_without_an_issuer_there_is_no_oidc_sign_in(tmp_path: Path) -> None:
    from starlette.testclient import TestClient

    from kokemusvirta.settings import Settings
    from kokemusvirta.workplace.app import create_app

    values: dict[str, object] = {"KOKEMUSVIRTA_HOME": str(tmp_path),
                                 "KOKEMUSVIRTA_PSEUDONYM_KEY": "p" * 40}
    with TestClient(create_app(Settings(**values))) as client:  # type: ignore[arg-type]
        assert client.get("/kirjaudu/oidc", follow_redirects=False).status_code == 404
        assert client.get("/kirjaudu/oidc/paluu?code=x&state=y").status_code == 404
        assert "/kirjaudu/oidc" not in client.get("/kirjaudu").text
