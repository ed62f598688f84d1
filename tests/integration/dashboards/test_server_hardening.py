"""The dashboard server (real uvicorn, as `dashboard serve` runs it) against a careless or
hostile client (issue 11): a 65 KB filter value is not echoed, a connection that stalls
mid-request is dropped, at most N connections are served at once (more get 503 with
Retry-After), and every answer carries the security headers."""

from __future__ import annotations

import base64
import hashlib
import re
import socket
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from email.message import Message
from html import unescape
from pathlib import Path

import pytest

from dashboards.build import build
from dashboards.filters import Filters
from sinks.reader import open_read_only
from sinks.store import Store
from tests.integration.dashboards.uvicorn_server import serving


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hardening") / "kokemusvirta.duckdb"
    Store(path).close()
    return path


def get(url: str) -> tuple[int, Message, bytes]:
    """Status, headers (their names in any case: uvicorn sends them in lower case), body."""
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def closed_after(sock: socket.socket, limit_s: float) -> float | None:
    """Seconds until the server closed the connection, None if it had not within limit_s."""
    started = time.monotonic()
    sock.settimeout(limit_s)
    try:
        while sock.recv(4096):
            pass
    except TimeoutError:
        return None
    except OSError:
        pass  # reset: closed as well
    return time.monotonic() - started


def test_a_65_kb_filter_value_is_not_echoed(store: Path) -> None:
    value = "<b>" + "x" * 65_000
    with serving(store) as (url, _):
        for query in (f"county={value}", f"period_start={value}", f"lang={value}",
                      f"{value}=1"):
            status, headers, body = get(f"{url}kulku?{query}")
            assert status == 400, query[:20]
            assert len(body) < 20_000 and "x" * 81 not in body.decode()
            assert "<b>" not in body.decode()  # escaped: &lt;b&gt;
            assert headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("trickle", [False, True], ids=["half-open", "slowloris"])
def test_a_stalled_request_is_dropped_after_the_read_timeout(store: Path,
                                                             trickle: bool) -> None:
    with serving(store, read_timeout_s=0.5) as (url, port):
        with socket.create_connection(("127.0.0.1", port)) as sock:
            sock.sendall(b"GET /kul")
            if trickle:  # a byte every 0.2 s: no single read waits 0.5 s
                for ch in b"ku?lang=fi HTTP/1.1\r\nHost: x\r\n":
                    try:
                        sock.sendall(bytes([ch]))
                    except OSError:
                        break
                    time.sleep(0.2)
            took = closed_after(sock, 5)
            assert took is not None, "the server kept the stalled connection open"
        status, _, _ = get(url + "kulku")  # and it still serves others
        assert status == 200


def test_security_headers_on_every_answer(store: Path) -> None:
    with serving(store) as (url, _):
        for path, expected in (("kulku", 200), ("kulku?county=nowhere", 400), ("ei-ole", 404),
                               ("api/version", 200)):
            status, headers, _ = get(url + path)
            assert status == expected
            csp = headers["Content-Security-Policy"]
            assert "default-src 'none'" in csp and "'sha256-" in csp
            assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
            assert headers["X-Content-Type-Options"] == "nosniff"
            assert headers["Referrer-Policy"] == "no-referrer"


def test_a_request_uvicorn_cannot_parse_is_a_400_with_the_headers(store: Path) -> None:
    with serving(store) as (_, port), socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(b"NOT HTTP AT ALL\r\n\r\n")
        sock.settimeout(5)
        answer = b""
        while chunk := sock.recv(4096):
            answer += chunk
    head = answer.split(b"\r\n\r\n")[0].decode().lower()
    assert head.startswith("http/1.1 400")
    assert "x-content-type-options: nosniff" in head and "content-security-policy:" in head


def test_more_connections_than_workers_get_503_with_retry_after(store: Path) -> None:
    with serving(store, max_connections=2, read_timeout_s=5) as (url, port):
        idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(2)]
        try:
            time.sleep(0.3)  # both taken by workers waiting for their request
            status, headers, body = get(url + "kulku")
            assert status == 503 and headers["Retry-After"].isdigit()
            assert "varattu" in body.decode() and "Content-Security-Policy" in headers
        finally:
            for sock in idle:
                sock.close()
        deadline = time.monotonic() + 5
        while (status := get(url + "kulku")[0]) != 200 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert status == 200  # the workers are free again


def test_the_built_file_allows_only_its_own_style_and_script(store: Path) -> None:
    con = open_read_only(store)
    try:
        html = build(con, Filters(), datetime(2026, 12, 5, tzinfo=UTC))
    finally:
        con.close()
    meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html)
    assert meta is not None and html.index(meta[0]) < html.index("<style>")
    policy = unescape(meta[1])
    assert "default-src 'none'" in policy and "unsafe-inline" not in policy

    def digest(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"

    script = re.search(r"<script>(.*?)</script>", html, re.S)
    style = re.search(r"<style>(.*?)</style>", html, re.S)
    assert script and style
    assert f"script-src {digest(script[1])}" in policy
    assert f"style-src {digest(style[1])}" in policy
