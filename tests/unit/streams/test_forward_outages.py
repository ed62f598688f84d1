"""Forwarding requests onto the guard's topic through a broker outage (streams/guard_agent.py
forward_through_outages): the requests not acknowledged because the broker was away are sent
again, in order; anything else stops the forwarding. The worker used to stop when a forward
failed or took over a minute, which the fault suite (kokemusvirta chaos) caught when the broker
was killed while requests were flowing."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

import pytest
from aiokafka.errors import KafkaConnectionError, KafkaTimeoutError, TopicAuthorizationFailedError

from streams import guard_agent
from streams.guard_agent import forward_through_outages


class Producer:
    """Fails the listed (attempt, request) hand-overs or acknowledgements, records the rest."""

    def __init__(self, refuse: dict[tuple[int, str], BaseException] | None = None,
                 lose: dict[tuple[int, str], BaseException] | None = None) -> None:
        self.refuse, self.lose = refuse or {}, lose or {}
        self.attempts: dict[str, int] = {}
        self.acknowledged: list[str] = []
        self.handed: list[str] = []

    async def send(self, request: str) -> Awaitable[object]:
        attempt = self.attempts[request] = self.attempts.get(request, 0) + 1
        self.handed.append(request)
        if (attempt, request) in self.refuse:
            raise self.refuse[(attempt, request)]
        future: asyncio.Future[object] = asyncio.get_running_loop().create_future()
        if (attempt, request) in self.lose:
            future.set_exception(self.lose[(attempt, request)])
        else:
            self.acknowledged.append(request)
            future.set_result(None)
        return future


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(guard_agent, "RETRY_FIRST_S", 0.0)


def run(producer: Producer, requests: list[str]) -> None:
    asyncio.run(forward_through_outages(producer.send, requests))


def test_requests_lost_while_the_broker_is_away_are_sent_again_in_order() -> None:
    producer = Producer(lose={(1, "b"): KafkaConnectionError(), (1, "c"): KafkaTimeoutError()})
    run(producer, ["a", "b", "c", "d"])
    assert sorted(producer.acknowledged) == ["a", "b", "c", "d"]
    assert producer.handed == ["a", "b", "c", "d", "b", "c"]  # only the lost, in their order


def test_a_hand_over_refused_while_the_broker_is_away_waits_with_the_rest() -> None:
    producer = Producer(refuse={(1, "b"): KafkaConnectionError(), (2, "b"): KafkaTimeoutError()})
    run(producer, ["a", "b", "c"])
    assert producer.acknowledged == ["a", "b", "c"]
    assert producer.handed == ["a", "b", "b", "b", "c"]


def test_an_error_that_is_not_the_broker_being_away_stops_the_forwarding() -> None:
    producer = Producer(lose={(1, "b"): TopicAuthorizationFailedError()})
    with pytest.raises(TopicAuthorizationFailedError):
        run(producer, ["a", "b", "c"])
    refused = Producer(refuse={(1, "a"): ValueError("a bug")})
    with pytest.raises(ValueError):
        run(refused, ["a", "b"])
    assert refused.acknowledged == []


def test_handing_over_stuck_for_too_long_stops_the_forwarding(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(guard_agent, "DELIVERY_TIMEOUT_S", 0.05)

    async def stuck(request: Any) -> Awaitable[object]:
        await asyncio.sleep(10)
        raise AssertionError("not reached")

    with pytest.raises(TimeoutError):
        asyncio.run(forward_through_outages(stuck, ["a"]))


def test_a_batch_that_cannot_be_forwarded_is_not_acked_and_the_worker_is_told() -> None:
    # Faust's take_events acked a batch in a `finally`, also when forwarding raised: a stopping
    # worker could then commit past requests that were never forwarded.
    producer = Producer(lose={(1, "d"): TopicAuthorizationFailedError()})
    acked: list[str] = []
    stopped: list[tuple[str, int]] = []

    async def batches() -> Any:
        yield ["a", "b"]
        yield ["c", "d", "e"]
        yield ["f"]

    async def ack(request: str) -> None:
        acked.append(request)

    async def stop(exc: BaseException, count: int) -> None:
        stopped.append((type(exc).__name__, count))

    with pytest.raises(TopicAuthorizationFailedError):
        asyncio.run(guard_agent.forward_batches(batches(), producer.send, ack, stop))
    assert acked == ["a", "b"]  # not c, although its copy was acknowledged: the batch failed
    assert stopped == [("TopicAuthorizationFailedError", 3)]
    assert "f" not in producer.handed
