"""The key store and the pseudonym key stay private: files 0600 in 0700 folders, set when made
(tests/unit/streams/test_privacy.py) and tightened again when an existing store or key is opened
(a restored backup, a copy made under a loose umask, a chmod by hand)."""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime
from pathlib import Path

from kokemusvirta.keystore import FileKeyStore, pseudonym_key
from kokemusvirta.settings import Settings

NOW = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)
PSEUDONYMS = ("ps-" + "a" * 32, "ps-" + "b" * 32)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_loosened_key_store_is_tightened_when_opened(tmp_path: Path) -> None:
    root = tmp_path / "keys"
    keys = FileKeyStore(root)
    for county in ("lappi", "pirkanmaa"):
        for p in PSEUDONYMS:
            keys.get_or_create(county, p, NOW)
    keys.erase("lappi", PSEUDONYMS[1], NOW)  # a tombstone is a file of the store too
    files = sorted(f for f in root.rglob("*") if f.is_file())
    folders = [root, *sorted(d for d in root.rglob("*") if d.is_dir())]
    assert len(files) == 4 and len(folders) == 3
    assert {mode(f) for f in files} == {0o600} and {mode(d) for d in folders} == {0o700}
    for f in files:
        os.chmod(f, 0o644)
    for d in folders:
        os.chmod(d, 0o755)

    FileKeyStore(root)  # a worker, the gateway or `forget` opening the existing store

    assert {f.name: mode(f) for f in files} == {f.name: 0o600 for f in files}
    assert {d.name: mode(d) for d in folders} == {d.name: 0o700 for d in folders}


def test_a_private_key_store_is_left_as_it_is(tmp_path: Path) -> None:
    root = tmp_path / "keys"
    FileKeyStore(root).get_or_create("lappi", PSEUDONYMS[0], NOW)
    key = root / "lappi" / f"{PSEUDONYMS[0]}.key"
    os.chmod(key, 0o400)  # stricter than needed: nothing to tighten
    FileKeyStore(root)
    assert mode(key) == 0o400
    FileKeyStore(tmp_path / "not-yet")  # no store yet: nothing is made until a key is
    assert not (tmp_path / "not-yet").exists()


def test_a_loosened_pseudonym_key_and_its_folder_are_tightened(tmp_path: Path) -> None:
    home = tmp_path / "home"
    dev = Settings(KOKEMUSVIRTA_HOME=home)  # type: ignore[call-arg]
    first = pseudonym_key(dev)
    path = home / "pseudonym-dev.key"
    assert mode(path) == 0o600 and mode(home) == 0o700
    os.chmod(path, 0o644)
    os.chmod(home, 0o755)
    assert pseudonym_key(dev) == first
    assert mode(path) == 0o600 and mode(home) == 0o700
