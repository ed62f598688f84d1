"""When a person's key is durable (kokemusvirta/keystore.py): no output sealed with a key may be
sent before the key's bytes and its name are on disk. By default each key is made durable before
get_or_create returns it; the worker's store (`durable_per_batch`) writes keys without fsync and
makes them all durable in `make_durable`, once a batch. os.fsync is wrapped here to see what was
synced, and os.link to see when a key's name appeared."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kokemusvirta.keystore import FileKeyStore
from schemas.feedback import FeedbackSubmitted
from streams.privacy import Privacy
from tests.factories import feedback

NOW = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)
PEOPLE = [f"ps-{i:032x}" for i in range(6)]


@dataclass
class Disk:
    """What was synced (by inode), and in which order names were linked and folders synced."""

    steps: int = 0
    synced: dict[tuple[int, int], int] = field(default_factory=dict)  # inode: its last fsync
    linked: dict[str, int] = field(default_factory=dict)  # a key's path: when it was linked
    fsyncs: int = 0

    def durable(self, key_file: Path) -> bool:
        """The key's bytes synced, and its folder synced after its name was linked."""
        st, folder = key_file.stat(), key_file.parent.stat()
        linked = self.linked.get(os.fspath(key_file), -1)
        return ((st.st_dev, st.st_ino) in self.synced
                and self.synced.get((folder.st_dev, folder.st_ino), -1) > linked)


@pytest.fixture
def disk(monkeypatch: pytest.MonkeyPatch) -> Iterator[Disk]:
    seen = Disk()
    fsync, link = os.fsync, os.link

    def recorded_fsync(fd: int) -> None:
        fsync(fd)
        st = os.fstat(fd)
        seen.steps += 1
        seen.fsyncs += 1
        seen.synced[st.st_dev, st.st_ino] = seen.steps

    def recorded_link(src: str, dst: str) -> None:
        link(src, dst)
        seen.steps += 1
        seen.linked[os.fspath(dst)] = seen.steps

    monkeypatch.setattr(os, "fsync", recorded_fsync)
    monkeypatch.setattr(os, "link", recorded_link)
    yield seen


def _key_file(root: Path, pseudonym: str) -> Path:
    return root / "lappi" / f"{pseudonym}.key"


def test_by_default_each_key_is_durable_when_it_is_handed_out(tmp_path: Path,
                                                              disk: Disk) -> None:
    store = FileKeyStore(tmp_path / "keys")
    for p in PEOPLE[:3]:
        store.get_or_create("lappi", p, NOW)
        assert disk.durable(_key_file(tmp_path / "keys", p))
    assert disk.fsyncs == 6  # the file and its folder, per key, as before
    store.make_durable()
    assert disk.fsyncs == 6


def test_per_batch_keys_are_durable_only_after_make_durable_each_folder_once(
        tmp_path: Path, disk: Disk) -> None:
    root = tmp_path / "keys"
    store = FileKeyStore(root, durable_per_batch=True)
    for p in PEOPLE:
        store.get_or_create("lappi", p, NOW)
    store.get_or_create("lappi", PEOPLE[0], NOW)  # from memory: nothing new to keep
    assert disk.fsyncs == 0
    assert not any(disk.durable(_key_file(root, p)) for p in PEOPLE)
    store.make_durable()
    assert all(disk.durable(_key_file(root, p)) for p in PEOPLE)
    assert disk.fsyncs == len(PEOPLE) + 1
    store.make_durable()  # nothing handed out since
    assert disk.fsyncs == len(PEOPLE) + 1


@pytest.mark.parametrize("per_batch", [False, True])
def test_a_key_read_from_another_process_is_made_durable_before_it_is_used(
        tmp_path: Path, disk: Disk, per_batch: bool) -> None:
    """A worker's new key is not synced until its batch is handed over; another process (the
    gateway, another worker) that reads it meanwhile must not send what it seals first."""
    root = tmp_path / "keys"
    worker = FileKeyStore(root, durable_per_batch=True)
    key = worker.get_or_create("lappi", PEOPLE[0], NOW)
    other = FileKeyStore(root, durable_per_batch=per_batch)
    assert other.get_or_create("lappi", PEOPLE[0], NOW) == key
    if per_batch:
        assert not disk.durable(_key_file(root, PEOPLE[0]))
        other.make_durable()
    assert disk.durable(_key_file(root, PEOPLE[0]))


def test_a_sender_after_make_durable_only_sends_durable_keys(tmp_path: Path,
                                                             disk: Disk) -> None:
    """The worker's order (streams/app.py): seal a batch, make its keys durable, hand it over.
    The fake sender checks, for every seal it is given, that the key behind it is durable."""
    root = tmp_path / "keys"
    privacy = Privacy(b"k" * 64, FileKeyStore(root, durable_per_batch=True))
    sent: list[bool] = []

    def send(pseudonym: str) -> None:
        sent.append(disk.durable(_key_file(root, pseudonym)))

    for batch in range(3):
        sealed = [privacy.protect(FeedbackSubmitted.model_validate(feedback(
                      client_id=f"c{batch}-{i}", contact=f"04{batch}{i}123456")))
                  for i in range(4)]
        privacy.make_keys_durable()
        for p in sealed:
            assert p.contact_sealed is not None
            send(p.contact_sealed.key_id)
    assert sent == [True] * 12


def test_a_key_erased_before_make_durable_needs_nothing(tmp_path: Path, disk: Disk) -> None:
    root = tmp_path / "keys"
    worker = FileKeyStore(root, durable_per_batch=True)
    worker.get_or_create("lappi", PEOPLE[0], NOW)
    worker.get_or_create("lappi", PEOPLE[1], NOW)
    assert FileKeyStore(root).erase("lappi", PEOPLE[0], NOW)  # `kokemusvirta forget`
    worker.make_durable()
    assert not _key_file(root, PEOPLE[0]).exists()
    assert FileKeyStore(root).forgotten_at("lappi", PEOPLE[0]) == NOW
    assert disk.durable(_key_file(root, PEOPLE[1]))


def test_keys_stay_to_be_made_durable_when_a_sync_fails(tmp_path: Path, disk: Disk,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "keys"
    store = FileKeyStore(root, durable_per_batch=True)
    store.get_or_create("lappi", PEOPLE[0], NOW)
    fsync = os.fsync

    def failing(fd: int) -> None:
        raise OSError(5, "Input/output error")
    monkeypatch.setattr(os, "fsync", failing)
    with pytest.raises(OSError):
        store.make_durable()
    monkeypatch.setattr(os, "fsync", fsync)
    store.make_durable()
    assert disk.durable(_key_file(root, PEOPLE[0]))


@pytest.mark.parametrize("per_batch", [False, True])
def test_an_empty_key_file_left_by_a_power_loss_is_replaced(tmp_path: Path,
                                                           per_batch: bool) -> None:
    """A key linked before its bytes were synced, cut short: no output used it."""
    root = tmp_path / "keys"
    store = FileKeyStore(root, durable_per_batch=per_batch)
    store.get_or_create("lappi", PEOPLE[1], NOW)  # the county's folder
    _key_file(root, PEOPLE[0]).write_bytes(b"")
    key = store.get_or_create("lappi", PEOPLE[0], NOW)
    assert FileKeyStore(root).get("lappi", PEOPLE[0]) == key
    _key_file(root, PEOPLE[2]).write_bytes(b"")
    assert FileKeyStore(root).get("lappi", PEOPLE[2]) is None
