"""What the dashboards read, after a real worker and sink run on the real broker: the
materialised milestones and open obligations equal what the macros compute from the lifecycle,
the workshops table holds the meetings' participants by role, statements keep their author's
role, and the chart queries answer from it (the funnel is the flow_funnel view added up)."""

from __future__ import annotations

import duckdb
import pytest

from dashboards import queries
from dashboards.filters import Filters
from sinks import reader as query
from tests.conftest import SettingsFactory
from tests.factories import as_bytes, statement, workshop
from tests.flow_scenario import ITEM, SOURCES
from tests.integration.dashboards.test_chart_queries import check_funnel_is_the_view_sum
from tests.integration.helpers import catch_up, publish, running
from tests.integration.test_flow_metrics import publish_lifecycle

pytestmark = pytest.mark.broker

MEETING = workshop(participants={"developer_client": 8, "expert_by_experience": 1, "staff": 2})
BOARD = statement(author_role="influence_body", county="pirkanmaa",
                  service_area="ikaantyneiden-palvelut", decision_ref=None)


def differs(con: duckdb.DuckDBPyConnection, table: str, macro: str) -> tuple[int, int]:
    one = con.execute(f"SELECT count(*) FROM (SELECT * EXCLUDE (item_seq) FROM {table} EXCEPT ALL "
                      f"SELECT * FROM {macro})").fetchone()
    other = con.execute(f"SELECT count(*) FROM (SELECT * FROM {macro} EXCEPT ALL "
                        f"SELECT * EXCLUDE (item_seq) FROM {table})").fetchone()
    assert one is not None and other is not None
    return one[0], other[0]


def test_the_dashboards_store_after_a_real_run(settings_factory: SettingsFactory) -> None:
    s = settings_factory()
    with running(s, "worker", "sink") as children:
        publish(s, [as_bytes(e) for e in (*SOURCES.values(), MEETING, BOARD)])
        catch_up(s, children)
        publish_lifecycle(s)
        # the meeting again, as a client would resend it: still one workshop
        publish(s, [as_bytes(MEETING)])
        catch_up(s, children)

    con = query.open_read_only(s.store)
    try:
        assert differs(con, "item_milestones_materialised", "item_milestones_at(now())") == (0, 0)
        assert differs(con, "open_obligations", "obligation_rows(now(), NULL, false)") == (0, 0)
        assert con.execute("SELECT count(*) FROM item_milestones").fetchone() == (14,)
        # F4 reached leadership through the signal only, as the hand-computed scenario says
        assert con.execute("SELECT reached_leadership_via_aggregate FROM item_milestones "
                           "WHERE item_id = ?", [ITEM["F4"]]).fetchone() == (True,)

        cur = con.execute("SELECT * FROM workshops")
        names = [d[0] for d in cur.description or []]
        (row,) = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
        assert (row["workshop_id"], row["group_id"], row["meeting_number"], row["forum_type"],
                str(row["held_on"]), row["county"]) == (
            MEETING["workshop_id"], MEETING["group_id"], 3, "structural", "2026-10-05",
            "pirkanmaa")
        assert (row["participants_developer_client"], row["participants_expert_by_experience"],
                row["participants_staff"], row["participants_client"],
                row["participants_total"], row["output_items"], row["facilitator_count"]) == \
            (8, 1, 2, 0, 11, 3, 2)
        roles = dict(con.execute("SELECT source_event_id, author_role FROM knowledge_items "
                                 "WHERE source_family = 'expert_statement'").fetchall())
        assert roles == {SOURCES["S1"]["event_id"]: "expert_by_experience",
                         BOARD["event_id"]: "influence_body"}

        for f in (Filters(), Filters(county="lappi"), Filters(theme="access"),
                  Filters(county="pirkanmaa")):
            check_funnel_is_the_view_sum(con, f)
        (month,) = queries.run(con, "participation_workshops").records()
        assert (month["month"], month["forum_type"], month["workshops"], month["meetings"],
                month["participants"], month["developer_clients"], month["output_items"]) == \
            ("2026-10", "structural", 1, 1, 11, 8, 3)
        outcomes = {(r["source_family"], r["outcome"]): r for r in
                    queries.run(con, "participation_outcomes").records() if r["rollup"]}
        assert outcomes[("workshop_output", "pending")]["suppressed"]  # three items
        for name in queries.names():  # every chart query answers on the live store
            queries.run(con, name, Filters(county="lappi"))
    finally:
        con.close()
