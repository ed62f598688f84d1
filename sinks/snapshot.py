"""The readers' snapshot, published by changed blocks instead of a copy of the whole store.

DuckDB lets no other process open a file one process writes, so readers read a copy
(sinks/store.py). Copying the whole store after every commit made a reader's delay grow with
the store (4 s at 0.8 GB, 7.5 s at 1.8 GB). Yet a checkpoint rewrites only a few of the file's
blocks, and every DuckDB block begins with the checksum of its contents: comparing those 8
bytes per block finds the changed ones, and only they are copied (in the kernel,
`copy_file_range`).

A file a reader has open must not change under it. So the snapshot is a link,
`<stem>.snapshot.duckdb`, to one of two files (`-a`, `-b`): the sink patches the one the link
does not point to, then moves the link (an atomic rename). Before patching it takes a write
lock on that file (an open-file-description lock, which conflicts with the read lock DuckDB
holds for every open connection, in this process too): a file some reader still has open is
not patched but unlinked (the reader keeps its copy) and made anew from the whole store, as
before. A reader opening the file while it is patched is refused by the lock and tries again
(sinks/reader.py).

Preconditions (the sink's): the store was just checkpointed and nothing writes to it meanwhile.
"""

from __future__ import annotations

import errno
import fcntl
import os
import struct
from dataclasses import dataclass
from pathlib import Path

# DuckDB's file: three 4 KiB headers, then blocks, each starting with an 8-byte checksum.
HEADERS = 3 * 4096
CHECKSUM = 8
POOL = ("a", "b")


@dataclass(frozen=True)
class Published:
    path: Path  # the file the snapshot link now points to
    blocks: int  # blocks in the store
    copied: int  # blocks copied (all of them when the file was made anew)
    fresh: bool  # made anew: the pool file was held by a reader, or did not exist


def pool_path(link: Path, name: str) -> Path:
    return link.with_name(link.name.replace(".snapshot.duckdb", f".snapshot-{name}.duckdb"))


def _lock(fd: int) -> bool:
    """A write lock on the whole file, without waiting; False when a reader holds it."""
    flock = struct.pack("hhqqi4x", fcntl.F_WRLCK, os.SEEK_SET, 0, 0, 0)
    try:
        fcntl.fcntl(fd, fcntl.F_OFD_SETLK, flock)
    except OSError as exc:
        if exc.errno in (errno.EAGAIN, errno.EACCES):
            return False
        raise
    return True


def _patch(src: int, dst: int, block_size: int) -> tuple[int, int]:
    """Make dst's bytes equal src's: the headers always, then each block whose checksum
    differs. Returns (blocks, copied)."""
    size = os.fstat(src).st_size
    old_size = os.fstat(dst).st_size
    os.ftruncate(dst, size)
    _copy(src, dst, 0, min(HEADERS, size))
    blocks = copied = 0
    for offset in range(HEADERS, size, block_size):
        blocks += 1
        length = min(block_size, size - offset)
        if offset + CHECKSUM <= old_size and \
                os.pread(src, CHECKSUM, offset) == os.pread(dst, CHECKSUM, offset):
            continue
        _copy(src, dst, offset, length)
        copied += 1
    os.fsync(dst)
    return blocks, copied


def _copy(src: int, dst: int, offset: int, length: int) -> None:
    done = 0
    while done < length:
        n = os.copy_file_range(src, dst, length - done, offset + done, offset + done)
        if n == 0:
            raise OSError(errno.EIO, "the store ended while it was copied")
        done += n


def publish(store: Path, link: Path, block_size: int) -> Published:
    """Bring a pool file not in use up to the store's bytes and point the link at it."""
    current = os.readlink(link) if link.is_symlink() else None
    name = next(n for n in POOL if pool_path(link, n).name != current)
    target = pool_path(link, name)
    fresh = not target.exists()
    fd = os.open(target, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if not _lock(fd):  # a reader still has it open: leave it that copy, start anew
            os.close(fd)
            target.unlink()
            fresh = True
            fd = os.open(target, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
            if not _lock(fd):
                raise OSError(errno.EAGAIN, f"{target} is held by a reader since it was made")
        src = os.open(store, os.O_RDONLY)
        try:
            blocks, copied = _patch(src, fd, block_size)
        finally:
            os.close(src)
    finally:
        os.close(fd)  # releases the lock
    tmp = link.with_name(link.name + ".tmp")
    tmp.unlink(missing_ok=True)
    tmp.symlink_to(target.name)
    os.replace(tmp, link)
    return Published(target, blocks, copied, fresh)
