"""The public "you said, we did" site in real headless Chromium: the county index and a unit
page, in Finnish and Swedish, opened as files (the site is static and needs no server),
with zero axe-core WCAG 2.1 A/AA violations of any impact, and no script in any page."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from kokemusvirta.organisations import demo_organisations
from kokemusvirta.site.publish import publish_site
from tests.browser.chromium import axe, describe, full_page_screenshot
from tests.site_scenario import ROV, VAASA, WORDS_ROV, build_store

pytestmark = [pytest.mark.browser]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("site")
    store = build_store(home / "kokemusvirta.duckdb")
    out = home / "site"
    publish_site(store, demo_organisations(), out, ["lappi", "pohjanmaa"], None,
                 datetime.now(UTC))
    return out


@pytest.mark.parametrize("path", [
    "index.html",
    "lappi/fi/index.html", "lappi/sv/index.html",
    f"lappi/fi/{ROV}.html", f"lappi/sv/{ROV}.html",
    f"pohjanmaa/fi/{VAASA}.html", f"pohjanmaa/sv/{VAASA}.html",
])
def test_site_pages_have_no_accessibility_violations(browser: Any, site: Path, path: str,
                                                     artifacts: Path) -> None:
    browser.get((site / path).as_uri())
    lang = browser.execute_script("return document.documentElement.lang")
    assert lang == ("sv" if "/sv/" in path else "fi")
    assert browser.execute_script("return document.scripts.length") == 0
    assert browser.find_elements("tag name", "h1")
    full_page_screenshot(browser, artifacts.parent / "site" / (path.replace("/", "_") + ".png"))
    violations = axe(browser)
    assert not violations, f"{path}:\n{describe(violations)}"


def test_the_unit_page_shows_the_pair_and_links_the_other_language(browser: Any,
                                                                     site: Path) -> None:
    browser.get((site / "lappi" / "fi" / f"{ROV}.html").as_uri())
    assert WORDS_ROV in browser.find_element("tag name", "main").text
    browser.find_element("css selector", 'a[hreflang="sv"]').click()
    assert browser.execute_script("return document.documentElement.lang") == "sv"
    assert "Rovaniemi hälsostation" in browser.find_element("tag name", "h1").text
