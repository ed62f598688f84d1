"""The broker's ports: which are free, and which pair a start uses."""

from __future__ import annotations

import contextlib
import errno
import socket
from collections.abc import Mapping
from typing import Any

#: The local broker listens on loopback only.
HOST = "127.0.0.1"


def port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def port_free(host: str, port: int) -> bool:
    """Whether a server could bind the port now. SO_REUSEADDR as the servers bind: a port whose
    last connections are still in TIME_WAIT is free; one with a listener is not."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                return False
            raise
    return True


def free_port_pair(host: str) -> tuple[int, int]:
    """Two distinct free ports, both bound at once so the OS cannot hand out the same one."""
    with contextlib.ExitStack() as stack:
        ports: list[int] = []
        for _ in range(2):
            sock = stack.enter_context(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
            sock.bind((host, 0))
            ports.append(sock.getsockname()[1])
    return ports[0], ports[1]


def choose_ports(state: Mapping[str, Any]) -> tuple[int, int]:
    """Reuse the previous ports when both are still free (keeps data); else pick new ones."""
    port, controller_port = state.get("port"), state.get("controller_port")
    if (
        isinstance(port, int)
        and isinstance(controller_port, int)
        and port != controller_port
        and port_free(HOST, port)
        and port_free(HOST, controller_port)
    ):
        return port, controller_port
    return free_port_pair(HOST)
