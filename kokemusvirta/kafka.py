"""Connecting to Kafka: which cluster, creating topics, where each topic ends."""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Callable

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import ConfigResource, ConfigResourceType, NewTopic
from kafka.errors import TopicAlreadyExistsError, TopicAuthorizationFailedError

from kokemusvirta.broker.local import LocalBroker
from kokemusvirta.settings import Settings
from schemas.access import Requester

# Kafka is the source of truth (docs/design.md §3): the store, `replay` and audits rebuild from it,
# so the topics the project creates keep every record whatever the cluster's default retention.
KEEP_FOREVER = {"retention.ms": "-1"}
# The worker's public keys and signed checkpoints: the latest record per key is what counts.
COMPACTED = {"cleanup.policy": "compact", "retention.ms": "-1"}
# Except raw intake, a landing zone (issue 12): what the source system sent may hold a contact, a
# client id, a henkilötunnus in the text; the worker keeps each accepted source event redacted on
# the sources topic for ever. The broker deletes only whole segments, so segments roll at least
# hourly: a record is gone at most retention + segment.ms + log.retention.check.interval.ms after
# it arrived.
INTAKE_SEGMENT_MS_MAX = 3_600_000


# A record's receipt is the broker's clock, not the sender's: the worker times what a record
# causes, checks the time window and counts deadlines from its Kafka timestamp, so on the topics
# that outsiders write (intake, the request topics) the sender may not choose it.
RECEIPT_BY_BROKER = {"message.timestamp.type": "LogAppendTime"}


def intake_config(settings: Settings) -> dict[str, str]:
    retention_ms = max(1, round(settings.intake_retention_hours * 3_600_000))
    return {"retention.ms": str(retention_ms),
            "segment.ms": str(min(retention_ms, INTAKE_SEGMENT_MS_MAX)), **RECEIPT_BY_BROKER}


log = logging.getLogger("kokemusvirta.kafka")


class NoBroker(RuntimeError):
    pass


def local_broker(settings: Settings) -> LocalBroker:
    return LocalBroker(settings.broker_home, num_partitions=settings.partitions,
                       listen=settings.broker_listen)


def bootstrap_servers(
    settings: Settings, *, start_local: bool, on_progress: Callable[[str], None] | None = None
) -> str:
    """KAFKA_BOOTSTRAP_SERVERS when set; otherwise the project's local broker."""
    if settings.kafka_bootstrap_servers:
        return settings.kafka_bootstrap_servers
    broker = local_broker(settings)
    if start_local:
        return broker.start(on_progress=on_progress)  # fetches the jars first if missing
    address = broker.bootstrap_servers
    if address is None:
        raise NoBroker(
            "No Kafka broker: KAFKA_BOOTSTRAP_SERVERS is not set and the local broker is not "
            "running. Start it with `kokemusvirta broker start`, or set KAFKA_BOOTSTRAP_SERVERS."
        )
    return address


def admin(settings: Settings, bootstrap: str) -> KafkaAdminClient:
    return KafkaAdminClient(client_id="kokemusvirta-admin",
                            **settings.kafka_python_config(bootstrap))


def producer(settings: Settings, bootstrap: str) -> KafkaProducer:
    return KafkaProducer(
        client_id="kokemusvirta-publish", acks="all", linger_ms=5,
        batch_size=256 * 1024, max_request_size=4 * 1024 * 1024,
        **settings.kafka_python_config(bootstrap),
    )


def ensure_topics(settings: Settings, bootstrap: str, *,
                  on_refused: Callable[[str], None] | None = None) -> list[str]:
    """Create the intake, sources, lifecycle, dead-letter, guard.requests and notifier's request
    topics and the worker's keys and checkpoints topics (one partition, compacted) if missing,
    and set intake's retention if it differs; routed topics are created by the worker when it first
    routes to them, request topics when access is granted (`ensure_request_topic`). A topic these
    credentials may not create is left to the set-up: `on_refused` is told its name (a log line
    by default). Returns the topics created."""
    t = settings.topics
    # guard.requests: co-partitioned with the lifecycle topic (streams/guard_agent.py)
    wanted = [t.intake, t.sources, t.lifecycle, t.dead_letters, t.guard_requests,
              t.access_log]  # who viewed which item (schemas/access_log.py), kept for ever
    # The notifier's request topic: kept for ever and timed by the broker like a requester's.
    request_like = {t.notifier_requests}
    intake = intake_config(settings)
    client = admin(_set_up_as(settings), bootstrap)
    try:
        existing = set(client.list_topics())
        new = [
            NewTopic(name, settings.partitions, settings.replication_factor,
                     topic_configs=intake if name == t.intake else KEEP_FOREVER)
            for name in wanted if name not in existing
        ] + [
            NewTopic(name, settings.routed_partitions, settings.replication_factor,
                     topic_configs=KEEP_FOREVER | RECEIPT_BY_BROKER)
            for name in sorted(request_like) if name not in existing
        ] + [
            NewTopic(name, 1, settings.replication_factor, topic_configs=COMPACTED)
            for name in (t.keys, t.checkpoints) if name not in existing
        ]
        created = []
        # One at a time: a principal lists only the topics it may describe, so a topic that is
        # none of its business (the worker and the access log) looks missing to it, and the
        # broker refuses to let it create that one; the set-up (the admin) makes it.
        for topic in new:
            try:
                client.create_topics([topic])
            except TopicAlreadyExistsError:  # another process was quicker
                continue
            except TopicAuthorizationFailedError:
                if on_refused is None:
                    log.info("%s: not this principal's to create or see; the set-up makes it",
                             topic.name)
                else:
                    on_refused(topic.name)
                continue
            created.append(topic.name)
        if t.intake in existing:
            correct_topic_config(client, t.intake, intake)
        return created
    finally:
        client.close()


