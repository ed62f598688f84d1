"""The dashboard server (Starlette on real uvicorn): answers, errors, following the sink's
snapshots, the background server and `dashboard stop`."""

from __future__ import annotations

import json
import os
import shutil
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from dashboards.filters import BadFilter
from dashboards.server import Dashboard, SnapshotReader, parse_request
from kokemusvirta import dashboard_daemon as daemon
from sinks.store import Store, snapshot_path
from tests.integration.dashboards.uvicorn_server import serving


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("server-store") / "kokemusvirta.duckdb"
    Store(path).close()
    return path


def test_query_strings_become_a_language_and_filters() -> None:
    lang, filters = parse_request("county=lappi&period_start=2026-09&lang=sv&unit=")
    assert lang == "sv" and filters.county == "lappi" and filters.unit is None
    assert filters.period_start is not None and filters.period_start.month == 9
    for bad in ("period_start=2026-13", "foo=1", "county=a&county=b",
                "period_start=2026-10&period_end=2026-09"):
        with pytest.raises(BadFilter):
            parse_request(bad)


def test_pages_errors_and_the_version(store: Path) -> None:
    dashboard = Dashboard(SnapshotReader(store))
    page = dashboard.respond("/", "")
    assert page.status == 200 and b"<h1>Kulku</h1>" in page.body
    assert dashboard.respond("/teemat", "lang=en").body.count(b"<h1>Themes</h1>") == 1
    unknown = dashboard.respond("/kulku", "county=atlantis&lang=sv")
    assert unknown.status == 400 and "okänt värde “atlantis”".encode() in unknown.body
    assert dashboard.respond("/kulku", "lang=de").status == 400
    assert dashboard.respond("/kulku", "period_start=syyskuu").status == 400
    missing = dashboard.respond("/ei-ole", "")
    assert missing.status == 404 and b"Sivua ei l\xc3\xb6ydy" in missing.body
    version = json.loads(dashboard.respond("/api/version", "").body)
    assert version["version"]


def test_no_store_yet_is_a_clear_503(tmp_path: Path) -> None:
    response = Dashboard(SnapshotReader(tmp_path / "none.duckdb")).respond("/kulku", "")
    assert response.status == 503 and b"kokemusvirta sink" in response.body


def test_a_new_snapshot_is_opened_when_the_sink_publishes_one(store: Path,
                                                            tmp_path: Path) -> None:
    mine = tmp_path / "kokemusvirta.duckdb"
    snap = snapshot_path(mine)
    shutil.copyfile(store, snap)
    reader = SnapshotReader(mine)
    first_con, first = reader.cursor()
    first_con.close()
    tmp = snap.with_name(snap.name + ".tmp")
    shutil.copyfile(store, tmp)
    os.replace(tmp, snap)  # as the sink publishes: atomic rename
    second_con, second = reader.cursor()
    assert second != first
    assert second_con.execute("select count(*) from knowledge_items").fetchone() == (0,)
    second_con.close()
    reader.close()


@pytest.fixture
def served(store: Path) -> Iterator[str]:
    with serving(store) as (url, _):
        yield url


def test_over_http_with_headers_that_keep_the_page_offline(served: str) -> None:
    with urllib.request.urlopen(served + "kulku?lang=sv") as r:
        body = r.read().decode()
        assert r.status == 200 and r.headers["Content-Type"].startswith("text/html")
        assert "default-src 'none'" in r.headers["Content-Security-Policy"]
    assert '<html lang="sv">' in body
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(served + "kulku?county=%3Cscript%3E")
    assert err.value.code == 400
    assert "<script>" not in err.value.read().decode().split("<body>")[1].split("</main>")[0]


def test_state_file_and_stop_for_a_home_without_a_server(tmp_path: Path) -> None:
    assert daemon.running(tmp_path) is None
    assert daemon.stop(tmp_path) is None
    daemon.write_state(tmp_path, "http://127.0.0.1:1/", tmp_path / "s.duckdb")
    state = daemon.read_state(tmp_path)
    assert state["pid"] == os.getpid() and state["url"] == "http://127.0.0.1:1/"
    assert daemon.running(tmp_path) is None  # this pid is pytest, not a dashboard server
    daemon.clear_state(tmp_path)
    assert not daemon.state_file(tmp_path).exists()


def test_serve_in_the_background_on_a_free_port_and_stop(store: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    log = home / "logs" / "dashboard.log"
    first_url, first_pid = daemon.start_background(home, store, log)
    try:
        assert daemon.answers(first_url)
        # 8765 taken (maybe by the first one), or a second start: the old one is replaced.
        second_url, second_pid = daemon.start_background(home, store, log)
        assert second_pid != first_pid and daemon.answers(second_url)
        assert daemon.running(home) is not None
        with urllib.request.urlopen(second_url + "osallistuminen") as r:
            assert r.status == 200
    finally:
        stopped = daemon.stop(home)
    assert stopped is not None
    assert daemon.running(home) is None and not daemon.state_file(home).exists()
    assert not daemon.answers(second_url, timeout=1)
    assert "Kojelauta (dashboard): http://" in log.read_text()


def test_a_taken_port_makes_the_background_server_choose_another(store: Path,
                                                                 tmp_path: Path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert not daemon.port_free("127.0.0.1", port)
        url, _ = daemon.start_background(tmp_path, store, tmp_path / "dashboard.log", port=port)
        try:
            assert not url.endswith(f":{port}/") and daemon.answers(url)
        finally:
            daemon.stop(tmp_path)


def test_a_store_the_sink_holds_before_its_first_snapshot_is_a_503(store: Path,
                                                                   tmp_path: Path) -> None:
    import subprocess
    import sys

    held = tmp_path / "held.duckdb"
    shutil.copyfile(store, held)
    sink = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; "
                             f"c = duckdb.connect({str(held)!r}); print('held', flush=True); "
                             "time.sleep(30)"], stdout=subprocess.PIPE, text=True)
    try:
        assert sink.stdout is not None and sink.stdout.readline().strip() == "held"
        response = Dashboard(SnapshotReader(held)).respond("/kulku", "")
        assert response.status == 503
    finally:
        sink.kill()
        sink.wait()


def test_a_server_nobody_wants_any_more_stops_itself(store: Path) -> None:
    wanted = threading.Event()
    wanted.set()
    with serving(store, still_wanted=wanted.is_set) as (url, _):
        assert daemon.answers(url)
        wanted.clear()  # as when its state file is gone or a newer server took over
        assert wait_until(lambda: not daemon.answers(url, timeout=1))


def wait_until(condition: Callable[[], bool], timeout: float = 10) -> bool:
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_serve_on_a_taken_port_is_one_line_and_exit_2(store: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    from kokemusvirta.cli import main

    monkeypatch.setenv("KOKEMUSVIRTA_HOME", str(tmp_path))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code = main(["dashboard", "serve", "--port", str(port), "--store", str(store)])
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1 and str(port) in err
    assert "Traceback" not in err and not daemon.state_file(tmp_path).exists()
