"""The access log's chain and seals (schemas/access_log.py): an intact log passes, and editing,
removing, inserting, reordering or forging one view is caught; a reason never carries an
identifier."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from schemas.access_log import (
    AccessCheck,
    ItemViewed,
    Purpose,
    check_chains,
    new_view,
    sealed_view,
)
from schemas.chain import chain_hash
from schemas.seals import EVENT_CONTEXT, encode
from tests.signers import MemorySigner

AT = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)
ITEM = "fb-0123456789abcdef"


@dataclass(frozen=True)
class User:
    pseudonym: str = "us-00112233445566aa"
    role: str = "unit_manager"
    scope: str = "lappi.rovaniemen-terveysasema"


def chain(signer: MemorySigner, n: int = 4, chain_id: str = "c0ffee00c0ffee00"
          ) -> list[dict[str, Any]]:
    views, prev = [], None
    for seq in range(n):
        view = sealed_view(new_view(User(), ITEM, "lappi", Purpose.ITEM_PAGE, None,
                                    AT + timedelta(minutes=seq), chain_id, seq), prev, signer)
        prev = view.chain_hash
        views.append(view.model_dump(mode="json"))
    return views


def checks(payloads: list[dict[str, Any]], signer: MemorySigner) -> set[AccessCheck]:
    return {p.check for p in check_chains(payloads, {signer.key_id: signer.public()})}


def test_an_intact_log_passes_and_two_chains_interleave() -> None:
    signer = MemorySigner()
    a, b = chain(signer, 3, "a" * 16), chain(signer, 3, "b" * 16)
    interleaved = [a[0], b[0], a[1], b[1], b[2], a[2]]
    assert check_chains(interleaved, {signer.key_id: signer.public()}) == []


def test_an_edited_view_is_altered_and_no_longer_signed() -> None:
    signer = MemorySigner()
    views = chain(signer)
    views[1]["viewer"] = "us-ffffffffffffffff"  # someone else's name put on the view
    assert checks(views, signer) == {AccessCheck.PAYLOAD_ALTERED, AccessCheck.FORGED}


def test_an_edited_and_rehashed_view_is_forged() -> None:
    signer = MemorySigner()
    views = chain(signer, 1)
    views[0]["item_id"] = "fb-ffffffffffffffff"
    views[0]["chain_hash"] = chain_hash(views[0])  # consistent again, but not signed so
    assert checks(views, signer) == {AccessCheck.FORGED}


def test_a_removed_view_breaks_the_chain() -> None:
    signer = MemorySigner()
    views = chain(signer)
    del views[1]
    problems = check_chains(views, {signer.key_id: signer.public()})
    assert [(p.check, p.seq) for p in problems] == [(AccessCheck.CHAIN_BREAK, 2)]


def test_a_removed_first_view_breaks_the_chain() -> None:
    signer = MemorySigner()
    assert checks(chain(signer)[1:], signer) == {AccessCheck.CHAIN_BREAK}


def test_reordered_views_break_the_chain() -> None:
    signer = MemorySigner()
    views = chain(signer)
    views[1], views[2] = views[2], views[1]
    assert checks(views, signer) == {AccessCheck.CHAIN_BREAK}


def test_an_inserted_view_signed_by_another_key_is_forged_and_breaks_the_chain() -> None:
    signer, intruder = MemorySigner(), MemorySigner()
    views = chain(signer, 2)
    fake = sealed_view(ItemViewed.model_validate(views[1]), views[1]["chain_hash"], intruder)
    views.append(fake.model_dump(mode="json"))  # chained right, seq repeated, wrong key
    assert checks(views, signer) == {AccessCheck.FORGED, AccessCheck.CHAIN_BREAK}


def test_an_unsigned_view_is_forged() -> None:
    signer = MemorySigner()
    views = chain(signer, 1)
    views[0]["seal_signature"] = None
    assert checks(views, signer) == {AccessCheck.FORGED}


def test_a_worker_style_signature_does_not_pass_for_a_view() -> None:
    # Domain separation: the same key signing the hash under the worker's context is no seal.
    signer = MemorySigner()
    views = chain(signer, 1)
    views[0]["seal_signature"] = encode(signer.sign(EVENT_CONTEXT
                                                    + views[0]["chain_hash"].encode()))
    assert checks(views, signer) == {AccessCheck.FORGED}


def test_a_reason_is_redacted_and_cut_and_the_contract_refuses_identifiers() -> None:
    view = new_view(User(), ITEM, "lappi", "other", "soitin numeroon 040 123 4567 " + "x" * 300,
                    AT, "a" * 16, 0)
    assert view.reason is not None and "040" not in view.reason and len(view.reason) == 200
    with pytest.raises(ValidationError):
        ItemViewed.model_validate({**view.model_dump(), "reason": "hetu 131052-308T"})


def test_a_viewer_is_a_pseudonym_never_a_name() -> None:
    with pytest.raises(ValidationError):
        new_view(User(pseudonym="Maija Meikäläinen"), ITEM, "lappi", "inbox", None, AT,
                 "a" * 16, 0)

