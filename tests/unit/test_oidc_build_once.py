"""The OIDC provider's binary is built once even when two test processes both find it missing
(`./run tests` runs two): the second waits for the first's lock and takes its binary, rather than
running `go install` too and replacing the binary while the first may be starting it."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from tests import oidc_provider


def test_two_processes_missing_the_binary_build_it_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    binary = tmp_path / "oidc" / "op"
    monkeypatch.setattr(oidc_provider, "CACHE", binary.parent)
    monkeypatch.setattr(oidc_provider, "BINARY", binary)
    both_found_it_missing = threading.Barrier(2, timeout=10)

    def which(name: str) -> str:  # build() asks for Go after finding no binary
        both_found_it_missing.wait()
        return "/usr/bin/go"

    monkeypatch.setattr(oidc_provider.shutil, "which", which)
    builds: list[str] = []

    def go_install(go: str) -> None:
        builds.append(go)
        time.sleep(0.2)  # the other caller reaches the lock meanwhile
        binary.write_text("built")

    monkeypatch.setattr(oidc_provider, "_go_install", go_install)
    results: list[Path] = []
    callers = [threading.Thread(target=lambda: results.append(oidc_provider.build()))
               for _ in range(2)]
    for caller in callers:
        caller.start()
    for caller in callers:
        caller.join(timeout=10)
    assert results == [binary, binary]
    assert builds == ["/usr/bin/go"]
