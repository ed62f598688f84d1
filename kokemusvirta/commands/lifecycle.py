"""Unit managers' step commands: ack, escalate, present, decide, return, close, and a person's
word on the labels: confirm (a critical item's severity) and relabel.

Each step command acts for the caller (the requester of its client configuration), looks the
item up in the store, asks for the step on the caller's request topic and (unless --no-wait)
waits for the worker's verdict. Exit status: 0 accepted (or sent,
with --no-wait), 1 rejected, 2 the command could not be run as given (unknown item, bad
argument, no broker or store), 3 no verdict in time. The inbox and the digest are
`commands/inbox.py`; what both share is `commands/requesting.py`.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import Any

from kokemusvirta.commands.requesting import (
    REJECTED,
    UNUSABLE,
    NotARequester,
    caller,
    err,
    report,
    request_options,
    say,
    submit,
    wrap,
)
from kokemusvirta.settings import Settings
from managers import requests as mg
from schemas.access import RequesterRole
from schemas.lifecycle import Outcome, ReturnedTo
from schemas.taxonomy import Severity, Stance, Theme

# What --as may say: the roles a requester acts in (a check of the caller's own role), the
# same three in the same order for every step command and `digest --publish`.
ACTING_ROLES = [r.actor_role.value for r in RequesterRole]
# Those who label (confirm, relabel): streams/guard.py LABELLERS, which a test holds this to.
# Not imported from there: the guard brings the classifier along, a quarter of a second of
# every command's start (`kokemusvirta inbox` answers in under one).
LABELLER_ROLES = (RequesterRole.UNIT, RequesterRole.LEADERSHIP)
LABELLING_ROLES = [r.actor_role.value for r in RequesterRole if r in LABELLER_ROLES]


def _step(args: argparse.Namespace, settings: Settings, step: str,
          fields: dict[str, Any]) -> int:
    from managers import unit_store

    try:
        requester = caller(settings, args.actor_role)
    except NotARequester as exc:
        err(str(exc))
        return UNUSABLE
    role = requester.actor_role
    if step in ("severity_confirmed", "relabelled") and requester.role not in LABELLER_ROLES:
        err(f"{mg.STEP_FI[step]}: the unit's managers or the service area's leadership label "
            f"items, not {requester.role.value} {requester.scope} (your client configuration)")
        return UNUSABLE
    try:
        now = datetime.now(UTC)
        at = mg.parse_at(args.at, now)
        mg.check_item_id(args.item)
        known = unit_store.items(settings.store, [args.item])
        item = known.get(args.item)
        if item is None:
            err(f"tuntematon kohde (unknown item) {args.item}: not in the store "
                f"({settings.store}). If it was published just now, wait a few seconds for "
                "the sink and try again; `kokemusvirta inbox --unit <county>.<unit>` lists "
                "a unit's items.")
            return UNUSABLE
        request = mg.build_request(step, item, role, at, now, fields)
    except mg.RequestError as exc:
        err(str(exc))
        return UNUSABLE
    what = f"{mg.STEP_FI[mg.step_key(step, role)]} {item.item_id}"
    if not args.skip_check:
        refusal = mg.precheck(item, request)
        if refusal:
            say(f"hylätty (rejected), ei lähetetty (not sent): {refusal}")
            say("  (the store may lag a few seconds behind; --skip-check lets the worker "
                "decide)")
            return REJECTED
    if (step == "returned" and fields.get("returned_to") == ReturnedTo.CLIENT
            and not unit_store.contact_given(settings.store, item.item_id)):
        err("huom (note): the client gave no contact details; say in --channel how the "
            "answer reaches them")
    verdicts = submit(settings, requester, [request], args)
    return report(verdicts, what, settings.topics.requests(requester), not args.no_wait,
                  args.timeout)


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


def _reason(text: str) -> str:
    """A label step's reason as it is sent: redacted (a henkilötunnus, a phone number or an
    e-mail address in it never reaches the log), since it is about a client's case."""
    from schemas.redaction import redact

    return redact(text)


def cmd_confirm(args: argparse.Namespace, settings: Settings) -> int:
    downgrade = Severity(args.downgrade_to) if args.downgrade_to else None
    return _step(args, settings, "severity_confirmed",
                 {"downgraded_to": downgrade, "reason": _reason(args.reason)})


def cmd_relabel(args: argparse.Namespace, settings: Settings) -> int:
    if args.themes is None and args.stance is None and args.severity is None:
        err("relabel: give at least one of --themes, --stance, --severity")
        return UNUSABLE
    try:
        themes = mg.parse_themes(args.themes) if args.themes is not None else None
    except mg.RequestError as exc:
        err(str(exc))
        return UNUSABLE
    return _step(args, settings, "relabelled", {
        "themes": themes, "stance": Stance(args.stance) if args.stance else None,
        "severity": Severity(args.severity) if args.severity else None,
        "reason": _reason(args.reason)})


