"""Static group membership: the worker's stable instance id reaches Faust's consumer, and two
live workers never get the same one (kokemusvirta/worker_instance.py)."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator

import faust
import pytest

from kokemusvirta import worker_instance
from kokemusvirta.bootstrap import worker_config
from kokemusvirta.settings import Settings
from kokemusvirta.worker_instance import InstanceIdTaken, claim_worker_instance
from streams.app import create_app
from streams.errors import ErrorPolicy
from streams.processing import Outgoing


class _NoSender:
    def bind(self, app: faust.App) -> None:
        pass

    async def send(self, out: Outgoing) -> None:
        raise AssertionError("nothing is sent here")


@pytest.fixture(autouse=True)
def _release_claims() -> Iterator[None]:
    """A claim lasts as long as the process; here, as long as the test."""
    yield
    while worker_instance._held:
        worker_instance._held.pop().close()


def _app(settings: Settings, instance_id: str | None = None) -> faust.App:
    config = worker_config(settings, "127.0.0.1:9", instance_id)
    return create_app(config, privacy=None, sender=_NoSender(),
                      errors=ErrorPolicy(config.topics, config.time_window))


def test_the_instance_id_and_session_timeout_reach_the_consumer(
    settings_factory_offline: Callable[..., Settings],
) -> None:
    s = settings_factory_offline(KOKEMUSVIRTA_WORKER_INSTANCE_ID="worker-a",
                                 KOKEMUSVIRTA_WORKER_SESSION_TIMEOUT_S=12)
    conf = _app(s).conf
    assert conf.consumer_group_instance_id == "worker-a"
    assert conf.broker_session_timeout == 12.0
    # Kafka wants a heartbeat at least three times a session.
    assert conf.broker_heartbeat_interval <= 12.0 / 3


def test_a_claimed_id_wins_over_the_setting_and_the_default_session_is_short(
    settings_factory_offline: Callable[..., Settings],
) -> None:
    conf = _app(settings_factory_offline(), "host-3").conf
    assert conf.consumer_group_instance_id == "host-3"
    # Faust's own 60 s is what made a dead member hold its partitions for up to a minute.
    assert conf.broker_session_timeout == 20.0


def test_without_an_id_the_membership_stays_dynamic(
    settings_factory_offline: Callable[..., Settings],
) -> None:
    assert _app(settings_factory_offline()).conf.consumer_group_instance_id is None


def test_live_workers_on_one_host_get_numbered_ids(
    settings_factory_offline: Callable[..., Settings],
) -> None:
    s = settings_factory_offline()
    host = worker_instance.default_instance_id(socket.gethostname(), 1)[:-2]
    first, second = claim_worker_instance(s), claim_worker_instance(s)
    assert (first, second) == (f"{host}-1", f"{host}-2")
    # The first worker dies (its lock is dropped, as the kernel does at SIGKILL): its restart
    # gets its id back, so the group hands it its partitions at once.
    worker_instance._held.pop(0).close()
    assert claim_worker_instance(s) == f"{host}-1"


def test_a_set_id_held_by_a_live_worker_is_refused(
    settings_factory_offline: Callable[..., Settings],
) -> None:
    s = settings_factory_offline(KOKEMUSVIRTA_WORKER_INSTANCE_ID="worker-a")
    assert claim_worker_instance(s) == "worker-a"
    with pytest.raises(InstanceIdTaken, match="worker-a"):
        claim_worker_instance(s)


def test_a_host_name_becomes_a_legal_id() -> None:
    assert worker_instance.default_instance_id("my host/ä", 2) == "my-host---2"
