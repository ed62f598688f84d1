"""Signing in to the staff's workplace as a person does: real headless Chromium against the
workplace served by real uvicorn, in Finnish, Swedish and English. axe-core finds no WCAG
2.0/2.1 A/AA violation on the sign-in page, with its error shown, on the code page, on a signed-in
page with its header and menu, and on the 403 page; signing in works with JavaScript switched
off in the page (there is none to need).

The app is kokemusvirta/workplace/app.py with local accounts in a temporary folder and an actor
that records instead of publishing: acting through the real broker is
tests/integration/test_workplace_flow.py.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyotp
import pytest
import uvicorn
from pydantic import SecretStr

from kokemusvirta.settings import Settings
from kokemusvirta.workplace.accounts import Accounts
from kokemusvirta.workplace.app import create_app
from kokemusvirta.workplace.i18n import t
from kokemusvirta.workplace.inbox_texts import words as inbox_words
from kokemusvirta.workplace.users import StaffRole
from tests.browser.chromium import axe, describe, full_page_screenshot, missing

pytestmark = pytest.mark.browser

PASSWORD = "oikein-hyva-salasana"


class NoActor:
    def publish_step(self, *args: object) -> str:
        raise AssertionError("nothing acts in these tests")

    def close(self) -> None:
        pass


@dataclass
class Served:
    url: str
    secrets: dict[str, str]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    why = missing()
    if why:  # a test that needs Chromium fails without it, here and in CI
        pytest.fail(f"the workplace's browser tests need Chromium: {why}")
    home = tmp_path_factory.mktemp("workplace-home")
    settings = Settings(KOKEMUSVIRTA_HOME=home,
                        KOKEMUSVIRTA_WORKPLACE_SESSION_KEY=SecretStr("s" * 40))
    accounts = Accounts(home / "workplace" / "accounts.sqlite", b"k" * 32)
    secrets = {}
    # One user per test that signs in: a TOTP code is accepted once, and the tests run within
    # the same 30 s step.
    for name in ("maija-fi", "maija-sv", "maija-en", "maija-nojs"):
        secrets[name] = accounts.add(name, role=StaffRole.UNIT_MANAGER,
                                     scope="lappi.rovaniemen-terveysasema",
                                     display_name="Maija Meikäläinen", password=PASSWORD)
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
        yield Served(f"http://127.0.0.1:{port}", secrets)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def shots(artifacts: Path) -> Path:
    path = artifacts.parent / "workplace"
    path.mkdir(parents=True, exist_ok=True)
    return path


def no_violations(driver: Any, where: str) -> None:
    violations = axe(driver)
    assert not violations, f"axe-core on {where}:\n{describe(violations)}"


def submit(driver: Any) -> None:
    driver.find_element("css selector", 'main form button[type="submit"]').click()


def wait_for_title(driver: Any, part: str) -> None:
    deadline = time.monotonic() + 20
    while part not in driver.title:
        assert time.monotonic() < deadline, f"no page titled {part!r}: {driver.title!r}"
        time.sleep(0.05)


def wait_for(driver: Any, css: str) -> Any:
    deadline = time.monotonic() + 20
    while True:
        found = driver.find_elements("css selector", css)
        if found:
            return found[0]
        assert time.monotonic() < deadline, f"no {css!r} on {driver.current_url}"
        time.sleep(0.05)


def sign_out(driver: Any) -> None:
    driver.find_element("css selector", 'form.logout button[type="submit"]').click()


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_signing_in_passes_axe_in_each_language(browser: Any, served: Served, shots: Path,
                                                lang: str) -> None:
    browser.delete_all_cookies()
    browser.get(f"{served.url}/kirjaudu?kieli={lang}")
    assert browser.execute_script("return document.documentElement.lang") == lang
    assert browser.find_element("css selector", "h1").text == t("login_title", lang)
    full_page_screenshot(browser, shots / f"login.{lang}.png")
    no_violations(browser, f"the sign-in page ({lang})")

    user = f"maija-{lang}"
    browser.find_element("id", "kayttaja").send_keys(user)
    browser.find_element("id", "salasana").send_keys("vaara-salasana")
    submit(browser)
    # The same title before and after the refused POST: wait for the answer's error instead.
    assert wait_for(browser, ".error").text == t("login_failed", lang)
    assert browser.find_element("id", "salasana").get_attribute("aria-invalid") == "true"
    no_violations(browser, f"the sign-in page with its error ({lang})")

    browser.find_element("id", "salasana").send_keys(PASSWORD)
    submit(browser)
    wait_for_title(browser, t("totp_title", lang))
    no_violations(browser, f"the code page ({lang})")
    browser.find_element("id", "koodi").send_keys(pyotp.TOTP(served.secrets[user]).now())
    submit(browser)
    wait_for_title(browser, inbox_words(lang)["inbox_title"])  # the unit manager's place
    assert browser.current_url.endswith("/saapuneet")
    header = browser.find_element("css selector", "header .who").text
    assert "Maija Meikäläinen" in header and t("role_unit_manager", lang) in header
    full_page_screenshot(browser, shots / f"signed-in.{lang}.png")
    no_violations(browser, f"a signed-in page ({lang})")

    browser.get(f"{served.url}/jono")
    assert browser.find_element("css selector", "h1").text == t("forbidden_title", lang)
    no_violations(browser, f"the 403 page ({lang})")
    sign_out(browser)
    wait_for_title(browser, t("login_title", lang))
    assert browser.find_element("css selector", ".notice").text == t("signed_out", lang)


def test_signing_in_works_with_javascript_switched_off(browser: Any, served: Served) -> None:
    browser.delete_all_cookies()
    browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        browser.get(f"{served.url}/kirjaudu?kieli=fi")  # the language sticks in the session
        browser.get(f"{served.url}/saapuneet")  # not signed in: to the sign-in page and back
        wait_for_title(browser, t("login_title", "fi"))
        assert not browser.find_elements("css selector", "script")
        browser.find_element("id", "kayttaja").send_keys("maija-nojs")
        browser.find_element("id", "salasana").send_keys(PASSWORD)
        submit(browser)
        wait_for_title(browser, t("totp_title", "fi"))
        browser.find_element("id", "koodi").send_keys(
            pyotp.TOTP(served.secrets["maija-nojs"]).now())
        submit(browser)
        wait_for_title(browser, inbox_words("fi")["inbox_title"])
        assert browser.current_url.endswith("/saapuneet")
        sign_out(browser)
        wait_for_title(browser, t("login_title", "fi"))
    finally:
        browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})
