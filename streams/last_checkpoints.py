"""A worker's last checkpoints, published as it stops or gives partitions up in a rebalance.

The timer (streams/app.py) covers the held partitions every few seconds; what the worker wrote
after its last tick would stay "not yet covered" by `kokemusvirta verify` until the partitions'
next holder counts them. So on the way out (Faust's `on_before_shutdown`: the intake's last
batches acknowledged, the group not left yet) and when a rebalance revokes partitions (Faust's
`on_partitions_revoked`, sent once the agents are idle and the producer flushed), the worker
reads the partitions it still holds back to their end and publishes what is due there
(streams/checkpoints.py `due`). Bounded: a broker that is away must not hold the stop up, so
after `within_s` the worker goes on with one log line, and the next holder covers the rest.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger("kokemusvirta.worker")

LAST_CHECKPOINTS_WITHIN_S = 5.0  # at most this long added to a stop or a rebalance


async def publish_last(read_back: Callable[[], Awaitable[None]],
                       publish: Callable[[], Awaitable[int]], *, why: str,
                       within_s: float = LAST_CHECKPOINTS_WITHIN_S) -> bool:
    """Read the held partitions back to their end, then publish the checkpoints due there,
    all within `within_s`. `publish` returns how many it published. True if done in time."""
    try:
        async with asyncio.timeout(within_s):
            await read_back()
            published = await publish()
    except TimeoutError:
        log.warning("the last checkpoints (%s) not published within %g s; the partitions' "
                    "next holder covers them", why, within_s)
        return False
    except Exception as exc:  # noqa: BLE001 - the stop or the rebalance goes on regardless
        log.warning("the last checkpoints (%s) not published (%s); the partitions' next holder "
                    "covers them", why, type(exc).__name__)
        return False
    if published:
        log.info("published the last %d checkpoint(s) (%s)", published, why)
    return True
