"""The web inbox's list: which open items, in what order, in which words. Pure.

The items come in as managers/inbox.py's `InboxItem`s (the store's rows: the labels that count,
the status, the receipt), so the deadlines are counted as the terminal's inbox and the store's
views count them (managers/inbox.py `due`). The page's query parameters say the order and the
filters, in Finnish as the page's address is: `?jarjestys=maaraaika&vakavuus=critical&
teema=safety&tila=acknowledged&myohassa=1&yksikko=<unit>`. A value the page does not know is
left out and named in a notice, never an error page: a stale bookmark still shows the inbox.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from managers import inbox as ib
from managers.inbox_view import Lang, deadline_words
from schemas.deadlines import Deadlines
from schemas.taxonomy import Severity, Theme
from schemas.vocabulary import SEVERITIES, STEPS, THEMES

# The orders a person may choose (`?jarjestys=`); the default first.
ORDERS: tuple[str, ...] = ("kiireellisyys", "maaraaika", "saapui", "vakavuus", "tila")
STATUS_ORDER = ("received", "classified", "routed", "acknowledged", "escalated",
                "acknowledged_by_leadership", "presented", "decided", "returned", "closed")
FILTER_NAMES = ("vakavuus", "teema", "tila", "myohassa", "yksikko")


@dataclass(frozen=True)
class Choice:
    """What the page's query parameters ask for, after checking them."""

    order: str = ORDERS[0]
    severity: str | None = None
    theme: str | None = None
    status: str | None = None
    overdue_only: bool = False
    unit: str | None = None
    ignored: tuple[str, ...] = ()  # parameters whose value is not known: named in a notice

    def query(self, **changes: str | None) -> str:
        """This choice as a query string, with some parameters changed (None: left out)."""
        params: dict[str, str | None] = {
            "jarjestys": None if self.order == ORDERS[0] else self.order,
            "vakavuus": self.severity, "teema": self.theme, "tila": self.status,
            "myohassa": "1" if self.overdue_only else None, "yksikko": self.unit,
        }
        params.update(changes)
        text = urlencode({k: v for k, v in params.items() if v})
        return f"?{text}" if text else ""


def choice(params: Mapping[str, str], units: Sequence[str] = ()) -> Choice:
    """The order and filters from the query parameters; `units` the units the person may
    filter by (leadership: its area's; a unit manager has none to choose)."""
    ignored: list[str] = []

    def known(name: str, codes: Iterable[str]) -> str | None:
        value = (params.get(name) or "").strip()
        if not value:
            return None
        if value in set(codes):
            return value
        ignored.append(name)
        return None

    order = known("jarjestys", ORDERS) or ORDERS[0]
    return Choice(
        order=order,
        severity=known("vakavuus", (s.value for s in Severity)),
        theme=known("teema", (t.value for t in Theme)),
        status=known("tila", STATUS_ORDER),
        overdue_only=(params.get("myohassa") or "") in ("1", "kylla", "on"),
        unit=known("yksikko", units),
        ignored=tuple(ignored),
    )


@dataclass(frozen=True)
class Listed:
    """One item and its next deadline, as the list holds it before words are chosen."""

    item: ib.InboxItem
    unit: str | None
    due: ib.Due | None


def _urgency(entry: Listed) -> tuple[int, date, float, str]:
    """Critical first, then the nearest deadline (none last), then the oldest receipt."""
    return (-Severity(entry.item.severity).rank,
            entry.due.on if entry.due else date.max,
            entry.item.received_at.timestamp(), entry.item.item_id)


def _key(order: str) -> Callable[[Listed], Any]:
    if order == "maaraaika":
        return lambda e: (e.due.on if e.due else date.max, _urgency(e))
    if order == "saapui":
        return lambda e: (-e.item.received_at.timestamp(), e.item.item_id)
    if order == "vakavuus":
        return lambda e: (-Severity(e.item.severity).rank, -e.item.received_at.timestamp(),
                          e.item.item_id)
    if order == "tila":
        return lambda e: (STATUS_ORDER.index(e.item.status)
                          if e.item.status in STATUS_ORDER else len(STATUS_ORDER), _urgency(e))
    return _urgency


def listing(items: Iterable[tuple[ib.InboxItem, str | None]], chosen: Choice, today: date,
            deadlines: Deadlines = ib.DEFAULTS) -> list[Listed]:
    """The open items (with their unit) that pass the filters, in the chosen order."""
    out = []
    for item, unit in items:
        if not ib.is_open(item.status):
            continue
        if chosen.severity and item.severity != chosen.severity:
            continue
        if chosen.theme and chosen.theme not in item.themes:
            continue
        if chosen.status and item.status != chosen.status:
            continue
        if chosen.unit and unit != chosen.unit:
            continue
        d = ib.due(item, today, deadlines)
        if chosen.overdue_only and not (d and d.overdue):
            continue
        out.append(Listed(item, unit, d))
    return sorted(out, key=_key(chosen.order))


WAITING = {"fi": "odottaa vahvistusta", "sv": "väntar på bekräftelse",
           "en": "awaits confirmation"}
IMMEDIATE = {"fi": "heti", "sv": "genast", "en": "at once"}


@dataclass(frozen=True)
class Row:
    """One line of the inbox table, in words."""

    item_id: str
    severity_code: str
    severity: str  # the word, with the marks in words: never colour alone
    received: str
    status: str
    deadline: str
    overdue: bool
    themes: str
    unit: str


def rows(listed: Iterable[Listed], lang: Lang, unit_names: Mapping[str, str] | None = None
         ) -> list[Row]:
    names = unit_names or {}
    out = []
    for e in listed:
        i = e.item
        marks = [IMMEDIATE[lang]] if i.immediate_attention else []
        if i.confirmation_waiting:
            marks.append(WAITING[lang])
        severity = SEVERITIES[i.severity][lang] + (f" ({', '.join(marks)})" if marks else "")
        out.append(Row(
            item_id=i.item_id, severity_code=i.severity, severity=severity,
            received=ib.received_text(i.received_at),
            status=STEPS.get(i.status, {}).get(lang, i.status),
            deadline=deadline_words(e.due, lang), overdue=bool(e.due and e.due.overdue),
            themes=", ".join(THEMES[t][lang] for t in i.themes) or "–",
            unit=names.get(e.unit or "", e.unit or "–"),
        ))
    return out
