"""The intake agent in Faust's test context: no broker, the sender is a fake that records."""

import asyncio

from schemas.dead_letter import DeadLetterRecorded
from schemas.lifecycle import ItemReceived
from streams.app import create_app
from streams.processing import Outgoing
from tests.factories import as_bytes, feedback


def test_agent_moves_processed_events_to_the_sender(settings_factory_offline) -> None:  # type: ignore[no-untyped-def]
    sent: list[Outgoing] = []

    async def record(out: Outgoing) -> None:
        sent.append(out)

    settings = settings_factory_offline()
    app = create_app(settings, "127.0.0.1:9", send=record)
    agent = app.agents["process-intake"]

    async def scenario() -> None:
        async with agent.test_context() as ctx:
            await ctx.put(as_bytes(feedback()), key=b"k1")
            await ctx.put(b"not json", key=b"k2")

    asyncio.run(scenario())
    assert isinstance(sent[0].event, ItemReceived)
    assert sent[0].topic == f"{settings.topic_prefix}lifecycle"
    assert isinstance(sent[-1].event, DeadLetterRecorded)
    assert sent[-1].event.reason.value == "not_json"
    assert app.kokemusvirta_counters.dead_letters == 1  # type: ignore[attr-defined]
    assert app.kokemusvirta_counters.processed == 2  # type: ignore[attr-defined]
