"""A process that starts while the broker is away waits for it instead of exiting."""

import pytest
from kafka.errors import KafkaConnectionError, KafkaTimeoutError, TopicAuthorizationFailedError

from kokemusvirta.retrying import MAX_WAIT_S, broker_unreachable, when_reachable


def test_the_call_is_tried_again_while_the_broker_is_away_with_growing_waits() -> None:
    failures = [KafkaTimeoutError("Unable to bootstrap"), KafkaConnectionError("refused")] * 4
    waits: list[float] = []

    def call() -> str:
        if failures:
            raise failures.pop(0)
        return "topics"

    assert when_reachable(call, "create the topics", sleep=waits.append) == "topics"
    assert waits == [0.5, 1.0, 2.0, 4.0, 8.0, MAX_WAIT_S, MAX_WAIT_S, MAX_WAIT_S]


def test_a_refusal_or_a_bug_is_not_waited_for() -> None:
    waits: list[float] = []
    for error in (TopicAuthorizationFailedError(), ValueError("a bug")):
        def call(error: Exception = error) -> None:
            raise error

        with pytest.raises(type(error)):
            when_reachable(call, "create the topics", sleep=waits.append)
    assert waits == []
    assert broker_unreachable(ConnectionRefusedError()) and not broker_unreachable(KeyError())
