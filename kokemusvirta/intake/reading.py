"""Reading a request into source events: pure, through the contract's bounded parse.

A body is one event object or a list of them. Every event is read by schemas/registry.py's
parse_source, the same parse the worker applies, so what the API accepts the worker accepts, and
every problem of every event is collected (not just the first) with its path.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from kokemusvirta.intake.problems import Problem
from schemas.dead_letter import RejectionReason
from schemas.feedback import FeedbackSubmitted
from schemas.knowledge import SourceFamily
from schemas.registry import MAX_RECORD_BYTES, InvalidEvent, SourceEvent, parse_source
from schemas.statement import ExpertStatementIssued
from schemas.workshop import WorkshopOutputRecorded

#: The families the API takes, by the SourceFamily value `IntakeGateway.submit` is given.
FAMILIES: dict[str, type[SourceEvent]] = {
    SourceFamily.FEEDBACK.value: FeedbackSubmitted,
    SourceFamily.WORKSHOP_OUTPUT.value: WorkshopOutputRecorded,
    SourceFamily.EXPERT_STATEMENT.value: ExpertStatementIssued,
}
# One request carries at most this many events (a survey system's hourly batch fits).
MAX_EVENTS = 500


class Invalid(Exception):
    """The request cannot be accepted as it is; `problems` lists all that is wrong."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


class _Duplicate(Exception):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        raise _Duplicate
    return obj


def payloads_of(body: bytes) -> list[dict[str, Any]]:
    """The body's event objects (one object, or a list of them). Raises Invalid."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Invalid([Problem("(root)", "not_json", RejectionReason.NOT_JSON)]) from None
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates)
    except _Duplicate:
        raise Invalid([Problem("(root)", "duplicate_key")]) from None
    except RecursionError:
        raise Invalid([Problem("(root)", "too_deep", RejectionReason.TOO_DEEP)]) from None
    except ValueError:
        raise Invalid([Problem("(root)", "not_json", RejectionReason.NOT_JSON)]) from None
    if isinstance(data, dict):
        return [data]
    if isinstance(data, list) and data and all(isinstance(d, dict) for d in data):
        if len(data) > MAX_EVENTS:
            raise Invalid([Problem("(root)", "too_long")])
        return data
    raise Invalid([Problem("(root)", "not_an_object", RejectionReason.NOT_AN_OBJECT)])


def events_of(family: str, payloads: list[dict[str, Any]],
              now: Callable[[], datetime]) -> list[SourceEvent]:
    """Each payload as its family's event. `event_type` and `recorded_at` may be left out (the
    endpoint says the first, the gateway's receipt is the second). Raises Invalid with every
    problem of every payload; a list's paths start with the payload's index."""
    model = FAMILIES[family]
    wanted = model.model_fields["event_type"].default
    events: list[SourceEvent] = []
    problems: list[Problem] = []
    many = len(payloads) > 1
    for index, payload in enumerate(payloads):
        prefix = f"{index}." if many else ""
        data = {"event_type": wanted, **payload}
        data.setdefault("recorded_at", now().isoformat())
        if data["event_type"] != wanted:
            problems.append(Problem(f"{prefix}event_type", "wrong_endpoint"))
            continue
        try:
            raw = json.dumps(data, ensure_ascii=False).encode("utf-8", "surrogatepass")
        except (TypeError, ValueError, RecursionError):
            problems.append(Problem(f"{prefix}(root)", "not_json", RejectionReason.NOT_JSON))
            continue
        if len(raw) > MAX_RECORD_BYTES:
            problems.append(Problem(f"{prefix}(root)", "too_large", RejectionReason.TOO_LARGE))
            continue
        try:
            events.append(parse_source(raw))
        except InvalidEvent as rejected:
            if rejected.problems:
                problems.extend(Problem(_joined(prefix, p.location), p.problem)
                                for p in rejected.problems)
            else:
                problems.append(Problem(f"{prefix}(root)", rejected.reason.value,
                                        rejected.reason))
    if problems:
        raise Invalid(problems)
    return events


def _joined(prefix: str, location: str) -> str:
    return f"{prefix}{location}" if location != "(root)" or not prefix else f"{prefix}(root)"
