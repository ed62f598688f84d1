"""The demo's way in for staff: demo accounts and the workplace left running in the background.

Four local accounts, one per role that acts or reads the log, placed where the demo's store has
the most to show: the unit manager of the unit with the most items, that unit's service-area
leadership, the county's political bodies' secretary and the county's auditor. Their generated
passwords and TOTP secrets go to $KOKEMUSVIRTA_HOME/demo-accounts.txt (0600, the owner's alone,
like the accounts file that holds the same secrets); `kokemusvirta users code USER` prints the
current code, so a demo user needs no authenticator app while a real deployment keeps its second
factor (the command needs what reading the accounts file needs). A second demo run gives the
accounts new passwords and secrets (and so ends their sessions).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kokemusvirta.background import WORKPLACE, BackgroundError
from kokemusvirta.broker.local import port_free  # the broker's rule for a free port
from kokemusvirta.settings import Settings
from sinks import reader as query

Say = Callable[[str], None]
ACCOUNTS_FILE = "demo-accounts.txt"
PORT = 8471  # `workplace serve`'s default


@dataclass(frozen=True)
class DemoAccount:
    user_id: str
    role: str
    scope: str
    password: str
    totp_secret: str
    otpauth: str


@dataclass
class DemoWorkplace:
    accounts: list[DemoAccount]
    accounts_file: Path
    process: subprocess.Popen[bytes]
    log_file: Path
    url: str | None = None  # set once it answers (wait_for_workplace)


def busiest_unit(store: Path) -> tuple[str, str, str] | None:
    """(county, service area, unit) of the unit with the most items in the store."""
    _, rows = query.run(store, "select county, service_area, unit from knowledge_items "
                               "where unit is not null and service_area is not null "
                               "group by all order by count(*) desc, unit limit 1")
    return (str(rows[0][0]), str(rows[0][1]), str(rows[0][2])) if rows else None


def roles_for(county: str, area: str, unit: str) -> list[tuple[str, str, str, str]]:
    """(user id, role, scope, display name) of the demo's accounts."""
    return [("demo-esihenkilo", "unit_manager", f"{county}.{unit}", "Demo Esihenkilö"),
            ("demo-johto", "leadership", f"{county}.{area}", "Demo Johto"),
            ("demo-sihteeri", "secretary", county, "Demo Sihteeri"),
            ("demo-tarkastaja", "auditor", county, "Demo Tarkastaja")]


def make_accounts(settings: Settings, county: str, area: str, unit: str) -> list[DemoAccount]:
    from kokemusvirta.keystore import pseudonym_key
    from kokemusvirta.workplace.accounts import Accounts, accounts_path, generated_password
    from kokemusvirta.workplace.users import StaffRole

    accounts = Accounts(accounts_path(settings.home), pseudonym_key(settings))
    made = []
    for user_id, role, scope, name in roles_for(county, area, unit):
        if accounts.get(user_id) is not None:  # an earlier run's: new secrets, sessions end
            accounts.remove(user_id)
        password = generated_password()
        secret = accounts.add(user_id, role=StaffRole(role), scope=scope, display_name=name,
                              password=password)
        made.append(DemoAccount(user_id, role, scope, password, secret,
                                accounts.provisioning_uri(user_id, secret)))
    return made


def write_accounts_file(path: Path, accounts: list[DemoAccount]) -> None:
    """The accounts, passwords and TOTP secrets, readable by the owner only (0600 from the
    start: no moment when others may read it)."""
    lines = ["# Kokemusvirta demo: työpaikan tunnukset (the workplace's demo accounts).",
             "# Koodi (code): kokemusvirta users code KÄYTTÄJÄ, or scan otpauth with an app.",
             "# user\trole\tscope\tpassword\ttotp_secret\totpauth"]
    lines += ["\t".join((a.user_id, a.role, a.scope, a.password, a.totp_secret, a.otpauth))
              for a in accounts]
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")


def start_workplace(settings: Settings, say: Say) -> DemoWorkplace | None:
    """Demo accounts, then `kokemusvirta workplace serve` launched in the background; `wait`
    on the result for its address (the caller starts the dashboards meanwhile). None when the
    store has no unit to place the accounts in."""
    place = busiest_unit(settings.store)
    if place is None:
        say("  työpaikka (workplace): no unit in the store, no demo accounts")
        return None
    say("Työpaikka (workplace): demo accounts and the server")
    accounts = make_accounts(settings, *place)
    path = settings.home / ACCOUNTS_FILE
    write_accounts_file(path, accounts)
    log_file = settings.home / "logs" / "workplace.log"
    port = PORT if port_free("127.0.0.1", PORT) else 0
    process = WORKPLACE.launch(
        settings.home, ["--host", "127.0.0.1", "--port", str(port)], log_file,
        env={**os.environ, "KOKEMUSVIRTA_ORGANISATIONS": str(settings.organisations_file)})
    return DemoWorkplace(accounts, path, process, log_file)


def wait_for_workplace(settings: Settings, workplace: DemoWorkplace | None, say: Say
                       ) -> DemoWorkplace | None:
    """The launched workplace once it answers; None (and one line saying where its log is)
    when it did not start: the demo's data is there all the same."""
    if workplace is None:
        return None
    try:
        workplace.url = WORKPLACE.wait(settings.home, workplace.process, workplace.log_file)
    except BackgroundError as exc:
        say(f"  the workplace did not start: {str(exc).splitlines()[0]}")
        return None
    say(f"  serving {workplace.url} (pid {workplace.process.pid}; log {workplace.log_file})")
    return workplace


def summary_lines(workplace: DemoWorkplace, command: str) -> list[str]:
    first = workplace.accounts[0]
    return [
        f"Työpaikka (workplace, for staff): {workplace.url}kirjaudu",
        f"  sign in as {first.user_id} ({first.role} {first.scope}), "
        + ", ".join(a.user_id for a in workplace.accounts[1:]),
        f"  passwords: {workplace.accounts_file}; the code: `{command} users code "
        f"{first.user_id}`",
        f"  stop it with `{command} workplace stop`",
    ]
