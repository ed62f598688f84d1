"""The dashboards behind the workplace's login, in real headless Chromium against the workplace
app served by real uvicorn, over a store of the demo's generated scenario built through the
sink's own path (no broker: the dashboards only read the store).

A unit manager signs in with a local account (password and TOTP) and sees: the trend chart
(an SVG image with its title, the still-open sentence, the comparison and the table), the CSV
export downloaded and read with the Finnish Excel dialect, the overdue list's link opening
`/asia/<item_id>` (the item page is the inbox's part: here a placeholder answers at that
address), and axe-core finding no WCAG 2.0/2.1 A/AA violation on the dashboard pages in
Finnish, Swedish and English. Another unit's figures are a 403.
"""

from __future__ import annotations

import csv
import io
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pyotp
import pytest
import uvicorn
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from dashboards.pages import PAGES
from kokemusvirta.keystore import pseudonym_key
from kokemusvirta.settings import Settings
from kokemusvirta.workplace.accounts import Accounts, accounts_path
from kokemusvirta.workplace.app import create_app
from kokemusvirta.workplace.users import StaffRole
from scenario import generate
from scenario.bench_store import prepare
from sinks.store import Store
from tests.browser.chromium import axe, describe, full_page_screenshot, missing

pytestmark = pytest.mark.browser

PASSWORD = "kojelauta-testi-salasana-1"


@dataclass
class Served:
    url: str
    county: str
    unit: str
    other_unit: str
    totp: str
    downloads: Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


async def item_placeholder(request: Request) -> HTMLResponse:
    """Stands in for the inbox's item page (its own branch): the link's target answers."""
    item = request.path_params["item_id"]
    return HTMLResponse(f'<!doctype html><html lang="fi"><title>Asia {item}</title>'
                        f'<main><h1 id="item">{item}</h1></main></html>')


class NoActor:
    """The dashboards only read; nothing here asks for a step."""


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    why = missing()
    if why:  # a test that needs Chromium fails without it
        pytest.fail(f"the dashboards' browser tests need Chromium: {why}")
    home = tmp_path_factory.mktemp("kojelauta-home")
    settings = Settings(KOKEMUSVIRTA_HOME=home)
    store = Store(settings.store)
    raws = [r.value for r in generate(7, events=1500, start=date(2026, 3, 2), weeks=8)]
    for first in range(0, len(raws), 500):
        prepared = prepare(first, raws[first:first + 500])
        store.write_staged(prepared.staged, prepared.offsets, prepared.counters)
    county, unit = store.con.execute(
        "SELECT county, unit FROM overdue_items WHERE unit IS NOT NULL GROUP BY ALL "
        "ORDER BY count(*) DESC LIMIT 1").fetchone() or ("", "")
    other = store.con.execute("SELECT unit FROM item_milestones WHERE unit <> ? LIMIT 1",
                              [unit]).fetchone()
    store.close()
    accounts = Accounts(accounts_path(home), pseudonym_key(settings))
    secret = accounts.add("esihenkilo", role=StaffRole.UNIT_MANAGER, scope=f"{county}.{unit}",
                          display_name="Esi Henkilö", password=PASSWORD)
    app = create_app(settings, accounts=accounts, actor=NoActor(),
                     extra_routes=[Route("/asia/{item_id:str}", item_placeholder)])
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield Served(f"http://127.0.0.1:{port}", county, unit, str(other[0]) if other else "x",
                     secret, tmp_path_factory.mktemp("downloads"))
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def signed_in(served: Served, browser: Any) -> Any:
    browser.delete_all_cookies()
    browser.get(f"{served.url}/kojelauta/trendit")  # not signed in: to the sign-in page
    assert "/kirjaudu" in browser.current_url
    browser.find_element("id", "kayttaja").send_keys("esihenkilo")
    browser.find_element("id", "salasana").send_keys(PASSWORD)
    browser.find_element("css selector", 'form[action="/kirjaudu"] button[type="submit"]').click()
    wait_for(browser, lambda: "/kirjaudu/tunnistus" in browser.current_url)
    browser.find_element("id", "koodi").send_keys(pyotp.TOTP(served.totp).now())
    browser.find_element("css selector",
                         'form[action="/kirjaudu/tunnistus"] button[type="submit"]').click()
    wait_for(browser, lambda: "/kirjaudu" not in browser.current_url)
    return browser


@pytest.fixture(scope="module")
def shots(artifacts: Path) -> Path:
    path = artifacts.parent / "workplace-dashboards"
    path.mkdir(parents=True, exist_ok=True)
    return path


