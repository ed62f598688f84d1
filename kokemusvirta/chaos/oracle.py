"""The oracle: is the store after the faults what a faultless run makes of the same input? Pure.

A store is summarised as keyed rows per table (`Summary`): items and milestones by item_id,
lifecycle steps and events by event_id, dead letters by their origin's coordinates. Against the
reference (the same input projected in-process, kokemusvirta/chaos/reference.py):

- lost: a key the reference has and the store lacks;
- duplicated: every row beyond the first of one key (a step stored twice, an item row twice,
  two dead letters for one record);
- differing: a key both have whose rows are not the reference's, and a key only the store has.

Against what was published (`Published`): every valid source event is in the store (else lost)
and every invalid record is exactly one dead letter of its expected reason (per reason: fewer
are lost, more are duplicated).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

Rows = list[tuple[str, tuple[Any, ...]]]
TABLES = ("items", "lifecycle", "dead_letters", "events", "milestones")


@dataclass
class Summary:
    items: Rows = field(default_factory=list)
    lifecycle: Rows = field(default_factory=list)
    dead_letters: Rows = field(default_factory=list)
    events: Rows = field(default_factory=list)
    milestones: Rows = field(default_factory=list)

    def table(self, name: str) -> Rows:
        rows: Rows = getattr(self, name)
        return rows


@dataclass
class Tally:
    """Problems by a name ("items: fb-…"), so that rounds over one growing store add up to the
    distinct problems of the run, not to the same loss counted once per round."""

    lost: set[str] = field(default_factory=set)
    duplicated: dict[str, int] = field(default_factory=dict)  # name -> rows beyond the first
    differing: set[str] = field(default_factory=set)

    def add(self, other: Tally) -> None:
        self.lost |= other.lost
        for name, n in other.duplicated.items():
            self.duplicated[name] = max(n, self.duplicated.get(name, 0))
        self.differing |= other.differing

    @property
    def counts(self) -> tuple[int, int, int]:
        return len(self.lost), sum(self.duplicated.values()), len(self.differing)

    @property
    def clean(self) -> bool:
        return self.counts == (0, 0, 0)

    def examples(self, limit: int = 8) -> list[str]:
        names = ([f"lost {n}" for n in sorted(self.lost)]
                 + [f"{k + 1} rows of {n}" for n, k in sorted(self.duplicated.items())]
                 + [f"differs {n}" for n in sorted(self.differing)])
        return names[:limit]


def compare_rows(expected: Rows, got: Rows, table: str) -> Tally:
    want: dict[str, Counter[tuple[Any, ...]]] = {}
    have: dict[str, Counter[tuple[Any, ...]]] = {}
    for key, row in expected:
        want.setdefault(key, Counter())[row] += 1
    for key, row in got:
        have.setdefault(key, Counter())[row] += 1
    t = Tally()
    t.lost = {f"{table}: {key}" for key in want if key not in have}
    for key, rows in have.items():
        n = sum(rows.values())
        if n > 1:
            t.duplicated[f"{table}: {key}"] = n - 1
        if key not in want or set(rows) != set(want[key]):
            t.differing.add(f"{table}: {key}")
    return t


def compare(expected: Summary, got: Summary) -> dict[str, Tally]:
    """Table by table: what the store lost, duplicated or holds differently from the reference."""
    return {name: compare_rows(expected.table(name), got.table(name), name) for name in TABLES}


@dataclass(frozen=True)
class Published:
    """What the run published to the intake topic."""

    valid_event_ids: frozenset[str]
    invalid_reasons: Mapping[str, int]  # expected dead letters of the intake topic by reason

    @staticmethod
    def of(records: Iterable[tuple[str | None, str | None]]) -> Published:
        """(event_id of a valid record or None, expected reason of an invalid one or None)."""
        valid: set[str] = set()
        reasons: Counter[str] = Counter()
        for event_id, reason in records:
            if reason is not None:
                reasons[reason] += 1
            elif event_id is not None:
                valid.add(event_id)
        return Published(frozenset(valid), dict(reasons))


def check_published(published: Published, got: Summary, intake_topic: str) -> Tally:
    """Every valid input stored as its source event; every invalid one one dead letter."""
    t = Tally()
    stored = {key for key, _ in got.events}
    t.lost = {f"source event: {e}" for e in published.valid_event_ids - stored}
    prefix = f"{intake_topic}["
    by_reason = Counter(row[0] for key, row in got.dead_letters if key.startswith(prefix))
    for reason in set(by_reason) | set(published.invalid_reasons):
        want, have = published.invalid_reasons.get(reason, 0), by_reason.get(reason, 0)
        t.lost |= {f"dead letter {reason} #{i + 1}" for i in range(have, want)}
        if have > want:
            t.duplicated[f"dead letters {reason}"] = have - want
    return t


@dataclass
class RoundResult:
    number: int
    published: int
    invalid: int
    faults: list[str]
    tally: Tally
    verify_failures: int  # items verify calls altered (0: verify passed)
    seconds: float


def round_table(rounds: list[RoundResult]) -> str:
    header = ("round", "published", "invalid", "faults", "lost", "duplicated", "differing",
              "verify", "seconds")
    rows = [(str(r.number), str(r.published), str(r.invalid), str(len(r.faults)),
             *(str(n) for n in r.tally.counts),
             "ok" if r.verify_failures == 0 else "FAIL", f"{r.seconds:.0f}") for r in rounds]
    return table(header, rows)


def final_line(rounds: list[RoundResult]) -> str:
    total = Tally()
    for r in rounds:
        total.add(r.tally)
    failures = sum(1 for r in rounds if r.verify_failures)
    lost, duplicated, differing = total.counts
    return (f"rounds={len(rounds)} lost={lost} duplicated={duplicated} "
            f"differing={differing} verify_failures={failures}")


def all_zero(line: str) -> bool:
    """True when the final line's four counts are zero."""
    counts = dict(part.split("=", 1) for part in line.split())
    return all(counts[k] == "0" for k in ("lost", "duplicated", "differing", "verify_failures"))


@dataclass(frozen=True)
class PoisonOutcome:
    kind: str
    expected: str
    got: str

    @property
    def ok(self) -> bool:
        return self.expected == self.got


def poison_table(outcomes: list[PoisonOutcome]) -> str:
    return table(("kind", "expected", "got", "ok"),
                 [(o.kind, o.expected, o.got, "ok" if o.ok else "FAIL") for o in outcomes])


def table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h)
              for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
              for r in rows]
    return "\n".join(lines)
