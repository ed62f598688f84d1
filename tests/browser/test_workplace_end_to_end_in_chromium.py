"""Issue 16's "Done when", on the real parts and in a real browser: the real broker, worker and
sink; `kokemusvirta workplace serve` (uvicorn, the real WebActor and AccessLogWriter) with local
accounts and the zitadel/oidc example provider (tests/oidc_provider.py); headless Chromium.

One module-scoped flow, its tests in order (each builds on the one before):
 a. a unit manager signs in with a password and a TOTP code, sees only the unit's items (the
    store's), opens one, acknowledges and decides it through the item page's forms, and the
    store's lifecycle rows carry the user's pseudonym and the unit manager's role;
 b. the same user gets 403 on another unit's item and on leadership's queue;
 c. the same for a unit manager who signs in at the OIDC provider, on another item;
 d. an auditor finds the view of (a)'s item at /loki, with the viewer's pseudonym;
 e. axe-core finds no WCAG 2.0/2.1 A/AA violation on leadership's queue and on a secretary's
    agenda WITH items on them (escalated in (a), presented by leadership in (e)), in fi, sv, en.
The set-up steps that are not the point (escalations, leadership's steps) are sent through the
workplace over HTTP with the browser's own session cookie: the same user, fewer page loads.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.common.by import By

from kokemusvirta import kafka as kv_kafka
from kokemusvirta.keystore import pseudonym_key
from kokemusvirta.processes import child_env
from kokemusvirta.settings import Settings
from kokemusvirta.workplace.accounts import Accounts, accounts_path
from kokemusvirta.workplace.i18n import Texts
from kokemusvirta.workplace.inbox_texts import words
from kokemusvirta.workplace.users import StaffRole, pseudonym_of
from schemas.access import Requester
from sinks import reader as query
from tests.browser.chromium import chromium, missing
from tests.browser.workplace_ways import (
    PASSWORD,
    UM,
    Flow,
    act_on_page,
    as_browser,
    ask,
    click_and_wait,
    h1,
    inbox_items,
    no_violations,
    page_shot,
    sign_in,
    steps_of,
    wait_for,
)
from tests.factories import as_bytes, feedback
from tests.integration.helpers import catch_up, publish, running
from tests.oidc_provider import ProviderUser, free_port, oidc_env
from tests.oidc_provider import running as provider_running

pytestmark = [pytest.mark.broker, pytest.mark.browser]

COUNTY, AREA = "lappi", "perusterveydenhuolto"
UNIT, OTHER_UNIT = "rovaniemen-terveysasema", "kemin-terveysasema"
LIISA = ProviderUser("liisa", "Salasana-456", "liisa.manager@lappi.example", "Liisa", "Lahtinen")
ACCOUNTS = {  # user id: role, scope, name shown
    "maija": (StaffRole.UNIT_MANAGER, f"{COUNTY}.{UNIT}", "Maija Esihenkilö"),
    "johto": (StaffRole.LEADERSHIP, f"{COUNTY}.{AREA}", "Jouni Johtaja"),
    "sihteeri": (StaffRole.SECRETARY, COUNTY, "Sanna Sihteeri"),
    "tarkastaja": (StaffRole.AUDITOR, COUNTY, "Tarja Tarkastaja"),
}
TEXTS = ("Jonotin puhelimessa tunnin, eikä kukaan vastannut. Lopulta luovuin ja menin "
         "päivystykseen.", "Odotusaika vastaanotolle oli kolme viikkoa.",
         "Ajanvaraus verkossa ei toiminut, eikä puhelimeen vastattu.",
         "Aulassa oli kylmä ja istumapaikkoja liian vähän.")


def _settings(home: Path, kafka: dict[str, str]) -> Settings:
    run = uuid.uuid4().hex[:10]  # as tests/conftest.py settings_factory, for a module
    return Settings(**{**kafka, "KOKEMUSVIRTA_HOME": home,  # type: ignore[arg-type]
                       "KOKEMUSVIRTA_STORE": home / "store" / "kokemusvirta.duckdb",
                       "KOKEMUSVIRTA_TOPIC_PREFIX": f"t{run}.",
                       "KOKEMUSVIRTA_WORKER_GROUP": f"t{run}-worker",
                       "KOKEMUSVIRTA_SINK_GROUP": f"t{run}-sink", "KOKEMUSVIRTA_PARTITIONS": 2,
                       "KOKEMUSVIRTA_SNAPSHOT_INTERVAL_S": 0.5,
                       "KOKEMUSVIRTA_PSEUDONYM_KEY": "p" * 40})


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Chromium of this module's own (the session's skips outside CI when Chromium is missing:
    this flow needs it, so it fails, here as in CI)."""
    why = missing()
    if why:
        pytest.fail(f"the workplace's end-to-end browser test needs Chromium: {why}")
    with chromium() as driver:
        yield driver


