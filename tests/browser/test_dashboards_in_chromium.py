"""The dashboards as a reader sees them: real headless Chromium over the demo's store.

Each page loads, the funnel equals the flow_funnel view under the same filter, a filter changes
the figures, the language switch changes the words, a screenshot of every page is written to
the artifacts folder, and axe-core finds no serious or critical WCAG 2.1 A/AA violation in any
page or in the built file. The pages update themselves when the sink publishes a snapshot, and
a reader can pause that.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from dashboards.labels import LANGS, Labels
from dashboards.pages import PAGES
from sinks import reader as query
from sinks.store import snapshot_path
from tests.browser.chromium import axe, describe, full_page_screenshot
from tests.browser.conftest import Demo
from tests.integration.dashboards.uvicorn_server import serving

pytestmark = [pytest.mark.broker, pytest.mark.browser]

STAGES = ("received", "acknowledged", "reached_leadership", "reached_decision_makers",
          "decided", "returned")
BLOCKING = {"serious", "critical"}


def wait_for(condition: Callable[[], Any], timeout: float = 20, what: str = "") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what or condition}")


def load(driver: Any, url: str) -> None:
    driver.get(url)
    wait_for(lambda: driver.execute_script("return document.readyState") == "complete",
             what=f"{url} to load")


def check_accessibility(driver: Any, where: str, exclude: str | None = None) -> None:
    violations = axe(driver, exclude)
    if violations:
        print(f"\naxe-core on {where}:\n{describe(violations)}")
    blocking = [v for v in violations if v.get("impact") in BLOCKING]
    assert not blocking, f"{where}:\n{describe(blocking)}"


def funnel_on_page(driver: Any, lang: str = "fi") -> dict[str, str]:
    """The funnel's figures as the page's data table writes them: stage -> "123" or "alle 5"."""
    rows = driver.execute_script(
        "const t = document.querySelector('#content details.figures table');"
        "return Array.from(t.querySelectorAll('tbody tr'))"
        ".map(tr => Array.from(tr.children).map(c => c.textContent));")
    labels = Labels(lang)
    by_label = {labels.code("stage", s): s for s in STAGES}
    return {by_label[r[0]]: r[1].replace("\u202f", "").replace(",", "") for r in rows}


def funnel_in_view(store: Path, county: str | None = None) -> dict[str, str]:
    """The same figures straight from the flow_funnel view, suppressed as the page must."""
    where = f"where county = '{county}'" if county else ""
    _, rows = query.run(store, "select " + ", ".join(f"coalesce(sum({s}), 0)" for s in STAGES)
                        + f" from flow_funnel {where}")
    counts = dict(zip(STAGES, rows[0], strict=True))
    received = counts["received"]

    def shown(n: int) -> str:
        return "alle 5" if 0 < n < 5 or 0 < received < 5 else str(n)
    return {s: shown(int(n)) for s, n in counts.items()}


@pytest.mark.parametrize("slug", PAGES)
def test_each_page_loads_passes_axe_and_is_photographed(browser: Any, demo: Demo, slug: str,
                                                        artifacts: Path) -> None:
    load(browser, f"{demo.url}{slug}")
    labels = Labels("fi")
    assert browser.execute_script("return document.documentElement.lang") == "fi"
    assert browser.find_element("css selector", "h1").text == labels.page(slug)
    assert browser.title.startswith(labels.page(slug))
    assert browser.find_elements("css selector", "#content table")
    # the page's chart is drawn (vl-convert's SVG: an image with a title, not an empty box)
    charts = browser.find_elements("css selector", "#content figure.chart svg[role='img']")
    assert charts and all(c.size["width"] > 200 and c.size["height"] > 60 for c in charts)
    assert browser.find_element("css selector", '.pages a[aria-current="page"]').text \
        == labels.page(slug)
    # Nothing is fetched but the page itself (no fonts, scripts or styles from anywhere).
    assert browser.execute_script("return performance.getEntriesByType('resource')"
                                  ".filter(e => !e.name.includes('/api/version')).length") == 0
    full_page_screenshot(browser, artifacts / f"{slug}.fi.png")
    check_accessibility(browser, f"{slug} (fi)")


def test_the_funnel_equals_the_flow_funnel_view_and_a_filter_changes_it(
        browser: Any, demo: Demo, artifacts: Path) -> None:
    from selenium.webdriver.support.ui import Select

    load(browser, f"{demo.url}kulku")
    everything = funnel_on_page(browser)
    assert everything == funnel_in_view(demo.store)
    assert int(everything["received"]) > 2000

    Select(browser.find_element("id", "f-county")).select_by_value("lappi")
    browser.find_element("css selector", 'form.filters button[type="submit"]').click()
    wait_for(lambda: "county=lappi" in browser.current_url, what="the filtered page")
    wait_for(lambda: browser.find_elements("css selector", "#content details.figures"))
    lapland = funnel_on_page(browser)
    assert lapland == funnel_in_view(demo.store, "lappi")
    assert lapland != everything
    assert 0 < int(lapland["received"]) < int(everything["received"])
    assert "Lapin hyvinvointialue" in browser.find_element("css selector", "p.scope").text
    full_page_screenshot(browser, artifacts / "kulku.lappi.fi.png")


def test_the_language_switch_changes_the_words_and_keeps_the_filters(
        browser: Any, demo: Demo, artifacts: Path) -> None:
    load(browser, f"{demo.url}kulku?county=lappi")
    finnish = funnel_on_page(browser, "fi")
    for lang, title, stage in (("sv", "Flödet", "Mottagna"), ("en", "Flow", "Received")):
        browser.find_element("css selector", f'.langs a[hreflang="{lang}"]').click()
        wait_for(lambda lang=lang: browser.execute_script(
            "return document.documentElement.lang") == lang, what=f"the {lang} page")
        assert browser.find_element("css selector", "h1").text == title
        assert "county=lappi" in browser.current_url
        assert stage in browser.execute_script(
            "return document.querySelector('#content details.figures table').textContent")
        assert funnel_on_page(browser, lang) == {
            s: v.replace("alle 5", Labels(lang).t("suppressed")) for s, v in finnish.items()}
        nav = browser.find_element("css selector", "nav.pages").text
        assert Labels(lang).page("sanoitte-me-teimme") in nav
        full_page_screenshot(browser, artifacts / f"kulku.lappi.{lang}.png")
        check_accessibility(browser, f"kulku ({lang})")


def test_keyboard_reaches_everything_from_the_skip_link(browser: Any, demo: Demo) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    load(browser, f"{demo.url}myohassa")
    browser.execute_script("document.activeElement && document.activeElement.blur()")
    seen = []
    for _ in range(24):
        ActionChains(browser).send_keys(Keys.TAB).perform()
        seen.append(browser.execute_script(
            "const e = document.activeElement; const r = e.getBoundingClientRect();"
            "return [e.tagName, e.id || e.getAttribute('hreflang') || e.textContent.trim(),"
            "r.width > 0 && r.height > 0 && r.left >= 0];"))
    assert seen[0][:2] == ["A", "Siirry sisältöön"] and seen[0][2], "skip link first, visible"
    names = [s[1] for s in seen]
    assert {"sv", "en", "f-county", "f-unit", "f-period_end", "live-toggle"} <= set(names)
    assert all(visible for _, _, visible in seen)


def test_error_pages_are_clear_and_accessible(browser: Any, demo: Demo) -> None:
    load(browser, f"{demo.url}kulku?county=atlantis")
    assert "tuntematon arvo “atlantis”" in browser.find_element("css selector", ".error").text
    check_accessibility(browser, "the 400 page")
    load(browser, f"{demo.url}ei-tallaista?lang=en")
    assert browser.find_element("css selector", "h1").text == "Page not found"
    check_accessibility(browser, "the 404 page")


def test_the_built_file_works_offline_in_three_languages(browser: Any, demo: Demo,
                                                         artifacts: Path,
                                                         tmp_path: Path) -> None:
    # The demo built one for everything; build another for one county with the command.
    assert (demo.home / "kojelauta.html").stat().st_size > 100_000
    out = tmp_path / "kojelauta-lappi.html"
    done = subprocess.run([sys.executable, "-m", "kokemusvirta", "dashboard", "build", str(out),
                           "--county", "lappi", "--from", "2026-09", "--store",
                           str(demo.store)], env=demo.env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    load(browser, out.as_uri())
    assert browser.find_element("css selector", ".view:not([hidden]) h1").text == "Kulku"
    for lang in LANGS:
        labels = Labels(lang)
        for slug in PAGES:
            # the file's own way between views: a changed #fragment (hashchange), no reload of
            # its 2 MB each time; loading it at a #fragment is checked above and below
            browser.execute_script("location.hash = arguments[0]", f"{lang}-{slug}")
            wait_for(lambda lang=lang, slug=slug: browser.execute_script(
                "var v = document.querySelector('.view:not([hidden])');"
                "return document.documentElement.lang + ' ' + (v && v.id)")
                == f"{lang} {lang}-{slug}")
            shown = browser.find_elements("css selector", ".view:not([hidden])")
            assert len(shown) == 1 and shown[0].get_attribute("id") == f"{lang}-{slug}"
            assert shown[0].find_element("css selector", "h1").text == labels.page(slug)
            assert browser.execute_script(
                "return performance.getEntriesByType('resource').length") == 0
            check_accessibility(browser, f"the built file, {lang}-{slug}", ".view[hidden]")
            if slug in ("kulku", "sanoitte-me-teimme") or lang == "fi":
                full_page_screenshot(browser, artifacts / f"built.{lang}-{slug}.png")
    # The switch inside the file: a click, no reload.
    load(browser, f"{out.as_uri()}#fi-teemat")
    browser.refresh()
    browser.find_element("css selector", '.view:not([hidden]) .langs a[hreflang="sv"]').click()
    wait_for(lambda: browser.execute_script("return document.documentElement.lang") == "sv")
    assert browser.find_element("css selector", ".view:not([hidden]) h1").text == "Teman"


@pytest.fixture
def live_server(demo: Demo, tmp_path: Path) -> Iterator[tuple[str, Path, Path]]:
    """A server of our own over a copy of the demo's snapshot, asking for changes often."""
    store = tmp_path / "kokemusvirta.duckdb"
    snapshot = snapshot_path(store)
    shutil.copyfile(snapshot_path(demo.store), snapshot)
    with serving(store, poll_ms=300) as (url, _):
        yield url, snapshot, snapshot_path(demo.store)


