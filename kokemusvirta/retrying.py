"""Waiting for a cluster that is away: a process that starts while the broker is down or
restarting waits for it, one log line a try, instead of exiting (issue 11: a worker started
during a broker restart gave up after 30 s with `KafkaTimeoutError: Unable to bootstrap`)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from kafka.errors import KafkaConnectionError, KafkaError, KafkaTimeoutError, NodeNotReadyError

T = TypeVar("T")
log = logging.getLogger("kokemusvirta.kafka")

FIRST_WAIT_S = 0.5
MAX_WAIT_S = 10.0


def broker_unreachable(exc: BaseException) -> bool:
    """The cluster is out of reach for now (not: it refused us, or a bug): worth waiting for."""
    if isinstance(exc, KafkaTimeoutError | KafkaConnectionError | NodeNotReadyError):
        return True
    if isinstance(exc, KafkaError):
        return bool(getattr(exc, "retriable", False))
    return isinstance(exc, ConnectionError | TimeoutError)


def when_reachable(
    call: Callable[[], T], what: str, *, sleep: Callable[[float], None] = time.sleep,
) -> T:
    """`call()`, tried again after 0.5 s, doubling to 10 s, for as long as the cluster is out of
    reach; any other error goes to the caller."""
    wait_s = FIRST_WAIT_S
    while True:
        try:
            return call()
        except Exception as exc:
            if not broker_unreachable(exc):
                raise
            log.warning("Kafka out of reach to %s (%s); trying again in %.1f s",
                        what, type(exc).__name__, wait_s)
        sleep(wait_s)
        wait_s = min(wait_s * 2, MAX_WAIT_S)
