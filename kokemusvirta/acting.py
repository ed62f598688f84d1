"""The demo's people at work on Kafka: each planned request goes to its requester's own request
topic, sent by that requester's producer (schemas/access.py; the plan is scenario/activity.py).

Who sends is a callable the caller hands in, `ProducerFor`. By default, on the project's local
broker each requester sends as its own principal (granted on first use, its file kept in
$KOKEMUSVIRTA_HOME/access/), so the broker's ACLs, not the payload, decide who may ask for
what; settings with an identity of their own (a cluster's, the tests' admin) send as that.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from kafka import KafkaProducer

from kokemusvirta import kafka as kv_kafka
from kokemusvirta.settings import Settings
from scenario.activity import PlannedRequest
from schemas.access import Requester

ProducerFor = Callable[[Requester], KafkaProducer]


def producers_of_settings(settings: Settings, bootstrap: str) -> ProducerFor:
    """Every requester sends with the current settings' credentials."""
    return lambda _requester: kv_kafka.producer(settings, bootstrap)


def producers_of_requesters(settings: Settings, bootstrap: str) -> ProducerFor:
    """Each requester sends as itself on the local broker (kokemusvirta/access/local.py)."""
    from kokemusvirta.access.local import as_requester

    return lambda requester: kv_kafka.producer(as_requester(settings, requester), bootstrap)


def publish_requests(
    settings: Settings, bootstrap: str, requests: Iterable[PlannedRequest],
    producer_for: ProducerFor | None = None,
) -> int:
    """Send each request to its requester's request topic (created first if missing, with the
    current settings: the demo's admin). Returns how many were sent."""
    by_requester: dict[Requester, list[PlannedRequest]] = {}
    for r in requests:
        by_requester.setdefault(r.requester, []).append(r)
    make = producer_for or producers_of_requesters(settings, bootstrap)
    for requester in by_requester:  # all first: the worker then widens its subscription once
        kv_kafka.ensure_request_topic(settings, bootstrap, requester)
    sent = 0
    for requester, mine in by_requester.items():
        topic = settings.topics.requests(requester)
        producer = make(requester)
        try:
            futures = [producer.send(topic, key=r.event.kafka_key(),
                                     value=r.event.to_json_bytes()) for r in mine]
            producer.flush()
            for future in futures:
                future.get(timeout=60)  # raises if the broker did not take it
        finally:
            producer.close()
        sent += len(mine)
    return sent
