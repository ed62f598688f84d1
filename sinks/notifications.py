"""The notifier's side steps as the store keeps them (reply_deliveries, staff_notifications,
sinks/notifications.sql): one row per item.reply_delivery or item.staff_notified the worker
accepted. Pure, no I/O."""

from __future__ import annotations

from typing import Any

from schemas.lifecycle import ItemReplyDelivery, ItemStaffNotified


def _common(event: ItemReplyDelivery | ItemStaffNotified, topic: str, partition: int,
            offset: int) -> dict[str, Any]:
    return {
        "event_id": event.event_id, "item_id": event.item_id, "county": event.county,
        "unit": event.unit, "occurred_at": event.occurred_at, "recorded_at": event.recorded_at,
        "topic": topic, "partition": partition, "offset": offset, "detail": event.detail,
        "channel": event.channel,
    }


def delivery_row(event: ItemReplyDelivery, topic: str, partition: int, offset: int
                 ) -> dict[str, Any]:
    """reply_deliveries' row of one delivery attempt."""
    return {**_common(event, topic, partition, offset),
            "returned_event_id": str(event.returned_event_id), "status": event.status.value,
            "attempt": event.attempt, "language": event.language.value}


def notice_row(event: ItemStaffNotified, topic: str, partition: int, offset: int
               ) -> dict[str, Any]:
    """staff_notifications' row of one notice to staff."""
    return {**_common(event, topic, partition, offset), "notice": event.notice.value,
            "recipients": list(event.recipients), "deadline": event.deadline}
