"""The web inbox on the real parts: `kokemusvirta workplace serve` (uvicorn) on the real broker
with the real worker and sink, a local account made with `kokemusvirta users add` and its TOTP
code from pyotp. A unit manager signs in, sees only the unit's items, acknowledges one and
decides it through the item page's forms (a form with an error first), and the store shows
both steps with the user's pseudonym; another unit's item, an unknown item and leadership's
queue are 403. One module-scoped flow: the worker and sink cost a minute.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pyotp
import pytest

from kokemusvirta import kafka as kv_kafka
from kokemusvirta.processes import child_env
from kokemusvirta.settings import Settings
from schemas.access import Requester, RequesterRole
from sinks import reader as query
from tests.conftest import SettingsFactory
from tests.factories import as_bytes, feedback
from tests.integration.helpers import catch_up, publish, running

UNIT = "rovaniemen-terveysasema"
OTHER_UNIT = "kemin-terveysasema"
USER = "maija.esihenkilo"


def _cli(settings: Settings, *args: str, stdin: str | None = None) -> str:
    assert settings.kafka_bootstrap_servers
    done = subprocess.run([sys.executable, "-m", "kokemusvirta", *args], input=stdin,
                          env=child_env(settings, settings.kafka_bootstrap_servers),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@contextmanager
def serving(settings: Settings, log: Path) -> Iterator[str]:
    """The real workplace on a free port; its base URL."""
    assert settings.kafka_bootstrap_servers
    env = child_env(settings, settings.kafka_bootstrap_servers)
    with log.open("wb") as errors:
        service = subprocess.Popen(
            [sys.executable, "-m", "kokemusvirta", "workplace", "serve", "--port", "0"],
            env=env, stdout=subprocess.PIPE, stderr=errors, stdin=subprocess.DEVNULL, text=True)
    try:
        assert service.stdout is not None
        line = service.stdout.readline()
        found = re.search(r"http://[0-9.]+:\d+", line)
        assert found, f"the workplace did not start: {line!r} {log.read_text()[-2000:]}"
        yield found.group(0)
    finally:
        service.terminate()
        try:
            service.wait(timeout=20)
        except subprocess.TimeoutExpired:
            service.kill()
            service.wait()


def csrf(page: httpx.Response) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found, page.text[:1000]
    return found.group(1)


def sign_in(http: httpx.Client, password: str, secret: str) -> None:
    page = http.get("/kirjaudu")
    sent = http.post("/kirjaudu", data={"csrf": csrf(page), "kayttaja": USER,
                                        "salasana": password, "seuraava": "/saapuneet"})
    assert sent.status_code == 303, sent.text[:1000]
    page = http.get("/kirjaudu/tunnistus")
    sent = http.post("/kirjaudu/tunnistus", data={"csrf": csrf(page),
                                                  "koodi": pyotp.TOTP(secret).now()})
    assert sent.status_code == 303 and sent.headers["location"] == "/saapuneet", sent.text[:500]


def steps_of(settings: Settings, item_id: str) -> dict[str, str | None]:
    _, rows = query.run(settings.store, "SELECT step, actor_pseudonym FROM lifecycle "
                        f"WHERE item_id = '{item_id}'")
    return {r[0]: r[1] for r in rows}


def wait_for_step(settings: Settings, item_id: str, step: str, timeout: float = 90) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            steps = steps_of(settings, item_id)
        except query.StoreMissing:
            steps = {}
        if step in steps:
            return str(steps[step])
        time.sleep(1)
    raise AssertionError(f"no {step} of {item_id} in the store after {timeout} s")


@pytest.mark.broker
def test_a_unit_manager_acts_through_the_web_inbox(settings_factory: SettingsFactory,
                                                   tmp_path: Path) -> None:
    s = settings_factory()
    added = _cli(s, "users", "add", USER, "--role", "unit_manager", "--scope", f"lappi.{UNIT}")
    password = re.search(r"salasana \(password\): (\S+)", added)
    uri = re.search(r"TOTP: (otpauth://\S+)", added)
    assert password and uri, added
    secret = pyotp.parse_uri(uri.group(1)).secret
    # The unit's request topic, as `kokemusvirta access grant unit` makes it in a deployment
    # (the tests' admin identity sends as itself, so nothing makes it on first use).
    assert s.kafka_bootstrap_servers
    kv_kafka.ensure_request_topic(s, s.kafka_bootstrap_servers,
                                  Requester(RequesterRole.UNIT, "lappi", UNIT))
    with running(s, "worker", "sink") as children:
        publish(s, [as_bytes(feedback(text="Jonotin puhelimessa tunnin.")),
                    as_bytes(feedback(text="Odotusaika oli pitkä.", rating=3)),
                    as_bytes(feedback(unit=OTHER_UNIT, text="Lääkäri ei kuunnellut."))])
        catch_up(s, children)
        _, rows = query.run(s.store, "SELECT item_id, unit FROM knowledge_items "
                            "WHERE status = 'routed' ORDER BY item_id")
        mine = [r[0] for r in rows if r[1] == UNIT]
        theirs = [r[0] for r in rows if r[1] == OTHER_UNIT]
        assert len(mine) == 2 and len(theirs) == 1, rows
        with serving(s, tmp_path / "workplace.log") as url, \
                httpx.Client(base_url=url, timeout=90) as http:
            sign_in(http, password.group(1), secret)
            inbox = http.get("/saapuneet")
            assert inbox.status_code == 200
            assert all(i in inbox.text for i in mine) and theirs[0] not in inbox.text
            # The list shows no client's words (ids, severity, dates, themes only), which is
            # why its views are not access-log events: text shown here must be logged first.
            assert "Jonotin puhelimessa" not in inbox.text and "Odotusaika" not in inbox.text
            item = mine[0]
            page = http.get(f"/asia/{item}")
            assert page.status_code == 200 and "Kuittaa" in page.text
            assert f'action="/asia/{item}/decided"' not in page.text  # not before acknowledging
            sent = http.post(f"/asia/{item}/acknowledged", data={"csrf": csrf(page)})
            assert sent.status_code == 303, sent.text[:1000]
            shown = http.get(sent.headers["location"])
            assert "Pyyntö lähetetty" in shown.text or "Vaihe on nyt" in shown.text
            acknowledged_by = wait_for_step(s, item, "acknowledged")
            page = http.get(f"/asia/{item}")
            assert "Vaihe" in page.text and f'action="/asia/{item}/decided"' in page.text
            wrong = http.post(f"/asia/{item}/decided", data={
                "csrf": csrf(page), "outcome": "adopted", "rationale": ""})
            assert wrong.status_code == 400 and "Täytä tämä kenttä." in wrong.text
            sent = http.post(f"/asia/{item}/decided", data={
                "csrf": csrf(page), "outcome": "adopted",
                "rationale": "Lisäämme puhelinpalveluun takaisinsoiton.", "decision_ref": "§ 12"})
            assert sent.status_code == 303, sent.text[:1000]
            decided_by = wait_for_step(s, item, "decided")
            assert re.fullmatch(r"us-[0-9a-f]{16}", acknowledged_by)
            assert decided_by == acknowledged_by
            assert acknowledged_by in http.get(f"/asia/{item}").text  # the path names it
            # Outside the scope: another unit's item, an unknown item, leadership's queue.
            assert http.get(f"/asia/{theirs[0]}").status_code == 403
            assert http.get("/asia/fb-0000000000000000").status_code == 403
            assert http.get("/jono").status_code == 403
            assert http.post(f"/asia/{theirs[0]}/acknowledged",
                             data={"csrf": csrf(page)}).status_code == 403
            # Every view of the item page is in the access log before the page was shown:
            # the auditor reads who (the pseudonym, no name), which item and why.
            catch_up(s, children)
            _, views = query.run(s.store, "SELECT viewer, viewer_role, purpose FROM access_log "
                                 f"WHERE item_id = '{item}'")
            assert views and set(views) == {(acknowledged_by, "unit_manager", "item_page")}
            assert not query.run(s.store, "SELECT 1 FROM access_log "
                                 f"WHERE item_id = '{theirs[0]}'")[1]  # refused, not shown
            audited = _cli(s, "access-log", "--item", item)
            assert acknowledged_by in audited and USER not in audited
        assert "acknowledged" not in steps_of(s, theirs[0])
