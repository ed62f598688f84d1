"""The intake agent hands a batch over only once the keys its seals use are durable
(streams/app.py, kokemusvirta/keystore.py `durable_per_batch`): the worker as the composition
root wires it, a sender that checks, for every output naming a person's key, that the key's
file was synced and its folder synced after the key's name was linked."""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import Awaitable, Callable

import pytest

from kokemusvirta.settings import Settings
from streams.processing import Outgoing
from tests.agents.wiring import RecordingSender, all_acked, offline_app
from tests.factories import as_bytes, feedback

KEY_ID = re.compile(rb'"key_id":\s*"(ps-[0-9a-f]{32})"')


class DurabilityCheckingSender(RecordingSender):
    """Records, for each output naming a key, whether that key was durable when it was sent."""

    def __init__(self, key_store: str, synced: dict[tuple[int, int], int],
                 linked: dict[str, int]) -> None:
        super().__init__()
        self.key_store, self.synced, self.linked = key_store, synced, linked
        self.checked: list[tuple[str, bool]] = []

    async def send(self, out: Outgoing) -> Awaitable[object]:
        for pseudonym in {m.decode() for m in KEY_ID.findall(out.value)}:
            path = os.path.join(self.key_store, "lappi", f"{pseudonym}.key")
            st, folder = os.stat(path), os.stat(os.path.dirname(path))
            durable = ((st.st_dev, st.st_ino) in self.synced
                       and self.synced.get((folder.st_dev, folder.st_ino), -1)
                       > self.linked.get(path, -1))
            self.checked.append((pseudonym, durable))
        return await super().send(out)


def test_no_seal_is_handed_over_before_its_key_is_durable(
    settings_factory_offline: Callable[..., Settings], monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = settings_factory_offline()
    steps = [0]
    synced: dict[tuple[int, int], int] = {}
    linked: dict[str, int] = {}
    fsync, link = os.fsync, os.link

    def recorded_fsync(fd: int) -> None:
        fsync(fd)
        st = os.fstat(fd)
        steps[0] += 1
        synced[st.st_dev, st.st_ino] = steps[0]

    def recorded_link(src: str, dst: str) -> None:
        link(src, dst)
        steps[0] += 1
        linked[os.fspath(dst)] = steps[0]

    monkeypatch.setattr(os, "fsync", recorded_fsync)
    monkeypatch.setattr(os, "link", recorded_link)
    sender = DurabilityCheckingSender(os.fspath(settings.key_store), synced, linked)
    app, errors = offline_app(settings, sender, intake_batch_max=5, intake_batch_wait_s=0.2)
    agent = app.agents["process-intake"]
    records = [feedback(client_id=f"asiakas-{i}", contact=f"040 555 {i:04d}")
               for i in range(12)]

    async def scenario() -> None:
        async with agent.test_context() as ctx:
            await all_acked([await ctx.put(as_bytes(r), key=b"k") for r in records])

    asyncio.run(scenario())
    assert errors.counters.dead_letters == 0
    assert len({p for p, _ in sender.checked}) == len(records)
    assert [p for p, durable in sender.checked if not durable] == []
