"""What can go wrong managing the local broker, and how progress is reported to a person."""

from __future__ import annotations

from collections.abc import Callable

ProgressCallback = Callable[[str], None]


class BrokerError(RuntimeError):
    """Something went wrong managing the local broker."""


class PrerequisiteMissing(BrokerError):
    """``java`` (>= 17) or ``mvn`` is missing; the message says what and how to get it."""


class BrokerStartError(BrokerError):
    """The broker did not become ready; the message carries the tail of its logs."""


def noop_progress(_message: str) -> None:
    return None
