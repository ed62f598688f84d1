"""Lifecycle events of a knowledge item (docs/design.md §2.5). Each step is one event."""

from __future__ import annotations

import re
import uuid
from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import Field, model_validator

from schemas.envelope import Envelope, ItemId
from schemas.feedback import Language
from schemas.knowledge import Classification, KnowledgeItem, Route
from schemas.taxonomy import Severity, Stance, Theme


class ActorRole(StrEnum):
    SYSTEM = "system"
    UNIT_MANAGER = "unit_manager"  # yksikön esihenkilö
    LEADERSHIP = "leadership"  # palvelualuejohto
    DECISION_MAKER = "decision_maker"  # aluehallitus, -valtuusto, lautakunta
    PARTICIPATION_COORDINATOR = "participation_coordinator"


class Outcome(StrEnum):
    ADOPTED = "adopted"
    PARTLY = "partly"
    REJECTED = "rejected"
    NO_ACTION_NEEDED = "no_action_needed"
    ALREADY_UNDER_WAY = "already_under_way"


class ReturnedTo(StrEnum):
    CLIENT = "client"
    DEVELOPER_CLIENT_GROUP = "developer_client_group"
    EXPERT = "expert"
    PUBLIC_DIGEST = "public_digest"  # "you said, we did"


class LifecycleEvent(Envelope):
    """One step of an item's history.

    The worker seals every accepted step into the item's hash chain (schemas/chain.py):
    `chain_prev` is the previous step's `chain_hash`, and `chain_hash` covers this event with
    `chain_prev` in it. A request (what a manager's system publishes to its request
    topic) leaves both empty; the worker fills them when it accepts the step.
    """

    item_id: ItemId
    actor_role: ActorRole = Field(description="Who acted: a role, never a person's name.")
    chain_prev: str | None = Field(
        default=None, pattern=r"^[0-9a-f]{64}$",
        description="chain_hash of the item's previous lifecycle event; null for the first.",
    )
    chain_hash: str | None = Field(
        default=None, pattern=r"^[0-9a-f]{64}$",
        description="SHA-256 of the event's canonical JSON without chain_hash; set by the worker.",
    )
    seal_key_id: str | None = Field(
        default=None, max_length=64,
        description="The worker key that signed chain_hash (schemas/seals.py); set by the worker.",
    )
    seal_signature: str | None = Field(
        default=None, max_length=200,
        description="Ed25519 signature of chain_hash, hex; set by the worker.",
    )
    # Left out of the JSON when unset (exclude_if), so every event made before the field existed,
    # and every step not asked for through the workplace, serialises to the bytes it was sealed
    # with: its chain hash still verifies on replay. When set, the hash covers it.
    actor_pseudonym: str | None = Field(
        default=None, pattern=r"^us-[0-9a-f]{16}$", exclude_if=lambda v: v is None,
        description="who acted: the staff user's pseudonym, never a name; set by the workplace",
    )


class ItemReceived(LifecycleEvent):
    event_type: Literal["item.received"] = "item.received"
    schema_version: Literal[1] = 1
    item: KnowledgeItem


class ItemClassified(LifecycleEvent):
    event_type: Literal["item.classified"] = "item.classified"
    schema_version: Literal[2] = 2  # 2: classification has language, explanation, triggers
    classification: Classification


class ItemRouted(LifecycleEvent):
    event_type: Literal["item.routed"] = "item.routed"
    schema_version: Literal[1] = 1
    routes: tuple[Route, ...] = Field(min_length=1)


class ItemAcknowledged(LifecycleEvent):
    event_type: Literal["item.acknowledged"] = "item.acknowledged"
    schema_version: Literal[1] = 1


class ItemEscalated(LifecycleEvent):
    event_type: Literal["item.escalated"] = "item.escalated"
    schema_version: Literal[1] = 1
    reason: str = Field(default="", max_length=1_000)


class ItemPresented(LifecycleEvent):
    event_type: Literal["item.presented"] = "item.presented"
    schema_version: Literal[1] = 1
    body: str = Field(
        min_length=1, max_length=200, description="Political body, e.g. aluehallitus."
    )
    agenda_ref: str = Field(min_length=1, max_length=200)


class ItemDecided(LifecycleEvent):
    event_type: Literal["item.decided"] = "item.decided"
    schema_version: Literal[1] = 1
    outcome: Outcome
    rationale: str = Field(min_length=1, max_length=2_000)
    decision_ref: str | None = Field(default=None, max_length=200)


class ItemReturned(LifecycleEvent):
    event_type: Literal["item.returned"] = "item.returned"
    schema_version: Literal[1] = 1
    returned_to: ReturnedTo
    channel: str = Field(min_length=1, max_length=100)
    no_decision_reason: str | None = Field(
        default=None, min_length=1, max_length=1_000,
        description="Why there was nothing to decide (e.g. thanks); required when the item was "
        "returned without a decision.",
    )


class ItemClosed(LifecycleEvent):
    event_type: Literal["item.closed"] = "item.closed"
    schema_version: Literal[1] = 1


