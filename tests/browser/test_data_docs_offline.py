"""The Data Docs that `kokemusvirta quality` writes, opened from disk in Chromium with the
network off: the index lists the suites (a bootstrap-table that jQuery fills, both now loaded
from the site's own folder, sinks/quality/offline.py) and a suite's page has its styles."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from kokemusvirta.cli import main
from tests.integration.sinks.test_quality_store import clean

__all__ = ["clean"]  # the fixture: a clean store of the flow scenario

OFFLINE = {"offline": True, "latency": 0, "downloadThroughput": 0, "uploadThroughput": 0}
ONLINE = {**OFFLINE, "offline": False, "downloadThroughput": -1, "uploadThroughput": -1}
SUITES = ("events", "knowledge_items", "lifecycle", "dead_letters", "overdue_items")


def test_the_index_shows_the_suites_offline(browser: Any, clean: Path, tmp_path: Path) -> None:
    docs = tmp_path / "laatu"
    assert main(["quality", "--store", str(clean), "--docs", str(docs)]) == 0
    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd("Network.emulateNetworkConditions", OFFLINE)
    try:
        browser.get((docs / "index.html").as_uri())
        # Filled by bootstrap-table from the page's data: only when jQuery and it loaded.
        WebDriverWait(browser, 30).until(
            lambda d: "knowledge_items" in d.find_element(By.TAG_NAME, "body").text)
        body = browser.find_element(By.TAG_NAME, "body").text
        for suite in SUITES:
            assert suite in body, suite
        assert browser.execute_script("return typeof jQuery.fn.bootstrapTable") == "function"
        # Bootstrap's stylesheet applied: its navbar is a flex box, unstyled it is a block.
        navbar = browser.find_element(By.CSS_SELECTOR, "nav.navbar")
        assert navbar.value_of_css_property("display") == "flex"

        page = next(docs.glob("validations/knowledge_items/**/*.html"))
        browser.get(page.as_uri())
        WebDriverWait(browser, 30).until(
            lambda d: d.execute_script("return document.readyState") == "complete")
        assert browser.execute_script("return typeof jQuery") == "function"
        assert "knowledge_items" in browser.find_element(By.TAG_NAME, "body").text
    finally:
        browser.execute_cdp_cmd("Network.emulateNetworkConditions", ONLINE)
