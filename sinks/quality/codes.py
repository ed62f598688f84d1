"""The allowed codes, taken from the code that defines them (schemas/, sinks/), never copied.

County, service area and unit are free codes (each county configures its own organisation), so
for them the check is the shape every event's envelope enforces (schemas/envelope.py `Code`).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from schemas.dead_letter import RejectionReason
from schemas.deadlines import Deadlines
from schemas.envelope import Code, ItemId
from schemas.feedback import Channel, Language
from schemas.knowledge import SourceFamily
from schemas.lifecycle import ActorRole, Outcome, ReturnedTo
from schemas.registry import EVENT_CLASSES, LIFECYCLE_EVENTS
from schemas.statement import AuthorRole
from schemas.taxonomy import Severity, Stance, Theme
from schemas.workshop import ForumType, OutputTarget


def values(enum: type[StrEnum]) -> tuple[str, ...]:
    return tuple(member.value for member in enum)


def _pattern(annotated: Any) -> str:
    return str(annotated.__metadata__[0].pattern)


CODE_PATTERN = _pattern(Code)
ITEM_ID_PATTERN = _pattern(ItemId)

THEMES = values(Theme)
STANCES = values(Stance)
SEVERITIES = values(Severity)
CHANNELS = values(Channel)
LANGUAGES = values(Language)
SOURCE_FAMILIES = values(SourceFamily)
# The metric views leave weekly signals out: they are not clients' knowledge.
CLIENT_SOURCE_FAMILIES = tuple(f for f in SOURCE_FAMILIES if f != SourceFamily.AGGREGATE)
OUTPUT_TARGETS = values(OutputTarget)
AUTHOR_ROLES = values(AuthorRole)
FORUM_TYPES = values(ForumType)
ACTOR_ROLES = values(ActorRole)
OUTCOMES = values(Outcome)
RETURNED_TO = values(ReturnedTo)
DEAD_LETTER_REASONS = values(RejectionReason)

# lifecycle.step is the event type without "item."; knowledge_items.status is the latest one.
LIFECYCLE_STEPS = tuple(
    str(cls.model_fields["event_type"].default).removeprefix("item.") for cls in LIFECYCLE_EVENTS
)
# labels_human: a person's word on the labels (streams/lifecycle.py LABEL_STEPS), given by the
# unit's managers or the service area's leadership (streams/guard.py LABELLERS).
LABEL_STEPS = ("relabelled", "severity_confirmed")
LABELLER_ROLES = (ActorRole.UNIT_MANAGER.value, ActorRole.LEADERSHIP.value)
CONFIRMATIONS = ("confirmed", "downgraded")
# knowledge_items.status: a step, or leadership's acknowledgement, a status of its own.
ITEM_STATUSES = (*LIFECYCLE_STEPS, "acknowledged_by_leadership")
# Dead letters have a table of their own; every other event type is a row of `events`.
STORED_EVENT_TYPES = tuple(t for t in EVENT_CLASSES if t != "dead_letter.recorded")

DEADLINES = tuple(row[0] for row in Deadlines().rows())

# sinks/projection.py (and sinks/store.py: already_stored) count every consumed record, and
# each record that did not become a row of `events` or `dead_letters` under one of these names.
# A new counter must be added here with what it means, or the check of the counter names fails
# (and says which name).
CONSUMED = "consumed"
# unprojectable: a record that raised something other than InvalidEvent while it was parsed or
# projected (each of these, and each intake_rejected or unreadable one, is a sink_rejections row).
# worker_seals: a public key or a signed checkpoint of the worker's (rows of worker_keys and
# worker_checkpoints, not of events: a key is republished at every worker start).
# access_log: a view or a workplace key on the access-log topic (rows of access_log and
# access_log_keys: a look at an item is no event of it).
NOT_STORED_COUNTERS = ("intake_rejected", "unreadable", "unprojectable", "duplicates_in_batch",
                       "already_stored", "worker_seals", "access_log")
# sink_rejections.stage: where the record failed (sinks/projection.py).
REJECTION_STAGES = ("parse", "project")
SINK_COUNTERS = (CONSUMED, *NOT_STORED_COUNTERS)
