"""People's labels in the store (sinks/labels.sql): the classifier's and a person's side by side,
the labels that count in the metrics, the confirmation of critical items, and verify's second
derivation agreeing (a DuckDB file in a temporary folder, no broker)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from schemas.chain import seal
from schemas.dead_letter import Origin
from schemas.knowledge import Classification
from schemas.lifecycle import (
    ActorRole,
    ItemAcknowledged,
    ItemRelabelled,
    ItemSeverityConfirmed,
    LifecycleEvent,
)
from schemas.taxonomy import Severity, Stance, Theme
from schemas.topics import TopicNames
from sinks.audit.recompute import differences
from sinks.projection import ConsumedRecord, project
from sinks.store import Store
from streams.processing import Processor
from tests.factories import as_bytes, feedback

T = TopicNames("kv.")
NOW = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)
CRITICAL_TEXT, PLAIN_TEXT = "kriittinen", "tavallinen"


def classify(text: str, language: str | None) -> Classification:
    if CRITICAL_TEXT in text:
        return Classification(themes=(Theme.SAFETY,), stance=Stance.COMPLAINT,
                              severity=Severity.CRITICAL, rules=("r1",), classifier_version="t-1",
                              critical_suspected=True)
    return Classification(themes=(Theme.ACCESS,), stance=Stance.COMPLAINT,
                          severity=Severity.MEDIUM, rules=("r2",), classifier_version="t-1")


class Log:
    """What the sink reads: the worker's output, offsets counted per topic; each item's
    lifecycle sealed into its chain as the worker does."""

    def __init__(self) -> None:
        self.records: list[ConsumedRecord] = []
        self.offsets: dict[str, int] = {}
        self.last_hash: dict[str, str | None] = {}
        self.items: dict[str, LifecycleEvent] = {}

    def add(self, topic: str, value: bytes) -> None:
        self.offsets[topic] = self.offsets.get(topic, -1) + 1
        self.records.append(ConsumedRecord(topic, 0, self.offsets[topic], 1_790_000_000_000,
                                           value))

    def intake(self, text: str) -> str:
        origin = Origin(topic=T.intake, partition=0, offset=len(self.items))
        raw = as_bytes(feedback(text=text, occurred_at="2026-09-30T10:00:00+03:00"))
        item_id = ""
        for o in Processor(T, classify=classify).process(raw, origin, NOW):
            self.add(o.topic, o.value)
            if isinstance(o.event, LifecycleEvent):
                self.last_hash[str(o.event.item_id)] = o.event.chain_hash
                self.items[str(o.event.item_id)] = o.event
                item_id = str(o.event.item_id)
        return item_id

    def step(self, cls: type[LifecycleEvent], item_id: str, hours: float,
             role: ActorRole = ActorRole.UNIT_MANAGER, **fields: Any) -> None:
        first = self.items[item_id]
        at = NOW + timedelta(hours=hours)
        event = cls(event_id=uuid.uuid4(), occurred_at=at, recorded_at=at, county=first.county,
                    unit=first.unit, item_id=item_id, actor_role=role, **fields)
        sealed = seal(event, self.last_hash[item_id])
        self.last_hash[item_id] = sealed.chain_hash
        self.add(T.lifecycle, sealed.to_json_bytes())


def test_machine_and_human_labels_side_by_side_and_the_metrics_use_the_persons(
        tmp_path: Path) -> None:
    log = Log()
    crit, plain, waiting = (log.intake(f"{CRITICAL_TEXT} yksi"), log.intake(PLAIN_TEXT),
                            log.intake(f"{CRITICAL_TEXT} kaksi"))
    store = Store(tmp_path / "s.duckdb")
    store.write(project(log.records, T, NOW))
    n = len(log.records)
    log.step(ItemSeverityConfirmed, crit, 2, downgraded_to=Severity.HIGH,
             reason="Ei välitöntä vaaraa.")
    log.step(ItemRelabelled, plain, 1, role=ActorRole.LEADERSHIP,
             themes=(Theme.QUALITY, Theme.RESPECT), stance=Stance.MIXED, reason="Luin uudelleen.")
    log.step(ItemRelabelled, plain, 3, severity=Severity.LOW, reason="Lievä.")
    log.step(ItemAcknowledged, plain, 4)
    store.write(project(log.records[n:], T, NOW))
    con = store.con

    stored = con.execute(
        "SELECT item_id, step, actor_role, themes, stance, severity, confirmation, reason "
        "FROM labels_human ORDER BY \"offset\"").fetchall()
    assert stored == [
        (crit, "severity_confirmed", "unit_manager", None, None, "high", "downgraded",
         "Ei välitöntä vaaraa."),
        (plain, "relabelled", "leadership", ["quality", "respect"], "mixed", None, None,
         "Luin uudelleen."),
        (plain, "relabelled", "unit_manager", None, None, "low", None, "Lievä."),
    ]
    # the classifier's labels stay as classified; the person's beside them
    labels = {r[0]: r[1:] for r in con.execute(
        "SELECT item_id, machine_themes, machine_stance, machine_severity, critical_suspected, "
        "human_themes, human_stance, human_severity, themes, stance, severity, "
        "labelled_by_person FROM item_labels").fetchall()}
    assert labels[crit] == (["safety"], "complaint", "critical", True, None, None, "high",
                            ["safety"], "complaint", "high", True)
    assert labels[plain] == (["access"], "complaint", "medium", False, ["quality", "respect"],
                             "mixed", "low", ["quality", "respect"], "mixed", "low", True)
    assert labels[waiting][-1] is False
    assert con.execute("SELECT severity FROM knowledge_items WHERE item_id = ?",
                       [crit]).fetchone() == ("critical",)

    # the metrics (and the dashboards, which read them) use the labels that count
    milestones = {r[0]: r[1:] for r in con.execute(
        "SELECT item_id, themes, stance, severity, acknowledged_at IS NOT NULL, "
        "reached_leadership_at FROM item_milestones").fetchall()}
    assert milestones[crit] == (["safety"], "complaint", "high", False, None)
    # leadership's relabelling is no step in handling the item: it did not reach leadership
    assert milestones[plain] == (["quality", "respect"], "mixed", "low", True, None)
    by_theme = dict(con.execute("SELECT theme, sum(received) FROM flow_funnel_by_theme "
                                "GROUP BY theme").fetchall())
    assert by_theme == {"safety": 2, "quality": 1, "respect": 1}
    # the past as it was: before the relabelling, the classifier's labels
    before = con.execute("SELECT severity FROM item_milestones_at(?) WHERE item_id = ?",
                         [NOW + timedelta(hours=1.5), plain]).fetchone()
    assert before == ("medium",)
    assert con.execute("SELECT status FROM knowledge_items WHERE item_id = ?",
                       [crit]).fetchone() == ("routed",)

    # the confirmation counted
    confirmations = {r[0]: r[1:] for r in con.execute(
        "SELECT item_id, critical_suspected, confirmation, confirmed_severity, confirmed_by, "
        "round(hours_to_confirm, 2), waiting FROM severity_confirmations").fetchall()}
    hours = round((NOW + timedelta(hours=2) - datetime(2026, 9, 30, 7, 0, tzinfo=UTC))
                  .total_seconds() / 3600, 2)
    assert confirmations == {
        crit: (True, "downgraded", "high", "unit_manager", hours, False),
        waiting: (True, None, None, None, None, True),
    }
    summary = con.execute(
        "SELECT critical_items, suspected, confirmed, downgraded, waiting, suspected_waiting, "
        "median_hours_to_confirm FROM critical_confirmation_summary").fetchall()
    assert summary == [(2, 2, 0, 1, 1, 1, hours)]

    # verify derives the same rows again from the sealed payloads
    assert differences(con) == []
    store.close()


def test_a_label_step_is_stored_once(tmp_path: Path) -> None:
    log = Log()
    item = log.intake(CRITICAL_TEXT)
    log.step(ItemSeverityConfirmed, item, 1, reason="Vahvistan.")
    store = Store(tmp_path / "s.duckdb")
    batch = project(log.records, T, NOW)
    store.write(batch)
    store.write(project(log.records, T, NOW))  # redelivered
    assert store.con.execute("SELECT count(*), any_value(confirmation) FROM labels_human"
                             ).fetchone() == (1, "confirmed")
    assert store.con.execute("SELECT count(*) FROM sink_rejections").fetchone() == (0,)
    store.close()
