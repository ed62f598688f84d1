"""Weekly aggregated signals (docs/design.md §2.8).

When one unit gets at least a threshold of items on one theme in one ISO week, the signal is an
item of its own (source family `aggregate`, id `ag-…`) routed to the service-area leadership.
Its members are the items it summarises: when leadership acknowledges the signal, each member
counts as having reached leadership.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from schemas.envelope import Code, Envelope, ItemId
from schemas.taxonomy import Severity, Stance, Theme


class SignalDetected(Envelope):
    event_type: Literal["signal.detected"] = "signal.detected"
    schema_version: Literal[1] = 1
    unit: Code
    service_area: Code
    theme: Theme
    week: str = Field(pattern=r"^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$", description="ISO week.")
    threshold: int = Field(ge=1, description="The count that makes a signal.")
    members: tuple[ItemId, ...] = Field(min_length=1, max_length=10_000)
    stance: Stance = Field(description="The members' most common stance.")
    severity: Severity = Field(description="The most severe member's severity.")
    text: str = Field(min_length=1, max_length=2_000, description="A summary in Finnish.")
