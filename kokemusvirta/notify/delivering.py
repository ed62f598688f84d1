"""The delivery round's I/O (the planning and the words are kokemusvirta/notify/delivery.py):
read the returns due from the store's snapshot, open each contact with the person's key (only
here, never logged), send the e-mail or write the letter, and ask the guard to record the
attempt (`item.reply_delivery`) through the ledger's outbox.

Exactly once: the ledger's claim comes before the send, and its record (with the attempt's
lifecycle request) right after; a crash between the two leaves the claim, and nothing is sent
again for it (the round logs it). A forgotten person's contact does not open: the attempt is
recorded as `contact_erased` and nothing is sent.
"""

from __future__ import annotations

import json
import logging
import uuid
from datetime import datetime
from pathlib import Path
from typing import Literal

from kokemusvirta.notify.delivery import (
    Answer,
    DueReturn,
    answer_language,
    channel_of,
    is_phone,
    next_try_in,
    plan,
    render,
)
from kokemusvirta.notify.ledger import RETRY
from kokemusvirta.notify.mail import Mail, MailBounced, MailDeferred
from kokemusvirta.notify.service import NotifierContext, RoundReport
from schemas.feedback import Language
from schemas.lifecycle import ActorRole, DeliveryStatus, ItemReplyDelivery
from schemas.privacy import SealedContact
from schemas.registry import parse

log = logging.getLogger("kokemusvirta.notify")

# The returns to clients who asked for a reply and left a contact, with the decision and the
# attempts the store has. The sealed contact is the item.received payload's (events).
DUE_SQL = """
WITH returns AS (
    SELECT l.event_id, l.item_id, l.occurred_at AS returned_at,
        json_extract_string(l.details, '$.no_decision_reason') AS no_decision_reason
    FROM lifecycle AS l
    WHERE l.step = 'returned' AND json_extract_string(l.details, '$.returned_to') = 'client'
),
decided AS (
    SELECT item_id,
        arg_min(json_extract_string(details, '$.outcome'), "offset") AS outcome,
        arg_min(json_extract_string(details, '$.rationale'), "offset") AS rationale,
        arg_min(json_extract_string(details, '$.decision_ref'), "offset") AS decision_ref
    FROM lifecycle WHERE step = 'decided' AND item_id IN (SELECT item_id FROM returns)
    GROUP BY item_id
),
attempts AS (
    SELECT returned_event_id, max(attempt) AS attempts,
        bool_or(status IN ('sent', 'bounced', 'contact_erased', 'unit_answers')) AS final
    FROM reply_deliveries GROUP BY returned_event_id
),
received AS (
    SELECT item_id, any_value(json_extract(payload, '$.item.contact_sealed')) AS sealed
    FROM events
    WHERE event_type = 'item.received' AND item_id IN (SELECT item_id FROM returns)
    GROUP BY item_id
)
SELECT CAST(r.event_id AS VARCHAR) AS returned_event_id, r.item_id, k.county, k.service_area,
    k.unit, k.language, k.received_at, r.returned_at, d.outcome, d.rationale, d.decision_ref,
    r.no_decision_reason, CAST(c.sealed AS VARCHAR) AS sealed_contact,
    coalesce(a.attempts, 0) AS attempts, coalesce(a.final, false) AS final
FROM returns AS r
JOIN knowledge_items AS k ON k.item_id = r.item_id
LEFT JOIN decided AS d ON d.item_id = r.item_id
LEFT JOIN attempts AS a ON a.returned_event_id = r.event_id
LEFT JOIN received AS c ON c.item_id = r.item_id
WHERE k.reply_requested AND k.contact_given
ORDER BY r.returned_at, r.item_id
"""


def due_returns(ctx: NotifierContext) -> list[DueReturn]:
    rows = ctx.query(DUE_SQL)
    for row in rows:
        raw = row.get("sealed_contact")
        row["sealed_contact"] = json.loads(raw) if raw and raw != "null" else None
    return [DueReturn.from_row(r) for r in rows]


def run_delivery(ctx: NotifierContext) -> RoundReport:
    report = RoundReport("delivery")
    publish_outbox(ctx, report)
    for key in ctx.ledger.claimed():
        if key.startswith("delivery:"):  # a send interrupted by a crash: a person looks
            log.warning("%s was claimed and never recorded (a crash during a send?): not "
                        "sent again; check the mailbox, then delete it from the ledger", key)
    returns = due_returns(ctx)
    report.add("returned_to_client", len(returns))
    for due in plan(returns, ctx.settings.delivery_max_attempts):
        try:
            deliver(ctx, due, report)
        except Exception:
            log.exception("delivery of item %s failed", due.item_id)
            report.add("error")
    publish_outbox(ctx, report)
    return report


def publish_outbox(ctx: NotifierContext, report: RoundReport) -> None:
    for key, raw in ctx.ledger.unpublished():
        ctx.publisher.publish(parse(raw))
        ctx.ledger.published(key)
        report.add("recorded")


