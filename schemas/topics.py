"""Topic names. One configurable prefix goes before every name."""

from __future__ import annotations

import re
from dataclasses import dataclass

from schemas.access import Requester, requester_of_topic


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

    def requests(self, requester: Requester) -> str:
        """Steps asked for by one requester (a role with its scope): only that principal may
        write here, so the worker's guard knows who asks from the topic, never the payload. It
        checks each request against the item's state and the requester's scope and moves it to
        the lifecycle topic, or rejects it to dead letters."""
        return requester.request_topic(self.prefix)

    @property
    def notifier_requests(self) -> str:
        """The notifier's requests (kokemusvirta/notify/): deliveries of answers, notices to
        staff and the automatic escalation; only the notifier principal may write here, and the
        guard takes only those steps from it (streams/guard.py). It matches requests_pattern,
        so the worker forwards it like a requester's topic."""
        return f"{self.prefix}requests.notifier"

    @property
    def guard_requests(self) -> str:
        """Every requester's requests, forwarded by the worker keyed by item id, with the
        requester's topic and the request's coordinates in headers only the worker writes: as
        many partitions as the lifecycle topic, so partition p of both holds the same items and
        the worker assigned p is their only judge (streams/guard_agent.py)."""
        return f"{self.prefix}guard.requests"

    @property
    def requests_pattern(self) -> str:
        """Every requester's request topic, granted now or later (what the guard reads)."""
        return f"^{re.escape(self.prefix)}requests\\..+$"

    def requester_of(self, topic: str) -> Requester | None:
        """Whose request topic this is; None if it is not a well-formed request topic."""
        return requester_of_topic(self.prefix, topic)

    @property
    def worker_inputs_pattern(self) -> str:
        """The worker's inputs that produce something: intake, every request topic and the
        requests forwarded to their judge."""
        p = re.escape(self.prefix)
        return f"^({p}intake|{p}requests\\..+|{p}guard\\.requests)$"

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

    @property
    def access_log(self) -> str:
        """Who viewed which item (schemas/access_log.py): written by the workplace only, kept for
        ever, keyed by the writer's chain id."""
        return f"{self.prefix}access-log"

    def unit(self, county: str, unit: str) -> str:
        return f"{self.prefix}routed.unit.{county}.{unit}"

    def leadership(self, county: str, service_area: str) -> str:
        return f"{self.prefix}routed.leadership.{county}.{service_area}"

    def decision_makers(self, county: str) -> str:
        return f"{self.prefix}routed.decision-makers.{county}"

    @property
    def sink_pattern(self) -> str:
        """Every topic the DuckDB sink reads: sources, lifecycle, dead letters, routed topics, the
        worker's keys and checkpoints, and the access log; never raw intake, whose records may be
        gone (retention) and may hold identifiers."""
        p = re.escape(self.prefix)
        return f"^{p}(sources|lifecycle|dead-letters|keys|checkpoints|access-log|routed\\..+)$"

    def is_routed(self, topic: str) -> bool:
        return topic.startswith(f"{self.prefix}routed.")
