"""The access log against its topic (sinks/audit/access_log.py against_log): a view the topic
holds up to the sink's committed offset but the store lacks is deleted, one the store holds but
the topic never had is inserted; views the sink has not reached yet are neither."""

from __future__ import annotations

from sinks.audit.access_log import LogRecord, against_log

LOG = [LogRecord(0, 0, "a"), LogRecord(0, 1, "b"), LogRecord(1, 0, "c"), LogRecord(0, 2, "d")]


def test_a_complete_store_matches() -> None:
    assert against_log(LOG, {"a", "b", "c", "d"}, {0: 2, 1: 0}) == ([], [])


def test_a_deleted_last_view_is_found() -> None:
    assert against_log(LOG, {"a", "b", "c"}, {0: 2, 1: 0}) == ([LogRecord(0, 2, "d")], [])


def test_views_the_sink_has_not_reached_are_not_deleted() -> None:
    assert against_log(LOG, {"a", "b"}, {0: 1}) == ([], [])


def test_a_view_the_topic_never_had_is_inserted() -> None:
    assert against_log(LOG, {"a", "b", "c", "d", "x"}, {0: 2, 1: 0}) == ([], ["x"])
