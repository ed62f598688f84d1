"""The web inbox as its people meet it: real headless Chromium against the workplace served by
real uvicorn, signed in with local accounts (password and a TOTP code from pyotp), in Finnish,
Swedish and English. axe-core finds no WCAG 2.0/2.1 A/AA violation on the inbox, on the item
page with a form's errors shown, and on leadership's queue; the forms are sent with no
JavaScript (there is none to need). Each page's load time is printed, not asserted.

The store is the benchmarks' builder's (scenario/bench_store.py: the real worker's decisions
and the real sink's writes, no broker); the actor records what it would publish: publishing
through the real broker is tests/integration/test_workplace_inbox_flow.py.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyotp
import pytest
import uvicorn
from selenium.webdriver.support.select import Select

from kokemusvirta.settings import Settings
from kokemusvirta.workplace.accounts import Accounts, accounts_path
from kokemusvirta.workplace.app import create_app
from kokemusvirta.workplace.inbox_texts import words
from kokemusvirta.workplace.users import StaffRole, StaffUser
from scenario.bench_store import build
from sinks import reader as query
from tests.browser.chromium import axe, describe, full_page_screenshot, missing

pytestmark = pytest.mark.browser
PASSWORD = "pitkä-ja-hyvä-salasana-42"


@dataclass
class RecordingActor:
    published: list[tuple[str, str, str, dict[str, Any]]] = field(default_factory=list)

    def publish_step(self, user: StaffUser, step: str, item_id: str,
                     fields: dict[str, Any]) -> str:
        self.published.append((user.pseudonym, step, item_id, fields))
        return str(uuid.uuid4())

    def close(self) -> None:
        pass


@dataclass
class RecordingAccessLog:
    """Stands in for AccessLogWriter: what the item page asked to log before showing it."""

    views: list[tuple[str, str, str, str]] = field(default_factory=list)

    def record(self, user: StaffUser, item_id: str, county: str, purpose: Any,
               reason: str | None = None) -> None:
        self.views.append((user.pseudonym, item_id, county, str(purpose)))


@dataclass
class Served:
    url: str
    actor: RecordingActor
    secrets: dict[str, str]
    unit: str
    area: str
    acknowledged_item: str


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _busiest_unit(store: Path) -> tuple[str, str, str, str]:
    """The county, area and unit with the most acknowledged (decidable) items, and one."""
    _, rows = query.run(store, """
        SELECT county, service_area, unit, min(item_id) FROM knowledge_items
        WHERE status = 'acknowledged' AND unit IS NOT NULL
        GROUP BY ALL ORDER BY count(*) DESC, unit LIMIT 1""")
    return rows[0]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    why = missing()
    if why:  # a test that needs Chromium fails without it, here and in CI
        pytest.fail(f"the web inbox's browser tests need Chromium: {why}")
    home = tmp_path_factory.mktemp("workplace-home")
    settings = Settings(KOKEMUSVIRTA_HOME=home)  # type: ignore[call-arg]
    assert settings.store.is_relative_to(home)
    settings.store.parent.mkdir(parents=True, exist_ok=True)
    build(settings.store, 400, 1, lambda line: None)
    county, area, unit, item = _busiest_unit(settings.store)
    accounts = Accounts(accounts_path(settings.home), b"k" * 32)
    secrets = {
        "esihenkilo": accounts.add("esihenkilo", role=StaffRole.UNIT_MANAGER,
                                   scope=f"{county}.{unit}", display_name="Esi Henkilö",
                                   password=PASSWORD),
        "johto": accounts.add("johto", role=StaffRole.LEADERSHIP, scope=f"{county}.{area}",
                              display_name="Johto", password=PASSWORD),
    }
    actor = RecordingActor()
    app = create_app(settings, accounts=accounts, actor=actor)
    # The access log's writer records the views here (the real one, on the real broker, is
    # tests/integration/test_access_log.py and test_workplace_inbox_flow.py).
    app.state.access_log = RecordingAccessLog()
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield Served(f"http://127.0.0.1:{port}", actor, secrets, unit, area, item)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def shots(artifacts: Path) -> Path:
    path = artifacts.parent / "workplace-inbox"
    path.mkdir(parents=True, exist_ok=True)
    return path


def no_violations(driver: Any, where: str) -> None:
    violations = axe(driver)
    assert not violations, f"axe-core on {where}:\n{describe(violations)}"


def timed_get(driver: Any, url: str, what: str) -> None:
    started = time.perf_counter()
    driver.get(url)
    print(f"{what}: {1000 * (time.perf_counter() - started):.0f} ms "
          f"(load {os.getloadavg()[0]:.2f})")


def click_and_wait(driver: Any, element: Any) -> None:
    """Click a link or a form's button and wait for the next page (a click does not)."""
    driver.execute_script("window.kvOldPage = true")  # a new page has no such mark
    element.click()
    deadline = time.monotonic() + 20
    while driver.execute_script("return window.kvOldPage === true || "
                                "document.readyState !== 'complete'"):
        assert time.monotonic() < deadline, "no new page after the click"
        time.sleep(0.05)


