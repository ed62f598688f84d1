"""The intake API in process (Starlette's TestClient): answers, errors, guards, and the gateway's
idempotency and sealing with a fake producer in place of the broker."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.routing import Route
from starlette.testclient import TestClient

from kokemusvirta.intake.app import create_app
from kokemusvirta.intake.gateway import IntakeGateway, Submitted, item_ids_of
from kokemusvirta.settings import Settings
from schemas.registry import parse_source
from streams.privacy import MemoryKeyStore, Privacy
from tests.factories import feedback, statement, workshop

PSEUDONYM_KEY = b"k" * 32


def _settings(tmp_path: Path, **values: object) -> Settings:
    values = {"KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:9", "KOKEMUSVIRTA_HOME": tmp_path / "home",
              **values}
    return Settings(**values)  # type: ignore[arg-type]


class FakeProducer:
    """aiokafka's send: a coroutine giving a future of the acknowledgement."""

    def __init__(self, fail: bool = False) -> None:
        self.sent: list[tuple[str, bytes, bytes]] = []
        self.fail = fail

    async def send(self, topic: str, value: bytes, key: bytes) -> asyncio.Future[None]:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        if self.fail:
            from aiokafka.errors import KafkaTimeoutError

            future.set_exception(KafkaTimeoutError())
        else:
            self.sent.append((topic, key, value))
            future.set_result(None)
        return future

    async def stop(self) -> None:
        pass


def _gateway(settings: Settings, producer: FakeProducer) -> IntakeGateway:
    return IntakeGateway(settings, Privacy(PSEUDONYM_KEY, MemoryKeyStore()), "127.0.0.1:9",
                         producer=producer)


@pytest.fixture
def producer() -> FakeProducer:
    return FakeProducer()


@pytest.fixture
def client(tmp_path: Path, producer: FakeProducer) -> Iterator[TestClient]:
    settings = _settings(tmp_path, KOKEMUSVIRTA_INTAKE_MAX_BODY_BYTES=20_000)
    with TestClient(create_app(settings, gateway=_gateway(settings, producer))) as c:
        yield c


def test_an_event_is_accepted_with_its_item_id_once_published(
        client: TestClient, producer: FakeProducer) -> None:
    event = feedback()
    answer = client.post("/v1/feedback", json=event)
    assert answer.status_code == 202
    [(topic, key, value)] = producer.sent
    assert topic.endswith("intake") and key == event["event_id"].encode()
    assert answer.json() == {"item_ids": item_ids_of(parse_source(value))}


def test_a_list_and_each_family(client: TestClient, producer: FakeProducer) -> None:
    answer = client.post("/v1/workshops", json=[workshop(), workshop()])
    assert answer.status_code == 202 and len(answer.json()["item_ids"]) == 6
    assert all(i.startswith("ws-") for i in answer.json()["item_ids"])
    answer = client.post("/v1/statements", json=statement())
    assert answer.status_code == 202 and answer.json()["item_ids"][0].startswith("st-")
    assert len(producer.sent) == 3


def test_the_contact_and_client_id_never_reach_the_producer(
        client: TestClient, producer: FakeProducer) -> None:
    event = feedback(client_id="131052-308T", contact="matti.meikalainen@example.fi")
    assert client.post("/v1/feedback", json=event).status_code == 202
    [(_, _, value)] = producer.sent
    assert b"131052-308T" not in value and b"matti.meikalainen" not in value
    published = json.loads(value)
    assert published["client_pseudonym"] and published["contact_sealed"]


def test_a_bad_request_lists_every_problem_in_the_asked_language(
        client: TestClient, producer: FakeProducer) -> None:
    bad = [feedback(), feedback(rating=9, text="")]
    answer = client.post("/v1/feedback", json=bad, headers={"Accept-Language": "sv-FI"})
    assert answer.status_code == 400
    assert answer.headers["content-language"] == "sv"
    body = answer.json()
    assert body["error"].startswith("Begäran innehåller fel: 2")
    assert [(p["path"], p["message"]) for p in body["problems"]] == [
        ("1.rating", "för stort"), ("1.text", "för kort eller tom")]
    assert producer.sent == []  # nothing of a bad request is published, not even the good one
    finnish = client.post("/v1/feedback", json=bad).json()
    assert finnish["problems"][0]["message"] == "liian suuri"


