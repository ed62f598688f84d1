"""Tamper evidence: each item's lifecycle events form a hash chain.

`chain_hash` = SHA-256 over the event's canonical JSON (keys sorted, no spaces, UTF-8) with the
`chain_hash` key left out and `chain_prev` (the previous event's hash, or null) left in. Changing
any stored event, or dropping or reordering one, breaks the chain from there on. The worker's
signature (`seal_key_id`, `seal_signature`, schemas/seals.py) signs this hash, so it is left out
of it too.

The worker computes the canonical JSON of its own events with orjson (`model_hash`): the same
bytes as `json.dumps` above for what our models hold (strings, integers, booleans, null, lists,
objects: no floats, which the two would write differently; tests/unit/schemas/test_chain.py
checks both), at a tenth of the cost. `chain_hash` of a stored payload, which may hold anything,
stays on `json.dumps`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any, TypeVar

import orjson
from pydantic import BaseModel

from schemas.lifecycle import LifecycleEvent

E = TypeVar("E", bound=LifecycleEvent)
UNHASHED = frozenset({"chain_hash", "seal_key_id", "seal_signature"})


# Anything orjson would write its own way (datetimes, dataclasses, str and int subclasses such
# as enums) raises instead, and the exact path takes it.
_ORJSON_STRICT = (orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_DATETIME
                  | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_SUBCLASS)


def canonical(body: Mapping[str, Any]) -> bytes:
    """The canonical JSON the hash covers: keys sorted, no spaces, UTF-8."""
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def chain_hash(event: Mapping[str, Any]) -> str:
    """The hash of one event given as its JSON object (e.g. the payload stored in DuckDB)."""
    return hashlib.sha256(canonical({k: v for k, v in event.items()
                                     if k not in UNHASHED})).hexdigest()


def _hash_json(body: dict[str, Any]) -> str:
    hashed = {k: v for k, v in body.items() if k not in UNHASHED}
    try:
        data = orjson.dumps(hashed, option=_ORJSON_STRICT)
    except TypeError:  # orjson.JSONEncodeError: an integer beyond 64 bits, a lone surrogate …
        data = canonical(hashed)
    return hashlib.sha256(data).hexdigest()


def model_hash(event: BaseModel) -> str:
    """`chain_hash` of one of our own models' JSON, fast: for models without float fields only
    (the worker's events; a test checks every one of them)."""
    return _hash_json(event.model_dump(mode="json"))


def sealed_json(event: E, prev: str | None, *, fresh: bool = False) -> tuple[E, dict[str, Any]]:
    """`seal`, and the sealed event's JSON object (its `model_dump(mode="json")`), so that its
    bytes need no second serialisation (streams/processing.py `Outgoing.body`).

    `fresh`: the caller just built `event` and nothing else holds it (the worker's own system
    steps), so it is sealed in place, as `model_copy` would fill in the copy, and returned:
    no copy of every field per step. Anything else (e.g. a request) is copied."""
    body = event.model_dump(mode="json")
    body["chain_prev"] = prev
    body["chain_hash"] = digest = _hash_json(body)
    if not fresh:
        return event.model_copy(update={"chain_prev": prev, "chain_hash": digest}), body
    event.__dict__["chain_prev"], event.__dict__["chain_hash"] = prev, digest
    event.__pydantic_fields_set__.update(_CHAIN_FIELDS)
    return event, body


_CHAIN_FIELDS = ("chain_prev", "chain_hash")


def seal(event: E, prev: str | None) -> E:
    """The event linked after `prev` with its own hash filled in: one dump, one copy."""
    return sealed_json(event, prev)[0]
