"""FileKeyStore keeps known persons' keys in memory (kokemusvirta/keystore.py get_or_create) and
still decides exactly as reading the files would: a tombstone written by another store (another
process: nothing in memory is shared) is seen on the next call, the key is never used again for a
record from before the forgetting, and a later record gets a new key, as before."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kokemusvirta import keystore
from kokemusvirta.keystore import FileKeyStore
from streams.privacy import Forgotten

NOW = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)
P = "ps-" + "c" * 32


def _no_reads(store: FileKeyStore, monkeypatch: pytest.MonkeyPatch) -> None:
    def read(*_: object) -> None:
        raise AssertionError("a known person's key file was read")
    monkeypatch.setattr(store, "get", read)
    monkeypatch.setattr(store, "forgotten_at", read)


def test_a_known_persons_key_comes_from_memory(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    store = FileKeyStore(tmp_path / "keys")
    key = store.get_or_create("lappi", P, NOW)
    _no_reads(store, monkeypatch)
    assert store.get_or_create("lappi", P, NOW + timedelta(days=1)) == key


def test_an_erasure_by_another_process_is_seen_on_the_next_call(tmp_path: Path) -> None:
    worker, forget = FileKeyStore(tmp_path / "keys"), FileKeyStore(tmp_path / "keys")
    key = worker.get_or_create("lappi", P, NOW)
    assert worker.get_or_create("lappi", P, NOW) == key  # now from memory
    assert forget.erase("lappi", P, NOW + timedelta(hours=1))
    with pytest.raises(Forgotten):  # a record from before the forgetting: no key at all
        worker.get_or_create("lappi", P, NOW)
    with pytest.raises(Forgotten):
        worker.get_or_create("lappi", P, NOW + timedelta(hours=1))
    later = worker.get_or_create("lappi", P, NOW + timedelta(hours=2))  # a new consent
    assert later.version != key.version and later == forget.get("lappi", P)
    # the erased key is not used again, from memory or otherwise, for any record
    for hours in (3, 4):
        assert worker.get_or_create("lappi", P, NOW + timedelta(hours=hours)) == later


def test_the_erasure_is_seen_even_between_two_stores_that_both_remember(tmp_path: Path) -> None:
    a, b = FileKeyStore(tmp_path / "keys"), FileKeyStore(tmp_path / "keys")
    key = a.get_or_create("lappi", P, NOW)
    assert b.get_or_create("lappi", P, NOW) == key  # b read a's key and remembers it
    a.erase("lappi", P, NOW + timedelta(hours=1))
    new = a.get_or_create("lappi", P, NOW + timedelta(hours=2))
    assert b.get_or_create("lappi", P, NOW + timedelta(hours=3)) == new != key


def test_a_key_is_read_again_after_a_while_and_the_memory_is_bounded(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = FileKeyStore(tmp_path / "keys")
    monkeypatch.setattr(keystore, "KNOWN_KEYS", 3)
    people = [f"ps-{i:032x}" for i in range(5)]
    for p in people:
        store.get_or_create("lappi", p, NOW)
    assert len(store._known) == 3 and ("lappi", people[0]) not in store._known
    reads: list[str] = []
    get = store.get

    def counted(county: str, pseudonym: str) -> object:
        reads.append(pseudonym)
        return get(county, pseudonym)
    monkeypatch.setattr(store, "get", counted)
    store.get_or_create("lappi", people[4], NOW)
    assert reads == []
    monkeypatch.setattr(keystore, "KNOWN_KEY_SECONDS", 0.0)
    store.get_or_create("lappi", people[4], NOW)
    assert reads == [people[4]]


def test_a_county_folder_removed_meanwhile_is_made_again(tmp_path: Path) -> None:
    store = FileKeyStore(tmp_path / "keys")
    store.get_or_create("lappi", P, NOW)
    other = "ps-" + "d" * 32
    (tmp_path / "keys" / "lappi" / f"{P}.key").unlink()
    (tmp_path / "keys" / "lappi").rmdir()
    assert store.get_or_create("lappi", other, NOW) == store.get("lappi", other)


def test_threads_sharing_a_store_get_one_key_per_person(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The intake gateway seals in threads: remembering and evicting keys from several at once
    still gives every person one key, the one in their file."""
    monkeypatch.setattr(keystore, "KNOWN_KEYS", 16)
    store = FileKeyStore(tmp_path / "keys")
    people = [f"ps-{i:032x}" for i in range(40)]

    def ask(round_: int) -> list[bytes]:
        return [store.get_or_create("lappi", p, NOW).secret for p in people[round_ % 7:]
                + people[:round_ % 7]]
    with ThreadPoolExecutor(8) as pool:
        rounds = list(pool.map(ask, range(48)))
    on_disk = {p: store.get("lappi", p) for p in people}
    for round_, secrets in enumerate(rounds):
        order = people[round_ % 7:] + people[:round_ % 7]
        assert secrets == [on_disk[p].secret for p in order]  # type: ignore[union-attr]
    assert len(store._known) <= 16 + 8


def test_a_new_key_is_synced_and_then_its_folder_before_it_is_handed_out(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # After a power loss a key whose bytes were synced but whose directory entry was not could
    # be missing, while an output sealed with it was already sent: the folder is synced too.
    synced: list[str] = []
    real_fsync = keystore.os.fsync

    def fsync(fd: int) -> None:
        synced.append("folder" if os.path.isdir(f"/proc/self/fd/{fd}") else "file")
        real_fsync(fd)

    monkeypatch.setattr(keystore.os, "fsync", fsync)
    store = FileKeyStore(tmp_path / "keys")
    store.get_or_create("lappi", P, NOW)
    assert synced[-2:] == ["file", "folder"]
    key_files = list((tmp_path / "keys" / "lappi").glob("*.key"))
    assert len(key_files) == 1 and not list((tmp_path / "keys" / "lappi").glob(".*.tmp"))
