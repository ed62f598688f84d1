"""The composition root: the one place that turns settings into the objects the layers below are
given. streams/ never reads settings; it receives a WorkerConfig, a privacy service, a sender,
the checkpoint book and an error policy from here.
"""

from __future__ import annotations

import ssl
from dataclasses import replace
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from kokemusvirta import kafka as kv_kafka
from kokemusvirta.keystore import privacy_from_settings
from kokemusvirta.organisations import organisations
from kokemusvirta.settings import Settings
from managers.lifecycle_client import DeskConnection
from streams.config import WorkerConfig
from streams.privacy import Privacy
from streams.timing import TimeWindow

if TYPE_CHECKING:  # faust is imported only by the commands that run it: it is slow to import
    import faust

    from sinks.runner import Sink
    from streams.errors import ErrorPolicy


def privacy_service(settings: Settings) -> Privacy:
    """The pseudonym key and the per-person key store (kokemusvirta/keystore.py), its new keys
    made durable a batch at a time (the intake agent calls make_keys_durable: streams/app.py)."""
    return privacy_from_settings(settings, durable_per_batch=True)


def worker_config(
    settings: Settings, bootstrap: str, instance_id: str | None = None
) -> WorkerConfig:
    """`instance_id`: the worker's claimed static id (kokemusvirta/worker_instance.py); None
    takes KOKEMUSVIRTA_WORKER_INSTANCE_ID, and unset, dynamic membership."""
    return WorkerConfig(
        group_id=settings.worker_group,
        broker_urls=WorkerConfig.broker_urls_of(bootstrap),
        topics=settings.topics,
        partitions=settings.partitions,
        routed_partitions=settings.routed_partitions,
        replication_factor=settings.replication_factor,
        credentials=faust_credentials(settings),
        time_window=time_window(settings),
        instance_id=instance_id or settings.worker_instance_id,
        session_timeout_s=settings.worker_session_timeout_s,
        # Not the working directory: a worker started from a checkout left folders there.
        datadir=str(settings.home / "run" / "faust" / "{conf.name}-data"),
        organisations=organisations(settings),
    )


def time_window(settings: Settings) -> TimeWindow:
    """KOKEMUSVIRTA_EARLIEST_EVENT_TIME and KOKEMUSVIRTA_MAX_FUTURE_HOURS."""
    return TimeWindow(earliest=settings.earliest_event_time,
                      max_future=timedelta(hours=settings.max_future_hours))


def worker_app(settings: Settings, errors: ErrorPolicy | None = None) -> faust.App:
    """The worker's Faust app, wired: its topics created, its keys published.
    `errors`: the policy whose counters the caller reads (a new one if None)."""
    from kokemusvirta.retrying import when_reachable
    from kokemusvirta.seals import worker_seals
    from kokemusvirta.worker_instance import claim_worker_instance
    from streams.app import create_app
    from streams.errors import ErrorPolicy
    from streams.sender import KafkaSender

    organisations(settings)  # a bad registry file stops the worker before it waits for a broker
    bootstrap = kv_kafka.bootstrap_servers(settings, start_local=False)
    when_reachable(lambda: kv_kafka.ensure_topics(settings, bootstrap), "create the topics")
    config = replace(worker_config(settings, bootstrap, claim_worker_instance(settings)),
                     request_topics=tuple(when_reachable(
                         lambda: kv_kafka.request_topics(settings, bootstrap),
                         "list the request topics")))
    # Faust makes its own folder ("<group>-data"), not the ones above it.
    (settings.home / "run" / "faust").mkdir(parents=True, exist_ok=True)
    # The signing key from the key store, the public keys published. The guard's states and
    # the checkpoints are read back per partition, as the group assigns them
    # (streams/guard_agent.py): nothing to rebuild before the worker starts.
    seals = when_reachable(lambda: worker_seals(settings, bootstrap),
                           "publish the signing keys and restore the checkpoints")
    return create_app(config, privacy=privacy_service(settings),
                      sender=KafkaSender(config),
                      errors=errors if errors is not None
                      else ErrorPolicy(config.topics, config.time_window), seals=seals)


