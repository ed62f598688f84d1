"""Unit managers' reading commands: a unit's inbox, and the month's digest for its clients.

`inbox` reads the unit's routed topic and takes statuses from the store; `digest` renders the
month's decisions and with --publish asks for their returns like the step commands do
(`commands/lifecycle.py`; what both share is `commands/requesting.py`).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from dataclasses import astuple
from datetime import UTC, date, datetime
from typing import Any

from kokemusvirta.commands.known import unit_known, unknown_unit
from kokemusvirta.commands.requesting import (
    ACCEPTED,
    NO_VERDICT,
    REJECTED,
    UNUSABLE,
    NotARequester,
    caller,
    err,
    note_err,
    request_options,
    say,
    submit,
    wrap,
)
from kokemusvirta.settings import Settings
from kokemusvirta.terminal import file_problem, json_printable, printable
from managers import digest as dg
from managers import inbox as ib
from managers import inbox_view as view
from managers import requests as mg
from schemas.access import RequesterRole
from schemas.deadlines import FINNISH_TIME
from schemas.lifecycle import ReturnedTo


def cmd_inbox(args: argparse.Namespace, settings: Settings) -> int:
    from kokemusvirta.bootstrap import desk_connection
    from managers import unit_store
    from managers.lifecycle_client import read_routed
    from sinks import reader as query

    try:
        county, unit = mg.parse_unit(args.unit)
    except mg.RequestError as exc:
        err(str(exc))
        return UNUSABLE
    today = args.today or datetime.now(UTC).astimezone(FINNISH_TIME).date()
    if args.log_level == "WARNING":  # the default: a person reading, not someone debugging
        # kafka-python logs a traceback when a background fetch races the consumer's closing;
        # the read is whole by then, and what matters fails the read itself.
        logging.getLogger("kafka").setLevel(logging.CRITICAL)
    topic = settings.topics.unit(county, unit)
    registered = unit_known(settings, county, unit)
    read = read_routed(desk_connection(settings), topic)
    if not read.topic_exists:
        if not registered:  # neither the registry, the store nor the broker has heard of it
            err(unknown_unit(county, unit))
            return UNUSABLE
        if args.json:
            say("[]")
        else:
            say(f"ei kohteita (no items): nothing has been routed to {county}.{unit} yet "
                f"(no topic {topic})")
        return 0
    seen: dict[str, ib.InboxItem] = {}
    for message in read.messages:  # at-least-once: a copy may come twice
        seen.setdefault(message.item_id, ib.from_forwarded(message))
    try:  # the labels that count are a person's where given
        statuses, labels = unit_store.unit_inbox(settings.store, county, unit)
        store_note = ""
    except query.StoreMissing:
        statuses, labels, store_note = {}, {}, " (no store: status unknown; run the sink)"
    merged = [ib.with_store(i, *statuses[i.item_id]) if i.item_id in statuses else i
              for i in seen.values()]
    merged = [ib.with_labels(i, *labels[i.item_id]) if i.item_id in labels else i
              for i in merged]
    shown = ib.open_items(merged, include_all=args.all)
    limited = shown[: args.limit] if args.limit else shown
    # The items' texts are anyone's words: their control characters are shown, not obeyed.
    if args.json:
        say(json_printable(json.dumps(ib.json_rows(limited, today, settings.deadlines),
                                      ensure_ascii=False, indent=1)))
        return 0
    lang = args.lang or view.unit_language(_languages(settings, county, unit))
    note = store_note + (f"; {read.unreadable} unreadable record(s) skipped"
                         if read.unreadable else "")
    if args.wide:  # the one-line-per-item table of old
        rows = view.wide_rows(limited, today, lang, settings.deadlines)
        say(query.as_table(view.WIDE_HEADINGS[lang], [tuple(map(printable, r)) for r in rows]))
    else:
        shown_rows = [view.Row(*map(printable, astuple(r)))
                      for r in view.rows(limited, today, lang, settings.deadlines)]
        say("\n".join(view.render(shown_rows, lang, args.width)))
    say("\n".join(view.summary(lang, f"{county}.{unit}", args.all, len(limited), len(shown),
                               len(seen), topic, note, None if args.wide else args.width)))
    return 0


def _languages(settings: Settings, county: str, unit: str) -> tuple[str, ...]:
    """The unit's service languages in the organisation registry; none for a unit it lacks."""
    from kokemusvirta.organisations import organisations

    found = organisations(settings).unit(county, unit)
    return found.languages if found else ()