def test_not_json_is_415_and_garbage_400(client: TestClient) -> None:
    assert client.post("/v1/feedback", content=b"text=hi",
                       headers={"Content-Type": "text/plain"}).status_code == 415
    answer = client.post("/v1/feedback", content=b"{not json",
                         headers={"Content-Type": "application/json", "Accept-Language": "en"})
    assert answer.status_code == 400
    assert answer.json()["problems"] == [
        {"path": "(root)", "problem": "not_json", "message": "not valid JSON"}]


def test_over_the_size_limit_is_413_by_header_or_by_stream(client: TestClient) -> None:
    big = json.dumps(feedback(text="a" * 30_000)).encode()
    answer = client.post("/v1/feedback", content=big,
                         headers={"Content-Type": "application/json", "Accept-Language": "en"})
    assert answer.status_code == 413 and "20000 bytes" in answer.json()["error"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: the streamed body is counted
        yield from (big[i:i + 4096] for i in range(0, len(big), 4096))

    answer = client.post("/v1/feedback", content=chunks(),
                         headers={"Content-Type": "application/json"})
    assert answer.status_code == 413


def test_the_same_idempotency_key_publishes_nothing_new(
        client: TestClient, producer: FakeProducer) -> None:
    event = feedback()
    first = client.post("/v1/feedback", json=event, headers={"Idempotency-Key": "job-7-row-1"})
    again = client.post("/v1/feedback", json=event, headers={"Idempotency-Key": "job-7-row-1"})
    assert first.status_code == again.status_code == 202
    assert first.json() == again.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert len(producer.sent) == 1
    other = client.post("/v1/feedback", json=feedback(), headers={"Idempotency-Key": "job-7-row-1",
                                                                  "Accept-Language": "en"})
    assert other.status_code == 422 and "different request" in other.json()["error"]
    assert client.post("/v1/feedback", json=event,
                       headers={"Idempotency-Key": "two words"}).status_code == 422
    assert len(producer.sent) == 1
    # Without the key the same event is published again (the worker dedupes by event id).
    assert client.post("/v1/feedback", json=event).status_code == 202
    assert len(producer.sent) == 2


def test_a_client_over_its_rate_gets_429_with_retry_after(tmp_path: Path) -> None:
    settings = _settings(tmp_path, KOKEMUSVIRTA_INTAKE_RATE_PER_S=0.5,
                         KOKEMUSVIRTA_INTAKE_RATE_BURST=2)
    with TestClient(create_app(settings, gateway=_gateway(settings, FakeProducer()))) as c:
        codes = [c.post("/v1/feedback", json=feedback()).status_code for _ in range(3)]
        assert codes == [202, 202, 429]
        limited = c.post("/v1/feedback", json=feedback(), headers={"Accept-Language": "en"})
        assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1
        assert limited.json()["error"].startswith("Too many requests")
        assert c.get("/v1/health").status_code == 200  # reading is not limited


def test_no_acknowledgement_is_503_with_retry_after(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    with TestClient(create_app(settings,
                               gateway=_gateway(settings, FakeProducer(fail=True)))) as c:
        answer = c.post("/v1/feedback", json=feedback(), headers={"Idempotency-Key": "k1"})
        assert answer.status_code == 503 and answer.headers["retry-after"] == "5"
    # …and the key is not remembered: the retry publishes.
    producer = FakeProducer()
    with TestClient(create_app(settings, gateway=_gateway(settings, producer))) as c:
        assert c.post("/v1/feedback", json=feedback(), headers={"Idempotency-Key": "k1"}
                      ).status_code == 202
        assert len(producer.sent) == 1


class Exploding:
    async def start(self) -> None:
        pass

    async def stop(self) -> None:
        pass

    async def submit(self, family: str, payloads: list[dict[str, Any]], *,
                     idempotency_key: str | None, client: str) -> Submitted:
        raise KeyError("matti.meikalainen@example.fi")


def test_an_unexpected_error_is_one_line_and_a_log_line_without_the_request(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    app = create_app(_settings(tmp_path), gateway=Exploding())
    with TestClient(app) as c:  # raises what escapes the app: nothing must
        answer = c.post("/v1/feedback", json=feedback(), headers={"Accept-Language": "en"})
    assert answer.status_code == 500
    assert answer.json() == {"error": "Unexpected error: the feedback was not accepted. "
                                      "Try again."}
    assert "KeyError" in caplog.text and "matti" not in caplog.text
    assert "Traceback" not in answer.text


def test_health_openapi_unknown_paths_and_extra_routes(tmp_path: Path) -> None:
    from starlette.responses import PlainTextResponse

    async def form(request: Any) -> PlainTextResponse:
        return PlainTextResponse(type(request.app.state.gateway).__name__)

    settings = _settings(tmp_path)
    app = create_app(settings, gateway=_gateway(settings, FakeProducer()),
                     extra_routes=[Route("/palaute/{unit}", form)])
    with TestClient(app) as c:
        assert c.get("/v1/health").json() == {"status": "ok", "broker": True}
        doc = c.get("/v1/openapi.json").json()
        assert doc["openapi"] == "3.1.0"
        assert set(doc["paths"]) >= {"/v1/feedback", "/v1/workshops", "/v1/statements"}
        assert "FeedbackSubmitted" in doc["components"]["schemas"]
        assert c.get("/palaute/x").text == "IntakeGateway"
        missing = c.get("/nowhere", headers={"Accept-Language": "sv"})
        assert missing.status_code == 404 and missing.json() == {"error": "Adressen finns inte."}
        assert c.get("/v1/feedback").status_code == 405


def test_the_openapi_document_refs_resolve() -> None:
    from kokemusvirta.intake.openapi import openapi_document

    doc = openapi_document()
    text = json.dumps(doc)
    names = set(doc["components"]["schemas"])
    import re

    refs = set(re.findall(r'"#/components/schemas/([^"]+)"', text))
    assert refs and refs <= names
    assert "$defs" not in text


def test_the_checked_in_openapi_document_is_current() -> None:
    """schemas/json/openapi.json is what e-service builders read: regenerate it with
    `kokemusvirta schemas export schemas/json` when a model or the API changes."""
    from kokemusvirta.intake.openapi import openapi_text
    from schemas.export import EXPORT_DIR

    assert (EXPORT_DIR / "openapi.json").read_text(encoding="utf-8") == openapi_text()


def test_requests_waiting_on_a_failed_connection_do_not_each_try_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A broker that does not answer costs one connection attempt, not one per waiting
    request: the others are answered 503 at once (gateway.RECONNECT_PAUSE_S)."""
    import aiokafka
    from aiokafka.errors import KafkaConnectionError

    from kokemusvirta.intake.gateway import BrokerUnavailable

    attempts: list[float] = []

    class Unreachable:
        def __init__(self, **config: Any) -> None:
            pass

        async def start(self) -> None:
            attempts.append(1)
            await asyncio.sleep(0.2)
            raise KafkaConnectionError()

        async def stop(self) -> None:
            pass

    monkeypatch.setattr(aiokafka, "AIOKafkaProducer", Unreachable)
    settings = _settings(tmp_path)
    gateway = IntakeGateway(settings, Privacy(PSEUDONYM_KEY, MemoryKeyStore()), "127.0.0.1:9")

    async def one() -> BaseException | None:
        try:
            await gateway.submit("feedback", [feedback()], idempotency_key=None, client="x")
        except BrokerUnavailable as exc:
            return exc
        return None

    async def many() -> list[BaseException | None]:
        return await asyncio.gather(*(one() for _ in range(10)))

    outcomes = asyncio.run(many())
    assert all(isinstance(o, BrokerUnavailable) for o in outcomes)
    assert len(attempts) == 1