def ensure_request_topic(settings: Settings, bootstrap: str, requester: Requester) -> str:
    """The requester's own request topic (only it may write it: kokemusvirta/access/acls.py),
    kept for ever like every topic the lifecycle is rebuilt from; its name."""
    name = requester.request_topic(settings.topic_prefix)
    client = admin(_set_up_as(settings), bootstrap)
    try:
        if name not in set(client.list_topics()):
            with contextlib.suppress(TopicAlreadyExistsError):
                client.create_topics([NewTopic(name, settings.routed_partitions,
                                               settings.replication_factor,
                                               topic_configs=KEEP_FOREVER | RECEIPT_BY_BROKER)])
        return name
    finally:
        client.close()


def request_topics(settings: Settings, bootstrap: str) -> list[str]:
    """The request topics that exist now (the worker reads them and looks for new ones)."""
    rx = re.compile(settings.topics.requests_pattern)
    client = admin(settings, bootstrap)
    try:
        return sorted(name for name in client.list_topics() if rx.match(name))
    finally:
        client.close()


def _set_up_as(settings: Settings) -> Settings:
    """Creating topics is set-up: the admin's job on the local broker (on a cluster, the
    settings' own identity must be allowed it)."""
    from kokemusvirta.access.local import as_admin

    return as_admin(settings)


def topic_config(client: KafkaAdminClient, topic: str, keys: list[str]) -> dict[str, str | None]:
    """The topic's current values of `keys` (the cluster's default where not set on it)."""
    resource = ConfigResource(ConfigResourceType.TOPIC, topic, configs=dict.fromkeys(keys))
    found = client.describe_configs([resource], config_filter="all")
    entries = next(iter(next(iter(found.values())).values()))
    return {k: (entries[k].get("value") if isinstance(entries.get(k), dict) else None)
            for k in keys}


def correct_topic_config(client: KafkaAdminClient, topic: str, wanted: dict[str, str]) -> bool:
    """Set the keys of `wanted` that differ on the topic (an incremental change: the topic's
    other settings stay); True if anything was changed. An intake topic made before the
    retention setting, or under another one, is brought to the configured one here."""
    current = topic_config(client, topic, list(wanted))
    if all(v is None for v in current.values()):
        # Not even the cluster's defaults: this principal may not describe the topic's configs
        # (the worker, the gateway). Setting them is set-up's, the admin's, job.
        log.info("%s's configuration is not readable as this principal: left to the set-up",
                 topic)
        return False
    changed = {k: v for k, v in wanted.items() if current.get(k) != v}
    if changed:
        result = client.alter_configs(
            [ConfigResource(ConfigResourceType.TOPIC, topic, configs=changed)])
        refused = [f"{name}: {outcome}" for by_name in result.values()
                   for name, outcome in by_name.items() if outcome != "OK"]
        if refused:  # the retention is a protection: never go on as if it were set
            raise RuntimeError(f"could not set {', '.join(changed)} on {topic} "
                               f"({'; '.join(refused)})")
    return bool(changed)


def offsets_reader(settings: Settings, bootstrap: str) -> KafkaConsumer:
    """A consumer that joins no group: used only to ask where topics end."""
    return KafkaConsumer(enable_auto_commit=False, **settings.kafka_python_config(bootstrap))


def end_offsets(reader: KafkaConsumer, pattern: str) -> dict[tuple[str, int], int]:
    """The next offset of every partition of every topic whose name matches `pattern`."""
    rx = re.compile(pattern)
    topics = [name for name in reader.topics() if rx.match(name)]
    tps = [
        TopicPartition(name, p)
        for name in topics for p in (reader.partitions_for_topic(name) or ())
    ]
    return {(tp.topic, tp.partition): o for tp, o in reader.end_offsets(tps).items()}


def group_offsets(client: KafkaAdminClient, group: str) -> dict[tuple[str, int], int]:
    """The offsets a consumer group has committed (the worker's progress)."""
    offsets = client.list_group_offsets(group).get(group, {})
    return {(tp.topic, tp.partition): meta.offset for tp, meta in offsets.items()
            if meta.offset >= 0}
