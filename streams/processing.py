"""From one intake record to everything it produces: pure, deterministic, no I/O.

A redelivered record yields byte-for-byte the same events (ids, times, hashes): every time is the
record's (its Kafka timestamp, `received_at`) or its source event's, never the wall clock's. So
processing at least once and deduplicating by event_id in the sink gives each event exactly once
in the store, and a sink that kept an earlier copy of some of them still holds one intact chain.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any, TypeVar

import orjson

from schemas.chain import sealed_json
from schemas.dead_letter import DeadLetterRecorded, Origin
from schemas.envelope import Envelope, derived_uuid
from schemas.knowledge import Classification, ItemForwarded, KnowledgeItem, Route
from schemas.lifecycle import ActorRole, ItemClassified, ItemReceived, ItemRouted
from schemas.organisations import OrganisationRegistry
from schemas.registry import InvalidEvent, SourceEvent, parse_source
from schemas.signal import SignalDetected
from schemas.topics import TopicNames
from streams import classification as classifier
from streams.items import knowledge_items
from streams.privacy import Privacy
from streams.routing import RoutingPolicy, route, unknown_organisation
from streams.sources import recorded
from streams.timing import EPOCH, TimeWindow

Classify = Callable[[str, str | None], Classification]


@dataclass(frozen=True)
class Outgoing:
    topic: str
    event: Envelope
    # The event's JSON object when sealing already made it (schemas/chain.py `sealed_json`):
    # `value` then writes it with orjson, the same bytes as `to_json_bytes` (a test checks it).
    body: dict[str, Any] | None = field(default=None, compare=False, repr=False)

    @property
    def key(self) -> bytes:
        return self.event.kafka_key()

    @cached_property
    def value(self) -> bytes:
        """Made once: the sender writes it, and the guard's read-back (or the bench's) may ask
        again. Written into the instance's __dict__ (cached_property), past the frozen check."""
        return orjson.dumps(self.body) if self.body is not None else self.event.to_json_bytes()


def rule_based_classify(text: str, language: str | None, *, source: str | None = None,
                        unit_languages: tuple[str, ...] = ()) -> Classification:
    """The classifier with what the record knows: its source family (a workshop output is a
    proposal) and the unit's service languages (when the text does not tell its language)."""
    c = classifier.classify(text, language, source=source, unit_languages=unit_languages)
    return Classification(
        themes=c.themes,
        stance=c.stance,
        severity=c.severity,
        rules=c.rules,
        classifier_version=c.classifier_version,
        language=c.language,
        explanation=c.explanation.summary(c)[:2_000] if c.explanation else None,
        critical_triggers=c.explanation.critical_triggers if c.explanation else (),
        critical_suspected=c.critical_suspected,
    )


SIGNAL_RULES_VERSION = "signals-1"


def signal_classification(signal: SignalDetected) -> Classification:
    return Classification(
        themes=(signal.theme,), stance=signal.stance, severity=signal.severity,
        rules=(f"signal:unit-theme-week>={signal.threshold}",),
        classifier_version=SIGNAL_RULES_VERSION,
    )