def worker(settings: Settings, loglevel: str) -> faust.Worker:
    """The worker process: the app, Faust's Worker logging in the project's one format
    (KOKEMUSVIRTA_LOG_FORMAT), and /healthz and /metrics reading the error policy's counters
    (KOKEMUSVIRTA_WORKER_METRICS_PORT)."""
    import faust

    from kokemusvirta.operations.logs import faust_logging_config
    from kokemusvirta.operations.wiring import serve_worker
    from streams.errors import ErrorPolicy

    errors = ErrorPolicy(settings.topics, time_window(settings))
    app = worker_app(settings, errors)
    process = faust.Worker(app, loglevel=loglevel.lower(), quiet=True,
                           logging_config=faust_logging_config(loglevel, settings.log_format))
    serve_worker(settings, kv_kafka.bootstrap_servers(settings, start_local=False),
                 errors.counters, app, process.loop)
    return process


def faust_credentials(settings: Settings) -> Any:
    """SASL or SSL credentials for Faust from KAFKA_SECURITY_PROTOCOL and KAFKA_SASL_*; None for
    PLAINTEXT."""
    import faust
    from faust.types.auth import SASLMechanism

    settings = settings.connection()  # the local broker: the principal's own credentials
    if settings.kafka_sasl_mechanism:
        password = settings.kafka_sasl_password.get_secret_value() \
            if settings.kafka_sasl_password else ""
        mechanism = {
            "PLAIN": SASLMechanism.PLAIN,
            "SCRAM-SHA-256": SASLMechanism.SCRAM_SHA_256,
            "SCRAM-SHA-512": SASLMechanism.SCRAM_SHA_512,
        }[settings.kafka_sasl_mechanism]
        ssl_context = None
        if settings.kafka_security_protocol == "SASL_SSL":
            ssl_context = _ssl_context(settings)
        return faust.SASLCredentials(
            username=settings.kafka_sasl_username, password=password,
            mechanism=mechanism, ssl_context=ssl_context,
        )
    if settings.kafka_security_protocol == "SSL":
        return faust.SSLCredentials(_ssl_context(settings))
    return None


def _ssl_context(settings: Settings) -> ssl.SSLContext:
    cafile = str(settings.kafka_ssl_cafile) if settings.kafka_ssl_cafile else None
    return ssl.create_default_context(cafile=cafile)


def desk_connection(settings: Settings, *, start_local: bool = False) -> DeskConnection:
    """The unit managers' desk: its Kafka as the caller (whose principal may create nothing:
    its request topic was made when access was granted) and the store it hears verdicts from."""
    servers = kv_kafka.bootstrap_servers(settings, start_local=start_local)
    return DeskConnection(
        topics=settings.topics, client_config=settings.kafka_python_config(servers),
        producer=lambda: kv_kafka.producer(settings, servers), store=settings.store)


def sink(settings: Settings) -> Sink:
    """The DuckDB sink, wired: its consumer on the cluster, its store with the deadlines of
    KOKEMUSVIRTA_DEADLINE_*."""
    from kafka import KafkaConsumer

    from sinks.runner import Sink

    servers = kv_kafka.bootstrap_servers(settings, start_local=False)

    def consumer() -> KafkaConsumer:
        return KafkaConsumer(
            group_id=settings.sink_group, client_id="kokemusvirta-sink",
            enable_auto_commit=False, auto_offset_reset="earliest",
            metadata_max_age_ms=1000, max_poll_records=settings.sink_batch_max,
            # Modest prefetch: with dozens of routed partitions, bigger buffers only cost memory.
            fetch_max_bytes=8 * 1024 * 1024, max_partition_fetch_bytes=1024 * 1024,
            # Through a broker restart: retry the connection at least every second (the
            # default backoff grows to 30 s, so a broker back for 20 s was not seen yet), and
            # give up a bootstrap after 10 s, so the sink's own loop logs and tries again.
            reconnect_backoff_max_ms=1_000, bootstrap_timeout_ms=10_000,
            **settings.kafka_python_config(servers),
        )

    wired = Sink(settings.store, settings.topics, consumer, settings.sink_batch_max,
                 settings.snapshot_interval_s, settings.sink_memory_limit,
                 threads=settings.sink_threads)
    wired.store.set_deadlines(settings.deadlines)
    where = settings.lake_location
    if where is not None:
        from sinks.lake import LakeWriter

        wired.lake = LakeWriter(wired.store.con, where, settings.lake_every_s,
                                settings.lake_compact_idle_s, settings.lake_compact_every_s)
    return wired


def serve_sink_operations(settings: Settings, wired: Sink) -> None:
    """The sink process's /healthz and /metrics (KOKEMUSVIRTA_SINK_METRICS_PORT)."""
    from kokemusvirta.operations.wiring import serve_sink

    serve_sink(settings, kv_kafka.bootstrap_servers(settings, start_local=False), wired)
