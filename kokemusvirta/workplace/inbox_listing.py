"""The web inbox's list: which open items, in what order, in which words. Pure.

The items come in as managers/inbox.py's `InboxItem`s (the store's rows: the labels that count,
the status, the receipt), so the deadlines are counted as the terminal's inbox and the store's
views count them (managers/inbox.py `due`). The page's query parameters say the order and the
filters, in Finnish as the page's address is: `?jarjestys=maaraaika&vakavuus=critical&
teema=safety&tila=acknowledged&myohassa=1&yksikko=<unit>&sivu=2`. A value the page does not
know is left out and named in a notice, never an error page: a stale bookmark still shows the
inbox. The list is shown a page of PAGE_ROWS at a time (`sivu`, from 1; past the last page the
last), since a unit may have tens of thousands of open items.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple
from urllib.parse import urlencode

from managers import inbox as ib
from managers.inbox_view import Lang, deadline_words
from schemas.deadlines import Deadlines, finnish_date
from schemas.taxonomy import Severity, Theme
from schemas.vocabulary import SEVERITIES, STEPS, THEMES

# The orders a person may choose (`?jarjestys=`); the default first.
ORDERS: tuple[str, ...] = ("kiireellisyys", "maaraaika", "saapui", "vakavuus", "tila")
STATUS_ORDER = ("received", "classified", "routed", "acknowledged", "escalated",
                "acknowledged_by_leadership", "presented", "decided", "returned", "closed")
FILTER_NAMES = ("vakavuus", "teema", "tila", "myohassa", "yksikko")
PAGE_ROWS = 50


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
    page: int = 1  # asked for; `paged` keeps it within the pages there are

    def query(self, **changes: str | None) -> str:
        """This choice as a query string, with some parameters changed (None: left out); the
        page only when asked for (a new order or filter starts from the first page)."""
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
    page = (params.get("sivu") or "").strip()
    if page and not (page.isascii() and page.isdigit() and 0 < int(page) < 10**9):
        ignored.append("sivu")
        page = ""
    return Choice(
        page=int(page) if page else 1,
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


@dataclass(frozen=True)
class Paged:
    """One page of the list: its entries, which page of how many, and the whole list's size."""

    entries: list[Listed]
    number: int
    pages: int
    total: int
    size: int = PAGE_ROWS

    @property
    def first(self) -> int:
        """The place in the whole list of the page's first entry (from 1; 0 when empty)."""
        return (self.number - 1) * self.size + 1 if self.entries else 0

    @property
    def last(self) -> int:
        return (self.number - 1) * self.size + len(self.entries)

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.pages else None


def paged(listed: Sequence[Listed], page: int, size: int = PAGE_ROWS) -> Paged:
    """The `page`th page (from 1) of `size` entries; past the last page, the last."""
    pages = max(1, -(-len(listed) // size))
    number = min(max(page, 1), pages)
    start = (number - 1) * size
    return Paged(list(listed[start:start + size]), number, pages, len(listed), size)


class Candidate(NamedTuple):
    """An open item as the list orders it before its page is read in full: the columns the
    order and the deadline need (inbox_store.inbox_candidates), the same names as InboxItem's."""

    item_id: str
    severity: str
    received_at: datetime
    status: str
    decided_at: datetime | None
    reply_owed: bool
    unit: str | None


def _due_of(today: date, deadlines: Deadlines) -> Callable[[Candidate], ib.Due | None]:
    """`ib.due` of a candidate, counted once per kind: the deadline depends only on the Finnish
    days of receipt and decision, the status and whether a reply is owed, and a unit's 44,000
    items share a few thousand of those."""
    known: dict[tuple[Any, ...], ib.Due | None] = {}

    def due(c: Candidate) -> ib.Due | None:
        try:
            key = (finnish_date(c.received_at), c.status,
                   finnish_date(c.decided_at) if c.decided_at else None, c.reply_owed)
        except OverflowError:  # no Finnish day: `due` says what that means
            key = (c.received_at, c.status, c.decided_at, c.reply_owed)
        if key not in known:
            known[key] = ib.due(ib.InboxItem(
                item_id=c.item_id, source_family="", received_at=c.received_at, themes=(),
                stance="", severity=c.severity, immediate_attention=False, text="",
                status=c.status, decided_at=c.decided_at, reply_owed=c.reply_owed),
                today, deadlines)
        return known[key]
    return due


def ordered(candidates: Iterable[Candidate], chosen: Choice, today: date,
            deadlines: Deadlines = ib.DEFAULTS) -> list[Listed]:
    """`listing` for candidates the store has already filtered (open, severity, theme, status,
    unit): the overdue filter and the order, the same as `listing`'s. Each entry's item is
    its Candidate until `inbox_store.page_items` reads the page's items in full."""
    due = _due_of(today, deadlines)
    out = []
    for c in candidates:
        d = due(c)
        if chosen.overdue_only and not (d and d.overdue):
            continue
        out.append(Listed(c, c.unit, d))  # type: ignore[arg-type]  # read in full per page
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