def _step_parser(sub: Any, fmt: type[argparse.HelpFormatter], name: str, help_: str,
                 description: str, func: Any, roles: list[str]) -> argparse.ArgumentParser:
    p = sub.add_parser(name, help=help_, formatter_class=fmt, description=wrap(
        description,
        "You act as the requester of your client configuration (the one `kokemusvirta access "
        "grant` wrote): the item is looked up in the store, the request goes to your request "
        "topic and the worker accepts or rejects it. Exit status 0 hyväksytty (accepted), "
        "1 hylätty (rejected), 2 unknown item or bad argument, 3 no verdict in time."))
    p.add_argument("item", metavar="ITEM", help="knowledge item id, e.g. fb-0123456789abcdef")
    request_options(p, roles)
    p.set_defaults(func=func)
    return p


def register(sub: Any, fmt: type[argparse.HelpFormatter]) -> None:
    roles = ACTING_ROLES
    _step_parser(sub, fmt, "ack", "kuittaa (acknowledge) an item as seen",
                 "Kuittaus (acknowledgement): the item has been seen and will be handled. "
                 "Leadership's own acknowledgement (a leadership client configuration) makes "
                 "the item count as having reached leadership.",
                 cmd_ack, roles)
    e = _step_parser(sub, fmt, "escalate", "siirrä (escalate) to service-area leadership",
                     "Siirto palvelualuejohdolle (escalation).", cmd_escalate, roles)
    e.add_argument("--reason", default="", help="why leadership should see it")
    p = _step_parser(sub, fmt, "present", "esittele (present) to a political body",
                     "Esittely päättäjille (presented to decision-makers): which body, which "
                     "meeting or agenda item.", cmd_present, roles)
    p.add_argument("--body", required=True, help="the body, e.g. aluehallitus, "
                   "vanhusneuvosto")
    p.add_argument("--ref", required=True, help="meeting or agenda item, e.g. 'AH 12.10.2026 §4'")
    d = _step_parser(sub, fmt, "decide", "päätä (decide) what is done",
                     "Päätös (decision) with its outcome and a short rationale that clients "
                     "can read (it goes into the 'Sanoitte, me teimme' digest).",
                     cmd_decide, roles)
    d.add_argument("--outcome", required=True, choices=[o.value for o in Outcome])
    d.add_argument("--rationale", required=True, help="what was done and why, without names")
    d.add_argument("--ref", default=None, help="decision reference (päätöksen diaarinumero)")
    r = _step_parser(sub, fmt, "return", "palauta (return) the answer to the originator",
                     "Palautus (return): the answer went back to the client (through the "
                     "contact they gave), the developer-client group, the expert by experience, "
                     "or was published in a digest.", cmd_return, roles)
    r.add_argument("--to", required=True, choices=[t.value for t in ReturnedTo])
    r.add_argument("--channel", required=True, help="how, e.g. letter, phone, meeting")
    r.add_argument("--no-decision-reason", default=None,
                   help="required when nothing was decided: why (e.g. a thank-you)")
    _step_parser(sub, fmt, "close", "sulje (close) the item", "Sulkeminen (closing): nothing "
                 "more will be done.", cmd_close, roles)
    c = _step_parser(sub, fmt, "confirm", "vahvista (confirm) or down-grade a critical item",
                     "Vakavuuden vahvistus (severity confirmation): a critical item, above all "
                     "one the classifier suspected on partial evidence (critical_suspected), "
                     "is confirmed as critical or down-graded to a named severity, once, with a "
                     "reason. A down-grade changes the labels that count, never the routing "
                     "already done.", cmd_confirm, LABELLING_ROLES)
    c.add_argument("--downgrade-to", choices=[s.value for s in Severity
                                              if s is not Severity.CRITICAL],
                   default=None, help="the severity it really has; left out: critical confirmed")
    c.add_argument("--reason", required=True, help="why, without names")
    r = _step_parser(sub, fmt, "relabel", "korjaa (relabel) an item's themes, stance, severity",
                     "Luokituksen korjaus (relabelling): your themes, stance and severity for "
                     "the item (any of them), with a reason; the last word on each counts. The "
                     "dashboards and metrics then use yours, and `kokemusvirta eval "
                     "--from-store` scores the classifier against them.", cmd_relabel,
                     LABELLING_ROLES)
    r.add_argument("--themes", default=None, metavar="A,B",
                   help="theme codes separated by commas ('' for none): "
                   + ", ".join(t.value for t in Theme))
    r.add_argument("--stance", choices=[s.value for s in Stance], default=None)
    r.add_argument("--severity", choices=[s.value for s in Severity], default=None)
    r.add_argument("--reason", required=True, help="why, without names")
