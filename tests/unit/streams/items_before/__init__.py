"""The items, routing and lifecycle code before issue 13's work on them (commit 100b36b), kept
for tests/unit/streams/test_items_differential.py: processing.py (its items from items.py here),
items.py and lifecycle.py as they were, and `source_recorded_id` (schemas/sources.py) below."""

from __future__ import annotations

import uuid

from schemas.envelope import derived_uuid


def source_recorded_id(source_event_id: object) -> uuid.UUID:
    return derived_uuid("source.recorded", source_event_id)
