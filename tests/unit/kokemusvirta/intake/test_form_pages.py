"""The form's pages in-process (Starlette's TestClient, a recording gateway): what a client
sees for each answer of the server. The real service, broker and Chromium are in
tests/integration/test_intake_form_flow.py and tests/browser/test_intake_form_in_chromium.py."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from kokemusvirta.intake.app import create_app
from kokemusvirta.intake.form import form_routes
from kokemusvirta.intake.form_logic import FORM_BODY_LIMIT
from kokemusvirta.intake.gateway import item_ids_of
from kokemusvirta.organisations import demo_organisations
from kokemusvirta.settings import Settings
from schemas.feedback import FeedbackSubmitted
from schemas.registry import parse_source
from tests.unit.kokemusvirta.intake.test_api import FakeProducer, _gateway, _settings

UNIT = "rovaniemen-terveysasema"


@dataclass
class Submitted:
    item_ids: list[str]


@dataclass
class RecordingGateway:
    calls: list[dict[str, Any]] = field(default_factory=list)
    down: bool = False

    async def submit(self, family: str, payloads: list[dict[str, Any]], *,
                     idempotency_key: str | None, client: str) -> Submitted:
        if self.down:
            raise ConnectionError("no broker")
        self.calls.append({"family": family, "payloads": payloads, "key": idempotency_key})
        return Submitted(["fb-0123456789abcdef"])


@pytest.fixture
def gateway() -> RecordingGateway:
    return RecordingGateway()


@pytest.fixture
def client(gateway: RecordingGateway, tmp_path: Path) -> TestClient:
    settings = Settings(KOKEMUSVIRTA_HOME=tmp_path)
    return TestClient(Starlette(routes=form_routes(settings, gateway, demo_organisations())))


def token_of(html: str) -> str:
    found = re.search(r'name="tunniste" value="([^"]+)"', html)
    assert found
    return found.group(1)


def test_the_form_is_in_each_language_with_a_switcher(client: TestClient) -> None:
    for path, lang, question in (("palaute", "fi", "Miten onnistuimme tänään?"),
                                 ("respons", "sv", "Hur lyckades vi i dag?"),
                                 ("feedback", "en", "How did we do today?")):
        page = client.get(f"/{path}/{UNIT}")
        assert page.status_code == 200
        assert f'<html lang="{lang}">' in page.text and question in page.text
        for other in ("palaute", "respons", "feedback"):
            assert f'href="/{other}/{UNIT}"' in page.text
        assert "<script" not in page.text  # works without JavaScript: there is none
        assert page.headers["cache-control"] == "no-store"
    assert "Rovaniemi hälsostation" in client.get(f"/respons/{UNIT}").text


def test_each_empty_form_has_its_own_token(client: TestClient) -> None:
    assert token_of(client.get(f"/palaute/{UNIT}").text) != \
        token_of(client.get(f"/palaute/{UNIT}").text)


def test_an_unknown_unit_is_a_404_in_the_pages_language(client: TestClient) -> None:
    for path, words in (("palaute", "Yksikköä ei löydy"), ("respons", "Enheten hittades inte"),
                        ("feedback", "Unit not found")):
        page = client.get(f"/{path}/ei-tallaista")
        assert page.status_code == 404 and words in page.text
        assert client.post(f"/{path}/ei-tallaista", data={"teksti": "x"}).status_code == 404


def test_errors_are_beside_the_fields_and_summarised_with_links_values_kept(
        client: TestClient, gateway: RecordingGateway) -> None:
    token = token_of(client.get(f"/palaute/{UNIT}").text)
    page = client.post(f"/palaute/{UNIT}", data={
        "tunniste": token, "teksti": "", "arvio": "3", "vastaus": "sahkoposti",
        "sahkoposti": "maija<at>esimerkki", "vastaaja": "laheinen"})
    assert page.status_code == 400
    assert gateway.calls == []
    html = page.text
    assert "<title>Virhe: " in html
    summary = html[html.index('class="error-summary"'):html.index("</div>", html.index(
        'class="error-summary"'))]
    assert '<a href="#teksti">Kirjoita palautteesi.</a>' in summary
    assert '<a href="#sahkoposti">Kirjoita sähköpostiosoite muodossa' in summary
    assert 'id="teksti-virhe"' in html and 'id="sahkoposti-virhe"' in html
    assert 'aria-describedby="sahkoposti-ohje sahkoposti-virhe" aria-invalid="true"' in html
    # What the client entered is kept (escaped), and the same token goes on.
    assert 'value="maija&lt;at&gt;esimerkki"' in html
    assert 'id="arvio-3" name="arvio" value="3" checked' in html
    assert 'id="vastaaja-laheinen" name="vastaaja" value="laheinen" checked' in html
    assert token_of(html) == token


def test_a_sent_form_tells_what_happens_next_and_the_reference(
        client: TestClient, gateway: RecordingGateway) -> None:
    token = token_of(client.get(f"/feedback/{UNIT}").text)
    page = client.post(f"/feedback/{UNIT}", data={
        "tunniste": token, "teksti": "Good <b>care</b>", "vastaus": "posti",
        "osoite": "Alex Example\nStreet 1\n96100 Rovaniemi"})
    assert page.status_code == 200
    assert "Thank you for your feedback" in page.text and "fb-01234567" in page.text
    assert "manager will take up your feedback by " in page.text
    assert "You will get a reply by letter by " in page.text
    assert "http-equiv" not in page.text  # only a kiosk resets itself
    [call] = gateway.calls
    assert call["family"] == "feedback"
    [payload] = call["payloads"]
    assert payload["text"] == "Good <b>care</b>" and payload["language"] == "en"
    assert payload["contact"] == "Alex Example\nStreet 1\n96100 Rovaniemi"
    assert call["key"] == f"form-{payload['event_id']}"


def test_a_double_click_sends_the_same_idempotency_key(client: TestClient,
                                                       gateway: RecordingGateway) -> None:
    token = token_of(client.get(f"/palaute/{UNIT}").text)
    for _ in range(2):
        client.post(f"/palaute/{UNIT}", data={"tunniste": token, "teksti": "Kiitos"})
    first, second = gateway.calls
    assert first["key"] == second["key"]
    assert first["payloads"][0]["event_id"] == second["payloads"][0]["event_id"]


def test_the_kiosk_returns_to_an_empty_form(client: TestClient) -> None:
    form = client.get(f"/palaute/{UNIT}?kioski=1").text
    assert 'name="kioski" value="1"' in form and 'autocomplete="off"' in form
    page = client.post(f"/palaute/{UNIT}", data={"tunniste": token_of(form),
                                                 "teksti": "Salainen asia", "kioski": "1"})
    assert f'<meta http-equiv="refresh" content="30;url=/palaute/{UNIT}?kioski=1">' in page.text
    assert "Salainen asia" not in page.text


@pytest.mark.parametrize(("query", "channel"), [("?kanava=suullinen", "oral"),
                                                ("?kanava=kirjallinen", "written"),
                                                ("", "electronic")])
def test_staff_record_oral_and_written_feedback(client: TestClient, gateway: RecordingGateway,
                                                query: str, channel: str) -> None:
    form = client.get(f"/palaute/{UNIT}{query}").text
    if query:
        assert "Kirjaat palautetta asiakkaan puolesta" in form
    kanava = re.search(r'name="kanava" value="([^"]+)"', form)
    assert kanava
    client.post(f"/palaute/{UNIT}", data={"tunniste": token_of(form), "teksti": "Sanottu",
                                          "kanava": kanava.group(1)})
    assert gateway.calls[-1]["payloads"][0]["channel"] == channel


def test_staff_choose_the_channel_from_a_list(client: TestClient) -> None:
    form = client.get(f"/palaute/{UNIT}?henkilokunta=1").text
    assert '<select id="kanava" name="kanava">' in form
    assert '<option value="suullinen">Suullinen' in form


def test_a_body_over_the_limit_is_a_friendly_413(client: TestClient,
                                                 gateway: RecordingGateway) -> None:
    body = b"teksti=" + b"a" * FORM_BODY_LIMIT
    page = client.post(f"/respons/{UNIT}", content=body,
                       headers={"content-type": "application/x-www-form-urlencoded"})
    assert page.status_code == 413 and "Responsen är för stor" in page.text
    assert gateway.calls == []
    # The longest valid text, every letter an ä, is under the limit.
    fits = urlencode({"teksti": "ä" * 10_000, "tunniste": "t" * 24}).encode()
    assert len(fits) < FORM_BODY_LIMIT
    assert client.post(f"/respons/{UNIT}", content=fits, headers={
        "content-type": "application/x-www-form-urlencoded"}).status_code == 200


def test_without_the_gateway_the_client_keeps_their_words(client: TestClient,
                                                          gateway: RecordingGateway) -> None:
    gateway.down = True
    page = client.post(f"/palaute/{UNIT}", data={"tunniste": "t" * 24, "teksti": "Tärkeä asia"})
    assert page.status_code == 503 and page.headers["retry-after"] == "30"
    assert "Palautetta ei voitu lähettää" in page.text and "Tärkeä asia" in page.text


def test_the_stylesheet_is_served(client: TestClient) -> None:
    css = client.get("/lomake/lomake.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")


# --- on the intake service, through the real gateway (a fake producer in place of Kafka) -----

@pytest.fixture
def service(tmp_path: Path) -> Iterator[tuple[TestClient, FakeProducer]]:
    settings = _settings(tmp_path, KOKEMUSVIRTA_INTAKE_MAX_BODY_BYTES=20_000)
    producer = FakeProducer()
    with TestClient(create_app(settings, gateway=_gateway(settings, producer))) as c:
        yield c, producer


def test_the_service_serves_the_form_and_seals_the_contact_before_kafka(
        service: tuple[TestClient, FakeProducer]) -> None:
    client, producer = service
    form = client.get(f"/respons/{UNIT}")
    assert form.status_code == 200 and "Hur lyckades vi i dag?" in form.text
    page = client.post(f"/respons/{UNIT}", data={"tunniste": token_of(form.text),
                                                "teksti": "Bra", "vastaus": "sahkoposti",
                                                "sahkoposti": "maja@exempel.fi"})
    assert page.status_code == 200 and "Tack för din respons" in page.text
    [(_, _, value)] = producer.sent
    assert b"maja@exempel.fi" not in value
    event = parse_source(value)
    assert isinstance(event, FeedbackSubmitted)
    assert event.contact is None and event.contact_sealed is not None
    assert (event.unit, event.language, event.channel) == (UNIT, "sv", "electronic")
    assert item_ids_of(event)[0][:11] in page.text


def test_a_double_click_on_the_service_publishes_one_item_and_thanks_twice(
        service: tuple[TestClient, FakeProducer]) -> None:
    client, producer = service
    token = token_of(client.get(f"/palaute/{UNIT}").text)
    pages = [client.post(f"/palaute/{UNIT}", data={"tunniste": token, "teksti": "Kiitos"})
             for _ in range(2)]
    assert [p.status_code for p in pages] == [200, 200]
    assert len(producer.sent) == 1
    reference = item_ids_of(parse_source(producer.sent[0][2]))[0][:11]
    assert all(reference in p.text for p in pages)


def test_the_services_body_limit_leaves_the_form_its_own_friendly_413(
        service: tuple[TestClient, FakeProducer]) -> None:
    client, producer = service
    big = b"teksti=" + b"a" * (FORM_BODY_LIMIT + 1)  # over the API's 20,000 and the form's
    page = client.post(f"/feedback/{UNIT}", content=big,
                       headers={"content-type": "application/x-www-form-urlencoded"})
    assert page.status_code == 413 and page.headers["content-type"].startswith("text/html")
    assert "The feedback is too large" in page.text
    # Between the API's limit and the form's: a long form is still taken.
    long = urlencode({"teksti": "ä" * 9_000, "tunniste": "t" * 24}).encode()
    assert 20_000 < len(long) < FORM_BODY_LIMIT
    assert client.post(f"/feedback/{UNIT}", content=long, headers={
        "content-type": "application/x-www-form-urlencoded"}).status_code == 200
    assert client.post("/v1/feedback", content=big).status_code == 413  # the API's own
    assert len(producer.sent) == 1


def test_without_the_broker_the_form_says_so_and_keeps_the_words(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    with TestClient(create_app(settings, gateway=_gateway(settings, FakeProducer(True)))) as c:
        page = c.post(f"/palaute/{UNIT}", data={"tunniste": "t" * 24, "teksti": "Tärkeä"})
    assert page.status_code == 503 and page.headers["retry-after"] == "5"
    assert "Palautetta ei voitu lähettää" in page.text and "Tärkeä" in page.text


def test_over_the_rate_limit_the_form_comes_back_with_the_words(tmp_path: Path) -> None:
    settings = _settings(tmp_path, KOKEMUSVIRTA_INTAKE_RATE_BURST=1,
                         KOKEMUSVIRTA_INTAKE_RATE_PER_S=0.001)
    producer = FakeProducer()
    with TestClient(create_app(settings, gateway=_gateway(settings, producer))) as c:
        first = c.post(f"/palaute/{UNIT}", data={"tunniste": "a" * 24, "teksti": "Yksi"})
        second = c.post(f"/palaute/{UNIT}", data={"tunniste": "b" * 24, "teksti": "Toinen"})
        api = c.post("/v1/feedback", json={})
    assert first.status_code == 200 and len(producer.sent) == 1
    assert second.status_code == 429 and int(second.headers["retry-after"]) > 0
    assert "Liian monta lähetystä" in second.text and "Toinen" in second.text
    assert second.headers["content-type"].startswith("text/html")
    assert api.status_code == 429 and "error" in api.json()  # the API's own, as before
