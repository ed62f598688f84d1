"""The lifecycle guard's state book: each item's state, kept per lifecycle partition. Pure.

The guard's requests are keyed by item id on `<prefix>guard.requests`, which has as many
partitions as the lifecycle topic, so partition p of both holds the same items. A worker holds
the states of the partitions the group assigned it, and of no other:

- `assign` starts a partition empty at offset 0; the worker's reader (streams/guard_agent.py)
  folds the partition from its beginning (`fold`), and before each judgement up to where the
  partition ends at that moment: the intake agents of every worker write system steps there;
- `accept` applies the guard's own accepted step at once, so the next request about the item
  is judged on it; when the step is read back, `fold` skips it (the state has its event id);
- `revoke` drops the partition: another worker judges its items now.

`epoch` grows with every change of the assignment: a reader that started a fetch before the
change drops what it fetched and starts again from the book's positions.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, MutableMapping
from dataclasses import dataclass, field

from schemas.lifecycle import LifecycleEvent
from schemas.registry import InvalidEvent, parse
from streams.guard import Judgement, fold_at
from streams.lifecycle import ItemState
from streams.packed_states import PackedStates

log = logging.getLogger("kokemusvirta.worker")

AHEAD_MAX = 5_000  # per partition: read back within a second or two, ~1k a second
_EVENT_ID_AT = b'{"event_id":"'  # how every event's JSON begins (event_id is the first field)


def _event_id(raw: bytes | None) -> str | None:
    if raw is None or not raw.startswith(_EVENT_ID_AT):
        return None
    return raw[len(_EVENT_ID_AT):len(_EVENT_ID_AT) + 36].decode(errors="replace")


@dataclass
class PartitionStates:
    """One lifecycle partition: its items' states, folded up to `position` (not included)."""

    position: int = 0
    # Packed (streams/packed_states.py): a worker holds a million items' states (issue 13).
    states: MutableMapping[str, ItemState] = field(default_factory=PackedStates)
    folded: int = 0  # lifecycle records read back
    loaded: bool = False  # read up to the partition's end at least once since assigned
    # System steps this worker's intake just wrote here, by event id, with the bytes written:
    # read back without parsing them again (a parse is ~25 µs, three a source event) when the
    # record read back is those bytes. Another copy of the same id (written before a restart
    # for the same source event published again, so stamped with another time) is parsed: it
    # is the one the partition holds first, and the one the store and verify count. Bounded;
    # a miss parses.
    ahead: dict[str, tuple[object, bytes]] = field(default_factory=dict)


@dataclass
class StateBook:
    topic: str  # the lifecycle topic (for the coordinates in log lines)
    partitions: dict[int, PartitionStates] = field(default_factory=dict)
    epoch: int = 0

    def assign(self, partitions: Iterable[int]) -> list[int]:
        """Start the newly assigned partitions from offset 0. Returns the new ones."""
        new = sorted(p for p in set(partitions) if p not in self.partitions)
        for p in new:
            self.partitions[p] = PartitionStates()
        if new:
            self.epoch += 1
        return new

    def revoke(self, partitions: Iterable[int]) -> list[int]:
        """Drop the states of partitions no longer this worker's. Returns the dropped ones."""
        gone = sorted(p for p in set(partitions) if p in self.partitions)
        for p in gone:
            del self.partitions[p]
        if gone:
            self.epoch += 1
        return gone

    def owns(self, partition: int) -> bool:
        return partition in self.partitions

    def position(self, partition: int) -> int:
        return self.partitions[partition].position

    def state(self, partition: int, item_id: str | None) -> ItemState | None:
        """The item's state, as far as partition `partition` has been read. KeyError if the
        partition is not this worker's."""
        return self.partitions[partition].states.get(item_id) if item_id else None

    def fold(self, partition: int, offset: int, raw: bytes | None) -> object | None:
        """Fold one record read back from lifecycle partition `partition`. Records before the
        position (read already) and of partitions not held are ignored (None). Returns the
        parsed event, for the checkpoint's tally, or None if unreadable."""
        held = self.partitions.get(partition)
        if held is None or offset < held.position:
            return None
        held.position = offset + 1
        held.folded += 1
        known = _event_id(raw) if held.ahead else None
        written = held.ahead.get(known) if known is not None else None
        event = None
        if written is not None and written[1] == raw:
            event = written[0]
            del held.ahead[known]  # type: ignore[arg-type]
        if event is None:
            try:
                event = parse(raw)
            except InvalidEvent as rejected:
                log.warning("unreadable record on %s[%d]@%d: %s", self.topic, partition,
                            offset, rejected.reason.value)
                return None
        if isinstance(event, LifecycleEvent):
            item_id = str(event.item_id)
            # A step this worker accepted is applied already: fold_at skips it by its id.
            judgement = fold_at(held.states.get(item_id), event, self.topic, partition, offset)
            if judgement.state is not None:
                held.states[item_id] = judgement.state
        return event

    def written(self, partition: int, steps: Iterable[tuple[object, bytes]]) -> None:
        """Lifecycle events this worker just wrote to `partition` (its intake's system steps),
        each with the bytes it wrote: when those bytes are read back, the event is taken as it
        is instead of parsed again. Not folded now: a step is folded in the partition's order,
        when read back."""
        held = self.partitions.get(partition)
        if held is None:
            return
        if len(held.ahead) > AHEAD_MAX:  # not read back (a stalled reader): parse instead
            held.ahead.clear()
        for event, value in steps:
            if isinstance(event, LifecycleEvent):
                held.ahead[str(event.event_id)] = (event, value)

    def caught_up(self, partition: int, end: int) -> bool:
        held = self.partitions.get(partition)
        return held is None or held.position >= end

    def accept(self, partition: int, judgement: Judgement) -> None:
        """The guard's verdict on a request of `partition`: an accepted step becomes the item's
        state now, before it is read back."""
        held = self.partitions.get(partition)
        if held is not None and judgement.state is not None and judgement.item_id is not None:
            held.states[judgement.item_id] = judgement.state

    def items(self) -> int:
        return sum(len(h.states) for h in self.partitions.values())
