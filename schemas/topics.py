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
    def sources(self) -> str:
        """Every accepted source event, redacted, kept for ever (schemas/sources.py); raw intake
        is kept only for its retention."""
        return f"{self.prefix}sources"

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

    def unit(self, county: str, unit: str) -> str:
        return f"{self.prefix}routed.unit.{county}.{unit}"

    def leadership(self, county: str, service_area: str) -> str:
        return f"{self.prefix}routed.leadership.{county}.{service_area}"

    def decision_makers(self, county: str) -> str:
        return f"{self.prefix}routed.decision-makers.{county}"

    @property
    def sink_pattern(self) -> str:
        """Every topic the DuckDB sink reads: sources, lifecycle, dead letters and routed topics;
        never raw intake, whose records may be gone (retention) and may hold identifiers."""
        p = re.escape(self.prefix)
        return f"^{p}(sources|lifecycle|dead-letters|routed\\..+)$"

    def is_routed(self, topic: str) -> bool:
        return topic.startswith(f"{self.prefix}routed.")
