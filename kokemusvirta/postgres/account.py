"""Debian's PostgreSQL server programs, and the operating-system account that runs them.

PostgreSQL refuses to run as root (a server bug must not own the machine). When we are root, the
cluster is owned and run by a dedicated system account, ``kokemusvirta-pg`` (created on first use
with ``useradd --system``, no home, no shell): not Debian's ``postgres``, so our test clusters
cannot read the machine's own. Otherwise the cluster runs as whoever we are.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import stat
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kokemusvirta.postgres.errors import PostgresError, PrerequisiteMissing

#: Where Debian's postgresql-NN packages put the server programs (one directory per major).
DEBIAN_LIB = Path("/usr/lib/postgresql")
SERVER_PROGRAMS = ("initdb", "pg_ctl", "postgres", "psql")
#: The system account that runs the cluster when we are root.
SYSTEM_USER = "kokemusvirta-pg"

MISSING = ("PostgreSQL-palvelinta ei ole asennettu (PostgreSQL's server is not installed): "
           "Debian: apt-get install postgresql, as root (`./run tests` does it)")


def find_server(lib: Path | None = None) -> Path:
    """The ``bin`` directory of the newest installed major version that has every program."""
    lib = DEBIAN_LIB if lib is None else lib
    candidates: list[tuple[int, Path]] = []
    for version_dir in lib.glob("*") if lib.is_dir() else ():
        bindir = version_dir / "bin"
        if re.fullmatch(r"\d+", version_dir.name) and all(
            os.access(bindir / name, os.X_OK) for name in SERVER_PROGRAMS
        ):
            candidates.append((int(version_dir.name), bindir))
    if not candidates:
        raise PrerequisiteMissing(MISSING)
    return max(candidates)[1]


@dataclass(frozen=True)
class Account:
    """Who runs the server: ``uid``/``gid`` to switch to, or None to stay who we are."""

    name: str
    uid: int | None
    gid: int | None

    def run(self, cmd: Sequence[str], *, cwd: Path, timeout: float,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        """Run a server program as this account; output captured (it goes into errors)."""
        return subprocess.run(
            list(cmd), cwd=cwd, env=server_env() | (env or {}), capture_output=True, text=True,
            timeout=timeout, check=False, user=self.uid, group=self.gid,
            extra_groups=[] if self.uid is not None else None,
        )

    def own(self, path: Path) -> None:
        if self.uid is not None and self.gid is not None:
            os.chown(path, self.uid, self.gid)

    def can_search(self, path: Path) -> bool:
        """Whether this account may pass through every directory above ``path``."""
        if self.uid is None:
            return True
        for parent in path.resolve().parents:
            st = parent.stat()
            bit = (stat.S_IXUSR if st.st_uid == self.uid
                   else stat.S_IXGRP if st.st_gid == self.gid else stat.S_IXOTH)
            if not st.st_mode & bit:
                return False
        return True


def server_env() -> dict[str, str]:
    """A small, fixed environment: none of the caller's PG* variables (a PGDATA or PGPORT of the
    person's own must not redirect our cluster), and messages in the C locale."""
    return {"PATH": "/usr/bin:/bin", "LC_ALL": "C", "LANG": "C"}


def server_account() -> Account:
    """Ourselves, or (as root) the system account, created when missing."""
    if os.geteuid() != 0:
        me = pwd.getpwuid(os.geteuid()).pw_name
        return Account(me, None, None)
    try:
        entry = pwd.getpwnam(SYSTEM_USER)
    except KeyError:
        done = subprocess.run(
            [shutil.which("useradd") or "/usr/sbin/useradd", "--system", "--user-group",
             "--no-create-home", "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin",
             "--comment", "Kokemusvirta's local PostgreSQL", SYSTEM_USER],
            capture_output=True, text=True, check=False)
        try:  # another process may have created it at the same moment (useradd exits 9)
            entry = pwd.getpwnam(SYSTEM_USER)
        except KeyError:
            raise PostgresError(
                f"järjestelmätiliä {SYSTEM_USER} ei voitu luoda (could not create the system "
                f"user {SYSTEM_USER}; PostgreSQL does not run as root): "
                f"{' '.join(done.stderr.split()) or 'useradd exited ' + str(done.returncode)}"
            ) from None
    return Account(SYSTEM_USER, entry.pw_uid, entry.pw_gid)
