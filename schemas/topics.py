"""Topic names. One configurable prefix goes before every name."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class TopicNames:
    prefix: str = "kv."

    @property
    def intake(self) -> str:
        return f"{self.prefix}intake"

    @property
    def lifecycle(self) -> str:
        return f"{self.prefix}lifecycle"

    @property
    def lifecycle_requests(self) -> str:
        """Steps asked for by managers and their systems; the worker checks each against the
        item's state and moves it to the lifecycle topic, or rejects it to dead letters."""
        return f"{self.prefix}lifecycle-requests"

    @property
    def dead_letters(self) -> str:
        return f"{self.prefix}dead-letters"

    @property
    def keys(self) -> str:
        """The worker's public signing keys, compacted by key id (schemas/seals.py)."""
        return f"{self.prefix}keys"

    @property
    def checkpoints(self) -> str:
        """The worker's signed checkpoints, compacted by `<topic>:<partition>`."""
        return f"{self.prefix}checkpoints"

    def unit(self, county: str, unit: str) -> str:
        return f"{self.prefix}routed.unit.{county}.{unit}"

    def leadership(self, county: str, service_area: str) -> str:
        return f"{self.prefix}routed.leadership.{county}.{service_area}"

    def decision_makers(self, county: str) -> str:
        return f"{self.prefix}routed.decision-makers.{county}"

    @property
    def sink_pattern(self) -> str:
        """Every topic the DuckDB sink reads: intake, lifecycle, dead letters, routed topics, and
        the worker's keys and checkpoints."""
        p = re.escape(self.prefix)
        return f"^{p}(intake|lifecycle|dead-letters|keys|checkpoints|routed\\..+)$"

    def is_routed(self, topic: str) -> bool:
        return topic.startswith(f"{self.prefix}routed.")