def cmd_digest(args: argparse.Namespace, settings: Settings) -> int:
    from pathlib import Path

    from kokemusvirta.organisations import organisations
    from managers import unit_store, you_said_store

    try:
        county, unit = mg.parse_unit(args.unit)
        start, end = _period(args.period)
        now = datetime.now(UTC)
        at = mg.parse_at(args.at, now)
        # Publishing acts for the caller (its client configuration), so that is checked first.
        requester = caller(settings, args.actor_role) if args.publish else None
    except (mg.RequestError, dg.PeriodError, NotARequester) as exc:
        err(str(exc))
        return UNUSABLE
    if not unit_known(settings, county, unit):  # not a digest of nothing for a typing mistake
        err(unknown_unit(county, unit))
        return UNUSABLE
    decided, languages, statuses = unit_store.decided_in(settings.store, county, unit, start, end)
    registered = organisations(settings).unit(county, unit)
    parts = dg.languages_of(registered.languages if registered else (), languages)
    if args.swedish == "no":
        parts = tuple(p for p in parts if p != "sv") or ("fi",)
    elif args.swedish == "yes" and "sv" not in parts:
        parts = (*parts, "sv")
    swedish = "sv" in parts
    decided = you_said_store.with_what_they_answered(
        settings.store, county, unit, start, end, decided,
        registered.languages if registered else ())
    # Rationales are people's words: their control characters are shown, not obeyed.
    text = printable(dg.render(unit, args.period, decided, swedish, languages=parts,
                               names=registered.names if registered else None))
    # With the text on standard output, everything else goes to standard error.
    note = say if args.out else note_err
    if args.out:
        try:
            Path(args.out).write_text(text, encoding="utf-8")
        except OSError as exc:
            err(file_problem(exc, args.out))
            return UNUSABLE
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
    assert requester is not None  # args.publish
    topic = settings.topics.requests(requester)
    items = unit_store.items(settings.store, pending)
    requests = []
    for item_id in pending:
        request = mg.build_request(
            "returned", items[item_id], requester.actor_role, at, now,
            {"returned_to": ReturnedTo.PUBLIC_DIGEST, "channel": f"digest {args.period}"},
        )
        refusal = None if args.skip_check else mg.precheck(items[item_id], request)
        if refusal:
            note(f"{item_id}: ei lähetetty (not sent): {refusal}")
        else:
            requests.append(request)
    refused = len(pending) - len(requests)
    verdicts = submit(settings, requester, requests, args) if requests else []
    item_of = {str(r.event_id): r.item_id for r in requests}
    for v in verdicts:
        if v.accepted is False:
            note(f"hylätty (rejected) {item_of[v.event_id]}: {v.reason}: "
                 f"{printable(str(v.detail))}")
    accepted = sum(1 for v in verdicts if v.accepted)
    rejected = sum(1 for v in verdicts if v.accepted is False) + refused
    unheard = sum(1 for v in verdicts if v.accepted is None)
    if args.no_wait:
        note(f"lähetetty (sent) {len(requests)} return request(s) (public_digest) to "
             f"{topic}; the worker decides")
        return REJECTED if rejected else ACCEPTED
    note(f"palautettu (returned) {accepted} of {len(pending)} item(s) by the digest"
         + (f"; hylätty (rejected) {rejected}" if rejected else "")
         + (f"; ei ratkaisua (no verdict) in {args.timeout:.0f} s: {unheard} (is the worker "
            "running?)" if unheard else ""))
    return REJECTED if rejected else NO_VERDICT if unheard else ACCEPTED


def _period(text: str) -> tuple[datetime, datetime]:
    """dg.parse_period, with a month the calendar cannot hold (9999-12 ends in year 10000)
    said to be one."""
    try:
        return dg.parse_period(text)
    except dg.PeriodError:
        raise
    except (ValueError, OverflowError) as exc:
        raise dg.PeriodError(f"--period {text!r}: ei kalenterissa (out of range): {exc}") from None


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def _width(text: str) -> int:
    value = _count(text)
    if value < 60:
        raise argparse.ArgumentTypeError("must be 60 or more")
    return value


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-10-05") from None


def register(sub: Any, fmt: type[argparse.HelpFormatter]) -> None:
    i = sub.add_parser("inbox", help="a unit's open items, most severe and newest first",
                       formatter_class=fmt, description=wrap(
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
    i.add_argument("--limit", type=_count, default=50, metavar="N",
                   help="show at most N items (default 50; 0 for all)")
    i.add_argument("--all", action="store_true", help="returned and closed items too")
    i.add_argument("--today", type=_iso_date, default=None, metavar="DATE",
                   help="count deadlines as on this day (default today)")
    i.add_argument("--lang", choices=view.LANGS, default=None,
                   help="fi, sv or en (default: the unit's first service language in the "
                   "organisation registry, e.g. sv for a Swedish-speaking unit; else fi)")
    i.add_argument("--wide", action="store_true",
                   help="one line per item with every column, as wide as it takes (for "
                   "pipes and wide windows)")
    i.add_argument("--width", type=_width, default=view.WIDTH, metavar="COLUMNS",
                   help=f"fit the lines to this many columns (default {view.WIDTH}; at least "
                   "60): long columns wrap, an item's text is cut with … after "
                   f"{view.TEXT_LINES} lines")
    i.set_defaults(func=cmd_inbox)

    g = sub.add_parser("digest", help="'Sanoitte, me teimme' (you said, we did) for a month",
                       formatter_class=fmt, description=wrap(
                           "The unit's decisions of one month as a short text for its clients, "
                           "grouped by theme with the outcome and the rationale, each with what "
                           "it answered: the client's redacted words, or a theme summary where "
                           "the words could identify their writer (fewer than 5 in the group, "
                           "a forgotten person). In the unit's languages in the organisation "
                           "registry, with its names there; for a unit the registry does not "
                           "describe, in Swedish too ('Ni sade, vi gjorde') when at least 8 % of "
                           "the unit's items are in Swedish. --publish records the digest as "
                           "the return (public_digest) of every item it covers that was not "
                           "returned yet."))
    g.add_argument("--unit", required=True, metavar="COUNTY.UNIT")
    g.add_argument("--period", required=True, metavar="YYYY-MM", help="e.g. 2026-10")
    g.add_argument("--out", metavar="FILE", help="write the text here (default: standard output)")
    g.add_argument("--swedish", choices=["auto", "yes", "no"], default="auto",
                   help="Swedish part: by the registry or the 8 %% rule (auto), always or never")
    g.add_argument("--publish", action="store_true",
                   help="ask for a return (to public_digest, channel 'digest YYYY-MM') of "
                   "each covered item not returned yet")
    request_options(g, [r.actor_role.value for r in RequesterRole])
    g.set_defaults(func=cmd_digest)
