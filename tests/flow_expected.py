"""The flow_scenario's figures, computed by hand, and the checks both test tiers run.

`args` is what goes inside the macros' parentheses: the moment asked about, and in the broker
test also `recorded_by := now()` (the worker records received events at the wall-clock time).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import duckdb
from pytest import approx

from tests.flow_scenario import ITEM, MTP, NOW, PTH, H, K, R, at, sql_ts

DEC, NOV, SEP = date(2024, 12, 1), date(2024, 11, 1), date(2024, 9, 1)
NOW_ARGS = sql_ts(NOW)
DATA_DICTIONARY = Path(__file__).resolve().parent.parent / "docs" / "data-dictionary.md"


def rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[Any, ...]]:
    return con.execute(sql).fetchall()


# county, service_area, unit, family, channel, month: received, acknowledged,
# reached_leadership, reached_decision_makers, decided, returned, closed (each item once)
FUNNEL = {
    ("lappi", PTH, R, "feedback", "electronic", DEC): (2, 2, 1, 1, 1, 2, 2),  # F1 F6
    ("lappi", PTH, R, "feedback", "oral", DEC): (1, 1, 0, 0, 0, 0, 0),  # F2
    ("lappi", PTH, K, "feedback", "electronic", DEC): (2, 0, 0, 0, 0, 0, 0),  # F3 F8 (two themes)
    ("lappi", PTH, R, "feedback", "written", NOV): (1, 1, 1, 0, 0, 0, 0),  # F4 (AG)
    ("lappi", PTH, R, "feedback", "electronic", NOV): (1, 1, 1, 0, 1, 1, 0),  # F5
    ("pirkanmaa", PTH, H, "feedback", "electronic", DEC): (1, 1, 0, 0, 0, 0, 0),  # F7
    ("lappi", PTH, R, "feedback", "electronic", SEP): (1, 1, 1, 0, 0, 0, 1),  # F9
    ("lappi", MTP, None, "expert_statement", None, DEC): (1, 1, 1, 1, 1, 1, 0),  # S1
}

# county, service_area, unit, theme, family, channel, month: as FUNNEL, an item under each of
# its themes (F8 counts under access and communication)
FUNNEL_BY_THEME = {
    ("lappi", PTH, R, "access", "feedback", "electronic", DEC): (1, 1, 1, 1, 1, 1, 1),  # F1
    ("lappi", PTH, R, "access", "feedback", "oral", DEC): (1, 1, 0, 0, 0, 0, 0),  # F2
    ("lappi", PTH, K, "access", "feedback", "electronic", DEC): (2, 0, 0, 0, 0, 0, 0),  # F3 F8
    ("lappi", PTH, K, "communication", "feedback", "electronic", DEC): (1, 0, 0, 0, 0, 0, 0),
    ("lappi", PTH, R, "access", "feedback", "written", NOV): (1, 1, 1, 0, 0, 0, 0),  # F4 (AG)
    ("lappi", PTH, R, "access", "feedback", "electronic", NOV): (1, 1, 1, 0, 1, 1, 0),  # F5
    ("lappi", PTH, R, "respect", "feedback", "electronic", DEC): (1, 1, 0, 0, 0, 1, 1),  # F6
    ("pirkanmaa", PTH, H, "fees", "feedback", "electronic", DEC): (1, 1, 0, 0, 0, 0, 0),  # F7
    ("lappi", PTH, R, "access", "feedback", "electronic", SEP): (1, 1, 1, 0, 0, 0, 1),  # F9
    ("lappi", MTP, None, None, "expert_statement", None, DEC): (1, 1, 1, 1, 1, 1, 0),  # S1
}

# county, service_area, month, measure: items, median h, p90 h, median wd, p90 wd
# (p90 interpolated: sorted x, position 0.9 * (n - 1))
LEAD_TIMES = {
    # F1 48 h / 2 wd, F2 144 h / 3 wd (over 6.12), F6 4 h / 0 wd
    ("lappi", PTH, DEC, "acknowledge"): (3, 48, 48 + 0.8 * 96, 2, 2.8),
    ("lappi", PTH, DEC, "reach_leadership"): (1, 72, 72, 3, 3),  # F1 5.12
    ("lappi", PTH, DEC, "decide"): (1, 240, 240, 7, 7),  # F1 12.12
    ("lappi", PTH, DEC, "return"): (2, 192, 48 + 0.9 * 288, 5.5, 2 + 0.9 * 7),  # F1 336/9, F6 48/2
    ("lappi", PTH, DEC, "decision_to_return"): (1, 96, 96, 2, 2),  # F1 12.12 -> 16.12
    ("lappi", PTH, NOV, "acknowledge"): (2, 24, 24, 1, 1),  # F4, F5
    ("lappi", PTH, NOV, "reach_leadership"): (2, 108, 24 + 0.9 * 168, 3.5, 1 + 0.9 * 5),  # F4 AG
    ("lappi", PTH, NOV, "decide"): (1, 360, 360, 11, 11),  # F5 5.11 -> 20.11
    ("lappi", PTH, NOV, "return"): (1, 1080, 1080, 32, 32),  # F5 5.11 -> 20.12
    ("lappi", PTH, NOV, "decision_to_return"): (1, 720, 720, 21, 21),  # F5 20.11 -> 20.12
    ("lappi", PTH, SEP, "acknowledge"): (1, 72, 72, 1, 1),  # F9 Fri -> Mon
    ("lappi", PTH, SEP, "reach_leadership"): (1, 72, 72, 1, 1),
    ("lappi", MTP, DEC, "acknowledge"): (1, 24, 24, 1, 1),  # S1
    # presented 9.12 (by the coordinator): reaching decision-makers reaches leadership too
    ("lappi", MTP, DEC, "reach_leadership"): (1, 168, 168, 4, 4),
    ("lappi", MTP, DEC, "decide"): (1, 336, 336, 9, 9),
    ("lappi", MTP, DEC, "return"): (1, 384, 384, 11, 11),
    ("lappi", MTP, DEC, "decision_to_return"): (1, 48, 48, 2, 2),
    ("pirkanmaa", PTH, DEC, "acknowledge"): (1, 72, 72, 1, 1),  # F7 Fri 20.12 -> Mon 23.12
}

# item, deadline, due date, days overdue, working days overdue (all open, not closed)
OVERDUE_NOW = {
    (ITEM["F3"], "acknowledge", date(2024, 12, 11), 20, 11),  # 5.12 + 3 wd over 6.12
    (ITEM["F4"], "decide_or_answer", date(2024, 12, 4), 27, 15),  # 4.11 + 30 d
    (ITEM["F8"], "acknowledge", date(2024, 12, 27), 4, 2),  # 19.12 + 3 wd over joulu
}
OVERDUE_10_12 = {  # at Tue 10.12 12:00: F2's ack is due that day and comes at 14
    (ITEM["F4"], "decide_or_answer", date(2024, 12, 4), 6, 3),
    (ITEM["F5"], "return_after_decision", date(2024, 12, 4), 6, 3),  # decided 20.11 + 14 d
}


def check_funnel(con: duckdb.DuckDBPyConnection, args: str = NOW_ARGS) -> None:
    got = {r[:6]: r[6:] for r in rows(con, f"SELECT * FROM flow_funnel_at({args})")}
    assert got == FUNNEL
    by_theme = {r[:7]: r[7:] for r in rows(con, f"SELECT * FROM flow_funnel_by_theme_at({args})")}
    assert by_theme == FUNNEL_BY_THEME


def check_reach_and_return_rates(con: duckdb.DuckDBPyConnection, args: str = NOW_ARGS) -> None:
    reach = {r[:7]: r[7:] for r in rows(con, f"SELECT * FROM reach_rates_at({args})")}
    assert reach.keys() == FUNNEL_BY_THEME.keys()
    # items, acknowledged, share, reached leadership, share, via aggregate, presented, share
    assert reach[("lappi", PTH, R, "access", "feedback", "written", NOV)] == \
        (1, 1, 1.0, 1, 1.0, 1, 0, 0.0)  # F4 reached leadership through the signal only
    assert reach[("lappi", PTH, R, "access", "feedback", "electronic", NOV)] == \
        (1, 1, 1.0, 1, 1.0, 0, 0, 0.0)  # F5 acknowledged by leadership before the signal
    assert reach[("lappi", PTH, K, "access", "feedback", "electronic", DEC)] == \
        (2, 0, 0.0, 0, 0.0, 0, 0, 0.0)
    assert reach[("lappi", MTP, None, None, "expert_statement", None, DEC)] == \
        (1, 1, 1.0, 1, 1.0, 0, 1, 1.0)
    (total, reached), = rows(con, "SELECT sum(items), sum(reached_leadership) FROM "
                             f"reach_rates_at({args}) WHERE theme = 'access' AND county = 'lappi'")
    assert (total, reached) == (7, 4)  # F1-F5, F8, F9 (F8 once here); F1, F4, F5, F9
    returns = {r[:7]: r[7:] for r in rows(con, f"SELECT * FROM return_rates_at({args})")}
    assert returns.keys() == FUNNEL_BY_THEME.keys()
    # items, returned, share, decided, decided and returned, share of decided, reply asked,
    # replied to client, share of asked
    assert returns[("lappi", PTH, R, "access", "feedback", "electronic", DEC)] == \
        (1, 1, 1.0, 1, 1, 1.0, 1, 1, 1.0)  # F1
    assert returns[("lappi", PTH, K, "access", "feedback", "electronic", DEC)] == \
        (2, 0, 0.0, 0, 0, None, 2, 0, 0.0)  # F3, F8: both asked for a reply, none yet
    assert returns[("lappi", PTH, R, "access", "feedback", "electronic", NOV)] == \
        (1, 1, 1.0, 1, 1, 1.0, 0, 0, None)  # F5: a public digest, no reply asked
    assert returns[("lappi", PTH, R, "respect", "feedback", "electronic", DEC)] == \
        (1, 1, 1.0, 0, 0, None, 1, 1, 1.0)  # F6: thanked without a decision


def check_lead_times(con: duckdb.DuckDBPyConnection, args: str = NOW_ARGS) -> None:
    got = {r[:4]: r[4:] for r in rows(con, f"SELECT * FROM lead_times_at({args})")}
    assert got.keys() == LEAD_TIMES.keys()
    for key, expected in LEAD_TIMES.items():
        assert got[key][0] == expected[0], key
        assert got[key][1:] == approx(expected[1:], abs=1e-9), key


def check_overdue(con: duckdb.DuckDBPyConnection, args: str = NOW_ARGS,
                  at_10_12: str | None = None) -> None:
    sql = ("SELECT item_id, deadline, due_date, days_overdue, working_days_overdue "
           "FROM overdue_items_at({})")
    assert set(rows(con, sql.format(args))) == OVERDUE_NOW
    earlier = at_10_12 or sql_ts(at(10, 12, 12))
    assert set(rows(con, sql.format(earlier))) == OVERDUE_10_12


def done_when_query() -> str:
    """The documented query, as written in docs/data-dictionary.md."""
    text = DATA_DICTIONARY.read_text(encoding="utf-8")
    start = text.index("```sql", text.index("<!-- done-when-query -->")) + len("```sql")
    return text[start:text.index("```", start)]


def check_done_when(con: duckdb.DuckDBPyConnection, table: str, moment: str) -> None:
    """Feedback on waiting times (access) in Lapland received this quarter (Q4 2024):
    F1, F2, F3, F4, F5, F8 (F9 was last quarter). Reached leadership: F1, F4, F5. Returned:
    F1 (to the client, 14 d = 336 h, 9 wd) and F5 (public digest, 45 d = 1080 h, 32 wd).
    Asked for a reply: F1, F3, F8; replied: F1."""
    sql = done_when_query().replace("now()", moment)
    sql = sql.replace("FROM item_milestones", f"FROM {table}")
    cur = con.execute(sql)
    names = [d[0] for d in cur.description or []]
    (row,) = cur.fetchall()
    got = dict(zip(names, row, strict=True))
    assert got == approx({
        "feedback_items": 6,
        "reached_leadership": 3, "reached_leadership_share": 0.5,
        "median_working_days_to_reach_leadership": 3.0,  # F5 1, F1 3, F4 6
        "returned": 2, "returned_share": 2 / 6,
        "returned_to_client": 1,
        "reply_requested": 3, "replied_to_client": 1,
        "median_days_to_return": 29.5, "p90_days_to_return": (336 + 0.9 * 744) / 24,
        "median_working_days_to_return": 20.5,
    })