def wait_for(browser: Any, ok: Any, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not ok():
        assert time.monotonic() < deadline, f"timed out at {browser.current_url}"
        time.sleep(0.05)


def no_violations(driver: Any, where: str) -> None:
    violations = axe(driver)
    assert not violations, f"axe-core on {where}:\n{describe(violations)}"


def test_the_trend_chart_is_shown(signed_in: Any, served: Served, shots: Path) -> None:
    signed_in.get(f"{served.url}/kojelauta/trendit?grain=week&kieli=fi")
    svg = signed_in.find_element("css selector", "figure.chart svg[role='img']")
    title = svg.find_element("css selector", "title").get_attribute("textContent")
    assert "viikoittain" in title
    assert svg.size["width"] > 300 and svg.size["height"] > 150  # drawn, not an empty box
    assert signed_in.find_elements("css selector", "pattern")  # the still-open stripes
    assert "yhä avoimet" in signed_in.find_element("css selector", ".still-open-note").text
    rows = signed_in.find_elements("css selector", ".kv-dashboards table tbody tr")
    assert len(rows) >= 8
    assert signed_in.find_element("css selector", ".comparison").text
    full_page_screenshot(signed_in, shots / "trendit.fi.png")
    # sorting by a column is a link; the page comes back sorted
    signed_in.find_element("css selector", "th a[href*='sort=items']").click()
    wait_for(signed_in, lambda: "sort=items" in signed_in.current_url)
    assert signed_in.find_element("css selector", "th[aria-sort]")


def test_the_csv_export_downloads_and_reads_with_the_finnish_dialect(
    signed_in: Any, served: Served,
) -> None:
    signed_in.execute_cdp_cmd("Browser.setDownloadBehavior",
                              {"behavior": "allow", "downloadPath": str(served.downloads)})
    signed_in.get(f"{served.url}/kojelauta/trendit?kieli=fi")
    signed_in.find_element("css selector", "a[href^='/kojelauta/vienti/trend.csv']").click()
    wait_for(signed_in, lambda: any(p.suffix == ".csv" for p in served.downloads.iterdir()))
    [path] = [p for p in served.downloads.iterdir() if p.suffix == ".csv"]
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows and {"period", "items", "still_open", "reached_share"} <= set(rows[0])
    shares = [r["reached_share"] for r in rows if r["reached_share"]]
    assert shares and all("," in s and "." not in s for s in shares if s not in ("0", "1"))
    assert all(r["period"].count("-") == 1 for r in rows)
    # the unit's own figures: the export is the scoped query's
    assert "kokemusvirta-trend" in path.name and served.unit in path.name


def test_the_overdue_list_opens_the_item_page(signed_in: Any, served: Served) -> None:
    signed_in.get(f"{served.url}/kojelauta/myohassa")
    link = signed_in.find_element("css selector", ".kv-dashboards a[href^='/asia/']")
    item = link.text
    link.click()
    wait_for(signed_in, lambda: "/asia/" in signed_in.current_url)
    assert signed_in.current_url.endswith(f"/asia/{item}")
    assert signed_in.find_element("id", "item").text == item


def test_another_units_figures_are_forbidden(signed_in: Any, served: Served) -> None:
    signed_in.get(f"{served.url}/kojelauta/trendit?unit={served.other_unit}")
    assert "/kojelauta/trendit" in signed_in.current_url
    assert not signed_in.find_elements("css selector", "figure.chart")
    assert "403" in signed_in.title or signed_in.find_elements("css selector", "main h1")


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_dashboard_pages_pass_axe_in_each_language(signed_in: Any, served: Served,
                                                       shots: Path, lang: str) -> None:
    for slug in PAGES:
        signed_in.get(f"{served.url}/kojelauta/{slug}?kieli={lang}")
        assert signed_in.execute_script("return document.documentElement.lang") == lang
        # every page's chart is drawn (vl-convert's SVG, an image with a title), not a box
        charts = signed_in.find_elements("css selector", "figure.chart svg[role='img']")
        assert charts, f"no chart on /kojelauta/{slug}"
        for svg in charts:
            assert svg.find_element("css selector", "title").get_attribute("textContent")
            assert svg.size["width"] > 200 and svg.size["height"] > 60, slug
        if slug == "trendit" or lang == "fi":
            full_page_screenshot(signed_in, shots / f"{slug}.{lang}.png")
        no_violations(signed_in, f"/kojelauta/{slug} ({lang})")
