"""The access log as the store keeps it (access_log, access_log_keys; sinks/access_log.sql): one
row per view the workplace signed, one per public key it published. Pure, no I/O.

The views are not lifecycle events: they go into their own tables, never into `events`, so no
lifecycle view, metric or export counts a look at an item as a step taken on it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import TypeAdapter

from schemas.access_log import KEY_PUBLISHED, AccessLogKey, ItemViewed, row_of

_RECORD: TypeAdapter[ItemViewed | AccessLogKey] = TypeAdapter(ItemViewed | AccessLogKey)


def access_rows(value: bytes, topic: str, partition: int, offset: int, sunk_at: datetime
                ) -> tuple[str, dict[str, Any]]:
    """("access_log" | "access_log_keys", its row) of one record of the access-log topic;
    raises on anything else (the sink rejects it by its coordinates)."""
    where = {"topic": topic, "partition": partition, "offset": offset, "sunk_at": sunk_at}
    record = _RECORD.validate_json(value)
    if isinstance(record, AccessLogKey):
        record.key()  # raises unless the id is the key's own and the key is a key
        body = record.model_dump(exclude={"event_type"})
        return "access_log_keys", {**body, **where}
    if record.event_type != "access.item_viewed":  # pragma: no cover - the union has two kinds
        raise ValueError(f"not a view nor a {KEY_PUBLISHED}")
    row = row_of(record)
    row["viewed_at"] = record.viewed_at
    return "access_log", {**row, **where, "payload": record.model_dump_json()}
