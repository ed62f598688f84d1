"""The workplace's pages on a big store, over HTTP: what a signed-in user waits for.

Part of `python -m kokemusvirta.bench.dashboards`. The whole app (kokemusvirta/workplace:
sessions, sign-in with a local account and TOTP, the scope forced into every query, Jinja2, the
security headers) answers through Starlette's test client, reading the store as its published
snapshot (a symbolic link beside a store path under a home of the benchmark's own). Timed: each
/kojelauta page for an analyst (everything) and a unit manager (the busiest unit), the trend by
week and by month, the exports, the unit manager's inbox (/saapuneet) and an item page
(/asia/<id>). Not timed: the broker's acknowledgement of the access-log event an item page
writes first (the benchmark's access log records in memory; `kokemusvirta bench` measures the
broker), and the lifecycle requests the forms send.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyotp

PASSWORD = "kojelauta-mittaus-salasana-1"


@dataclass(frozen=True)
class Page:
    what: str
    user: str
    url: str


class NoActor:
    """The benchmark only reads."""


class AccessLogInMemory:
    """Stands for the broker-backed access-log writer: the views are kept, not sent."""

    def __init__(self) -> None:
        self.views: list[tuple[str, str]] = []

    def record(self, user: Any, item_id: str, county: str, purpose: Any,
               reason: str | None = None) -> Any:
        self.views.append((item_id, str(purpose)))
        return None

    def close(self) -> None:
        pass


def _busiest(con: duckdb.DuckDBPyConnection) -> tuple[str, str, str]:
    row = con.execute(
        "SELECT county, unit, max_by(item_id, received_at) FROM knowledge_items "
        "WHERE unit IS NOT NULL AND classifier_version IS NOT NULL "
        "GROUP BY ALL ORDER BY count(*) DESC LIMIT 1").fetchone()
    assert row is not None, "an empty store"
    return str(row[0]), str(row[1]), str(row[2])


def pages(con: duckdb.DuckDBPyConnection) -> tuple[list[Page], dict[str, tuple[str, str]]]:
    """What is timed, and the users (name -> role, scope) who ask for it."""
    from dashboards import pages as dashboard_pages

    county, unit, item = _busiest(con)
    users = {"analyytikko": ("analyst", "*"), "esihenkilo": ("unit_manager", f"{county}.{unit}")}
    out: list[Page] = []
    for user in users:
        for slug in dashboard_pages.PAGES:
            out.append(Page(f"/kojelauta/{slug}", user, f"/kojelauta/{slug}"))
        out.append(Page("/kojelauta/trendit week", user, "/kojelauta/trendit?grain=week"))
        for fmt in ("csv", "xlsx", "svg", "png"):
            out.append(Page(f"/kojelauta/vienti/trend.{fmt}", user,
                            f"/kojelauta/vienti/trend.{fmt}?grain=week"))
        out.append(Page("/kojelauta/vienti/themes.svg", user,
                        "/kojelauta/vienti/themes_over_time.svg"))
    out.append(Page("/saapuneet", "esihenkilo", "/saapuneet"))
    out.append(Page("/saapuneet?myohassa=1", "esihenkilo", "/saapuneet?myohassa=1"))
    out.append(Page("/asia/<id>", "esihenkilo", f"/asia/{item}"))
    return out, users


@contextmanager
def workplace(store: Path, users: dict[str, tuple[str, str]]) -> Iterator[Callable[[str], Any]]:
    """The app on `store`; yields sign_in(user) -> a signed-in test client."""
    from starlette.testclient import TestClient

    from kokemusvirta.keystore import pseudonym_key
    from kokemusvirta.settings import Settings
    from kokemusvirta.workplace.accounts import Accounts, accounts_path
    from kokemusvirta.workplace.app import create_app
    from kokemusvirta.workplace.users import StaffRole
    from sinks.paths import snapshot_path

    with tempfile.TemporaryDirectory(prefix="kv-bench-workplace-") as home_dir:
        home = Path(home_dir)
        settings = Settings.model_validate({  # by alias: the environment's store is not ours
            "KOKEMUSVIRTA_HOME": str(home),
            "KOKEMUSVIRTA_STORE": str(home / "store" / "kokemusvirta.duckdb")})
        settings.store.parent.mkdir(parents=True, exist_ok=True)
        snapshot_path(settings.store).symlink_to(store.resolve())
        accounts = Accounts(accounts_path(home), pseudonym_key(settings))
        secrets = {name: accounts.add(name, role=StaffRole(role), scope=scope,
                                      display_name=name, password=PASSWORD)
                   for name, (role, scope) in users.items()}
        app = create_app(settings, accounts=accounts, actor=NoActor())
        app.state.access_log = AccessLogInMemory()
        clients: list[Any] = []

        def sign_in(user: str) -> Any:
            client = TestClient(app)
            client.__enter__()
            clients.append(client)
            page = client.get("/kirjaudu")
            client.post("/kirjaudu", data={"csrf": _csrf(page.text), "kayttaja": user,
                                           "salasana": PASSWORD, "seuraava": "/"})
            page = client.get("/kirjaudu/tunnistus")
            client.post("/kirjaudu/tunnistus", data={
                "csrf": _csrf(page.text), "koodi": pyotp.TOTP(secrets[user]).now()})
            return client

        try:
            yield sign_in
        finally:
            for c in clients:
                c.__exit__(None, None, None)


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, html[:300]
    return found.group(1)
