"""The notifier's loop: rounds over the store's published snapshot, each sending what is due
and asking the worker's guard to record it (kokemusvirta/notify/publisher.py).

A round is a function `round(ctx) -> RoundReport`: it reads the store (`ctx.query`), decides
what is due (pure planning, e.g. kokemusvirta/notify/delivery.py), claims each send in the
ledger, sends (`ctx.send`), and publishes the lifecycle step. `run_rounds` runs the rounds
once or every `interval_s` until stopped; one round's failure is logged and does not stop the
others (the next turn tries again).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from kokemusvirta.notify.ledger import Ledger
from kokemusvirta.notify.mail import Mail
from schemas.lifecycle import LifecycleEvent

if TYPE_CHECKING:
    from kokemusvirta.settings import Settings

log = logging.getLogger("kokemusvirta.notify")


class Publisher(Protocol):
    def publish(self, event: LifecycleEvent) -> None: ...


@dataclass
class RoundReport:
    """What one round did, in counts (never addresses): e.g. {"sent": 2, "bounced": 1}."""

    name: str
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, what: str, n: int = 1) -> None:
        self.counts[what] = self.counts.get(what, 0) + n

    def line(self) -> str:
        said = ", ".join(f"{k} {v}" for k, v in sorted(self.counts.items())) or "nothing due"
        return f"{self.name}: {said}"


@dataclass
class NotifierContext:
    """What a round needs. `send(mail)` returns the server's answer or raises MailBounced /
    MailDeferred (kokemusvirta/notify/mail.py); `clock()` is now, in UTC."""

    settings: Settings
    publisher: Publisher
    send: Callable[[Mail], str]
    ledger: Ledger
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    store: Path | None = None  # the store whose snapshot is read; default settings.store

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Rows of one read statement on the store's published snapshot (sinks/reader.py:
        read-only, sandboxed), as dicts."""
        from sinks.reader import open_read_only

        con = open_read_only(self.store or self.settings.store)
        try:
            cur = con.execute(sql, list(params))
            names = [d[0] for d in cur.description]
            return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
        finally:
            con.close()

    @property
    def home(self) -> Path:
        return self.settings.home


Round = Callable[[NotifierContext], RoundReport]


def run_rounds(ctx: NotifierContext, rounds: Sequence[Round], *, once: bool,
               interval_s: float, stop: threading.Event | None = None,
               on_report: Callable[[RoundReport], None] | None = None) -> list[RoundReport]:
    """Run every round, once or every `interval_s` seconds until `stop` is set (or Ctrl-C);
    the reports of the last turn."""
    stop = stop or threading.Event()
    reports: list[RoundReport] = []
    while True:
        started = time.monotonic()
        reports = []
        for round_ in rounds:
            name = getattr(round_, "__name__", "round")
            try:
                report = round_(ctx)
            except Exception as exc:  # one round must not stop the others
                log.warning("round %s failed: %s", name, type(exc).__name__)
                log.debug("round %s failed", name, exc_info=True)
                report = RoundReport(name, {"round_failed": 1})
            reports.append(report)
            if on_report is not None:
                on_report(report)
        if once or stop.wait(max(0.0, interval_s - (time.monotonic() - started))):
            return reports