@dataclass(frozen=True)
class Processor:
    topics: TopicNames
    classify: Classify = rule_based_classify
    policy: RoutingPolicy = field(default_factory=RoutingPolicy)
    # Pseudonymises client ids and seals contacts (streams/privacy.py); None drops them.
    privacy: Privacy | None = None
    # Accepted source event times. The worker always passes its configured window
    # (WorkerConfig.time_window); None accepts any time, for stores built from fixed fixtures.
    window: TimeWindow | None = None
    # The counties, service areas and units routed to: any other becomes an `unknown_unit` dead
    # letter and no topic. The worker always passes the deployment's (WorkerConfig.organisations);
    # None accepts any code, for stores built from fixed fixtures.
    organisations: OrganisationRegistry | None = None

    def process(
        self, raw: bytes, origin: Origin, received_at: datetime | None
    ) -> list[Outgoing]:
        """Validate one intake record; return its derived events, or one dead letter.

        `received_at` is the record's Kafka timestamp (streams/timing.py `record_time`); a record
        without one is timed by its source event's recorded_at, or, rejected, by the epoch.
        """
        # A dead letter is timed by the record alone: its event's times may be what is wrong.
        rejected_at = received_at if received_at is not None else EPOCH
        try:
            source = parse_source(raw)
        except InvalidEvent as rejected:
            if self.organisations is not None and rejected.county is not None \
                    and self.organisations.county(rejected.county) is None:
                rejected.county = None  # a code the registry lacks may be anything, a name too
            return [Outgoing(self.topics.dead_letters, dead_letter(rejected, origin, rejected_at))]
        out_of_range = self.window.check(source, received_at) if self.window else None
        if out_of_range is not None:
            return [Outgoing(self.topics.dead_letters,
                             dead_letter(out_of_range, origin, rejected_at))]
        unknown = (unknown_organisation(source, self.organisations)
                   if self.organisations is not None else None)
        if unknown is not None:
            return [Outgoing(self.topics.dead_letters, dead_letter(unknown, origin, rejected_at))]
        now = received_at if received_at is not None else source.recorded_at
        items = knowledge_items(source, self.privacy)
        out: list[Outgoing] = []
        for item in items:
            out.extend(self._item_events(source, item, now))
        # And the kept copy: intake is only a landing zone (streams/sources.py).
        out.append(Outgoing(self.topics.sources, recorded(source, items, origin, now, received_at)))
        return out

    def _classify(self, item: KnowledgeItem) -> Classification:
        """The rules with the record's context: source family and the unit's service languages
        (organisation registry); a stand-in classify (tests) gets the text and language only."""
        language = item.language.value if item.language else None
        if self.classify is not rule_based_classify:
            return self.classify(item.text, language)
        unit = self.organisations.unit(item.county, item.unit) \
            if self.organisations is not None and item.unit else None
        return rule_based_classify(item.text, language, source=item.source_family.value,
                                   unit_languages=unit.languages if unit else ())

    def _item_events(
        self, source: SourceEvent, item: KnowledgeItem, now: datetime
    ) -> list[Outgoing]:
        """`now` is the record's receipt: the system's steps happen, and are recorded, then."""
        if isinstance(source, SignalDetected):  # a signal's labels are its members', no text
            classification = signal_classification(source)
        else:
            classification = self._classify(item)
        routes = route(item, classification, self.topics, self.policy)

        def envelope(step: str) -> dict[str, Any]:
            return {
                "event_id": derived_uuid(item.item_id, step),
                "occurred_at": now if step != "received" else source.occurred_at,
                "recorded_at": now,
                "county": item.county,
                "unit": item.unit,
                "item_id": item.item_id,
                "caused_by": source.event_id,
            }

        system = ActorRole.SYSTEM
        lifecycle = self.topics.lifecycle
        # The item's hash chain starts here: received → classified → routed, each sealed after
        # the one before (schemas/chain.py); the worker's lifecycle guard continues it.
        # Each step is built (and validated) here and sealed in place (`fresh`): no copy.
        received, received_json = sealed_json(
            ItemReceived(**envelope("received"), actor_role=system, item=item), None,
            fresh=True)
        # The steps after it hold what it validated a moment ago (`_after`); a classification
        # or routes not of the models' own types (a stand-in classify, routes not in a tuple as
        # the field holds them) are validated as before.
        classified = _after(ItemClassified, received, "classified",
                            classification=classification) \
            if type(classification) is Classification \
            else ItemClassified(**envelope("classified"), actor_role=system,
                                classification=classification)
        classified, classified_json = sealed_json(classified, received.chain_hash, fresh=True)
        routed = _after(ItemRouted, received, "routed", routes=routes) \
            if type(routes) is tuple and routes and all(type(r) is Route for r in routes) \
            else ItemRouted(**envelope("routed"), actor_role=system, routes=routes)
        routed, routed_json = sealed_json(routed, classified.chain_hash, fresh=True)
        out = [Outgoing(lifecycle, received, received_json),
               Outgoing(lifecycle, classified, classified_json),
               Outgoing(lifecycle, routed, routed_json)]
        for r, route_json in zip(routed.routes, routed_json["routes"], strict=True):
            forwarded = _made(ItemForwarded, {
                "event_id": derived_uuid(item.item_id, f"forwarded:{r.topic}"),
                **{name: classified.__dict__[name] for name in _SHARED_ENVELOPE},
                "item": received.item, "classification": classified.classification,
                "route": r})
            out.append(Outgoing(r.topic, forwarded, _forwarded_json(
                forwarded, received_json["item"], classified_json, route_json)))
        return out


