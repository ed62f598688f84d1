"""`kokemusvirta forget PERSON` and `kokemusvirta pseudonym PERSON`: the right to erasure by
crypto-shredding, and looking a person up without handling their identifier downstream.

`forget` erases the person's contact key (kokemusvirta/keystore.py), so every sealed copy of their
contact in Kafka, DuckDB and backups is unreadable, and publishes `person.forgotten` to the
lifecycle topic, from which the sink marks their items erased. Running it again is harmless: the
same event (same event_id) is published again and nothing else changes.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from datetime import datetime

from kokemusvirta.commands.known import county_known, unknown_county
from kokemusvirta.settings import Settings
from schemas.envelope import derived_uuid, utc_now
from schemas.privacy import PersonForgotten
from streams.privacy import Privacy

_PSEUDONYM = re.compile(r"^ps-[0-9a-f]{32}$")
_COUNTY = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


def register(sub: argparse._SubParsersAction, fmt: type[argparse.HelpFormatter]) -> None:
    person_help = ("the client id as the source system knows it, or its pseudonym (ps-…), or - "
                   "to read it from stdin (keeps it out of shell history)")
    p = sub.add_parser(
        "forget", formatter_class=fmt,
        help="erase a person's contact key (crypto-shredding) and mark their items erased",
        description="Erase the person's contact key: every copy of their sealed contact details "
                    "in Kafka, DuckDB and backups becomes unreadable, for good. Then publish "
                    "person.forgotten to the lifecycle topic, so the sink marks their items "
                    "erased. The person is their client id within a county, or with --contact "
                    "the phone number or e-mail address they gave without a client id.")
    p.add_argument("person", help=person_help)
    p.add_argument("--county", required=True, help="the county code, e.g. pirkanmaa")
    p.add_argument("--contact", action="store_true",
                   help="PERSON is a phone number or e-mail address, not a client id")
    p.add_argument("--no-publish", action="store_true",
                   help="only erase the key; publish person.forgotten later by running again")
    p.set_defaults(func=cmd_forget)

    p = sub.add_parser(
        "pseudonym", formatter_class=fmt,
        help="print a person's pseudonym, to look up their items in the store",
        description="The keyed HMAC pseudonym the pipeline gives this client id (or with "
                    "--contact, this contact) in this county, e.g. for "
                    "`select * from knowledge_items where client_pseudonym = '…'`.")
    p.add_argument("person", help=person_help.replace(", or its pseudonym (ps-…)", ""))
    p.add_argument("--county", required=True, help="the county code, e.g. pirkanmaa")
    p.add_argument("--contact", action="store_true",
                   help="PERSON is a phone number or e-mail address, not a client id")
    p.set_defaults(func=cmd_pseudonym)


def _say(message: str) -> None:
    print(message, flush=True)


def _err(message: str) -> None:
    print(f"kokemusvirta: {message}", file=sys.stderr, flush=True)


def resolve(privacy: Privacy, county: str, person: str, contact: bool) -> str:
    """The pseudonym of a client id, a contact, or a pseudonym given as such."""
    if not _COUNTY.match(county):
        raise ValueError(f"not a county code: {county!r}")
    person = person.strip()
    if not person:
        raise ValueError("no person given")
    if contact:
        return privacy.contact_pseudonym(county, person)
    if _PSEUDONYM.match(person):
        return person
    return privacy.client_pseudonym(county, person)


def forget(
    privacy: Privacy, county: str, pseudonym: str,
    publish: Callable[[PersonForgotten], None] | None, now: datetime | None = None,
) -> PersonForgotten:
    """Erase the key (first: that is what makes the contact unreadable), then publish."""
    now = now or utc_now()
    previous = privacy.keys.forgotten_at(county, pseudonym)
    had_key = privacy.keys.get(county, pseudonym) is not None
    at = previous if previous is not None and not had_key else now
    erased = privacy.keys.erase(county, pseudonym, at)
    event = PersonForgotten(
        event_id=derived_uuid("person.forgotten", county, pseudonym, at.isoformat()),
        occurred_at=at, recorded_at=now, county=county, client_pseudonym=pseudonym,
        key_erased=erased,
    )
    if publish is not None:
        publish(event)
    return event


def _person(args: argparse.Namespace) -> str:
    return sys.stdin.readline() if args.person == "-" else args.person


def _county_problem(settings: Settings, county: str) -> str | None:
    """Why the county cannot be used, or None. A pseudonym is keyed by county, so a mistyped
    county would quietly give (or erase the key of) a person no one has."""
    if not _COUNTY.match(county):
        return f"not a county code: {county!r} (lower-case letters, digits and hyphens)"
    return None if county_known(settings, county) else unknown_county(settings, county)


def cmd_pseudonym(args: argparse.Namespace, settings: Settings) -> int:
    from kokemusvirta.keystore import privacy_from_settings

    problem = _county_problem(settings, args.county)
    if problem:
        _err(problem)
        return 2
    try:
        _say(resolve(privacy_from_settings(settings), args.county, _person(args), args.contact))
    except ValueError as exc:
        _err(str(exc))
        return 2
    return 0


def cmd_forget(args: argparse.Namespace, settings: Settings) -> int:
    from kokemusvirta.keystore import privacy_from_settings

    problem = _county_problem(settings, args.county)
    if problem:
        _err(problem)
        return 2
    privacy = privacy_from_settings(settings)
    try:
        pseudonym = resolve(privacy, args.county, _person(args), args.contact)
    except ValueError as exc:
        _err(str(exc))
        return 2
    publish = None if args.no_publish else _kafka_publisher(settings)
    try:
        event = forget(privacy, args.county, pseudonym, publish)
    except Exception as exc:  # noqa: BLE001 - the key is gone already; say how to finish
        erased = privacy.keys.get(args.county, pseudonym) is None
        _err(f"{'the key of ' + pseudonym + ' is erased, but ' if erased else ''}publishing "
             f"person.forgotten failed ({type(exc).__name__}: {exc}); run the same command "
             "again to publish it")
        return 1
    what = "key erased" if event.key_erased else "no key left to erase (forgotten before, " \
        "or never gave a contact)"
    where = "not published (--no-publish)" if publish is None else \
        f"person.forgotten published to {settings.topics.lifecycle}"
    _say(f"forgot {pseudonym} in {args.county}: {what}; {where}")
    return 0


def _kafka_publisher(settings: Settings) -> Callable[[PersonForgotten], None]:
    def publish(event: PersonForgotten) -> None:
        from kokemusvirta import kafka as kv_kafka

        bootstrap = kv_kafka.bootstrap_servers(settings, start_local=False)
        kv_kafka.ensure_topics(settings, bootstrap)
        producer = kv_kafka.producer(settings, bootstrap)
        try:
            producer.send(settings.topics.lifecycle, key=event.kafka_key(),
                          value=event.to_json_bytes(),
                          headers=[("event-type", event.event_type.encode())]).get(timeout=30)
        finally:
            producer.close()

    return publish
