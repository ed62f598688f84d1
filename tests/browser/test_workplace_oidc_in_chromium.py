"""Staff sign-in through the county's identity provider as a person meets it: real headless
Chromium on the workplace (`kokemusvirta workplace serve`, a process of its own) and on the
provider's own login page (zitadel/oidc's example OP, tests/oidc_provider.py).

axe-core finds no WCAG 2.0/2.1 A/AA violation on our pages of the way — the sign-in page with
its link to the provider, the page landed on, the "no role in Kokemusvirta" page and the page
of a refused answer — in Finnish, Swedish and English. The provider's page is the county's, not
ours: it is not checked.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.chromium import axe, chromium, describe, full_page_screenshot, missing
from tests.oidc_provider import ProviderUser, ServedWorkplace, workplace_with_provider

pytestmark = pytest.mark.browser

UNIT = "lappi.rovaniemen-terveysasema"
MAIJA = ProviderUser("maija", "Salasana-123", "maija.manager@lappi.example", "Maija", "Manager")
ULLA = ProviderUser("ulla", "Salasana-789", "ulla@lappi.example", "Ulla", "Ulkopuolinen")
USERS_YAML = f"users:\n  maija.manager@lappi.example: {{role: unit_manager, scope: {UNIT}}}\n"
ROLE = {"fi": "Yksikön esihenkilö", "sv": "Enhetens chef", "en": "Unit manager"}
NO_ROLE = {"fi": "Ei roolia Kokemusvirrassa", "sv": "Ingen roll i Kokemusvirta",
           "en": "No role in Kokemusvirta"}
FAILED = {"fi": "Kirjautuminen ei onnistunut", "sv": "Inloggningen misslyckades",
          "en": "Sign-in did not succeed"}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedWorkplace]:
    home = tmp_path_factory.mktemp("oidc-browser")
    with workplace_with_provider(home, (MAIJA, ULLA), USERS_YAML,
                                 KOKEMUSVIRTA_PSEUDONYM_KEY="p" * 40) as workplace:
        yield workplace


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    why = missing()
    if why:  # a test that needs Chromium fails without it, here and in CI
        pytest.fail(f"the OIDC sign-in browser tests need Chromium: {why}")
    with chromium() as browser:
        yield browser


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import os

    base = os.environ.get("KOKEMUSVIRTA_ARTIFACTS")
    return (Path(base) if base else tmp_path_factory.mktemp("shots")) / "workplace-oidc"


def no_violations(driver: Any, what: str) -> None:
    violations = axe(driver)
    assert violations == [], f"{what} ({driver.current_url}):\n{describe(violations)}"


def through_the_provider(driver: Any, served: ServedWorkplace, lang: str,
                         who: ProviderUser) -> None:
    """From our sign-in page, by its link, to the provider's login page, filled in there."""
    driver.get(served.url + "/kirjaudu")
    driver.delete_all_cookies()  # the workplace's: a fresh session each time
    driver.get(f"{served.url}/kirjaudu?kieli={lang}")
    no_violations(driver, f"sign-in page ({lang})")
    driver.find_element(By.CSS_SELECTOR, 'a[href^="/kirjaudu/oidc"]').click()
    WebDriverWait(driver, 20).until(
        lambda d: d.current_url.startswith(served.provider.issuer))
    driver.find_element(By.ID, "username").send_keys(who.username)
    driver.find_element(By.ID, "password").send_keys(who.password)
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(driver, 20).until(lambda d: d.current_url.startswith(served.url))


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_a_unit_manager_signs_in_at_the_provider_and_lands_signed_in(
        driver: Any, served: ServedWorkplace, shots: Path, lang: str) -> None:
    through_the_provider(driver, served, lang, MAIJA)
    body = driver.find_element(By.TAG_NAME, "body").text
    assert ROLE[lang] in body and UNIT in body, body[:800]
    assert "/kirjaudu" not in driver.current_url
    no_violations(driver, f"the page landed on ({lang})")
    full_page_screenshot(driver, shots / f"signed-in-{lang}.png")


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_a_person_without_a_role_sees_why_and_is_not_signed_in(
        driver: Any, served: ServedWorkplace, lang: str) -> None:
    through_the_provider(driver, served, lang, ULLA)
    assert driver.find_element(By.TAG_NAME, "h1").text == NO_ROLE[lang]
    no_violations(driver, f"no-role page ({lang})")
    driver.get(served.url + "/")
    WebDriverWait(driver, 10).until(lambda d: "/kirjaudu" in d.current_url)


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_an_answer_that_is_not_this_browsers_is_one_clear_page(
        driver: Any, served: ServedWorkplace, lang: str) -> None:
    driver.get(f"{served.url}/kirjaudu/oidc/paluu?code=stolen&state=forged&kieli={lang}")
    assert driver.find_element(By.TAG_NAME, "h1").text == FAILED[lang]
    assert "Traceback" not in driver.page_source
    no_violations(driver, f"sign-in failed page ({lang})")
