"""The worker's outputs for a fixed input are a fixed digest: making its logic cheaper
(kokemusvirta.bench.logic) must not change one byte of what it emits.

A fixed seeded intake (the logic bench's generator) goes through what the worker does with each
record, as the bench does (streams/app.py's intake agent): the error policy around the Processor
with the worker's configuration (time window, the demo's organisation registry), privacy with
fixed per-person keys, signing with a fixed Ed25519 key, the guard's fold of the system steps
read back and the checkpoint book's signed checkpoints. Every output's topic, key and value, the
checkpoints and the guard's item states go, in order, into one SHA-256. The digest was recorded
on the code before the optimisation (the commit that added this test passes on it).

If an intended change of the outputs (a new field, a new classifier version) changes it, record
the new digest in the same commit and say why there.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kokemusvirta.organisations import demo_organisations
from scenario import generate
from schemas.dead_letter import Origin
from schemas.topics import TopicNames
from streams.checkpoints import CheckpointBook, sign_outputs
from streams.config import WorkerConfig
from streams.errors import ErrorPolicy
from streams.guard_agent import note_written
from streams.guard_state import StateBook
from streams.privacy import Forgotten, PersonKey, Privacy
from streams.processing import Processor
from streams.timing import TimeWindow
from tests.signers import MemorySigner

TOPICS = TopicNames("kv.")
AT = datetime(2026, 10, 20, 12, 0, tzinfo=UTC)
EVENTS = 1_500
SEED = 7
BATCH = WorkerConfig.intake_batch_max  # records a batch: the worker's keys made durable once each
GOLDEN = "47a7161f7874aba74fff7a63c75eaa3b6657f2692086630b7ca22eb8d8a7d9c4"


@dataclass
class FixedKeyStore:
    """Each person's key derived from their county and pseudonym: the same on every run."""

    forgotten: dict[tuple[str, str], datetime]

    def get(self, county: str, pseudonym: str) -> PersonKey | None:
        return self._key(county, pseudonym)

    def get_or_create(self, county: str, pseudonym: str, recorded_at: datetime) -> PersonKey:
        at = self.forgotten.get((county, pseudonym))
        if at is not None and at >= recorded_at:
            raise Forgotten(pseudonym)
        return self._key(county, pseudonym)

    def erase(self, county: str, pseudonym: str, at: datetime) -> bool:
        self.forgotten[county, pseudonym] = at
        return True

    def forgotten_at(self, county: str, pseudonym: str) -> datetime | None:
        return self.forgotten.get((county, pseudonym))

    def make_durable(self) -> None:
        """Nothing to keep: every key is derived again."""

    @staticmethod
    def _key(county: str, pseudonym: str) -> PersonKey:
        seed = hashlib.sha512(f"{county}/{pseudonym}".encode()).digest()
        return PersonKey(seed[:8].hex(), seed)


def _signer() -> MemorySigner:
    return MemorySigner(Ed25519PrivateKey.from_private_bytes(b"golden-outputs-signing-key-32by."))


def outputs_digest(events: int = EVENTS, seed: int = SEED) -> tuple[str, int]:
    """The digest over everything the worker emits for the fixed intake, and how many outputs."""
    signer = _signer()
    privacy = Privacy(b"golden-" + b"1" * 57, FixedKeyStore({}))
    processor = Processor(TOPICS, privacy=privacy, window=TimeWindow(),
                          organisations=demo_organisations())
    errors = ErrorPolicy(TOPICS)
    checkpoints = CheckpointBook(signer, TOPICS)
    guard = StateBook(TOPICS.lifecycle)
    guard.assign([0])
    digest = hashlib.sha256()
    read_back = dead_letters = n = 0
    for offset, record in enumerate(generate(seed, events=events)):
        origin = Origin(topic=TOPICS.intake, partition=offset % 3, offset=offset)
        # Most records with their Kafka timestamp, some (older producers) without one; the
        # receipt moves on, so the time window's "no later than 24 h after receipt" bites too.
        received_at = None if offset % 11 == 5 else AT + timedelta(minutes=offset)
        outs = sign_outputs(errors.process(processor, record.value, origin, received_at),
                            signer, TOPICS)
        note_written(guard, outs, TOPICS, 1)
        for out in outs:
            n += 1
            for part in (out.topic.encode(), out.key, out.value):
                digest.update(len(part).to_bytes(4, "big") + part)
            if out.topic == TOPICS.lifecycle:
                event = guard.fold(0, read_back, out.value)
                checkpoints.read_back(out.topic, 0, read_back, event)
                read_back += 1
            elif out.topic == TOPICS.dead_letters:
                checkpoints.read_back(out.topic, 0, dead_letters, out.event)
                dead_letters += 1
        if offset % BATCH == BATCH - 1:
            privacy.make_keys_durable()  # as the intake agent does before it hands a batch over
    for checkpoint in checkpoints.due(AT):
        digest.update(checkpoint.model_dump_json().encode())
    for item_id, state in sorted(guard.partitions[0].states.items()):
        # A frozenset's order follows the process's string hashing: sorted, the same in every run.
        # Field by field in their order (the state has slots, no __dict__, since 727a7e0's
        # memory work; vars() gave the same names in the same order before).
        fields = {f.name: sorted(v) if isinstance(v := getattr(state, f.name), frozenset) else v
                  for f in dataclasses.fields(state)}
        digest.update(f"{item_id}={fields!r}".encode())
    return digest.hexdigest(), n


def test_the_workers_outputs_for_a_fixed_intake_are_unchanged() -> None:
    digest, outputs = outputs_digest()
    assert outputs > 4 * EVENTS  # three lifecycle events and a routed copy per item, at least
    assert digest == GOLDEN
