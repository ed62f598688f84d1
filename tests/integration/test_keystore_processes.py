"""The worker's key store remembers known persons' keys (kokemusvirta/keystore.py), and `forget`
runs in another process: here a real second process erases keys while this one keeps asking for
them, and once an erasure has returned this process never hands out the erased key again (a
record from before the forgetting gets none; a later one a new key). No broker."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kokemusvirta.keystore import FileKeyStore
from streams.privacy import Forgotten

NOW = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)
ERASER = """
import sys
from datetime import datetime
from pathlib import Path
from kokemusvirta.keystore import FileKeyStore
store = FileKeyStore(Path(sys.argv[1]))
for line in sys.stdin:
    pseudonym, at = line.split()
    store.erase("lappi", pseudonym, datetime.fromisoformat(at))
    print("erased", pseudonym, flush=True)
"""


@pytest.mark.parametrize("per_batch", [False, True])
def test_an_erasure_in_another_process_ends_the_remembered_key(tmp_path: Path,
                                                               per_batch: bool) -> None:
    """`per_batch`: the worker's store, its new keys made durable once a batch (here once a
    person): erasing behaves the same."""
    root = tmp_path / "keys"
    worker = FileKeyStore(root, durable_per_batch=per_batch)
    people = [f"ps-{i:032x}" for i in range(40)]
    keys = {p: worker.get_or_create("lappi", p, NOW) for p in people}
    assert all(worker.get_or_create("lappi", p, NOW) == keys[p] for p in people)  # remembered
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    eraser = subprocess.Popen([sys.executable, "-c", ERASER, str(root)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, env=env)
    assert eraser.stdin is not None and eraser.stdout is not None
    try:
        for i, p in enumerate(people):
            forgotten_at = NOW + timedelta(hours=1)
            eraser.stdin.write(f"{p} {forgotten_at.isoformat()}\n")
            eraser.stdin.flush()
            assert eraser.stdout.readline().split() == ["erased", p]
            with pytest.raises(Forgotten):  # a replayed record from before the forgetting
                worker.get_or_create("lappi", p, NOW + timedelta(minutes=i))
            later = worker.get_or_create("lappi", p, NOW + timedelta(hours=2))
            assert later.version != keys[p].version
            assert worker.get_or_create("lappi", p, NOW + timedelta(hours=3)) == later
            # the persons not yet forgotten keep their keys
            rest = people[i + 1:]
            assert all(worker.get_or_create("lappi", q, NOW) == keys[q] for q in rest)
            worker.make_durable()
    finally:
        eraser.stdin.close()
        assert eraser.wait(timeout=30) == 0
    assert not any((root / "lappi" / f"{p}.key").read_bytes() == b"" for p in people)
