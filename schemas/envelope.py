"""The one envelope every Kokemusvirta event shares (docs/design.md §3)."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

# Codes end up in Kafka topic names (routed.unit.<county>.<unit>), so they are restricted to
# characters Kafka allows and that read well in a topic name.
Code = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]
ItemId = Annotated[str, StringConstraints(pattern=r"^(fb|ws|st|ag)-[0-9a-f]{16}$")]

# Namespace for deterministic ids: a redelivered source event yields the same item and event ids,
# which is what makes at-least-once processing safe downstream.
KOKEMUSVIRTA_NS = uuid.UUID("6f3e7c52-8a1d-4b7e-9c55-0d6f2b1a9e41")


_NS_BYTES = KOKEMUSVIRTA_NS.bytes
_VERSION_5 = (5 << 76) | (0x8000 << 48)  # the version nibble and the RFC 4122 variant bits
_NOT_VERSION = ~((0xF000 << 64) | (0xC000 << 48))


_UUID, _new, _set, _UNKNOWN = uuid.UUID, object.__new__, object.__setattr__, uuid.SafeUUID.unknown


def derived_uuid(*parts: object) -> uuid.UUID:
    """uuid.uuid5(KOKEMUSVIRTA_NS, "|".join(parts)), the same value, made without uuid5's
    second parse of its digest (seven of them per source event in the worker), and filled in
    as UUID.__init__ fills it, without its checks of an integer that fits by construction."""
    digest = hashlib.sha1(_NS_BYTES + "|".join(map(str, parts)).encode()).digest()
    made = _new(_UUID)
    _set(made, "int", (int.from_bytes(digest[:16]) & _NOT_VERSION) | _VERSION_5)
    _set(made, "is_safe", _UNKNOWN)
    return made


def utc_now() -> datetime:
    return datetime.now(UTC)


class Envelope(BaseModel):
    """Fields every event carries. Subclasses fix `event_type` and `schema_version`."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_enum_values=False)

    event_id: uuid.UUID
    event_type: str
    schema_version: int = Field(ge=1)
    occurred_at: AwareDatetime = Field(description="When it happened in the world.")
    recorded_at: AwareDatetime = Field(description="When the system recorded the event.")
    county: Code = Field(description="Wellbeing services county (hyvinvointialue) code.")
    unit: Code | None = Field(default=None, description="Service unit (yksikkö) code.")
    item_id: ItemId | None = Field(default=None, description="Knowledge item the event is about.")
    caused_by: uuid.UUID | None = Field(
        default=None, description="event_id of the event this one was derived from."
    )

    def to_json_bytes(self) -> bytes:
        return self.model_dump_json(exclude_none=False).encode()

    def kafka_key(self) -> bytes:
        """All events of one item share a key, so they share a partition and keep their order."""
        key = self.item_id or str(self.event_id)
        return key.encode()
