"""The dashboards in the workplace app, over HTTP (Starlette's test client, the whole app with its
sessions, sign-in and security headers) on a store of the demo's generated scenario built
through the sink's own path: the login is required, the scope is forced into every query
(another unit's or county's figures are a 403, never shown), a secretary gets no list of single
items, and every export answers with its type and the scoped rows."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

import pyotp
import pytest
from openpyxl import load_workbook
from starlette.testclient import TestClient

from kokemusvirta.keystore import pseudonym_key
from kokemusvirta.settings import Settings
from kokemusvirta.workplace.accounts import Accounts, accounts_path
from kokemusvirta.workplace.app import create_app
from kokemusvirta.workplace.users import StaffRole
from scenario import generate
from scenario.bench_store import prepare
from sinks.store import Store

PASSWORD = "kojelauta-testi-salasana-1"
SignIn = Callable[[str], TestClient]


@dataclass
class Place:
    county: str
    area: str
    unit: str
    other_county: str
    other_unit: str


@dataclass
class World:
    app: object
    accounts: Accounts
    secrets: dict[str, str]
    place: Place


class NoActor:
    """The dashboards only read."""


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    home = tmp_path_factory.mktemp("kojelauta-http")
    settings = Settings(KOKEMUSVIRTA_HOME=home)
    store = Store(settings.store)
    raws = [r.value for r in generate(7, events=1500, start=date(2026, 3, 2), weeks=8)]
    for first in range(0, len(raws), 500):
        prepared = prepare(first, raws[first:first + 500])
        store.write_staged(prepared.staged, prepared.offsets, prepared.counters)
    row = store.con.execute(
        "SELECT county, service_area, unit FROM overdue_items WHERE unit IS NOT NULL "
        "GROUP BY ALL ORDER BY count(*) DESC LIMIT 1").fetchone()
    assert row is not None
    county, area, unit = (str(v) for v in row)
    other_county = store.con.execute(
        "SELECT county FROM item_milestones WHERE county <> ? LIMIT 1", [county]).fetchone()
    other_unit = store.con.execute(
        "SELECT unit FROM item_milestones WHERE county = ? AND unit <> ? LIMIT 1",
        [county, unit]).fetchone()
    store.close()
    place = Place(county, area, unit, str(other_county[0]) if other_county else "muu",
                  str(other_unit[0]) if other_unit else "muu")
    accounts = Accounts(accounts_path(home), pseudonym_key(settings))
    secrets = {
        "esihenkilo": accounts.add("esihenkilo", role=StaffRole.UNIT_MANAGER,
                                   scope=f"{county}.{unit}", display_name="E", password=PASSWORD),
        "sihteeri": accounts.add("sihteeri", role=StaffRole.SECRETARY, scope=county,
                                 display_name="S", password=PASSWORD),
        "analyytikko": accounts.add("analyytikko", role=StaffRole.ANALYST, scope="*",
                                    display_name="A", password=PASSWORD),
    }
    app = create_app(settings, accounts=accounts, actor=NoActor())
    return World(app, accounts, secrets, place)


def sign_in(client: TestClient, user: str, secret: str) -> None:
    page = client.get("/kirjaudu")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf, page.text[:300]
    r = client.post("/kirjaudu", data={"csrf": csrf.group(1), "kayttaja": user,
                                       "salasana": PASSWORD, "seuraava": "/"})
    page = client.get("/kirjaudu/tunnistus")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf, (r.status_code, page.text[:300])
    r = client.post("/kirjaudu/tunnistus", data={"csrf": csrf.group(1),
                                                 "koodi": pyotp.TOTP(secret).now()})
    assert r.status_code < 400, r.text[:300]


@pytest.fixture
def as_user(world: World) -> Iterator[SignIn]:
    clients: list[TestClient] = []

    def make(user: str) -> TestClient:
        client = TestClient(world.app)  # type: ignore[arg-type]
        client.__enter__()
        clients.append(client)
        sign_in(client, user, world.secrets[user])
        return client

    yield make
    for c in clients:
        c.__exit__(None, None, None)


def test_the_dashboards_need_a_login(world: World) -> None:
    with TestClient(world.app) as client:  # type: ignore[arg-type]
        for path in ("/kojelauta/trendit", "/kojelauta/vienti/trend.csv"):
            r = client.get(path, follow_redirects=False)
            assert r.status_code in (302, 303) and "/kirjaudu" in r.headers["location"]


def test_a_unit_manager_sees_the_unit_and_nothing_else(world: World, as_user: SignIn) -> None:
    client = as_user("esihenkilo")
    p = world.place
    page = client.get("/kojelauta/trendit?grain=week&kieli=sv")
    assert page.status_code == 200 and 'lang="sv"' in page.text
    assert "<svg" in page.text and "<title" in page.text
    assert f"{p.county}.{p.unit}" in page.text  # whose figures these are
    assert "script" not in page.headers["content-security-policy"].replace("default-src", "")
    for other in (f"unit={p.other_unit}", f"county={p.other_county}"):
        assert client.get(f"/kojelauta/trendit?{other}").status_code == 403
        assert client.get(f"/kojelauta/vienti/trend.csv?{other}").status_code == 403
    flow = client.get("/kojelauta/kulku?period_start=2026-04&kieli=en")
    assert flow.status_code == 200 and 'name="period_start" type="month" value="2026-04"' in \
        flow.text
    overdue = client.get("/kojelauta/myohassa")
    assert overdue.status_code == 200
    links = re.findall(r'href="/asia/([^"]+)"', overdue.text)
    assert links
    data = client.get("/kojelauta/vienti/overdue_items_list.csv")
    rows = list(csv.DictReader(io.StringIO(data.content.decode("utf-8-sig")), delimiter=";"))
    assert rows and {(r["county"], r["unit"]) for r in rows} == {(p.county, p.unit)}
    assert set(links) <= {r["item_id"] for r in rows}


def test_every_export_answers_with_its_type(world: World, as_user: SignIn) -> None:
    client = as_user("analyytikko")
    csv_r = client.get("/kojelauta/vienti/trend.csv?grain=week")
    assert csv_r.headers["content-type"].startswith("text/csv")
    assert csv_r.content.startswith(b"\xef\xbb\xbf") and b";" in csv_r.content
    assert "attachment" in csv_r.headers["content-disposition"]
    xlsx = client.get("/kojelauta/vienti/rates_by_county.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None and next(sheet.iter_rows(values_only=True))[0] == "dimension_value"
    svg = client.get("/kojelauta/vienti/trend.svg?milestone=acknowledged")
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert b"<title" in svg.content and b"<desc" in svg.content
    themes = client.get("/kojelauta/vienti/themes_over_time.svg")
    assert themes.headers["content-type"].startswith("image/svg+xml") and b"<desc" in \
        themes.content
    assert client.get("/kojelauta/teemat").text.count("<svg") == 1
    png = client.get("/kojelauta/vienti/trend.png")
    assert png.content.startswith(b"\x89PNG")
    # every page's chart downloads as an image too (the funnel was hand-drawn SVG before)
    funnel = client.get("/kojelauta/vienti/funnel.png")
    assert funnel.status_code == 200 and funnel.content.startswith(b"\x89PNG")
    rates = client.get("/kojelauta/vienti/rates_by_unit.svg?kieli=en")
    assert rates.headers["content-type"].startswith("image/svg+xml") and b"<desc" in rates.content
    page = client.get("/kojelauta/tavoittavuus?sort=rates_by_unit.items&dir=desc")
    assert page.text.count('<figure class="chart">') == 6 and 'aria-sort="descending"' in page.text
    assert "/kojelauta/vienti/rates_by_month.png" in page.text
    assert client.get("/kojelauta/vienti/overdue_items_list.png").status_code == 404  # a list
    assert client.get("/kojelauta/vienti/nothing.csv").status_code == 404
    assert client.get("/kojelauta/trendit?grain=year").status_code == 400
    assert client.get("/kojelauta/trendit?period_start=huhtikuu").status_code == 400


def test_a_secretary_sees_county_figures_and_no_single_items(world: World, as_user: SignIn) -> None:
    client = as_user("sihteeri")
    page = client.get("/kojelauta/myohassa")
    assert page.status_code == 200 and "/asia/" not in page.text
    assert client.get("/kojelauta/vienti/overdue_items_list.csv").status_code == 403
    assert client.get(f"/kojelauta/trendit?unit={world.place.unit}").status_code == 403
    assert client.get("/kojelauta/trendit").status_code == 200
