"""Rebuild the lifecycle guard's state from the lifecycle topic, before the worker starts.

Reads every partition of the lifecycle topic from its beginning to where it ends now, folding
each event into its item's state (streams/guard.py `fold_logged`). The log is kept forever, so
this is the whole history: about 30 000 events a second here, a few seconds for a county's year.
"""

from __future__ import annotations

import logging
import time

from kafka import KafkaConsumer, TopicPartition

from schemas.dead_letter import Origin
from streams.guard import fold_logged
from streams.lifecycle import ItemState

log = logging.getLogger("kokemusvirta.worker")


def rebuild_states(consumer: KafkaConsumer, topic: str) -> dict[str, ItemState]:
    started = time.monotonic()
    partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic)
                                                           or ())]
    states: dict[str, ItemState] = {}
    if not partitions:
        return states
    consumer.assign(partitions)
    consumer.seek_to_beginning(*partitions)
    ends = consumer.end_offsets(partitions)
    remaining = {tp for tp in partitions if ends[tp] > consumer.position(tp)}
    events = 0
    while remaining:
        for tp, records in consumer.poll(timeout_ms=1000, max_records=5000).items():
            for r in records:
                if r.offset >= ends[tp]:
                    continue
                origin = Origin(topic=r.topic, partition=r.partition, offset=r.offset)
                judgement = fold_logged(states.get(r.key.decode()) if r.key else None,
                                        r.value, origin)
                if judgement.state is not None and judgement.item_id is not None:
                    states[judgement.item_id] = judgement.state
                events += 1
            if consumer.position(tp) >= ends[tp]:
                remaining.discard(tp)
    log.info("lifecycle guard: state of %d items rebuilt from %d lifecycle events in %.1f s",
             len(states), events, time.monotonic() - started)
    return states
