"""`python -m kokemusvirta.bench.signing`: what the worker's signatures cost per source event.

In process, no broker: the worker's own processing (streams/processing.py, the rule-based
classifier, privacy off) of the scenario's records, timed without signing and with it
(streams/checkpoints.py `sign_outputs` and the checkpoint book's count of every signed event, as
the worker does it), best of a few rounds. Also shown: what one Ed25519 signature and one
verification cost, and what a signed digest per batch would save, for the choice between the two.
"""

from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from scenario import generate
from schemas.dead_letter import Origin
from schemas.lifecycle import LifecycleEvent
from schemas.seals import EVENT_CONTEXT
from schemas.topics import TopicNames
from streams.checkpoints import CheckpointBook, covered_hash, sign_outputs
from streams.processing import Processor

AT = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)


class _Key:
    def __init__(self) -> None:
        self.private = Ed25519PrivateKey.generate()
        self.key_id = "0" * 16

    def sign(self, message: bytes) -> bytes:
        return self.private.sign(message)


def measure(events: int, rounds: int) -> dict[str, float]:
    """Per source event: the processing as before, and what signing adds to it (signing the
    outputs, counting them in the checkpoint book), timed apart in the same round so that a busy
    machine slows both alike; the best of `rounds`."""
    topics = TopicNames("kv.")
    processor = Processor(topics)
    records = [r.value for r in generate(7, events=events)]
    signer = _Key()
    plain, signing = [], []
    for _ in range(rounds + 1):  # the first round warms the classifier's caches
        started = time.perf_counter()
        outputs = [processor.process(raw, Origin(topic=topics.intake, partition=0,
                                                 offset=offset), AT)
                   for offset, raw in enumerate(records)]
        processed = time.perf_counter()
        book = CheckpointBook(signer, topics)
        for offset, outs in enumerate(outputs):
            for out in sign_outputs(outs, signer, topics):
                if isinstance(out.event, LifecycleEvent):
                    book.delivered(out.topic, 0, offset, str(out.event.event_id),
                                   covered_hash(out.event))
        signed = time.perf_counter()
        plain.append((processed - started) / len(records))
        signing.append((signed - processed) / len(records))
    message = EVENT_CONTEXT + b"0" * 64
    n = 5_000
    started = time.perf_counter()
    for _ in range(n):
        signature = signer.sign(message)
    sign_one = (time.perf_counter() - started) / n
    public = signer.private.public_key()
    started = time.perf_counter()
    for _ in range(n):
        public.verify(signature, message)
    verify_one = (time.perf_counter() - started) / n
    return {"plain": min(plain[1:]), "signed": min(plain[1:]) + min(signing[1:]),
            "sign_one": sign_one, "verify_one": verify_one}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=3_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    f = measure(args.events, args.rounds)
    extra = f["signed"] - f["plain"]
    print(f"per source event (3 lifecycle events each), best of {args.rounds} rounds of "
          f"{args.events}:")
    print(f"  without signing: {f['plain'] * 1e6:8.1f} µs")
    print(f"  with signing:    {f['signed'] * 1e6:8.1f} µs  (+{extra * 1e6:.1f} µs, "
          f"+{100 * extra / f['plain']:.1f} %)")
    print(f"  one Ed25519 signature {f['sign_one'] * 1e6:.1f} µs, one verification "
          f"{f['verify_one'] * 1e6:.1f} µs")
    print(f"  a signed digest per batch would save at most {3 * f['sign_one'] * 1e6:.1f} µs "
          f"per source event ({100 * 3 * f['sign_one'] / f['plain']:.1f} %)")


if __name__ == "__main__":
    main()