@pytest.fixture(scope="module")
def flow(browser: Any, kafka_admin_env: dict[str, str],
         tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flow]:
    home = tmp_path_factory.mktemp("workplace-e2e")
    s = _settings(home, kafka_admin_env)
    accounts = Accounts(accounts_path(s.home), pseudonym_key(s))
    secrets = {user: accounts.add(user, role=role, scope=scope, display_name=name,
                                  password=PASSWORD)
               for user, (role, scope, name) in ACCOUNTS.items()}
    users_file = home / "oidc-users.yaml"
    users_file.write_text(f"users:\n  {LIISA.email}: {{role: unit_manager, scope: "
                          f"{COUNTY}.{UNIT}}}\n", encoding="utf-8")
    assert s.kafka_bootstrap_servers
    # The request topics, as `kokemusvirta access grant` makes them in a deployment (the tests'
    # admin identity sends as itself, so nothing makes them on first use).
    for role, scope in (("unit", f"{COUNTY}.{UNIT}"), ("leadership", f"{COUNTY}.{AREA}")):
        kv_kafka.ensure_request_topic(s, s.kafka_bootstrap_servers, Requester.parse(role, scope))
    port = free_port()
    callback = f"http://127.0.0.1:{port}/kirjaudu/oidc/paluu"
    with running(s, "worker", "sink") as children, \
            provider_running((LIISA,), [callback], home) as provider:
        # Sent yesterday: the deadlines in the pages (and the screenshots) are today's.
        sent = datetime.now(UTC) - timedelta(days=1)
        at = {"occurred_at": sent.isoformat(), "recorded_at": sent.isoformat()}
        publish(s, [as_bytes(feedback(text=text, **at)) for text in TEXTS]
                + [as_bytes(feedback(unit=OTHER_UNIT, text="Lääkäri ei kuunnellut.", **at))])
        catch_up(s, children)
        _, rows = query.run(s.store, "SELECT item_id, unit, status FROM knowledge_items "
                            "ORDER BY item_id")
        mine = [r[0] for r in rows if r[1] == UNIT]
        theirs = [r[0] for r in rows if r[1] == OTHER_UNIT]
        assert len(mine) == 4 and len(theirs) == 1 and {r[2] for r in rows} == {"routed"}, rows
        log = home / "workplace.log"
        env = child_env(s, s.kafka_bootstrap_servers, **oidc_env(provider, users_file))
        with log.open("wb") as errors:
            service = subprocess.Popen(
                [sys.executable, "-m", "kokemusvirta", "workplace", "serve", "--port",
                 str(port)], env=env, stdout=subprocess.PIPE, stderr=errors,
                stdin=subprocess.DEVNULL, text=True)
        try:
            assert service.stdout is not None
            line = service.stdout.readline()
            assert f":{port}" in line, f"workplace: {line!r} {log.read_text()[-2000:]}"
            yield Flow(s, f"http://127.0.0.1:{port}", secrets, mine, theirs[0], log)
        finally:
            service.terminate()
            try:
                service.wait(timeout=20)
            except subprocess.TimeoutExpired:
                service.kill()
                service.wait()
    # The workplace's own log: no unexpected error on any page of the flow (Contained logs
    # each as "unexpected ...", and answers 500 to the browser).
    assert "workplace: unexpected" not in log.read_text(errors="replace"), log.read_text()[-3000:]


@pytest.fixture(scope="module")
def shots(artifacts: Path) -> Path:
    path = artifacts.parent / "workplace-e2e"
    path.mkdir(parents=True, exist_ok=True)
    return path


# --- The flow -----------------------------------------------------------------------------------

def test_a_unit_manager_with_a_local_account_acknowledges_and_decides(
        browser: Any, flow: Flow, shots: Path) -> None:
    a, _, c, d = flow.mine
    sign_in(browser, flow, "maija", "/saapuneet")
    assert inbox_items(browser) == set(flow.mine)  # the unit's, all open; not the other unit's
    page_shot(browser, shots / "inbox.fi.png")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, f'a[href="/asia/{a}"]'))
    assert a in h1(browser)
    assert not browser.find_elements(By.CSS_SELECTOR, f'form[action="/asia/{a}/decided"]')
    act_on_page(browser, flow, a, "acknowledged")
    with as_browser(browser, flow) as http:  # items for the queue, meanwhile
        for item in (c, d):
            ask(http, item, "acknowledged")
        wait_for(flow, *((i, "acknowledged", UM) for i in (a, c, d)))
        for item in (c, d):
            ask(http, item, "escalated", reason="Toistuva ongelma koko alueella.")
    browser.get(f"{flow.url}/asia/{a}")
    act_on_page(browser, flow, a, "decided")
    wait_for(flow, (a, "decided", UM), (c, "escalated", UM), (d, "escalated", UM))
    maija = pseudonym_of(pseudonym_key(flow.settings), "maija")
    steps = steps_of(flow, a)
    assert {k: v for k, v in steps.items() if k[1] != "system"} == {
        ("acknowledged", UM): maija, ("decided", UM): maija}, steps
    browser.get(f"{flow.url}/asia/{a}")
    assert maija in browser.find_element(By.CSS_SELECTOR, "table.path").text
    page_shot(browser, shots / "item.fi.png")
    no_violations(browser, "the item page with its real path")
    flow.seen.update(viewed=a, viewer=maija)


