"""The access log: who viewed which item, when and why (issue 16; the Finnish client-data rules
expect a trail of every look at a client's social and health care feedback).

Records on `<prefix>access-log` (kept for ever, keyed by chain id):

- `access.item_viewed`: one view, by the viewer's pseudonym (`us-` + 16 hex, never a name), role
  and scope, of one item in one county, with a purpose and an optional reason (≤ 200 characters,
  redacted: a reason may not carry a henkilötunnus, a phone number or an address).
- `access.key_published`: a public key of the workplace's, which signs the views.

Tamper evidence, as for the lifecycle (schemas/chain.py, schemas/seals.py), by the workplace that
writes the views and holds its own Ed25519 key (not the worker's: a workplace key can never pass
a forged lifecycle event, and the worker's never a forged view):

- one **chain** per writer run (`chain_id`, 16 hex, new at every start and after any write whose
  fate is unknown): `seq` counts 0, 1, 2 … and `chain_prev` is the previous view's `chain_hash`;
  one chain's records share a Kafka key, so one partition, in order;
- `chain_hash` is SHA-256 over the view's canonical JSON without the hash and seal fields;
- `seal_signature` is Ed25519 over ACCESS_CONTEXT + chain_hash (domain-separated from the
  worker's EVENT_CONTEXT).

`check_chains` is the pure verification `kokemusvirta verify` runs: an edited view is
`payload_altered`, a removed, inserted or reordered one `chain_break`, an unsigned or wrongly
signed one `forged`. What a forward chain cannot show is a removed *last* view of a chain; the
topic itself (kept for ever, written only by the workplace principal) is the anchor for that.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal, Protocol

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from schemas.access import NAME
from schemas.chain import chain_hash
from schemas.envelope import ItemId
from schemas.redaction import redact
from schemas.seals import ALGORITHM, PublishedKey, Signer, _valid, encode

VIEWED = "access.item_viewed"
KEY_PUBLISHED = "access.key_published"
ACCESS_CONTEXT = b"kokemusvirta.seal.access.v1:"
REASON_MAX = 200
PSEUDONYM_PATTERN = r"^us-[0-9a-f]{16}$"
CHAIN_ID_PATTERN = r"^[0-9a-f]{16}$"
# A requester-like scope (county, county.unit, county.area) or * for every county.
SCOPE_PATTERN = r"^(\*|[a-z0-9][a-z0-9-]{0,99}(\.[a-z0-9][a-z0-9-]{0,99})?)$"


class Purpose(StrEnum):
    """Why the item was looked at: the surface that showed it."""

    INBOX = "inbox"  # a row of a unit's inbox
    ITEM_PAGE = "item_page"  # the item page with its text and path
    QUEUE = "queue"  # leadership's queue
    AGENDA = "agenda"  # a political body's agenda
    DASHBOARD = "dashboard"  # a click-through from a dashboard
    EXPORT = "export"  # the item in an export
    TRACE = "trace"  # an auditor's trace
    OTHER = "other"  # anything else: the reason says what


class ItemViewed(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    event_type: Literal["access.item_viewed"] = "access.item_viewed"
    schema_version: Literal[1] = 1
    event_id: uuid.UUID
    chain_id: str = Field(pattern=CHAIN_ID_PATTERN)
    seq: int = Field(ge=0)
    viewer: str = Field(pattern=PSEUDONYM_PATTERN, description="The viewer's pseudonym.")
    viewer_role: str = Field(pattern=r"^[a-z][a-z_-]{0,39}$")
    viewer_scope: str = Field(pattern=SCOPE_PATTERN)
    item_id: ItemId
    county: str = Field(pattern=NAME.pattern)
    purpose: Purpose
    reason: str | None = Field(default=None, max_length=REASON_MAX)
    viewed_at: AwareDatetime
    chain_prev: str | None = None
    chain_hash: str | None = None
    seal_key_id: str | None = None
    seal_signature: str | None = None

    @field_validator("reason")
    @classmethod
    def _no_identifiers(cls, reason: str | None) -> str | None:
        # The contract refuses what the redaction rule would change: the writer redacts first.
        if reason is not None and redact(reason) != reason:
            raise ValueError("a reason may not hold a henkilötunnus, phone, e-mail or IBAN")
        return reason


class AccessLogKey(BaseModel):
    """A workplace public key, on the access-log topic itself (key: `key:<key_id>`)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    event_type: Literal["access.key_published"] = "access.key_published"
    key_id: str = Field(pattern=r"^[0-9a-f]{16}$")
    algorithm: str = ALGORITHM
    public_key: str
    created_at: AwareDatetime

    def key(self) -> Ed25519PublicKey:
        """The key; raises unless the id is the key's own (as PublishedKey.key)."""
        return PublishedKey(key_id=self.key_id, public_key=self.public_key,
                            created_at=self.created_at).key()


class Viewer(Protocol):
    """What the log needs of a signed-in user (kokemusvirta/workplace/users.py StaffUser)."""

    @property
    def pseudonym(self) -> str: ...

    @property
    def role(self) -> Any: ...

    @property
    def scope(self) -> str: ...


