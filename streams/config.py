"""What the worker is told at start-up: the composition root (kokemusvirta/bootstrap.py) builds it
from the settings, so the Faust app never reads settings or the environment itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from schemas.organisations import OrganisationRegistry
from schemas.topics import TopicNames
from streams.timing import TimeWindow


@dataclass(frozen=True)
class WorkerConfig:
    group_id: str
    broker_urls: tuple[str, ...]  # kafka://host:port, one per bootstrap server
    topics: TopicNames
    partitions: int = 4  # of the intake, lifecycle, requests and dead-letter topics
    routed_partitions: int = 1  # of each routed topic, declared when first sent to
    replication_factor: int = 1
    # faust.SASLCredentials or faust.SSLCredentials, None for PLAINTEXT: built by the face, which
    # knows the cluster's security settings.
    credentials: Any = None
    # Accepted times of source events and requested steps: from 2000-01-01 to 24 h after the
    # record's receipt unless KOKEMUSVIRTA_EARLIEST_EVENT_TIME / _MAX_FUTURE_HOURS say otherwise.
    time_window: TimeWindow = field(default_factory=TimeWindow)
    # Static group membership (Kafka's group.instance.id): a worker restarted under the same id
    # gets its partitions back at once; without one, a restart after SIGKILL waits until the
    # dead member's session has expired (45-60 s with Faust's defaults). None: dynamic.
    instance_id: str | None = None
    # How long the group waits for a silent member: with static membership, a member that stays
    # dead (not restarted) holds its partitions this long.
    session_timeout_s: float = 20.0
    # The deployment's organisation registry (KOKEMUSVIRTA_ORGANISATIONS): a source event naming
    # a county, service area or unit it lacks is an `unknown_unit` dead letter, and no topic.
    # None routes any code (tests of the agents only; the face always passes one).
    organisations: OrganisationRegistry | None = None
    # The request topics that exist at start-up (the composition root lists them); the worker
    # looks for newly granted ones every request_scan_s seconds.
    request_topics: tuple[str, ...] = ()
    request_scan_s: float = 5.0
    # The intake agent's batches (streams/app.py): at most this many records, or what arrived
    # within this long. Larger batches mean fewer, fuller produce requests and one wait for the
    # broker's acknowledgements per batch; the wait bounds what a lone record waits at low load.
    intake_batch_max: int = 500
    intake_batch_wait_s: float = 0.05
    # Faust's own folder (it keeps nothing we need: the guard's state is rebuilt from Kafka).
    # Faust's default is "<group>-data" in the working directory; the face puts it in the home.
    datadir: str = "{conf.name}-data"

    @staticmethod
    def broker_urls_of(bootstrap: str) -> tuple[str, ...]:
        """`host:port,host:port` as the URLs Faust wants."""
        return tuple(f"kafka://{b.strip()}" for b in bootstrap.split(",") if b.strip())
