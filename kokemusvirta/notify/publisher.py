"""The notifier's requests to the worker's guard: each lifecycle step it asks for (a delivery of
an answer, a notice to staff, an automatic escalation) is published to its own request topic
(`<prefix>requests.notifier`) as the notifier principal, and `publish` returns only when the
broker has acknowledged it. The guard judges it there (streams/guard.py): accepted onto the
lifecycle topic, or a dead letter."""

from __future__ import annotations

from typing import TYPE_CHECKING

from schemas.lifecycle import LifecycleEvent

if TYPE_CHECKING:
    from kafka import KafkaProducer

    from kokemusvirta.settings import Settings

# How long a request may wait for the broker's acknowledgement before the round gives up (the
# ledger then lets the next round try again).
ACK_TIMEOUT_S = 30.0


class NotifierPublisher:
    """One producer as the notifier principal (provisioned on first use on the local broker:
    kokemusvirta/access/local.py `as_principal`); `close` when done."""

    def __init__(self, settings: Settings) -> None:
        from kokemusvirta.access.local import as_principal
        from kokemusvirta.kafka import bootstrap_servers, ensure_topics, producer

        self.topic = settings.topics.notifier_requests
        bootstrap = bootstrap_servers(settings, start_local=False)
        ensure_topics(settings, bootstrap)  # the request topic, made by set-up (the admin)
        acting = as_principal(settings.model_copy(update={"principal": "notifier"}),
                              "notifier")
        self._producer: KafkaProducer = producer(acting, bootstrap)

    def publish(self, event: LifecycleEvent) -> None:
        """Publish one request, keyed by its item, and block until the broker acknowledged it
        (raises kafka's error otherwise: nothing is then known to be asked for)."""
        future = self._producer.send(self.topic, key=event.kafka_key(),
                                     value=event.to_json_bytes())
        future.get(timeout=ACK_TIMEOUT_S)

    def close(self) -> None:
        self._producer.close(timeout=10)

    def __enter__(self) -> NotifierPublisher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