#: The forwarded event's fields that the classified step holds with the same values, written
#: by the same envelope fields' serialisers: its receipt's time (`now`), county, unit, item and
#: cause. Its event_id, event_type and schema_version are its own; the rest is made below.
_SHARED_ENVELOPE = ("occurred_at", "recorded_at", "county", "unit", "item_id", "caused_by")
_FORWARDED_FIELDS = ("event_id", "event_type", "schema_version", *_SHARED_ENVELOPE, "item",
                     "classification", "route")
if tuple(ItemForwarded.model_fields) != _FORWARDED_FIELDS:  # a new field: write it here too
    raise RuntimeError(f"ItemForwarded's fields changed: {tuple(ItemForwarded.model_fields)}")


_new, _set = object.__new__, object.__setattr__
_Made = TypeVar("_Made", ItemClassified, ItemRouted, ItemForwarded)
#: Each directly made event's fields in their order, with their defaults (none is a factory's).
_TEMPLATES: dict[type[Envelope], dict[str, Any]] = {
    cls: {name: f.default for name, f in cls.model_fields.items()}
    for cls in (ItemClassified, ItemRouted, ItemForwarded)}
if any(f.default_factory is not None for cls in _TEMPLATES for f in cls.model_fields.values()):
    raise RuntimeError("a directly made event has a default factory: make it in _made too")


def _made(cls: type[_Made], values: dict[str, Any]) -> _Made:
    """`cls(**values)`, the same event (its fields in their order, the fields set, no extra,
    no private attributes, as seals.py `_with_seal` copies one), made without validating
    `values` again: the callers give only values that the same field types validated a moment
    ago (tests/unit/streams/test_items_differential.py compares both ways' events)."""
    made = _new(cls)
    _set(made, "__dict__", {**_TEMPLATES[cls], **values})
    _set(made, "__pydantic_fields_set__", set(values))
    _set(made, "__pydantic_extra__", None)
    _set(made, "__pydantic_private__", None)
    return made


#: What the item's later steps share with its received step, validated there: the receipt's
#: time (`now`, its recorded_at), county, unit, item and cause.
_AS_RECEIVED = ("recorded_at", "county", "unit", "item_id", "caused_by")


def _after(cls: type[_Made], received: ItemReceived, step: str, **own: Any) -> _Made:
    """`cls(**envelope(step), actor_role=system, **own)` of `_item_events`, made from the
    received step's validated values (the step's own parts, `own`, validated by the caller's
    models: a Classification, Route objects)."""
    shared = received.__dict__
    return _made(cls, {"event_id": derived_uuid(shared["item_id"], step),
                       "occurred_at": shared["recorded_at"],
                       **{name: shared[name] for name in _AS_RECEIVED},
                       "actor_role": shared["actor_role"], **own})


def _forwarded_json(forwarded: ItemForwarded, item: dict[str, Any],
                    classified: dict[str, Any], route: dict[str, Any]) -> dict[str, Any]:
    """The forwarded event's JSON object (its `model_dump(mode="json")`, in its fields' order),
    put together from what sealing already wrote: the received step's item, the classified
    step's envelope and classification, and the routed step's JSON of this route. Nothing of
    the event is serialised a second time (tests/unit/streams/test_items_differential.py
    compares it with the model's dump). Shared, never changed."""
    return {"event_id": str(forwarded.event_id), "event_type": forwarded.event_type,
            "schema_version": forwarded.schema_version,
            **{name: classified[name] for name in _SHARED_ENVELOPE},
            "item": item, "classification": classified["classification"], "route": route}


def dead_letter(rejected: InvalidEvent, origin: Origin, now: datetime) -> DeadLetterRecorded:
    """A dead letter names the reason and the origin, never the payload's values."""
    return DeadLetterRecorded(
        event_id=derived_uuid("dead-letter", origin.topic, origin.partition, origin.offset),
        occurred_at=now,
        recorded_at=now,
        county=rejected.county or "unknown",
        reason=rejected.reason,
        detail=rejected.detail,
        problems=rejected.problems,
        origin=origin,
        original_event_type=rejected.event_type,
        original_event_id=rejected.event_id,
    )


def dead_letter_headers(dl: DeadLetterRecorded) -> list[tuple[str, bytes]]:
    return [
        ("reason", dl.reason.value.encode()),
        ("origin-topic", dl.origin.topic.encode()),
        ("origin-partition", str(dl.origin.partition).encode()),
        ("origin-offset", str(dl.origin.offset).encode()),
    ]