def deliver(ctx: NotifierContext, due: DueReturn, report: RoundReport) -> None:
    key = f"delivery:{due.returned_event_id}"
    now = ctx.clock()
    entry = ctx.ledger.get(key)
    if not ctx.ledger.claim(key, now):
        if entry is not None and entry.status == RETRY:
            report.add("retry_later")
        return
    attempt = max(entry.attempt if entry else 0, due.attempts) + 1
    language = answer_language(due.language)
    if due.sealed_contact is None:  # contact_given, but no seal reached the item
        ctx.ledger.record(key, "no_contact", attempt, now=now)
        report.add("no_contact")
        return
    contact = _open_contact(ctx, due)
    if contact is None:
        _record(ctx, due, key, attempt, DeliveryStatus.CONTACT_ERASED, "email", language,
                "the person was forgotten: the contact was not used", report)
        return
    channel = channel_of(contact)
    if channel is None and is_phone(contact):
        # the unit calls; nothing is sent, but the return is recorded as the unit's to answer
        _record(ctx, due, key, attempt, DeliveryStatus.UNIT_ANSWERS, "phone", language,
                "a phone number: the unit calls the client", report)
        return
    if channel is None:  # nothing the notifier can send to (no event): the unit answers
        ctx.ledger.record(key, "unusable_contact", attempt, now=now)
        report.add("unusable_contact")
        return
    unit_name, county_name = _names(ctx, due)
    answer = render(due, unit_name, county_name, language)
    if channel == "post":
        path = _write_letter(ctx, due, answer, contact, unit_name, county_name)
        log.info("letter for item %s written: %s", due.item_id, path)
        _record(ctx, due, key, attempt, DeliveryStatus.SENT, "post", language,
                "letter PDF written", report)
        return
    try:
        said = ctx.send(Mail(to=contact, subject=answer.subject, text=answer.text,
                             html=answer.html, language=language))
    except MailBounced as exc:
        _record(ctx, due, key, attempt, DeliveryStatus.BOUNCED, "email", language, str(exc),
                report)
        return
    except MailDeferred as exc:
        last = attempt >= ctx.settings.delivery_max_attempts
        retry_at = None if last else now + next_try_in(attempt, ctx.settings.delivery_retry_s)
        detail = f"{exc}; " + ("gave up after the last attempt" if last
                               else f"retry at {retry_at:%Y-%m-%d %H:%M} UTC")
        _record(ctx, due, key, attempt, DeliveryStatus.FAILED, "email", language, detail,
                report, retry_at=retry_at)
        return
    _record(ctx, due, key, attempt, DeliveryStatus.SENT, "email", language, said, report)


def _open_contact(ctx: NotifierContext, due: DueReturn) -> str | None:
    """The contact, or None when the person was forgotten (their key erased or renewed)."""
    from kokemusvirta.keystore import FileKeyStore
    from streams.privacy import ContactErased, unseal

    if due.sealed_contact is None:
        return None
    sealed = SealedContact.model_validate(due.sealed_contact)
    keys = FileKeyStore(ctx.settings.key_store)
    key = keys.get(due.county, sealed.key_id)
    if key is None or key.version != sealed.key_version:
        return None
    try:
        return unseal(key, due.county, sealed)
    except ContactErased:
        return None


def _names(ctx: NotifierContext, due: DueReturn) -> tuple[str, str]:
    from kokemusvirta.organisations import organisations

    registry = organisations(ctx.settings)
    lang = answer_language(due.language)
    unit = registry.unit(due.county, due.unit) if due.unit else None
    county = registry.county(due.county)
    area = registry.service_area(due.county, due.service_area)
    unit_name = unit.names.in_language(lang) if unit else (
        area.names.in_language(lang) if area else due.service_area)
    return unit_name, county.names.in_language(lang) if county else due.county


def _write_letter(ctx: NotifierContext, due: DueReturn, answer: Answer, address: str,
                  unit_name: str, county_name: str) -> Path:
    from kokemusvirta.notify.letters import letter_pdf

    folder = ctx.home / "letters"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / f"{due.item_id}-{due.returned_event_id[:8]}.pdf"
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(letter_pdf(answer, address, f"{unit_name}\n{county_name}"))
    tmp.chmod(0o600)  # the address is personal data: the letter is for the unit's post room
    tmp.replace(path)
    return path


def _record(ctx: NotifierContext, due: DueReturn, key: str, attempt: int,
            status: DeliveryStatus, channel: Literal["email", "post", "phone"],
            language: str, detail: str,
            report: RoundReport, retry_at: datetime | None = None) -> None:
    now = ctx.clock()
    event = ItemReplyDelivery(
        event_id=uuid.uuid4(), occurred_at=now, recorded_at=now, county=due.county,
        unit=due.unit, item_id=due.item_id, actor_role=ActorRole.SYSTEM,
        caused_by=uuid.UUID(due.returned_event_id), status=status,
        channel=channel, attempt=attempt,
        returned_event_id=uuid.UUID(due.returned_event_id), language=Language(language),
        detail=detail[:300])
    ctx.ledger.record(key, RETRY if retry_at else status.value, attempt, retry_at, now=now,
                      event=event.to_json_bytes())
    log.info("delivery of item %s, attempt %d: %s (%s, %s)", due.item_id, attempt,
             status.value, channel, language)
    report.add(status.value)
