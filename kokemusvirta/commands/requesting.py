"""What the unit managers' commands share: who the caller is, asking the worker for lifecycle
steps and telling the person what it said, the exit statuses, and the options of every request.

Who acts is who authenticated: the caller's Kafka user (KAFKA_SASL_USERNAME, as the client
configuration from `kokemusvirta access grant` sets it) names a requester, a role with its
scope (schemas/access.py). Requests go to that requester's own request topic, with its role;
the worker takes both from the topic and rejects an item outside the scope.

Exit status: 0 accepted (or sent, with --no-wait), 1 rejected, 2 the command could not be run
as given (unknown item, bad argument, no broker or store), 3 no verdict in time.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from typing import TYPE_CHECKING

from kokemusvirta.settings import Settings
from kokemusvirta.terminal import printable
from schemas.access import Requester, requester_of_username
from schemas.lifecycle import LifecycleEvent

if TYPE_CHECKING:  # the Kafka client loads only when a command needs it
    from managers.lifecycle_client import Verdict

ACCEPTED, REJECTED, UNUSABLE, NO_VERDICT = 0, 1, 2, 3
WAIT_S = 30.0


def say(message: str) -> None:
    print(message, flush=True)


def err(message: str) -> None:
    print(f"kokemusvirta: {message}", file=sys.stderr, flush=True)


def note_err(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


GRANT_HINT = ("use the client configuration that `kokemusvirta access grant ROLE SCOPE --out "
              "FILE` writes (--config FILE or KOKEMUSVIRTA_CLIENT_CONFIG)")


class NotARequester(ValueError):
    """The caller cannot ask for lifecycle steps as given; the message says why, in one line."""


def caller(settings: Settings, claimed_role: str | None = None) -> Requester:
    """The requester the caller authenticated as; `claimed_role` (--as) must be its role."""
    username = settings.kafka_sasl_username
    if not username:
        raise NotARequester(f"kuka olet? (who are you?) no Kafka user is configured: {GRANT_HINT}")
    requester = requester_of_username(settings.topic_prefix, username)
    if requester is None:
        raise NotARequester(
            f"{printable(username)} ei ole pyytäjä (is not a requester: a unit's managers, a "
            f"service area's leadership or a county's decision-makers): {GRANT_HINT}")
    if claimed_role is not None and claimed_role != requester.actor_role.value:
        raise NotARequester(
            f"--as {claimed_role}, but you act as {requester.actor_role.value} "
            f"({requester.role.value} {requester.scope}, your client configuration): drop --as "
            "or use the configuration of the role you act in")
    return requester


def submit(settings: Settings, requester: Requester, requests: list[LifecycleEvent],
           args: argparse.Namespace) -> list[Verdict]:
    from kokemusvirta.bootstrap import desk_connection
    from managers.lifecycle_client import submit

    return submit(desk_connection(settings), requests, None if args.no_wait else args.timeout,
                  settings.topics.requests(requester))


def report(verdicts: list[Verdict], what: str, topic: str, waited: bool,
           timeout: float) -> int:
    """One line per verdict; the exit status of the worst one."""
    worst = ACCEPTED
    for v in verdicts:
        if v.accepted:
            say(f"hyväksytty (accepted): {what}, tapahtuma (event) {v.event_id}")
        elif v.accepted is False:
            say(f"hylätty (rejected): {v.reason}: {printable(str(v.detail))}")
            worst = max(worst, REJECTED)
        elif not waited:
            say(f"lähetetty (sent): {what}, tapahtuma (event) {v.event_id} to "
                f"{topic}; the worker decides")
        else:
            say(f"ei ratkaisua (no verdict) in {timeout:.0f} s for event {v.event_id}: is the "
                f"worker running? The request waits on {topic}.")
            worst = max(worst, NO_VERDICT)
    return worst


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 0 < value < float("inf"):  # nan and inf too: a wait that never ends
        raise argparse.ArgumentTypeError("must be more than 0 and finite")
    return value


def request_options(p: argparse.ArgumentParser, roles: list[str]) -> None:
    p.add_argument("--as", dest="actor_role", choices=roles, default=None,
                   help="the role you act in, a check only: who acts is the requester of your "
                   "client configuration (KAFKA_SASL_USERNAME), and --as must be its role")
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


def wrap(*paragraphs: str) -> str:
    """Descriptions wrapped for the terminal (the raw formatter keeps line breaks as given)."""
    return "\n\n".join(textwrap.fill(p, 88) for p in paragraphs)
