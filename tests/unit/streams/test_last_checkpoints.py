"""A stopping worker's last checkpoints (streams/last_checkpoints.py): read back first, then
published; a broker that is away holds the stop up for the bound at most, with one log line."""

from __future__ import annotations

import asyncio
import logging
import time

import pytest

from streams.last_checkpoints import publish_last


def test_the_partitions_are_read_to_their_end_before_the_checkpoints_are_published(
    caplog: pytest.LogCaptureFixture,
) -> None:
    done: list[str] = []

    async def read_back() -> None:
        await asyncio.sleep(0)
        done.append("read back")

    async def publish() -> int:
        done.append("published")
        return 2

    with caplog.at_level(logging.INFO, logger="kokemusvirta.worker"):
        assert asyncio.run(publish_last(read_back, publish, why="the worker stops"))
    assert done == ["read back", "published"]
    assert [r.getMessage() for r in caplog.records] == \
        ["published the last 2 checkpoint(s) (the worker stops)"]


@pytest.mark.parametrize("stuck", ["read back", "publish"])
def test_a_broker_away_holds_the_stop_up_for_the_bound_only(
    stuck: str, caplog: pytest.LogCaptureFixture,
) -> None:
    async def forever() -> None:
        await asyncio.Event().wait()

    async def read_back() -> None:
        if stuck == "read back":
            await forever()

    async def publish() -> int:
        await forever()
        return 1

    started = time.monotonic()
    with caplog.at_level(logging.INFO, logger="kokemusvirta.worker"):
        assert not asyncio.run(publish_last(read_back, publish, why="a rebalance",
                                            within_s=0.2))
    assert time.monotonic() - started < 2
    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [
        ("WARNING", "the last checkpoints (a rebalance) not published within 0.2 s; the "
         "partitions' next holder covers them")]


def test_a_failure_is_one_line_and_the_stop_goes_on(caplog: pytest.LogCaptureFixture) -> None:
    async def read_back() -> None:
        raise ConnectionError("no broker")

    async def publish() -> int:
        raise AssertionError("not published without reading back")

    with caplog.at_level(logging.INFO, logger="kokemusvirta.worker"):
        assert not asyncio.run(publish_last(read_back, publish, why="the worker stops"))
    assert [r.getMessage() for r in caplog.records] == [
        "the last checkpoints (the worker stops) not published (ConnectionError); the "
        "partitions' next holder covers them"]
