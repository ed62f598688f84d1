"""The feedback form as a client meets it: real headless Chromium against the form served by
real uvicorn, in Finnish, Swedish and English. axe-core finds no WCAG 2.0/2.1 A/AA violation
at all on the empty form, on the form with its errors shown and on the thank-you page; the
form is sent with JavaScript switched off in the page (there is none to need).

The service is the intake app (kokemusvirta/intake/app.py) with a recording fake gateway:
publishing through the real gateway to the real broker is
tests/integration/test_intake_form_flow.py.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from kokemusvirta.intake.app import create_app
from kokemusvirta.intake.form_texts import TEXTS
from kokemusvirta.intake.gateway import BrokerUnavailable, Submitted
from kokemusvirta.organisations import demo_organisations
from kokemusvirta.settings import Settings
from tests.browser.chromium import axe, describe, full_page_screenshot, missing

pytestmark = pytest.mark.browser

UNIT = "rovaniemen-terveysasema"
PATHS = {"fi": "palaute", "sv": "respons", "en": "feedback"}


@dataclass
class RecordingGateway:
    payloads: list[dict[str, Any]] = field(default_factory=list)
    down: bool = False

    async def start(self) -> None:
        pass

    async def stop(self) -> None:
        pass

    async def submit(self, family: str, payloads: list[dict[str, Any]], *,
                     idempotency_key: str | None, client: str) -> Submitted:
        if self.down:
            raise BrokerUnavailable
        self.payloads.extend(payloads)
        return Submitted(["fb-0123456789abcdef"])


@dataclass
class Served:
    url: str
    gateway: RecordingGateway


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    why = missing()
    if why:  # a test that needs Chromium fails without it, here and in CI
        pytest.fail(f"the feedback form's browser tests need Chromium: {why}")
    gateway = RecordingGateway()
    settings = Settings(KOKEMUSVIRTA_HOME=tmp_path_factory.mktemp("form-home"))
    app = create_app(settings, gateway=gateway)  # the intake service, as `intake serve` runs it
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield Served(f"http://127.0.0.1:{port}", gateway)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def shots(artifacts: Path) -> Path:
    path = artifacts.parent / "intake-form"
    path.mkdir(parents=True, exist_ok=True)
    return path


def no_violations(driver: Any, where: str, allowed: frozenset[str] = frozenset()) -> None:
    violations = [v for v in axe(driver) if v["id"] not in allowed]
    assert not violations, f"axe-core on {where}:\n{describe(violations)}"


def submit(driver: Any) -> None:
    driver.find_element("css selector", 'form button[type="submit"]').click()


def wait_for_title(driver: Any, part: str) -> None:
    deadline = time.monotonic() + 20
    while part not in driver.title:
        assert time.monotonic() < deadline, f"no page titled {part!r}: {driver.title!r}"
        time.sleep(0.05)


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_form_errors_and_thanks_pass_axe_in_each_language(browser: Any, served: Served,
                                                          shots: Path, lang: str) -> None:
    words = TEXTS[lang]
    browser.get(f"{served.url}/{PATHS[lang]}/{UNIT}")
    assert browser.execute_script("return document.documentElement.lang") == lang
    assert browser.find_element("css selector", 'label[for="teksti"]').text.startswith(
        words["question"])
    full_page_screenshot(browser, shots / f"form.{lang}.png")
    no_violations(browser, f"the empty form ({lang})")

    # Sent empty with a bad e-mail: the errors beside the fields and linked from the top.
    browser.find_element("id", "vastaus-sahkoposti").click()
    browser.find_element("id", "sahkoposti").send_keys("ei-osoite")
    submit(browser)
    wait_for_title(browser, words["error_prefix"])
    links = browser.find_elements("css selector", ".error-summary a")
    assert [a.get_attribute("hash") for a in links] == ["#teksti", "#sahkoposti"]
    assert browser.find_element("id", "sahkoposti").get_attribute("value") == "ei-osoite"
    assert browser.find_element("id", "sahkoposti").get_attribute("aria-invalid") == "true"
    full_page_screenshot(browser, shots / f"form-errors.{lang}.png")
    no_violations(browser, f"the form with errors ({lang})")

    # A summary link takes the client to the field.
    links[0].click()
    assert browser.switch_to.active_element.get_attribute("id") == "teksti"

    browser.find_element("id", "teksti").send_keys("Hyvä hoito, kiitos.")
    browser.find_element("id", "arvio-4").click()
    email = browser.find_element("id", "sahkoposti")
    email.clear()
    email.send_keys("maija@esimerkki.fi")
    submit(browser)
    wait_for_title(browser, words["thanks_title"])
    assert "fb-01234567" in browser.find_element("css selector", ".reference").text
    assert len(browser.find_elements("css selector", ".next li")) == 2
    full_page_screenshot(browser, shots / f"thanks.{lang}.png")
    no_violations(browser, f"the thank-you page ({lang})")
    sent = served.gateway.payloads[-1]
    assert (sent["language"], sent["rating"], sent["contact"]) == (lang, 4, "maija@esimerkki.fi")


def test_the_kiosk_page_resets_itself_and_is_otherwise_clean(browser: Any,
                                                             served: Served) -> None:
    """A kiosk's thank-you page returns to an empty form by itself (a shared device: the next
    person must not see this one's page). axe-core calls any timed refresh a WCAG 2.2.1
    violation; here it is the kiosk's purpose (the essential exception: privacy on a shared
    device, nothing the client entered is lost, and a link starts the next form at once), so
    that one rule, and only on this page, is allowed."""
    browser.get(f"{served.url}/palaute/{UNIT}?kioski=1")
    no_violations(browser, "the kiosk form")
    browser.find_element("id", "teksti").send_keys("Kioskilta")
    submit(browser)
    wait_for_title(browser, TEXTS["fi"]["thanks_title"])
    refresh = browser.find_element("css selector", 'meta[http-equiv="refresh"]')
    assert refresh.get_attribute("content") == f"30;url=/palaute/{UNIT}?kioski=1"
    no_violations(browser, "the kiosk's thank-you page", allowed=frozenset({"meta-refresh"}))


def test_the_form_is_sent_with_javascript_switched_off(browser: Any, served: Served) -> None:
    browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        browser.get(f"{served.url}/feedback/{UNIT}?kanava=suullinen")
        assert not browser.find_elements("css selector", "script")
        browser.find_element("id", "teksti").send_keys("Told at the desk")
        browser.find_element("id", "vastaaja-laheinen").click()
        before = len(served.gateway.payloads)
        submit(browser)
        wait_for_title(browser, TEXTS["en"]["thanks_title"])
    finally:
        browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})
    [sent] = served.gateway.payloads[before:]
    assert (sent["channel"], sent["respondent_role"], sent["text"]) == (
        "oral", "close_one", "Told at the desk")


def test_the_form_fits_a_phone(browser: Any, served: Served, shots: Path) -> None:
    browser.set_window_size(360, 740)
    try:
        browser.get(f"{served.url}/palaute/{UNIT}")
        width = browser.execute_script("return document.documentElement.scrollWidth")
        assert width <= 360, f"the page scrolls sideways on a phone ({width} px)"
        for radio in browser.find_elements("css selector", ".choice"):
            assert radio.size["height"] >= 44  # a finger's touch target
        assert browser.find_element("css selector", 'button[type="submit"]').size["height"] >= 44
        browser.save_screenshot(str(shots / "form.phone.png"))
        no_violations(browser, "the form on a phone")
    finally:
        browser.set_window_size(1280, 900)


def test_a_poster_prints_on_a4_and_passes_axe(browser: Any, served: Served, shots: Path,
                                              tmp_path: Path) -> None:
    from kokemusvirta.intake.posters import write_posters

    [unit] = [u for u in demo_organisations().units if u.code == "inarin-terveysasema"]
    [path] = write_posters([unit], tmp_path, served.url)
    browser.get(path.as_uri())
    svg = browser.find_element("css selector", "svg.qr")
    assert svg.size["width"] > 200  # big enough to scan from a wall
    assert browser.find_element("css selector", ".url").text == f"{served.url}/palaute/{unit.code}"
    browser.save_screenshot(str(shots / "poster.png"))
    no_violations(browser, "a poster")
    # The address on the poster opens the form.
    browser.get(browser.find_element("css selector", ".url").text)
    assert unit.names.fi in browser.find_element("css selector", "h1").text


def test_when_sending_fails_the_form_keeps_the_words_and_passes_axe(browser: Any,
                                                                   served: Served) -> None:
    served.gateway.down = True
    try:
        browser.get(f"{served.url}/respons/{UNIT}")
        browser.find_element("id", "teksti").send_keys("Viktigt")
        submit(browser)
        deadline = time.monotonic() + 20
        while not browser.find_elements("css selector", ".problem h2"):
            assert time.monotonic() < deadline, "no notice that sending failed"
            time.sleep(0.05)
        assert browser.find_element("css selector", ".problem h2").text == \
            TEXTS["sv"]["unavailable_title"]
        assert browser.find_element("id", "teksti").get_attribute("value") == "Viktigt"
        no_violations(browser, "the form after a failed sending (sv)")
    finally:
        served.gateway.down = False
