"""A real single-node Apache Kafka broker (KRaft) run as a JVM process from Maven Central jars.

See :mod:`kokemusvirta.broker.local`. Importing this package starts nothing; the names below are
re-exported lazily so ``python -m kokemusvirta.broker.local`` runs without a double import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kokemusvirta.broker.local import (
        KAFKA_VERSION,
        BrokerError,
        BrokerStartError,
        LocalBroker,
        PrerequisiteMissing,
    )

__all__ = [
    "KAFKA_VERSION",
    "BrokerError",
    "BrokerStartError",
    "LocalBroker",
    "PrerequisiteMissing",
]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from kokemusvirta.broker import local

        return getattr(local, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
