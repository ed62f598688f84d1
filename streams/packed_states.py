"""The guard's item states as its state book keeps them: each packed in one bytes object. Pure.

A worker holds the state of every item of its lifecycle partitions (streams/guard_state.py); at
about 740 bytes an `ItemState` (its object, the 36-character event ids in a tuple, the hash as
64 hex characters, a datetime), a million items took 740 MB (issue 13). Packed, an item's state
is one bytes object (a routed item's: 94 bytes and the object's 33) beside its id, the key;
about 250 bytes an item held in all, the dict's entry included (kokemusvirta/bench/guard_memory.py):

    stage, flags, labels, occurred, zone, returns | last hash | returns' places | event ids

- flags: acknowledged, reached_leadership, decided, severity_confirmed, and whether there is
  a last hash;
- labels: where in this book's table of the values items share (county, unit, service area,
  severity, routed levels), each combination kept once;
- occurred: `last_occurred_at`'s wall-clock time in microseconds, and zone: where its time
  zone is in this book's table of zones (one object per kind, offset and name);
- the last hash as its 32 bytes, each event id as its 16, and each return to the client as
  the place of its event id among the item's event ids.

`PackedStates` is a mapping of item id to `ItemState`: the judging code reads and writes
`ItemState` values as before and never sees a packed one. A state that would not come back
the same (a value of another type or form than the worker's own, the item's id not its key, a
table full) is kept as it is, so every state read is equal to, and of the same types as, the
state written.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterable, Iterator, MutableMapping
from datetime import datetime, timedelta, timezone, tzinfo
from itertools import chain, islice

from pydantic_core import TzInfo

from streams.lifecycle import ItemState, Stage

_HEAD = struct.Struct("<BBHqBB")  # stage, flags, labels, occurred, zone, returns
_HASH_BYTES, _ID_BYTES = 32, 16
_STAGES = tuple(Stage)  # a stage's value is its place
_ACKNOWLEDGED, _REACHED_LEADERSHIP, _DECIDED, _SEVERITY_CONFIRMED, _HASHED = 1, 2, 4, 8, 16
_LABELS_MAX, _ZONES_MAX = 1 << 16, 1 << 8
# Zones whose offset is fixed (pydantic's, one a parsed time, and the standard library's, as the
# worker makes its own): two of one kind and one repr (offset, and name) are alike.
_FIXED_ZONES = (TzInfo, timezone)
_WALL_EPOCH = datetime(1, 1, 1)  # day 1 of the ordinals
_MICROSECOND = timedelta(microseconds=1)

_TEXT_OR_NONE = (str, type(None))
Labels = tuple[str, str | None, str | None, str | None, frozenset[str]]
_ID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
# Event ids as str(uuid) writes them, comma-separated: only these come back the same from bytes.
_EVENT_IDS = re.compile(f"{_ID}(?:,{_ID})*")
_HASH = re.compile("[0-9a-f]{64}")  # a SHA-256 as hexdigest writes it


def _ids_text(packed: bytes) -> tuple[str, ...]:
    h = packed.hex()
    return tuple(f"{h[i:i + 8]}-{h[i + 8:i + 12]}-{h[i + 12:i + 16]}-{h[i + 16:i + 20]}-"
                 f"{h[i + 20:i + 32]}" for i in range(0, len(h), 2 * _ID_BYTES))


def _all_text(values: Iterable[object]) -> bool:
    return all(type(v) is str for v in values)


def _of_the_workers_forms(item_id: str, s: ItemState) -> bool:
    """Whether each of the state's values has the type and form that packing keeps: a str is
    not an enum member, an event id is as str(uuid) writes it, the hash as hexdigest does."""
    when, last_hash, event_ids = s.last_occurred_at, s.last_hash, s.event_ids
    return (type(s.item_id) is str and s.item_id == item_id and type(s.stage) is Stage
            and type(s.county) is str and type(s.unit) in _TEXT_OR_NONE
            and type(s.service_area) in _TEXT_OR_NONE and type(s.severity) in _TEXT_OR_NONE
            and type(s.routed_levels) is frozenset
            and type(s.acknowledged) is type(s.reached_leadership) is type(s.decided)
            is type(s.severity_confirmed) is bool
            and type(when) is datetime and not when.fold
            and (last_hash is None
                 or (type(last_hash) is str and bool(_HASH.fullmatch(last_hash))))
            and type(event_ids) is tuple and len(event_ids) < 256 and _all_text(event_ids)
            and (not event_ids or bool(_EVENT_IDS.fullmatch(",".join(event_ids))))
            and type(s.returned_to_client) is tuple
            and all(type(r) is str and r in event_ids for r in s.returned_to_client))


class PackedStates(MutableMapping[str, ItemState]):
    """One lifecycle partition's item states by item id, each packed (see the module's doc);
    the last `RECENT` to twice as many items written are kept as they are, so that an item's
    steps folded one after the other (its intake writes three at once) are packed once and
    never unpacked."""

    # An item's steps come one after the other (its intake writes them in one send), and a
    # request's accepted step is read back within a second or two: a few hundred suffice.
    RECENT = 256

    def __init__(self) -> None:
        self._recent: dict[str, ItemState] = {}  # oldest first
        self._packed: dict[str, bytes | ItemState] = {}
        self._labels: list[Labels] = []
        self._label_at: dict[Labels, int] = {}
        self._zones: list[tzinfo] = []
        self._zone_at: dict[tuple[type, str], int] = {}

    def __len__(self) -> int:
        return len(self._recent) + len(self._packed)

    def __iter__(self) -> Iterator[str]:
        return chain(self._packed, self._recent)

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._recent or item_id in self._packed

    def __delitem__(self, item_id: str) -> None:
        if self._recent.pop(item_id, None) is None:
            del self._packed[item_id]

    def __getitem__(self, item_id: str) -> ItemState:
        state = self.get(item_id)
        if state is None:
            raise KeyError(item_id)
        return state

    def get(self, item_id: str, default: ItemState | None = None  # type: ignore[override]
            ) -> ItemState | None:
        state = self._recent.get(item_id)
        if state is not None:
            return state
        packed = self._packed.get(item_id)
        return default if packed is None else self._unpack(item_id, packed)

    def __setitem__(self, item_id: str, state: ItemState) -> None:
        recent = self._recent
        if recent.pop(item_id, None) is None:
            self._packed.pop(item_id, None)
        recent[item_id] = state
        if len(recent) > 2 * self.RECENT:
            self._pack_oldest()

    def _pack_oldest(self) -> None:
        """All but the last `RECENT` written packed, at once: a dict emptied from its front one
        by one is slow to find its first item (it steps over every slot removed before it)."""
        recent, packed = self._recent, self._packed
        older = len(recent) - self.RECENT
        for item_id, state in islice(recent.items(), older):
            packed[item_id] = self._pack(item_id, state) or state
        self._recent = dict(islice(recent.items(), older, None))

    def _pack(self, item_id: str, s: ItemState) -> bytes | None:
        """The state packed, or None if it would not come back the same: every value of the
        type and form the worker's own states have (apply's)."""
        if type(s) is not ItemState or not _of_the_workers_forms(item_id, s):
            return None
        labels, zone = self._labels_of(s), self._zone_of(s.last_occurred_at.tzinfo)
        if labels is None or zone is None:
            return None
        flags = (s.acknowledged * _ACKNOWLEDGED | s.reached_leadership * _REACHED_LEADERSHIP
                 | s.decided * _DECIDED | s.severity_confirmed * _SEVERITY_CONFIRMED
                 | (s.last_hash is not None) * _HASHED)
        when = s.last_occurred_at  # its wall-clock time, in microseconds from _WALL_EPOCH
        occurred = (((when.toordinal() - 1) * 86_400 + when.hour * 3_600 + when.minute * 60
                     + when.second) * 1_000_000 + when.microsecond)
        event_ids = s.event_ids
        return b"".join((
            _HEAD.pack(s.stage, flags, labels, occurred, zone, len(s.returned_to_client)),
            bytes.fromhex(s.last_hash) if s.last_hash is not None else b"",
            bytes(event_ids.index(r) for r in s.returned_to_client),
            bytes.fromhex("".join(event_ids).replace("-", ""))))

    def _labels_of(self, s: ItemState) -> int | None:
        """Where the item's shared values are in the table. Of these types, equal values are
        alike; a set's members are looked into only if it is not the table's own (apply shares
        one set per routed levels)."""
        labels = (s.county, s.unit, s.service_area, s.severity, s.routed_levels)
        at = self._label_at.get(labels)
        if at is not None:
            levels = self._labels[at][4]
            return at if levels is s.routed_levels or _all_text(s.routed_levels) else None
        if len(self._labels) >= _LABELS_MAX or not _all_text(s.routed_levels):
            return None
        self._label_at[labels] = len(self._labels)
        self._labels.append(labels)
        return len(self._labels) - 1

    def _zone_of(self, zone: tzinfo | None) -> int | None:
        if type(zone) not in _FIXED_ZONES:
            return None
        assert zone is not None
        kind = (type(zone), repr(zone))  # offset, and a name if one was given
        at = self._zone_at.get(kind)
        if at is None:
            if len(self._zones) >= _ZONES_MAX:
                return None
            at = self._zone_at[kind] = len(self._zones)
            self._zones.append(zone)
        return at

    def _unpack(self, item_id: str, packed: bytes | ItemState) -> ItemState:
        if type(packed) is not bytes:
            assert isinstance(packed, ItemState)
            return packed
        stage, flags, labels, occurred, zone, returns = _HEAD.unpack_from(packed)
        at = _HEAD.size
        last_hash = None
        if flags & _HASHED:
            last_hash = packed[at:at + _HASH_BYTES].hex()
            at += _HASH_BYTES
        returned_at = packed[at:at + returns]
        event_ids = _ids_text(packed[at + returns:])
        county, unit, service_area, severity, routed_levels = self._labels[labels]
        return ItemState(
            item_id=item_id, county=county, stage=_STAGES[stage],
            last_occurred_at=(_WALL_EPOCH + occurred * _MICROSECOND).replace(
                tzinfo=self._zones[zone]),
            last_hash=last_hash, routed_levels=routed_levels,
            acknowledged=bool(flags & _ACKNOWLEDGED),
            reached_leadership=bool(flags & _REACHED_LEADERSHIP),
            decided=bool(flags & _DECIDED), event_ids=event_ids, unit=unit,
            service_area=service_area, severity=severity,
            severity_confirmed=bool(flags & _SEVERITY_CONFIRMED),
            returned_to_client=tuple(event_ids[i] for i in returned_at),
        )