def sign_in(driver: Any, served: Served, user: str, next_path: str) -> None:
    driver.delete_all_cookies()
    driver.get(f"{served.url}/kirjaudu?seuraava={next_path}")
    driver.find_element("id", "kayttaja").send_keys(user)
    driver.find_element("id", "salasana").send_keys(PASSWORD)
    click_and_wait(driver, driver.find_element("css selector", 'main form button[type="submit"]'))
    code = pyotp.TOTP(served.secrets[user]).now()
    driver.find_element("css selector", 'input[name="koodi"]').send_keys(code)
    click_and_wait(driver, driver.find_element("css selector", 'main form button[type="submit"]'))
    deadline = time.monotonic() + 20
    while not driver.current_url.split("?")[0].endswith(next_path):
        assert time.monotonic() < deadline, f"not signed in: {driver.current_url}"
        time.sleep(0.05)


def test_inbox_item_page_and_queue_pass_axe_in_each_language(browser: Any, served: Served,
                                                              shots: Path) -> None:
    sign_in(browser, served, "esihenkilo", "/saapuneet")
    for lang in ("fi", "sv", "en"):
        w = words(lang)
        timed_get(browser, f"{served.url}/saapuneet?kieli={lang}", f"inbox ({lang})")
        assert browser.execute_script("return document.documentElement.lang") == lang
        assert browser.find_element("css selector", "h1").text == w["inbox_title"]
        links = browser.find_elements("css selector", 'table.inbox a[href^="/asia/"]')
        assert links, "the unit's inbox is empty"
        full_page_screenshot(browser, shots / f"inbox.{lang}.png")
        no_violations(browser, f"the inbox ({lang})")

        # Sorted by deadline through the column's link, then the item page.
        click_and_wait(browser, browser.find_element("css selector",
                                                     'a[href*="jarjestys=maaraaika"]'))
        assert "jarjestys=maaraaika" in browser.current_url
        timed_get(browser, f"{served.url}/asia/{served.acknowledged_item}", f"item ({lang})")
        assert served.acknowledged_item in browser.find_element("css selector", "h1").text
        # The decision sent without a rationale: the error beside the field, nothing sent.
        form = browser.find_element("css selector", 'form[action$="/decided"]')
        click_and_wait(browser, form.find_element("css selector", 'button[type="submit"]'))
        rationale = browser.find_element("id", "decided-rationale")
        assert rationale.get_attribute("aria-invalid") == "true"
        assert browser.find_element("id", "e-decided-rationale").text == \
            {"fi": "Täytä tämä kenttä.", "sv": "Fyll i det här fältet.",
             "en": "Fill in this field."}[lang]
        assert not served.actor.published
        full_page_screenshot(browser, shots / f"item-errors.{lang}.png")
        no_violations(browser, f"the item page with an error ({lang})")

    # Filled in properly, the decision is published for this user and the page says so.
    Select(browser.find_element("id", "decided-outcome")).select_by_value("adopted")
    rationale = browser.find_element("id", "decided-rationale")
    rationale.send_keys("Lisäämme takaisinsoiton.")
    click_and_wait(browser, browser.find_element("css selector",
                                                 'form[action$="/decided"] button'))
    deadline = time.monotonic() + 20
    while "lahetetty=" not in browser.current_url:
        assert time.monotonic() < deadline, browser.find_element("tag name", "main").text
        time.sleep(0.05)
    assert [(s, i) for _, s, i, _ in served.actor.published] == [
        ("decided", served.acknowledged_item)]
    assert browser.find_element("css selector", ".notice").text

    sign_in(browser, served, "johto", "/jono")
    for lang in ("fi", "sv", "en"):
        timed_get(browser, f"{served.url}/jono?kieli={lang}", f"queue ({lang})")
        assert browser.find_element("css selector", "h1").text == words(lang)["queue_title"]
        full_page_screenshot(browser, shots / f"queue.{lang}.png")
        no_violations(browser, f"the queue ({lang})")
