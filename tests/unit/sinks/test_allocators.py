"""The sink's allocator settings (sinks/allocators.py): on this project's machines (glibc) the
calls are there and take effect; pyarrow's buffers come from the C library's malloc."""

from __future__ import annotations

import ctypes
import re
from pathlib import Path

import pyarrow as pa
import pytest

from sinks import allocators


def _rss_kb() -> int:
    found = re.search(r"VmRSS:\s+(\d+)", Path("/proc/self/status").read_text())
    assert found
    return int(found.group(1))


def test_give_back_returns_the_pages_a_batch_freed_to_the_system() -> None:
    """50 MB in small blocks freed below one block still held (so glibc cannot shrink its
    heap by itself): the pages stay with the process until `give_back`."""
    libc = allocators._LIBC
    assert libc is not None  # glibc: Debian, the CI machines and the image
    libc.malloc.restype = ctypes.c_void_p
    libc.free.argtypes = [ctypes.c_void_p]
    blocks = [libc.malloc(1024) for _ in range(50_000)]
    pin = libc.malloc(1024)
    for block in blocks:
        ctypes.memset(block, 1, 1024)
    for block in blocks:
        libc.free(block)
    try:
        held = _rss_kb()
        assert allocators.give_back() is True
        assert held - _rss_kb() > 20_000, (held, _rss_kb())
    finally:
        libc.free(pin)


def test_settle_puts_pyarrow_on_the_system_allocator() -> None:
    before = pa.default_memory_pool()
    try:
        allocators.settle()
        assert pa.default_memory_pool().backend_name == "system"
        assert pa.table({"x": list(range(1_000))}).num_rows == 1_000
    finally:
        pa.set_memory_pool(before)


def test_without_glibc_both_do_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(allocators, "_LIBC", None)
    assert allocators.give_back() is False
    before = pa.default_memory_pool()
    try:
        allocators.settle()  # pyarrow's pool is still set: that needs no glibc
        assert pa.default_memory_pool().backend_name == "system"
    finally:
        pa.set_memory_pool(before)
