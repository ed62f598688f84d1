"""The composition root turns settings into the worker's config (kokemusvirta/bootstrap.py)."""

from __future__ import annotations

from collections.abc import Callable

import faust
from faust.types.auth import SASLMechanism

from kokemusvirta.bootstrap import worker_config
from kokemusvirta.settings import Settings


def test_the_worker_config_carries_the_settings(
    settings_factory_offline: Callable[..., Settings],
) -> None:
    s = settings_factory_offline(KOKEMUSVIRTA_PARTITIONS=3, KOKEMUSVIRTA_ROUTED_PARTITIONS=2)
    config = worker_config(s, "a:9092, b:9093")
    assert config.broker_urls == ("kafka://a:9092", "kafka://b:9093")
    assert config.topics == s.topics and config.group_id == s.worker_group
    assert (config.partitions, config.routed_partitions) == (3, 2)
    assert config.credentials is None  # PLAINTEXT


def test_sasl_settings_become_faust_credentials(
    settings_factory_offline: Callable[..., Settings],
) -> None:
    s = settings_factory_offline(KAFKA_SECURITY_PROTOCOL="SASL_PLAINTEXT",
                                 KAFKA_SASL_MECHANISM="SCRAM-SHA-512",
                                 KAFKA_SASL_USERNAME="worker", KAFKA_SASL_PASSWORD="s3cret")
    credentials = worker_config(s, "a:9092").credentials
    assert isinstance(credentials, faust.SASLCredentials)
    assert credentials.username == "worker" and credentials.password == "s3cret"
    assert credentials.mechanism is SASLMechanism.SCRAM_SHA_512
