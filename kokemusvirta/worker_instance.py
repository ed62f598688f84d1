"""The worker's stable id in its consumer group (Kafka's group.instance.id, static membership).

A worker restarted under the id it had takes its partitions back at once; a dead member's
session no longer has to expire first (45-60 s). Two live workers must never share an id: Kafka
would fence the older one. So each id is claimed with an exclusive lock on a file in
$KOKEMUSVIRTA_HOME/run/, held as long as the worker lives. The kernel drops the lock when the
process dies, even by SIGKILL, so the restarted worker claims the same id again, while a second
worker started beside a live one gets the next number: <host>-1, <host>-2, ...
"""

from __future__ import annotations

import fcntl
import logging
import os
import re
import socket
from pathlib import Path
from typing import IO

from kokemusvirta.settings import Settings

log = logging.getLogger("kokemusvirta.worker")

MAX_WORKERS_PER_HOST = 256

# The locks of this process's claims: kept open (and so held) until the process ends.
_held: list[IO[str]] = []


class InstanceIdTaken(RuntimeError):
    """Another live worker of the group on this host holds the id."""


def default_instance_id(host: str, number: int) -> str:
    """`<host>-<number>`, with the characters Kafka does not allow in an id replaced."""
    safe = re.sub(r"[^A-Za-z0-9._-]", "-", host)[:200] or "host"
    return f"{safe}-{number}"


def claim_worker_instance(settings: Settings) -> str:
    """KOKEMUSVIRTA_WORKER_INSTANCE_ID if set, else the lowest free `<host>-<n>`; claimed until
    this process ends. Raises InstanceIdTaken if the set id is held by a live worker here."""
    run_dir = settings.home / "run"
    run_dir.mkdir(parents=True, exist_ok=True)
    if settings.worker_instance_id:
        if not _try_lock(_lock_path(run_dir, settings.worker_group, settings.worker_instance_id)):
            raise InstanceIdTaken(
                f"KOKEMUSVIRTA_WORKER_INSTANCE_ID={settings.worker_instance_id} on jo toisen "
                f"käynnissä olevan workerin käytössä (already used by a live worker)")
        log.info("group %s, instance id %s (set)", settings.worker_group,
                 settings.worker_instance_id)
        return settings.worker_instance_id
    host = socket.gethostname()
    for number in range(1, MAX_WORKERS_PER_HOST + 1):
        candidate = default_instance_id(host, number)
        if _try_lock(_lock_path(run_dir, settings.worker_group, candidate)):
            log.info("group %s, instance id %s", settings.worker_group, candidate)
            return candidate
    raise InstanceIdTaken(f"{MAX_WORKERS_PER_HOST} workers of group {settings.worker_group} "
                          "already run on this host")


def _lock_path(run_dir: Path, group: str, instance_id: str) -> Path:
    safe_group = re.sub(r"[^A-Za-z0-9._-]", "-", group)
    return run_dir / f"worker.{safe_group}.{instance_id}.lock"


def _try_lock(path: Path) -> bool:
    handle = path.open("a+")
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return False
    handle.truncate(0)
    handle.write(f"{os.getpid()}\n")  # for a person looking: which process holds it
    handle.flush()
    _held.append(handle)
    return True
