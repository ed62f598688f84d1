"""The auditor's access-log page /loki in real headless Chromium, served by real uvicorn: an
auditor signs in with password and one-time code, reads who viewed an item, and axe-core finds no
WCAG 2.0/2.1 A/AA violation in Finnish, Swedish and English, with results and with a filter's
error shown."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyotp
import pytest
import uvicorn

from kokemusvirta.settings import Settings
from kokemusvirta.workplace.accounts import Accounts
from kokemusvirta.workplace.app import create_app
from kokemusvirta.workplace.users import StaffRole
from tests.access_log_store import MAIJA, SEEN, store_with_views
from tests.browser.chromium import axe, describe, full_page_screenshot, missing

pytestmark = pytest.mark.browser
PASSWORD = "oikein-hyva-salasana"


class NoActor:
    def publish_step(self, *args: Any) -> str:
        raise AssertionError("the auditor acts on nothing")

    def close(self) -> None:
        pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    why = missing()
    if why:
        pytest.fail(f"the access log's browser test needs Chromium: {why}")
    home = tmp_path_factory.mktemp("loki-home")
    settings = Settings(KOKEMUSVIRTA_HOME=home, KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:9",  # type: ignore[call-arg]
                        KOKEMUSVIRTA_WORKPLACE_SESSION_KEY="s" * 40)
    store_with_views(settings.store, settings.topic_prefix)
    accounts = Accounts(home / "accounts.sqlite", b"k" * 32)
    secret = accounts.add("tarja", role=StaffRole.AUDITOR, scope="*", display_name="Tarja T",
                          password=PASSWORD)
    app = create_app(settings, accounts=accounts, actor=NoActor())
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", secret
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def no_violations(driver: Any, where: str) -> None:
    violations = axe(driver)
    assert not violations, f"axe-core on {where}:\n{describe(violations)}"


def test_an_auditor_reads_the_access_log_and_axe_finds_nothing(
        browser: Any, served: tuple[str, str], artifacts: Path) -> None:
    url, secret = served
    browser.delete_all_cookies()
    browser.get(f"{url}/loki")
    browser.find_element("id", "kayttaja").send_keys("tarja")
    browser.find_element("id", "salasana").send_keys(PASSWORD)
    browser.find_element("css selector", 'form button[type="submit"]').click()
    deadline = time.monotonic() + 20
    while not browser.find_elements("id", "koodi"):
        assert time.monotonic() < deadline, browser.page_source[-2000:]
        time.sleep(0.05)
    browser.find_element("id", "koodi").send_keys(pyotp.TOTP(secret).now())
    browser.find_element("css selector", 'form button[type="submit"]').click()
    while "/loki" not in browser.current_url or browser.find_elements("id", "koodi"):
        assert time.monotonic() < deadline, browser.page_source[-2000:]
        time.sleep(0.05)
    shots = artifacts.parent / "workplace"
    shots.mkdir(parents=True, exist_ok=True)
    for lang in ("fi", "sv", "en"):
        browser.get(f"{url}/loki?kieli={lang}&kohde={SEEN}")
        assert browser.execute_script("return document.documentElement.lang") == lang, \
            (browser.current_url, browser.title)
        rows = browser.find_elements("css selector", "table tbody tr")
        assert len(rows) == 2 and MAIJA in rows[1].text, browser.page_source[-2000:]
        full_page_screenshot(browser, shots / f"loki.{lang}.png")
        no_violations(browser, f"/loki ({lang})")
        browser.get(f"{url}/loki?kieli={lang}&katsoja=Maija")
        assert browser.find_element("id", "katsoja").get_attribute("aria-invalid") == "true"
        no_violations(browser, f"/loki with an error ({lang})")
