"""The project's own key store for per-person contact keys, one small file per person.

    $KOKEMUSVIRTA_KEY_STORE/<county>/<pseudonym>.key        {"version", "key", "created_at"}
    $KOKEMUSVIRTA_KEY_STORE/<county>/<pseudonym>.forgotten  {"forgotten_at"}

Directories are 0700 and files 0600. A key is created atomically (written aside, then linked in
place, which fails if another process was first: both then use the winner's key), so the intake
gateway and several workers can share one store. Erasing overwrites the file before unlinking it;
on copy-on-write or journalling file systems and SSDs that is no guarantee, so put the store on
an encrypted volume and keep its backups short-lived: crypto-shredding is only as good as the
deletion of the key and its copies. Also here: the pseudonym key, from the settings or, for
development, generated once.

A store remembers the keys it read or made (get_or_create): a known person costs one stat of
their tombstone, not two file reads, and an erasure by any process is still seen at once (the
tombstone comes first). A remembered key is dropped when its tombstone appears, after
KNOWN_KEY_SECONDS, or when KNOWN_KEYS newer ones are remembered.

No output that uses a key may be sent before the key's bytes and its name are durable (after a
power loss a published output must never refer to a key that is gone). By default get_or_create
makes each key durable before it returns it (two fsyncs for a new key). The worker's store is
made with `durable_per_batch`: a new key is written and linked without fsync, and every key the
store handed out since the last time (made, or read from a file another process may not have
synced yet) is made durable at once by `make_durable`, which the worker calls before it hands a
batch's outputs over (streams/app.py). A key file linked before its bytes were synced can be
left empty by a power loss; no output used it (make_durable never finished for it), so it is
taken for missing and replaced (`_existing`).

The modes are set when a folder or file is made and tightened again when an existing store or
pseudonym key is opened (a restored backup, a copy made under a loose umask). Readers of the
DuckDB store cannot reach these files at all (sinks/reader.py: DuckDB's file access is off).
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import logging
import os
import re
import secrets
import stat
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from kokemusvirta.settings import Settings
from streams.privacy import Forgotten, PersonKey, Privacy

log = logging.getLogger("kokemusvirta.privacy")

_COUNTY = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
_PSEUDONYM = re.compile(r"^ps-[0-9a-f]{32}$")
# A known person's key is used from memory (FileKeyStore.get_or_create) for at most this long,
# and at most this many keys are kept (about 0.4 kB each): a bound on how long a forgotten
# person's key can stay in a running worker's memory when no record of theirs comes again.
KNOWN_KEY_SECONDS = 600.0
KNOWN_KEYS = 50_000


def _private_dir(path: Path) -> Path:
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(path, 0o700)
    return path


def _tightened(path: str, mode: int) -> None:
    """`path` given `mode` when group or others may use it (a stat, no write, when private).
    A file another process erased meanwhile needs nothing."""
    with contextlib.suppress(FileNotFoundError):
        if stat.S_IMODE(os.stat(path).st_mode) & 0o077:
            os.chmod(path, mode)


def _tighten(root: Path) -> None:
    """An existing key store private again: its folders 0700, its files 0600. Links are left
    alone (a chmod would change what they point at)."""
    if not root.is_dir() or root.is_symlink():
        return
    _tightened(str(root), 0o700)
    with os.scandir(root) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                _tighten(Path(entry.path))
            elif entry.is_file(follow_symlinks=False):
                _tightened(entry.path, 0o600)


def _read(path: str) -> bytes:
    """A file's bytes, as Path.read_bytes but without making a Path (a key store's hot path)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        chunks = []
        while chunk := os.read(fd, 65_536):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _write_new(path: str | Path, data: bytes, *, durable: bool = True) -> bool:
    """Write a 0600 file that must not exist yet; False if another writer was first. Not
    `durable`: neither its bytes nor its name synced (the caller makes it durable later)."""
    folder, name = os.path.split(path)
    tmp = os.path.join(folder, f".{name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, data)
        if durable:
            os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(tmp, path)
    except FileExistsError:
        return False
    finally:
        os.unlink(tmp)
    if durable:
        # The key's name durable too, before any output that uses the key can be sent: the
        # file's bytes were synced, but after a power loss its directory entry could be missing.
        _sync_folder(folder)
    return True


def _sync_file(path: str) -> bool:
    """The file's bytes on disk; False if it is gone (erased meanwhile: nothing to keep)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    return True


@contextlib.contextmanager
def _locked(folder: str) -> Iterator[None]:
    """An exclusive lock shared by every process using the store (a lock file in `folder`)."""
    fd = os.open(os.path.join(folder, ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _sync_folder(folder: str) -> None:
    fd = os.open(folder or ".", os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class FileKeyStore:
    """KeyStore (streams/privacy.py) in a directory; see the module's docstring."""

    def __init__(self, root: Path, *, durable_per_batch: bool = False) -> None:
        """`durable_per_batch`: keys made durable by `make_durable`, not one by one (see the
        module's docstring); the caller must call it before sending what uses them."""
        self.root = root
        self._per_batch = durable_per_batch
        # Key files handed out since the last make_durable (durable_per_batch only).
        self._not_durable: set[str] = set()
        _tighten(root)
        # Keys this store read or made, by (county, pseudonym): (the tombstone's path, the key,
        # time.monotonic() when remembered). See get_or_create.
        self._known: dict[tuple[str, str], tuple[str, PersonKey, float]] = {}
        self._private: set[str] = set()  # folders this store made private already
        # The intake gateway seals in threads: one of them at a time adds (and evicts) a key.
        # Looking one up needs no lock (a dict's get and pop are atomic).
        self._remembering = threading.Lock()
        self._root = os.fspath(root)

    def _files(self, county: str, pseudonym: str) -> tuple[str, str]:
        """The person's key file and tombstone, as strings: made for every record, and a Path
        costs several microseconds more."""
        if not _COUNTY.match(county) or not _PSEUDONYM.match(pseudonym):
            raise ValueError("not a county code and a pseudonym (ps- and 32 hex digits)")
        folder = os.path.join(self._root, county, pseudonym)
        return f"{folder}.key", f"{folder}.forgotten"

    def _paths(self, county: str, pseudonym: str) -> tuple[Path, Path]:
        key, tomb = self._files(county, pseudonym)
        return Path(key), Path(tomb)

    def get(self, county: str, pseudonym: str) -> PersonKey | None:
        return self._existing(self._files(county, pseudonym)[0])

    def get_or_create(self, county: str, pseudonym: str, recorded_at: datetime) -> PersonKey:
        """The person's key (streams/privacy.py KeyStore).

        A key once read or made is kept in memory and used again while the person's tombstone
        does not exist: one stat instead of reading two files. That is exactly what reading
        the files would decide. The key file changes only by `erase` (made once, never
        rewritten: `_write_new` links it in place or loses to the first writer), and `erase`,
        in whatever process, first puts the tombstone in place and only then destroys the key;
        tombstones are never removed. So while no tombstone exists the key file holds the key
        remembered here, and once one exists (seen by the stat, as the old read of it saw it)
        the files decide again, as before.
        """
        person = (county, pseudonym)
        known = self._known.get(person)
        if known is not None:
            tomb, key, since = known
            if time.monotonic() - since < KNOWN_KEY_SECONDS:
                try:
                    os.stat(tomb)
                except FileNotFoundError:
                    return key
            self._known.pop(person, None)  # forgotten (or long kept): read the files again
        forgotten = self.forgotten_at(county, pseudonym)
        if forgotten is not None and forgotten >= recorded_at:
            raise Forgotten(pseudonym)
        key = self._read_or_make(county, pseudonym)
        if forgotten is None:
            remembered = (self._files(county, pseudonym)[1], key, time.monotonic())
            with self._remembering:
                if len(self._known) >= KNOWN_KEYS:
                    # the one remembered first (a look-up's pop in another thread may change
                    # the dict under the iterator: then one fewer is dropped this time)
                    with contextlib.suppress(RuntimeError, StopIteration):
                        self._known.pop(next(iter(self._known)), None)
                self._known[person] = remembered
        return key

    def _read_or_make(self, county: str, pseudonym: str) -> PersonKey:
        key_path, _ = self._files(county, pseudonym)
        existing = self.get(county, pseudonym)
        if existing is None:
            new = PersonKey.generate()
            record = {"version": new.version, "key": base64.b64encode(new.secret).decode(),
                      "created_at": datetime.now().astimezone().isoformat()}
            if self._write_key(key_path, json.dumps(record).encode(), durable=not self._per_batch):
                if self._per_batch:
                    self._not_durable.add(key_path)
                return new
            existing = self.get(county, pseudonym)  # another writer was first: theirs
            assert existing is not None
        # Read from a file that another process (a worker with durable_per_batch) may have made
        # and not synced yet: durable before it is used, as a key made here.
        if self._per_batch:
            self._not_durable.add(key_path)
        elif _sync_file(key_path):
            _sync_folder(os.path.dirname(key_path))
        return existing

    def _existing(self, key_path: str) -> PersonKey | None:
        """The key in `key_path`; None if there is none, or only an empty file: one linked
        before its bytes were synced and cut short by a power loss. No output used that key (it
        was never made durable), so it is removed, under a lock so that of two processes
        finding it only one removes it: the other then finds the first one's new key, or none."""
        try:
            data = _read(key_path)
        except FileNotFoundError:
            return None
        if not data:
            with _locked(os.path.dirname(key_path)), contextlib.suppress(FileNotFoundError):
                if os.stat(key_path).st_size == 0:
                    log.warning("an empty key file (a power loss before it was synced): "
                                "%s replaced", os.path.basename(key_path))
                    os.unlink(key_path)
            try:
                data = _read(key_path)
            except FileNotFoundError:
                return None
        record = json.loads(data)
        return PersonKey(record["version"], base64.b64decode(record["key"]))

    def make_durable(self) -> None:
        """Every key handed out since the last call durable: its file's bytes, then its name
        (each folder once). A key erased meanwhile needs nothing. On an error the keys stay
        to be made durable, and the caller must not send what uses them."""
        keys, self._not_durable = self._not_durable, set()
        try:
            folders = {os.path.dirname(k) for k in keys if _sync_file(k)}
            for folder in folders:
                _sync_folder(folder)
        except BaseException:
            self._not_durable |= keys
            raise

    def _write_key(self, key_path: str, data: bytes, *, durable: bool) -> bool:
        """_write_new in the county's folder, made private once per store rather than per key
        (a mkdir and a chmod of two folders); made again if it went away meanwhile."""
        folder = os.path.dirname(key_path)
        if folder not in self._private:
            _private_dir(self.root)
            _private_dir(Path(folder))
            self._private.add(folder)
        try:
            return _write_new(key_path, data, durable=durable)
        except FileNotFoundError:  # the folder was removed meanwhile
            self._private.discard(folder)
            _private_dir(self.root)
            _private_dir(Path(folder))
            return _write_new(key_path, data, durable=durable)

    def erase(self, county: str, pseudonym: str, at: datetime) -> bool:
        key_path, tomb_path = self._paths(county, pseudonym)
        _private_dir(self.root)
        _private_dir(key_path.parent)
        tomb = tomb_path.with_name(f".{tomb_path.name}.tmp")
        fd = os.open(tomb, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, json.dumps({"forgotten_at": at.isoformat()}).encode())
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tomb, tomb_path)  # first the tombstone: no worker makes a key for old records
        try:
            size = key_path.stat().st_size
        except FileNotFoundError:
            return False
        with open(key_path, "r+b") as f:
            f.write(b"\0" * size)
            f.flush()
            os.fsync(f.fileno())
        key_path.unlink()
        dir_fd = os.open(key_path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
        return True

    def forgotten_at(self, county: str, pseudonym: str) -> datetime | None:
        _, tomb_path = self._files(county, pseudonym)
        try:
            return datetime.fromisoformat(json.loads(_read(tomb_path))["forgotten_at"])
        except FileNotFoundError:
            return None


def pseudonym_key(settings: Settings) -> bytes:
    """KOKEMUSVIRTA_PSEUDONYM_KEY, or a development key generated once in $KOKEMUSVIRTA_HOME."""
    if settings.pseudonym_key is not None:
        return settings.pseudonym_key.get_secret_value().encode()
    path = settings.home / "pseudonym-dev.key"
    log.warning("KOKEMUSVIRTA_PSEUDONYM_KEY is not set: using the development key in %s. Set it "
                "in production (pseudonyms change with the key, and must match across the "
                "gateway and every worker)", path)
    _private_dir(settings.home)
    with contextlib.suppress(FileNotFoundError):
        _tightened(str(path), 0o600)
        return path.read_bytes().strip()
    _write_new(path, secrets.token_hex(32).encode())
    return path.read_bytes().strip()


def privacy_from_settings(settings: Settings, *, durable_per_batch: bool = False) -> Privacy:
    """`durable_per_batch`: for the worker, which calls Privacy.make_keys_durable per batch."""
    return Privacy(pseudonym_key(settings),
                   FileKeyStore(settings.key_store, durable_per_batch=durable_per_batch))
