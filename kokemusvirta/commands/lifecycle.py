"""Unit managers' commands: ack, escalate, present, decide, return, close, inbox, digest.

Each step command looks the item up in the store, asks for the step on the lifecycle-requests
topic and (unless --no-wait) waits for the worker's verdict. Exit status: 0 accepted (or sent,
with --no-wait), 1 rejected, 2 the command could not be run as given (unknown item, bad
argument, no broker or store), 3 no verdict in time.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from kokemusvirta.settings import Settings
from managers import digest as dg
from managers import inbox as ib
from managers import requests as mg
from schemas.deadlines import FINNISH_TIME
from schemas.lifecycle import ActorRole, LifecycleEvent, Outcome, ReturnedTo

if TYPE_CHECKING:  # the Kafka client loads only when a command needs it
    from managers.lifecycle_client import Verdict

ACCEPTED, REJECTED, UNUSABLE, NO_VERDICT = 0, 1, 2, 3
WAIT_S = 30.0
HUMAN = [r.value for r in mg.HUMAN_ROLES]


def _say(message: str) -> None:
    print(message, flush=True)


def _err(message: str) -> None:
    print(f"kokemusvirta: {message}", file=sys.stderr, flush=True)


def _note_err(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _bootstrap(settings: Settings) -> str:
    from kokemusvirta import kafka as kv_kafka

    return kv_kafka.bootstrap_servers(settings, start_local=False)


def _submit(settings: Settings, requests: list[LifecycleEvent],
            args: argparse.Namespace) -> list[Verdict]:
    from managers.lifecycle_client import submit

    return submit(settings, _bootstrap(settings), requests,
                  None if args.no_wait else args.timeout)


def _report(verdicts: list[Verdict], what: str, settings: Settings, waited: bool,
            timeout: float) -> int:
    """One line per verdict; the exit status of the worst one."""
    worst = ACCEPTED
    for v in verdicts:
        if v.accepted:
            _say(f"hyväksytty (accepted): {what}, tapahtuma (event) {v.event_id}")
        elif v.accepted is False:
            _say(f"hylätty (rejected): {v.reason}: {v.detail}")
            worst = max(worst, REJECTED)
        elif not waited:
            _say(f"lähetetty (sent): {what}, tapahtuma (event) {v.event_id} to "
                 f"{settings.topics.lifecycle_requests}; the worker decides")
        else:
            _say(f"ei ratkaisua (no verdict) in {timeout:.0f} s for event {v.event_id}: is the "
                 f"worker running? The request waits on {settings.topics.lifecycle_requests}.")
            worst = max(worst, NO_VERDICT)
    return worst


def _step(args: argparse.Namespace, settings: Settings, step: str,
          fields: dict[str, Any]) -> int:
    from managers import unit_store

    try:
        now = datetime.now(UTC)
        at = mg.parse_at(args.at, now)
        mg.check_item_id(args.item)
        known = unit_store.items(settings.store, [args.item])
        item = known.get(args.item)
        if item is None:
            _err(f"tuntematon kohde (unknown item) {args.item}: not in the store "
                 f"({settings.store}). If it was published just now, wait a few seconds for "
                 "the sink and try again; `kokemusvirta inbox --unit <county>.<unit>` lists "
                 "a unit's items.")
            return UNUSABLE
        request = mg.build_request(step, item, ActorRole(args.actor_role), at, now, fields)
    except mg.RequestError as exc:
        _err(str(exc))
        return UNUSABLE
    what = f"{mg.STEP_FI[mg.step_key(step, args.actor_role)]} {item.item_id}"
    if not args.skip_check:
        refusal = mg.precheck(item, request)
        if refusal:
            _say(f"hylätty (rejected), ei lähetetty (not sent): {refusal}")
            _say("  (the store may lag a few seconds behind; --skip-check lets the worker "
                 "decide)")
            return REJECTED
    if (step == "returned" and fields.get("returned_to") == ReturnedTo.CLIENT
            and not unit_store.contact_given(settings.store, item.item_id)):
        _err("huom (note): the client gave no contact details; say in --channel how the "
             "answer reaches them")
    verdicts = _submit(settings, [request], args)
    return _report(verdicts, what, settings, not args.no_wait, args.timeout)


def cmd_ack(args: argparse.Namespace, settings: Settings) -> int:
    return _step(args, settings, "acknowledged", {})


def cmd_escalate(args: argparse.Namespace, settings: Settings) -> int:
    return _step(args, settings, "escalated", {"reason": args.reason})


def cmd_present(args: argparse.Namespace, settings: Settings) -> int:
    return _step(args, settings, "presented", {"body": args.body, "agenda_ref": args.ref})


def cmd_decide(args: argparse.Namespace, settings: Settings) -> int:
    return _step(args, settings, "decided", {
        "outcome": Outcome(args.outcome), "rationale": args.rationale, "decision_ref": args.ref,
    })


def cmd_return(args: argparse.Namespace, settings: Settings) -> int:
    return _step(args, settings, "returned", {
        "returned_to": ReturnedTo(args.to), "channel": args.channel,
        "no_decision_reason": args.no_decision_reason,
    })


def cmd_close(args: argparse.Namespace, settings: Settings) -> int:
    return _step(args, settings, "closed", {})


def cmd_inbox(args: argparse.Namespace, settings: Settings) -> int:
    from managers import unit_store
    from managers.lifecycle_client import read_routed
    from sinks import reader as query

    try:
        county, unit = mg.parse_unit(args.unit)
    except mg.RequestError as exc:
        _err(str(exc))
        return UNUSABLE
    today = args.today or datetime.now(UTC).astimezone(FINNISH_TIME).date()
    topic = settings.topics.unit(county, unit)
    read = read_routed(settings, _bootstrap(settings), topic)
    if not read.topic_exists:
        if args.json:
            _say("[]")
        else:
            _say(f"ei kohteita (no items): nothing has been routed to {county}.{unit} yet "
                 f"(no topic {topic})")
        return 0
    seen: dict[str, ib.InboxItem] = {}
    for message in read.messages:  # at-least-once: a copy may come twice
        seen.setdefault(message.item_id, ib.from_forwarded(message))
    try:
        statuses = unit_store.unit_statuses(settings.store, county, unit)
        store_note = ""
    except query.StoreMissing:
        statuses, store_note = {}, " (no store: status unknown; run the sink)"
    merged = [ib.with_store(i, *statuses[i.item_id]) if i.item_id in statuses else i
              for i in seen.values()]
    shown = ib.open_items(merged, include_all=args.all)
    limited = shown[: args.limit] if args.limit else shown
    if args.json:
        _say(json.dumps(ib.json_rows(limited, today, settings.deadlines), ensure_ascii=False,
                        indent=1))
        return 0
    _say(query.as_table(ib.TABLE_COLUMNS, ib.table_rows(limited, today, settings.deadlines)))
    kind = "kaikki (all)" if args.all else "avoimet (open)"
    _say(f"{county}.{unit}: {kind} {len(limited)}/{len(shown)} shown, {len(seen)} routed "
         f"items on {topic}{store_note}; työpv = working days; ! = immediate attention"
         + (f"; {read.unreadable} unreadable record(s) skipped" if read.unreadable else ""))
    return 0


def cmd_digest(args: argparse.Namespace, settings: Settings) -> int:
    from pathlib import Path

    from managers import unit_store

    try:
        county, unit = mg.parse_unit(args.unit)
        start, end = dg.parse_period(args.period)
        now = datetime.now(UTC)
        at = mg.parse_at(args.at, now)
    except (mg.RequestError, dg.PeriodError) as exc:
        _err(str(exc))
        return UNUSABLE
    decided, languages, statuses = unit_store.decided_in(settings.store, county, unit, start, end)
    swedish = dg.is_swedish_unit(languages) if args.swedish == "auto" else args.swedish == "yes"
    text = dg.render(unit, args.period, decided, swedish)
    # With the text on standard output, everything else goes to standard error.
    note = _say if args.out else _note_err
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        note(f"kirjoitettu (written) {args.out}: {len(decided)} decided item(s)"
             + (", suomeksi ja ruotsiksi (Finnish and Swedish)" if swedish else ""))
    else:
        sys.stdout.write(text)
    if not args.publish:
        return 0
    pending = [d.item_id for d in decided
               if d.returned_at is None and statuses.get(d.item_id) != "closed"]
    if not pending:
        note("every item in the digest is already returned: nothing to publish")
        return 0
    items = unit_store.items(settings.store, pending)
    requests = []
    for item_id in pending:
        request = mg.build_request(
            "returned", items[item_id], ActorRole(args.actor_role), at, now,
            {"returned_to": ReturnedTo.PUBLIC_DIGEST, "channel": f"digest {args.period}"},
        )
        refusal = None if args.skip_check else mg.precheck(items[item_id], request)
        if refusal:
            note(f"{item_id}: ei lähetetty (not sent): {refusal}")
        else:
            requests.append(request)
    refused = len(pending) - len(requests)
    verdicts = _submit(settings, requests, args) if requests else []
    item_of = {str(r.event_id): r.item_id for r in requests}
    for v in verdicts:
        if v.accepted is False:
            note(f"hylätty (rejected) {item_of[v.event_id]}: {v.reason}: {v.detail}")
    accepted = sum(1 for v in verdicts if v.accepted)
    rejected = sum(1 for v in verdicts if v.accepted is False) + refused
    unheard = sum(1 for v in verdicts if v.accepted is None)
    if args.no_wait:
        note(f"lähetetty (sent) {len(requests)} return request(s) (public_digest) to "
             f"{settings.topics.lifecycle_requests}; the worker decides")
        return REJECTED if rejected else ACCEPTED
    note(f"palautettu (returned) {accepted} of {len(pending)} item(s) by the digest"
         + (f"; hylätty (rejected) {rejected}" if rejected else "")
         + (f"; ei ratkaisua (no verdict) in {args.timeout:.0f} s: {unheard} (is the worker "
            "running?)" if unheard else ""))
    return REJECTED if rejected else NO_VERDICT if unheard else ACCEPTED


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-10-05") from None


def _positive(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be more than 0")
    return value


def _request_options(p: argparse.ArgumentParser, roles: list[str], default: str) -> None:
    p.add_argument("--as", dest="actor_role", choices=roles, default=default,
                   help=f"who acts, as a role, never a name (default {default})")
    p.add_argument("--at", metavar="ISO-TIME", default=None,
                   help="when it happened, if not now (Finnish time unless an offset is given); "
                   "not earlier than the item's previous step")
    p.add_argument("--no-wait", action="store_true",
                   help="publish the request and return without waiting for the verdict")
    p.add_argument("--timeout", type=_positive, default=WAIT_S, metavar="SECONDS",
                   help=f"how long to wait for the worker's verdict (default {WAIT_S:.0f})")
    p.add_argument("--skip-check", action="store_true",
                   help="publish even if the store says the step is not allowed now; the "
                   "worker checks every request anyway")


def _text(*paragraphs: str) -> str:
    """Descriptions wrapped for the terminal (the raw formatter keeps line breaks as given)."""
    return "\n\n".join(textwrap.fill(p, 88) for p in paragraphs)


def _step_parser(sub: Any, fmt: type[argparse.HelpFormatter], name: str, help_: str,
                 description: str, func: Any, roles: list[str], default: str
                 ) -> argparse.ArgumentParser:
    p = sub.add_parser(name, help=help_, formatter_class=fmt, description=_text(
        description,
        "The item is looked up in the store; the request goes to the lifecycle-requests topic "
        "and the worker accepts or rejects it. Exit status 0 hyväksytty (accepted), "
        "1 hylätty (rejected), 2 unknown item or bad argument, 3 no verdict in time."))
    p.add_argument("item", metavar="ITEM", help="knowledge item id, e.g. fb-0123456789abcdef")
    _request_options(p, roles, default)
    p.set_defaults(func=func)
    return p


def register(sub: Any, fmt: type[argparse.HelpFormatter]) -> None:
    manager = ActorRole.UNIT_MANAGER.value
    ack_roles = [manager, ActorRole.LEADERSHIP.value, ActorRole.DECISION_MAKER.value]
    _step_parser(sub, fmt, "ack", "kuittaa (acknowledge) an item as seen",
                 "Kuittaus (acknowledgement): the item has been seen and will be handled. "
                 "--as leadership records the service-area leadership's own acknowledgement "
                 "(the item then counts as having reached leadership).",
                 cmd_ack, ack_roles, manager)
    e = _step_parser(sub, fmt, "escalate", "siirrä (escalate) to service-area leadership",
                     "Siirto palvelualuejohdolle (escalation).", cmd_escalate, HUMAN, manager)
    e.add_argument("--reason", default="", help="why leadership should see it")
    p = _step_parser(sub, fmt, "present", "esittele (present) to a political body",
                     "Esittely päättäjille (presented to decision-makers): which body, which "
                     "meeting or agenda item.", cmd_present, HUMAN, ActorRole.LEADERSHIP.value)
    p.add_argument("--body", required=True, help="the body, e.g. aluehallitus, "
                   "vanhusneuvosto")
    p.add_argument("--ref", required=True, help="meeting or agenda item, e.g. 'AH 12.10.2026 §4'")
    d = _step_parser(sub, fmt, "decide", "päätä (decide) what is done",
                     "Päätös (decision) with its outcome and a short rationale that clients "
                     "can read (it goes into the 'Sanoitte, me teimme' digest).",
                     cmd_decide, HUMAN, manager)
    d.add_argument("--outcome", required=True, choices=[o.value for o in Outcome])
    d.add_argument("--rationale", required=True, help="what was done and why, without names")
    d.add_argument("--ref", default=None, help="decision reference (päätöksen diaarinumero)")
    r = _step_parser(sub, fmt, "return", "palauta (return) the answer to the originator",
                     "Palautus (return): the answer went back to the client (through the "
                     "contact they gave), the developer-client group, the expert by experience, "
                     "or was published in a digest.", cmd_return, HUMAN, manager)
    r.add_argument("--to", required=True, choices=[t.value for t in ReturnedTo])
    r.add_argument("--channel", required=True, help="how, e.g. letter, phone, meeting")
    r.add_argument("--no-decision-reason", default=None,
                   help="required when nothing was decided: why (e.g. a thank-you)")
    _step_parser(sub, fmt, "close", "sulje (close) the item", "Sulkeminen (closing): nothing "
                 "more will be done.", cmd_close, HUMAN, manager)

    i = sub.add_parser("inbox", help="a unit's open items, most severe and newest first",
                       formatter_class=fmt, description=_text(
                           "Read the unit's routed topic from its beginning (no consumer group, "
                           "nothing committed), take each item's status from the store and "
                           "list the open ones: not yet returned and not closed (a decided "
                           "item still owes its answer). Most severe first, newest first "
                           "within a severity, with themes, stance and the next deadline in "
                           "Finnish working days: by default acknowledge within 3 working "
                           "days, decide within 30 days of receipt, return within 14 days of "
                           "the decision (KOKEMUSVIRTA_DEADLINE_*). "
                           "Without a store the items show with status unknown."))
    i.add_argument("--unit", required=True, metavar="COUNTY.UNIT",
                   help="e.g. lappi.rovaniemen-terveysasema")
    i.add_argument("--json", action="store_true", help="JSON for machines")
    i.add_argument("--limit", type=int, default=50, metavar="N",
                   help="show at most N items (default 50; 0 for all)")
    i.add_argument("--all", action="store_true", help="returned and closed items too")
    i.add_argument("--today", type=_iso_date, default=None, metavar="DATE",
                   help="count deadlines as on this day (default today)")
    i.set_defaults(func=cmd_inbox)

    g = sub.add_parser("digest", help="'Sanoitte, me teimme' (you said, we did) for a month",
                       formatter_class=fmt, description=_text(
                           "The unit's decisions of one month as a short text for its clients, "
                           "grouped by theme with the outcome and the rationale; no client "
                           "quotes. In Swedish too ('Ni sade, vi gjorde') when at least 8 % of "
                           "the unit's items are in Swedish. --publish records the digest as "
                           "the return (public_digest) of every item it covers that was not "
                           "returned yet."))
    g.add_argument("--unit", required=True, metavar="COUNTY.UNIT")
    g.add_argument("--period", required=True, metavar="YYYY-MM", help="e.g. 2026-10")
    g.add_argument("--out", metavar="FILE", help="write the text here (default: standard output)")
    g.add_argument("--swedish", choices=["auto", "yes", "no"], default="auto",
                   help="Swedish part: by the 8 %% rule (auto), always or never")
    g.add_argument("--publish", action="store_true",
                   help="ask for a return (to public_digest, channel 'digest YYYY-MM') of "
                   "each covered item not returned yet")
    _request_options(g, HUMAN, manager)
    g.set_defaults(func=cmd_digest)
