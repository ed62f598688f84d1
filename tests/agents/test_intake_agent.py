"""The intake agent in Faust's test context: no broker, the sender is a fake that records."""

import asyncio
import contextlib
from collections.abc import Callable
from pathlib import Path

from kokemusvirta.settings import Settings
from schemas.dead_letter import DeadLetterRecorded
from schemas.lifecycle import ItemReceived
from tests.agents.wiring import BrokenSender, RecordingSender, offline_app
from tests.factories import as_bytes, feedback


def test_agent_moves_processed_events_to_the_sender(settings_factory_offline) -> None:  # type: ignore[no-untyped-def]
    recorder = RecordingSender()
    settings = settings_factory_offline()
    app, errors = offline_app(settings, recorder)
    agent = app.agents["process-intake"]

    async def scenario() -> None:
        async with agent.test_context() as ctx:
            await ctx.put(as_bytes(feedback()), key=b"k1")
            await ctx.put(b"not json", key=b"k2")

    asyncio.run(scenario())
    sent = recorder.sent
    assert isinstance(sent[0].event, ItemReceived)
    assert sent[0].topic == f"{settings.topic_prefix}lifecycle"
    assert isinstance(sent[-1].event, DeadLetterRecorded)
    assert sent[-1].event.reason.value == "not_json"
    assert errors.counters.dead_letters == 1
    assert errors.counters.processed == 2


def test_agent_stops_rather_than_ack_a_record_whose_outputs_were_not_sent(  # type: ignore[no-untyped-def]
    settings_factory_offline,
) -> None:
    app, _ = offline_app(settings_factory_offline(), BrokenSender())
    agent = app.agents["process-intake"]
    crashed: list[BaseException] = []

    async def record_crash(reason: BaseException) -> None:
        crashed.append(reason)

    app.crash = record_crash  # type: ignore[method-assign]

    async def scenario() -> None:
        async with agent.test_context() as ctx:
            await ctx.put(as_bytes(feedback()), key=b"k1")

    with contextlib.suppress(ConnectionError):  # whether it propagates is Faust's business
        asyncio.run(scenario())
    assert len(crashed) == 1 and isinstance(crashed[0], ConnectionError)


def test_fausts_own_folder_is_in_the_home_not_the_working_directory(
    settings_factory_offline: Callable[..., Settings],
) -> None:
    """A worker started from a checkout once left `<group>-data` folders in it."""
    settings = settings_factory_offline()
    app, _errors = offline_app(settings, RecordingSender())
    assert Path(app.conf.datadir).resolve().is_relative_to(settings.home.resolve())
