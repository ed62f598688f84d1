"""What the scenario yields: records to publish, the personal data in them, what a text means."""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from os import PathLike
from typing import Any, NamedTuple

from schemas.dead_letter import RejectionReason


class PersonalDatum(NamedTuple):
    kind: str  # hetu, phone, email, iban, name
    value: str  # exactly as it appears in the record's bytes


@dataclass(frozen=True)
class Intended:
    """What a feedback text was built to say, in the codes of schemas/taxonomy.py."""

    themes: tuple[str, ...]
    stance: str
    severity: str


@dataclass(frozen=True)
class ScenarioRecord:
    value: bytes  # published to the intake topic: JSON, or deliberately malformed bytes
    key: bytes | None  # the event_id for well-formed events, None for malformed ones
    expected_rejection: RejectionReason | None  # None: must be accepted
    event_type: str | None  # for reporting
    personal_data: tuple[PersonalDatum, ...] = ()
    intended: Intended | None = None  # feedback only


def new_event_id(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def dumps(obj: Any) -> bytes:
    """Compact JSON in UTF-8, as the intake topic carries it."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode()


def personal_identifiers_in(
    records: Iterable[ScenarioRecord], kinds: Iterable[str] | None = None
) -> set[str]:
    """Every personal identifier the scenario put into these records (optionally some kinds)."""
    wanted = set(kinds) if kinds is not None else None
    return {p.value for r in records for p in r.personal_data if wanted is None or p.kind in wanted}


def write_jsonl(records: Iterable[ScenarioRecord], path: str | PathLike[str]) -> int:
    """Write one record value per line (for `kokemusvirta publish FILE`); returns the count."""
    count = 0
    with open(path, "wb") as out:
        for record in records:
            out.write(record.value + b"\n")
            count += 1
    return count
