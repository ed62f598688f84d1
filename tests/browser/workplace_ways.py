"""The ways of tests/browser/test_workplace_end_to_end_in_chromium.py: a person's in Chromium
(sign in, click, send a form), the same session over HTTP for the steps that are set-up only,
and the store's lifecycle rows the sink wrote."""

from __future__ import annotations

import base64
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pyotp
from selenium.webdriver.common.by import By
from selenium.webdriver.support.select import Select

from kokemusvirta.settings import Settings
from kokemusvirta.workplace.app import COOKIE
from kokemusvirta.workplace.inbox_texts import words
from sinks import reader as query
from tests.browser.chromium import axe, describe

PASSWORD = "pitkä-ja-hyvä-salasana-42"  # every local account's in the flow
UM = "unit_manager"  # the actor_role of a unit manager's steps


@dataclass
class Flow:
    """The running flow: its settings (the store), the workplace's address and log, the local
    accounts' TOTP secrets, and the items the sink stored."""

    settings: Settings
    url: str
    secrets: dict[str, str]
    mine: list[str]  # the unit's items: A (local manager), B (OIDC manager), C and D
    theirs: str  # another unit's item
    log: Path
    seen: dict[str, str] = field(default_factory=dict)  # what a test found for the next


# --- The browser's ways -------------------------------------------------------------------------

def click_and_wait(driver: Any, element: Any) -> None:
    """Click a link or a form's button and wait for the next page (a click does not)."""
    driver.execute_script("window.kvOldPage = true")  # a new page has no such mark
    element.click()
    deadline = time.monotonic() + 30
    while driver.execute_script("return window.kvOldPage === true || "
                                "document.readyState !== 'complete'"):
        assert time.monotonic() < deadline, "no new page after the click"
        time.sleep(0.05)


def sign_in(driver: Any, flow: Flow, user: str, lands_on: str) -> None:
    """Name and password, then the one-time code, as a person types them."""
    driver.get(f"{flow.url}/kirjaudu")
    driver.delete_all_cookies()  # the workplace's: a fresh session
    driver.get(f"{flow.url}/kirjaudu")
    driver.find_element(By.ID, "kayttaja").send_keys(user)
    driver.find_element(By.ID, "salasana").send_keys(PASSWORD)
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, 'main form button[type="submit"]'))
    driver.find_element(By.ID, "koodi").send_keys(pyotp.TOTP(flow.secrets[user]).now())
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, 'main form button[type="submit"]'))
    assert driver.current_url.split("?")[0] == flow.url + lands_on, driver.current_url


def page_shot(driver: Any, path: Path) -> None:
    """The whole page from its top, through DevTools (a resized window is not always redrawn
    before a screenshot)."""
    driver.execute_script("window.scrollTo(0, 0)")
    width, height = driver.execute_script(
        "return [document.documentElement.scrollWidth, "
        "Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)]")
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}})
    path.write_bytes(base64.b64decode(shot["data"]))


def h1(driver: Any) -> str:
    return str(driver.find_element(By.TAG_NAME, "h1").text)


def no_violations(driver: Any, where: str) -> None:
    violations = axe(driver)
    assert not violations, f"axe-core on {where}:\n{describe(violations)}"


def inbox_items(driver: Any) -> set[str]:
    links = driver.find_elements(By.CSS_SELECTOR, 'table.inbox a[href^="/asia/"]')
    return {str(a.get_attribute("href")).rsplit("/", 1)[-1] for a in links}


def as_browser(driver: Any, flow: Flow) -> httpx.Client:
    """The workplace over HTTP in the browser's own session (its cookie): the same user."""
    cookie = driver.get_cookie(COOKIE)
    assert cookie, "not signed in"
    return httpx.Client(base_url=flow.url, cookies={COOKIE: cookie["value"]}, timeout=60)


def csrf(http: httpx.Client) -> str:
    """The session's CSRF token, from the sign-out form every page has."""
    found = re.search(r'name="csrf" value="([^"]+)"', http.get("/", follow_redirects=True).text)
    assert found, "no CSRF token on the landing page"
    return found.group(1)


def ask(http: httpx.Client, item: str, step: str, **fields: str) -> None:
    sent = http.post(f"/asia/{item}/{step}", data={"csrf": csrf(http), **fields})
    problem = re.search(r'<p class="error"[^>]*>([^<]+)', sent.text)
    assert sent.status_code == 303, (step, item, sent.status_code,
                                     problem.group(1) if problem else sent.text[-1500:])


# --- The store ----------------------------------------------------------------------------------

def steps_of(flow: Flow, item: str) -> dict[tuple[str, str], str | None]:
    """(step, actor_role): actor_pseudonym of the item's lifecycle rows in the store (an item
    is acknowledged twice when escalated: by the unit's manager, then by leadership)."""
    try:
        _, rows = query.run(flow.settings.store, "SELECT step, actor_role, actor_pseudonym "
                            f"FROM lifecycle WHERE item_id = '{item}'")
    except query.StoreMissing:
        return {}
    return {(r[0], r[1]): r[2] for r in rows}


def wait_for(flow: Flow, *wanted: tuple[str, str, str], timeout: float = 90) -> None:
    """Until the sink has stored each (item, step, actor_role): the worker accepted it."""
    deadline = time.monotonic() + timeout
    while True:
        missing = [(i, s, r) for i, s, r in wanted if (s, r) not in steps_of(flow, i)]
        if not missing:
            return
        assert time.monotonic() < deadline, \
            f"not in the store after {timeout} s: {missing}; {flow.log.read_text()[-1500:]}"
        time.sleep(0.3)


def act_on_page(driver: Any, flow: Flow, item: str, step: str) -> None:
    """The item page's form for `step`, filled in and sent; back on the item page."""
    form = driver.find_element(By.CSS_SELECTOR, f'form[action="/asia/{item}/{step}"]')
    if step == "decided":
        Select(form.find_element(By.ID, "decided-outcome")).select_by_value("adopted")
        form.find_element(By.ID, "decided-rationale").send_keys("Lisäämme takaisinsoiton.")
    click_and_wait(driver, form.find_element(By.CSS_SELECTOR, 'button[type="submit"]'))
    assert f"/asia/{item}?lahetetty=" in driver.current_url, \
        driver.find_element(By.TAG_NAME, "main").text[:800]
    notice = driver.find_element(By.CSS_SELECTOR, ".notice").text
    assert notice in (words("fi")["sent"], words("fi")["step_seen"]), notice
