"""The flow metrics scenario through the real broker: source events to intake (the worker makes
the items), later lifecycle steps straight to the lifecycle topic, the sink's snapshot checked
against the figures computed by hand (tests/flow_expected.py)."""

from __future__ import annotations

import pytest

from kokemusvirta import kafka as kv_kafka
from kokemusvirta.settings import Settings
from sinks import reader as query
from tests import flow_expected as expected
from tests.conftest import SettingsFactory
from tests.factories import as_bytes
from tests.flow_scenario import ITEM, NOW, SOURCES, THEMES, at, lifecycle_events, sql_ts
from tests.integration.helpers import catch_up, publish, running

pytestmark = pytest.mark.broker


def publish_lifecycle(settings: Settings) -> None:
    assert settings.kafka_bootstrap_servers
    producer = kv_kafka.producer(settings, settings.kafka_bootstrap_servers)
    try:
        for step in lifecycle_events():
            producer.send(settings.topics.lifecycle, key=step.kafka_key(),
                          value=step.to_json_bytes())
        producer.flush()
    finally:
        producer.close()


def test_hand_computed_flow_metrics_through_the_broker(
    settings_factory: SettingsFactory,
) -> None:
    s = settings_factory()
    with running(s, "worker", "sink") as children:
        publish(s, [as_bytes(e) for e in SOURCES.values()])
        catch_up(s, children)
        publish_lifecycle(s)
        catch_up(s, children)

    con = query.open_read_only(s.store)
    try:
        # The scenario's premise: the worker's classifier gives the themes the figures assume.
        themes = dict(con.execute("SELECT item_id, themes FROM knowledge_items").fetchall())
        assert {name: tuple(themes[ITEM[name]] or ()) for name in THEMES} == THEMES
        # The worker records received events at the wall-clock time, after the scenario's
        # moments: ask about the state at NOW as known now.
        args = f"{sql_ts(NOW)}, recorded_by := now()"
        expected.check_funnel(con, args)
        expected.check_reach_and_return_rates(con, args)
        expected.check_lead_times(con, args)
        expected.check_overdue(con, args, f"{sql_ts(at(10, 12, 12))}, recorded_by := now()")
        expected.check_done_when(con, f"item_milestones_at({args})", sql_ts(NOW))
    finally:
        con.close()