# A person's word on an item's labels: side steps, beside the item's handling (they move no
# milestone, docs/design.md §2.5). The classifier's labels stay as they were classified; the
# store keeps both and its metrics use the person's where one exists.
class ItemSeverityConfirmed(LifecycleEvent):
    """A person confirms an item's critical severity, or down-grades it to a named severity
    (allowed while the item is critical, once: streams/lifecycle.py)."""

    event_type: Literal["item.severity_confirmed"] = "item.severity_confirmed"
    schema_version: Literal[1] = 1
    downgraded_to: Severity | None = Field(
        default=None,
        description="The severity the person down-grades the item to; null: critical confirmed.",
    )
    reason: str = Field(min_length=1, max_length=1_000,
                        description="Why, in a person's words, without names.")

    @model_validator(mode="after")
    def _downgrade_is_lower(self) -> ItemSeverityConfirmed:
        if self.downgraded_to is Severity.CRITICAL:
            raise ValueError("downgraded_to names a lower severity than critical; to keep "
                             "critical, leave it out (the severity is then confirmed)")
        return self

    @property
    def severity(self) -> Severity:
        """The severity the person gives the item."""
        return self.downgraded_to or Severity.CRITICAL


class ItemRelabelled(LifecycleEvent):
    """A person's themes, stance and severity for an item (any of the three; the last given for
    each counts). Allowed once the item is classified, as often as needed."""

    event_type: Literal["item.relabelled"] = "item.relabelled"
    schema_version: Literal[1] = 1
    themes: tuple[Theme, ...] | None = Field(
        default=None, max_length=len(Theme),
        description="The item's themes as the person reads them ([]: none); null: not "
        "relabelled.")
    stance: Stance | None = Field(default=None, description="null: not relabelled.")
    severity: Severity | None = Field(default=None, description="null: not relabelled.")
    reason: str = Field(min_length=1, max_length=1_000,
                        description="Why, in a person's words, without names.")

    @model_validator(mode="after")
    def _labels_something(self) -> ItemRelabelled:
        if self.themes is None and self.stance is None and self.severity is None:
            raise ValueError("give at least one of themes, stance, severity")
        if self.themes is not None and len(set(self.themes)) != len(self.themes):
            raise ValueError("a theme is given twice")
        return self


# The notifier's side steps (kokemusvirta/notify/): what was sent to whom, as roles and channels,
# never addresses. Like the label steps they move no milestone and no status; the guard accepts
# them only from the notifier's own request topic (streams/guard.py, streams/lifecycle.py).
class DeliveryStatus(StrEnum):
    SENT = "sent"  # the mail server took the e-mail, or the letter PDF was written
    BOUNCED = "bounced"  # the mail server refused the address for good (5xx)
    FAILED = "failed"  # not delivered after the last retry (4xx, no connection, timeout)
    CONTACT_ERASED = "contact_erased"  # the person was forgotten: the contact is never used


class StaffNotice(StrEnum):
    CRITICAL = "critical"  # a critical item: the unit's managers and leadership at once
    REMINDER = "reminder"  # a deadline is near
    ESCALATION = "escalation"  # the acknowledge deadline passed: escalated to leadership
    DIGEST = "digest"  # the unit's daily digest of open items


class ItemReplyDelivery(LifecycleEvent):
    """One attempt to deliver an item's return to its client (the notifier's side step)."""

    event_type: Literal["item.reply_delivery"] = "item.reply_delivery"
    schema_version: Literal[1] = 1
    status: DeliveryStatus
    channel: Literal["email", "post"]
    attempt: int = Field(ge=1, le=1_000, description="1 for the first attempt.")
    returned_event_id: uuid.UUID = Field(
        description="event_id of the item.returned (returned_to client) this delivers.")
    language: Language = Field(description="The language the answer was written in.")
    detail: str = Field(
        default="", max_length=300,
        description="What happened, never personal data: e.g. '550 mailbox unavailable', "
        "'letter PDF written'.")


class ItemStaffNotified(LifecycleEvent):
    """Staff were told about an item (the notifier's side step): who, as roles with scopes."""

    event_type: Literal["item.staff_notified"] = "item.staff_notified"
    schema_version: Literal[1] = 1
    notice: StaffNotice
    recipients: tuple[str, ...] = Field(
        min_length=1, max_length=50,
        description="Roles with scopes, never addresses: a requester's user name without the "
        "topic prefix, e.g. unit.lappi.rovaniemen-terveysasema, "
        "leadership.lappi.perusterveydenhuolto.")
    channel: Literal["email"] = "email"
    deadline: date | None = Field(default=None,
                                  description="The deadline the notice is about, if any.")
    detail: str = Field(default="", max_length=300,
                        description="What was told, never personal data.")

    @model_validator(mode="after")
    def _recipients_are_roles(self) -> ItemStaffNotified:
        for r in self.recipients:
            if not _RECIPIENT.fullmatch(r):
                raise ValueError("a recipient is a role with its scope (e.g. "
                                 "unit.lappi.rovaniemen-terveysasema), never an address")
        return self


_RECIPIENT = re.compile(r"[a-z][a-z-]{0,30}(\.[a-z0-9][a-z0-9-]{0,99}){1,2}")


__all__ = [
    "ActorRole", "Classification", "DeliveryStatus", "ItemAcknowledged", "ItemClassified",
    "ItemClosed", "ItemDecided", "ItemEscalated", "ItemPresented", "ItemReceived",
    "ItemRelabelled", "ItemReplyDelivery", "ItemReturned", "ItemRouted", "ItemSeverityConfirmed",
    "ItemStaffNotified", "KnowledgeItem", "LifecycleEvent", "Outcome", "ReturnedTo", "Route",
    "StaffNotice",
]
