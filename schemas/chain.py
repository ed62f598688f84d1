"""Tamper evidence: each item's lifecycle events form a hash chain.

`chain_hash` = SHA-256 over the event's canonical JSON (keys sorted, no spaces, UTF-8) with the
`chain_hash` key left out and `chain_prev` (the previous event's hash, or null) left in. Changing
any stored event, or dropping or reordering one, breaks the chain from there on. The worker's
signature (`seal_key_id`, `seal_signature`, schemas/seals.py) signs this hash, so it is left out
of it too.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any, TypeVar

from schemas.lifecycle import LifecycleEvent

E = TypeVar("E", bound=LifecycleEvent)
UNHASHED = frozenset({"chain_hash", "seal_key_id", "seal_signature"})


def chain_hash(event: Mapping[str, Any]) -> str:
    """The hash of one event given as its JSON object (e.g. the payload stored in DuckDB)."""
    body = {k: v for k, v in event.items() if k not in UNHASHED}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def seal(event: E, prev: str | None) -> E:
    """The event linked after `prev` with its own hash filled in."""
    linked = event.model_copy(update={"chain_prev": prev, "chain_hash": None})
    return linked.model_copy(update={"chain_hash": chain_hash(linked.model_dump(mode="json"))})