def sealed_view(view: ItemViewed, prev: str | None, signer: Signer) -> ItemViewed:
    """`view` linked after `prev`, hashed and signed."""
    linked = view.model_copy(update={"chain_prev": prev, "chain_hash": None,
                                     "seal_key_id": None, "seal_signature": None})
    digest = chain_hash(linked.model_dump(mode="json"))
    signature = signer.sign(ACCESS_CONTEXT + digest.encode())
    return linked.model_copy(update={"chain_hash": digest, "seal_key_id": signer.key_id,
                                     "seal_signature": encode(signature)})


def new_view(viewer: Viewer, item_id: str, county: str, purpose: Purpose | str,
             reason: str | None, at: datetime, chain_id: str, seq: int) -> ItemViewed:
    """An unsealed view (the reason redacted and cut to its limit)."""
    kept = None if reason is None or not reason.strip() else redact(reason.strip())[:REASON_MAX]
    role = viewer.role
    return ItemViewed(event_id=uuid.uuid4(), chain_id=chain_id, seq=seq,
                      viewer=viewer.pseudonym, viewer_role=str(getattr(role, "value", role)),
                      viewer_scope=viewer.scope, item_id=item_id, county=county,
                      purpose=Purpose(purpose), reason=kept, viewed_at=at)


class AccessCheck(StrEnum):
    PAYLOAD_ALTERED = "payload_altered"  # the stored view no longer hashes to its chain_hash
    CHAIN_BREAK = "chain_break"  # a view removed, inserted or reordered (seq or chain_prev)
    FORGED = "forged"  # unsigned, unknown key or a wrong signature
    ROW_DIFFERS = "row_differs"  # the access_log columns disagree with the signed payload
    UNREADABLE = "unreadable"  # the stored payload is not a view


@dataclass(frozen=True)
class AccessProblem:
    check: AccessCheck
    chain_id: str
    seq: int | None
    event_id: str | None
    detail: str

    def to_json(self) -> dict[str, Any]:
        return {"check": self.check.value, "chain_id": self.chain_id, "seq": self.seq,
                "event_id": self.event_id, "detail": self.detail}


def check_seal(payload: Mapping[str, Any], keys: Mapping[str, Ed25519PublicKey]) -> str | None:
    """None when the view is signed by one of `keys`, else what is wrong. The hash is
    recomputed from the payload, never taken from it."""
    key_id, signature = payload.get("seal_key_id"), payload.get("seal_signature")
    if not isinstance(key_id, str) or not isinstance(signature, str):
        return "unsigned"
    key = keys.get(key_id)
    if key is None:
        return f"signed by an unknown key {key_id}"
    if not _valid(key, signature, ACCESS_CONTEXT + chain_hash(payload).encode()):
        return "bad signature"
    return None


def check_chains(payloads: Iterable[Mapping[str, Any]],
                 keys: Mapping[str, Ed25519PublicKey]) -> list[AccessProblem]:
    """Every problem of the views given in Kafka order (topic, partition, offset): within one
    chain seq counts up from 0 and each chain_prev is the previous view's hash."""
    heads: dict[str, tuple[int, str | None]] = {}  # chain id: (last seq, its stored hash)
    problems: list[AccessProblem] = []
    for p in payloads:
        chain, seq, event_id = str(p.get("chain_id")), p.get("seq"), p.get("event_id")
        seq = seq if isinstance(seq, int) else None
        eid = str(event_id) if event_id is not None else None

        def problem(check: AccessCheck, detail: str, *, c: str = chain, s: int | None = seq,
                    e: str | None = eid) -> None:
            problems.append(AccessProblem(check, c, s, e, detail))

        if p.get("event_type") != VIEWED or seq is None:
            problem(AccessCheck.UNREADABLE, "not an access.item_viewed")
            continue
        stored = p.get("chain_hash")
        if stored != chain_hash(p):
            problem(AccessCheck.PAYLOAD_ALTERED, "the view does not hash to its chain_hash")
        if (wrong := check_seal(p, keys)) is not None:
            problem(AccessCheck.FORGED, wrong)
        last = heads.get(chain)
        want_seq, want_prev = (0, None) if last is None else (last[0] + 1, last[1])
        if seq != want_seq or p.get("chain_prev") != want_prev:
            problem(AccessCheck.CHAIN_BREAK,
                    f"expected seq {want_seq} after "
                    f"{'the start' if want_prev is None else want_prev[:12]}, found seq {seq}")
        heads[chain] = (seq, stored if isinstance(stored, str) else None)
    return problems


ROW_FIELDS = ("event_id", "chain_id", "seq", "viewer", "viewer_role", "viewer_scope", "item_id",
              "county", "purpose", "reason", "viewed_at", "chain_prev", "chain_hash")


def row_of(view: ItemViewed) -> dict[str, Any]:
    """The access_log columns a view gives (sinks/access_log.sql), in JSON terms."""
    body = view.model_dump(mode="json")
    return {f: body[f] for f in ROW_FIELDS}