def publish(source: Path, snapshot: Path) -> None:
    """As the sink publishes a snapshot: a new file renamed over the old one."""
    tmp = snapshot.with_name(snapshot.name + ".tmp")
    shutil.copyfile(source, tmp)
    os.replace(tmp, snapshot)


def test_the_page_follows_new_snapshots_and_can_be_paused(
        browser: Any, live_server: tuple[str, Path, Path]) -> None:
    url, snapshot, source = live_server
    load(browser, f"{url}kulku")
    browser.execute_script("sessionStorage.clear()")
    load(browser, f"{url}kulku")
    toggle = browser.find_element("id", "live-toggle")
    assert toggle.is_displayed() and toggle.get_attribute("aria-pressed") == "false"
    browser.execute_script("document.querySelector('#content details').open = true")
    first = browser.find_element("css selector", "body").get_attribute("data-version")

    publish(source, snapshot)
    second = wait_for(lambda: (v := browser.find_element("css selector", "body")
                               .get_attribute("data-version")) != first and v,
                      what="the page to take the new snapshot")
    assert browser.find_element("id", "live-announce").text.startswith("Päivitetty")
    assert browser.execute_script("return document.querySelector('#content details').open")

    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "true"
    assert toggle.text == "Jatka päivitystä"
    publish(source, snapshot)
    time.sleep(1.5)
    assert browser.find_element("css selector", "body").get_attribute("data-version") == second

    toggle.click()
    wait_for(lambda: browser.find_element("css selector", "body")
             .get_attribute("data-version") != second, what="the update after resuming")
    browser.execute_script("sessionStorage.clear()")
