"""`kokemusvirta quality` on a store the real worker and sink made through the real broker, run
while the sink is still running (it reads the published snapshot): every expectation holds."""

from __future__ import annotations

import pytest

from kokemusvirta.cli import main
from tests.conftest import SettingsFactory
from tests.factories import as_bytes
from tests.flow_scenario import SOURCES
from tests.integration.helpers import catch_up, publish, running
from tests.integration.test_flow_metrics import publish_lifecycle

pytestmark = pytest.mark.broker


def test_quality_passes_on_a_store_made_by_the_worker_and_the_sink(
    settings_factory: SettingsFactory, capsys: pytest.CaptureFixture[str],
) -> None:
    s = settings_factory()
    with running(s, "worker", "sink") as children:
        # The scenario's sources, two records the worker dead-letters, then people's steps.
        publish(s, [*(as_bytes(e) for e in SOURCES.values()), b"{not json", b"[1, 2]"])
        catch_up(s, children)
        publish_lifecycle(s)
        catch_up(s, children)
        code = main(["quality", "--store", str(s.store)])
        out, err = capsys.readouterr()

    assert code == 0, out + err
    assert ".snapshot.duckdb" in out  # the sink held the store; the snapshot was read
    for suite in ["events", "knowledge_items", "lifecycle", "dead_letters", "aggregate_members",
                  "sink_counters", "item_milestones", "flow_funnel", "overdue_items"]:
        assert f"  {suite} " in out, suite
    assert (s.store.with_name(s.store.stem + ".laatu") / "index.html").exists()
