"""Faust's commit, kept from crashing the worker between a subscription and its assignment.

When the worker starts reading new request topics it subscribes again ("reading N new request
topic(s)", streams/app.py); aiokafka's new subscription has no assignment until the group's next
join completes. A commit in that window (Faust commits every few seconds, and a stream's batch
may end then) makes aiokafka raise `IllegalStateError("No partitions assigned")`, which Faust's
`AIOKafkaConsumerThread._commit` answers by crashing the consumer: the worker stopped (seen in a
two-process test run under load: the dashboards' demo fixture, its worker's log ending in
`_commit`). The same for a partition Faust still counts as assigned but aiokafka no longer does.

`install()` makes such a commit wait: with no assignment it commits nothing and says so (False,
as Faust's own answer to "already rebalanced"), and it commits only the partitions aiokafka has
assigned. Not committing is always safe here (at least once; what is fetched again is judged
again to the same bytes); the offsets are committed at the next commit after the join.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from faust.transport.drivers.aiokafka import AIOKafkaConsumerThread, ensure_aiokafka_TP

_INSTALLED = "_kokemusvirta_commit_assigned_only"


def assigned_now(consumer: Any) -> set[Any] | None:
    """The partitions aiokafka has assigned now; None between a subscription and its assignment.
    (Private, for want of a public one that does not raise: aiokafka's `assignment()` answers an
    empty set in both cases.)"""
    subscription = consumer._subscription.subscription
    assignment = subscription.assignment if subscription is not None else None
    return None if assignment is None else set(assignment.tps)


def install() -> None:
    """Idempotent: once per process."""
    if getattr(AIOKafkaConsumerThread._commit, _INSTALLED, False):
        return
    faust_commit = AIOKafkaConsumerThread._commit

    async def _commit(self: AIOKafkaConsumerThread, offsets: Mapping[Any, int]) -> bool:
        # No await between this check and aiokafka's own (Faust's _commit reaches
        # `consumer.commit` synchronously, and aiokafka checks before its first await), and the
        # rebalance runs on this same loop: the assignment cannot change in between.
        assigned = assigned_now(self._ensure_consumer())
        if assigned is None:
            return False
        mine = {tp: offset for tp, offset in offsets.items() if ensure_aiokafka_TP(tp) in assigned}
        if not mine:
            return False
        return await faust_commit(self, mine)

    setattr(_commit, _INSTALLED, True)
    AIOKafkaConsumerThread._commit = _commit  # type: ignore[method-assign]