def test_the_same_user_is_refused_another_units_item_and_the_queue(
        browser: Any, flow: Flow) -> None:
    forbidden = Texts("fi")("forbidden_title")
    for path in (f"/asia/{flow.theirs}", "/jono"):
        browser.get(flow.url + path)
        assert h1(browser) == forbidden, (path, h1(browser))
        assert flow.theirs not in browser.find_element(By.TAG_NAME, "main").text
    with as_browser(browser, flow) as http:  # and the status, which a browser does not show
        assert http.get(f"/asia/{flow.theirs}").status_code == 403
        assert http.get("/jono").status_code == 403
    assert {role for _, role in steps_of(flow, flow.theirs)} == {"system"}


def test_a_unit_manager_signed_in_at_the_provider_acknowledges_and_decides(
        browser: Any, flow: Flow) -> None:
    b = flow.mine[1]
    browser.get(f"{flow.url}/kirjaudu")
    browser.delete_all_cookies()
    browser.get(f"{flow.url}/kirjaudu")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, 'a[href^="/kirjaudu/oidc"]'))
    assert browser.current_url.startswith("http://localhost:"), browser.current_url
    browser.find_element(By.ID, "username").send_keys(LIISA.username)
    browser.find_element(By.ID, "password").send_keys(LIISA.password)
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    deadline = time.monotonic() + 20
    while not browser.current_url.startswith(flow.url + "/saapuneet"):
        assert time.monotonic() < deadline, browser.current_url
        time.sleep(0.05)
    shown = inbox_items(browser)
    assert b in shown and shown <= set(flow.mine), shown
    browser.get(f"{flow.url}/asia/{b}")
    act_on_page(browser, flow, b, "acknowledged")
    wait_for(flow, (b, "acknowledged", UM))
    browser.get(f"{flow.url}/asia/{b}")
    act_on_page(browser, flow, b, "decided")
    wait_for(flow, (b, "decided", UM))
    liisa = pseudonym_of(pseudonym_key(flow.settings), f"oidc:id-{LIISA.username}")
    steps = steps_of(flow, b)
    assert {k: v for k, v in steps.items() if k[1] != "system"} == {
        ("acknowledged", UM): liisa, ("decided", UM): liisa}, steps
    with as_browser(browser, flow) as http:
        assert http.get(f"/asia/{flow.theirs}").status_code == 403
        assert http.get("/jono").status_code == 403


def test_an_auditor_reads_the_view_in_the_access_log(browser: Any, flow: Flow) -> None:
    item, viewer = flow.seen["viewed"], flow.seen["viewer"]
    sign_in(browser, flow, "tarkastaja", "/loki")
    browser.get(f"{flow.url}/loki?kohde={item}")
    rows = [r.text for r in browser.find_elements(By.CSS_SELECTOR, "table tbody tr")]
    assert rows and all(item in r for r in rows), rows
    assert any(viewer in r and Texts("fi")("role_unit_manager") in r for r in rows), rows
    no_violations(browser, "the access log with the flow's views")


def test_the_queue_and_the_agenda_with_items_pass_axe_in_each_language(
        browser: Any, flow: Flow, shots: Path) -> None:
    c, d = flow.mine[2], flow.mine[3]
    sign_in(browser, flow, "johto", "/jono")
    for lang in ("fi", "sv", "en"):
        browser.get(f"{flow.url}/jono?kieli={lang}")
        assert h1(browser) == words(lang)["queue_title"]
        listed = browser.find_element(By.TAG_NAME, "main").text
        assert c in listed and d in listed, listed[:1500]
        assert "Toistuva ongelma koko alueella." in listed  # why, without opening the item
        if lang == "fi":
            page_shot(browser, shots / "queue.fi.png")
        no_violations(browser, f"leadership's queue with items ({lang})")
    with as_browser(browser, flow) as http:  # leadership takes C up and presents it
        ask(http, c, "acknowledged")
        wait_for(flow, (c, "acknowledged", "leadership"))
        ask(http, c, "presented", body="Perusturvalautakunta", agenda_ref="§ 7 / 2026")
        wait_for(flow, (c, "presented", "leadership"))
    sign_in(browser, flow, "sihteeri", "/esityslista")
    for lang in ("fi", "sv", "en"):
        browser.get(f"{flow.url}/esityslista?kieli={lang}")
        assert h1(browser) == words(lang)["agenda_title"]
        listed = browser.find_element(By.TAG_NAME, "main").text
        assert c in listed and "§ 7 / 2026" in listed, listed[:1500]
        no_violations(browser, f"the agenda with items ({lang})")
    print(f"load average {os.getloadavg()[0]:.2f}")
