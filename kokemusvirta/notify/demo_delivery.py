"""The demo's way back: a local mailbox (LocalMailbox, a Maildir under the demo's home) and
the notifier's rounds (the answers to clients, and telling staff), run until every answer due
has an outcome; then the figures of `returned_vs_delivered` for the demo's summary."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kokemusvirta.notify.delivery import delivery_round
from kokemusvirta.notify.ledger import Ledger, ledger_path
from kokemusvirta.notify.mail import send_mail
from kokemusvirta.notify.mailbox import LocalMailbox
from kokemusvirta.notify.publisher import NotifierPublisher
from kokemusvirta.notify.service import NotifierContext
from kokemusvirta.notify.staff_round import staff_round
from kokemusvirta.settings import Settings
from sinks import reader as query

MAX_TURNS = 4  # a deferred mail is retried after delivery_retry_s: the demo waits 1 s


def mailbox_dir(settings: Settings) -> Path:
    return settings.home / "mailbox"


def deliver_answers(settings: Settings, wait: Callable[[], object],
                    say: Callable[[str], None]) -> Path:
    """Deliver the answers due into the demo's mailbox; `wait` until the worker and the sink
    have taken each round's requests. The mailbox's folder."""
    folder = mailbox_dir(settings)
    ledger = Ledger(ledger_path(settings.home))
    try:
        with LocalMailbox(folder) as box:
            s = settings.model_copy(update={**box.smtp_settings(), "delivery_retry_s": 1.0})
            with NotifierPublisher(s) as publisher:
                ctx = NotifierContext(settings=s, publisher=publisher,
                                      send=lambda mail: send_mail(s, mail), ledger=ledger)
                for _ in range(MAX_TURNS):
                    report = delivery_round(ctx)
                    say(f"  {report.line()}")
                    # Each notice once (the ledger and the store), so a later turn adds none.
                    say(f"  {staff_round(ctx).line()}")
                    wait()
                    if not report.counts.get("failed") and not report.counts.get("retry_later"):
                        break
    finally:
        ledger.close()
    return folder


def delivery_line(store: Path) -> str:
    """"returned to clients N, delivered M (…)" from returned_vs_delivered."""
    (row,) = query.run(store, "select coalesce(sum(returned_to_client), 0), "
                              "coalesce(sum(delivered), 0), coalesce(sum(bounced), 0), "
                              "coalesce(sum(failed), 0), coalesce(sum(contact_erased), 0), "
                              "coalesce(sum(no_contact), 0), coalesce(sum(waiting), 0), "
                              "coalesce(sum(by_phone), 0) from returned_vs_delivered")[1]
    returned, delivered, bounced, failed, erased, no_contact, waiting, by_phone = row
    return (f"palautettu asiakkaille (returned to clients) {returned}, toimitettu (delivered) "
            f"{delivered} (bounced {bounced}, failed {failed}, erased {erased}, no contact "
            f"{no_contact}, the unit calls (by phone) {by_phone}, waiting {waiting})")
