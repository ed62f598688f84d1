"""What the sink's allocators keep between batches, and giving it back.

A sink catching up on a flood sat at 640–700 MB between batches while Python, pyarrow and
DuckDB together held far less: the allocators kept the pages a batch had freed. glibc kept
40–50 MB free (more with an arena for each thread that allocates), pyarrow's default pool
(mimalloc) kept its own, and DuckDB's jemalloc about 130 MB for a second. Two of these are
given back here: at most two glibc arenas and pyarrow on the C library's malloc (`settle`, once
at the start), and glibc's free pages returned to the system after each batch (`give_back`,
about 2 ms). With the lake's smaller row groups (sinks/lake.py), replaying the 102,249
records of a 20,000-event flood into a fresh store through the sink, alternating with the code
before (2026-12-06 15:25–15:37, load 0.3–1.0): peak RSS 696, 755 and 791 MB before, 665–718 MB
in five runs after; CPU 21.6–26.8 s before, 22.4–23.8 s after. The runs vary by about ±40 MB: this
saves about 60 MB and does not reach the 600 MB aimed at. DuckDB's jemalloc is the larger
keeper; making it give back at once cost about 8 % more CPU (not done).

Only glibc has these calls; elsewhere (musl, macOS) both do nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
from typing import Any

log = logging.getLogger("kokemusvirta.sink")

M_ARENA_MAX = -8  # glibc's mallopt parameter: how many malloc arenas at most
ARENAS = 2


def _glibc() -> Any | None:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        libc = ctypes.CDLL(name)
    except OSError:
        return None
    if not (hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt")):
        return None
    return libc


_LIBC = _glibc()


def settle() -> None:
    """At the sink's start, before its threads allocate: at most `ARENAS` glibc arenas, and
    pyarrow's buffers from the C library's malloc (whose free pages `give_back` returns)."""
    if _LIBC is not None:
        _LIBC.mallopt(M_ARENA_MAX, ARENAS)
    import pyarrow as pa  # the sink's dependency already; imported here to keep this one place

    try:
        pa.set_memory_pool(pa.system_memory_pool())
    except (NotImplementedError, pa.ArrowException) as exc:  # a pyarrow built without it
        log.info("pyarrow keeps its default memory pool: %s", exc)


def give_back() -> bool:
    """After a batch: glibc returns the pages freed since to the system. True if it had
    something to return."""
    if _LIBC is None:
        return False
    return bool(_LIBC.malloc_trim(0))
