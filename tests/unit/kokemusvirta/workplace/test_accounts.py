"""Local accounts: argon2id hashes, the lockout, TOTP codes used once, the file's mode."""

from __future__ import annotations

import stat
from pathlib import Path

import pyotp
import pytest

from kokemusvirta.workplace import accounts as acc
from kokemusvirta.workplace.accounts import AccountError, Accounts
from kokemusvirta.workplace.users import StaffRole

KEY = b"k" * 32
PASSWORD = "oikein-hyva-salasana"
T0 = 1_800_000_000.0  # a moment at the start of a TOTP step


@pytest.fixture
def accounts(tmp_path: Path) -> Accounts:
    return Accounts(tmp_path / "workplace" / "accounts.sqlite", KEY)


def add(accounts: Accounts, user: str = "maija") -> str:
    return accounts.add(user, role=StaffRole.UNIT_MANAGER, scope="lappi.kemin-terveysasema",
                        display_name="Maija", password=PASSWORD)


def test_the_file_is_the_owners_alone_and_holds_no_password(accounts: Accounts) -> None:
    add(accounts)
    assert stat.S_IMODE(accounts.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(accounts.path.parent.stat().st_mode) == 0o700
    raw = accounts.path.read_bytes()
    assert PASSWORD.encode() not in raw and b"$argon2id$" in raw


def test_the_right_password_opens_and_a_wrong_one_does_not(accounts: Accounts) -> None:
    add(accounts)
    account = accounts.verify_password("maija", PASSWORD, now=T0)
    assert account is not None and account.role is StaffRole.UNIT_MANAGER
    assert accounts.verify_password("maija", PASSWORD + "x", now=T0) is None
    assert accounts.verify_password("nobody", PASSWORD, now=T0) is None


def test_five_failures_lock_the_account_for_15_minutes_even_for_the_right_password(
        accounts: Accounts) -> None:
    add(accounts)
    for _ in range(acc.MAX_FAILURES):
        assert accounts.verify_password("maija", "vaara-salasana-on", now=T0) is None
    assert accounts.verify_password("maija", PASSWORD, now=T0 + 1) is None
    assert accounts.verify_password("maija", PASSWORD, now=T0 + acc.LOCKOUT_S - 1) is None
    assert accounts.verify_password("maija", PASSWORD, now=T0 + acc.LOCKOUT_S + 1) is not None


def test_four_failures_do_not_lock(accounts: Accounts) -> None:
    add(accounts)
    for _ in range(acc.MAX_FAILURES - 1):
        accounts.verify_password("maija", "vaara-salasana-on", now=T0)
    assert accounts.verify_password("maija", PASSWORD, now=T0) is not None


def test_wrong_codes_count_towards_the_lock(accounts: Accounts) -> None:
    secret = add(accounts)
    for _ in range(acc.MAX_FAILURES):
        assert not accounts.verify_totp("maija", "000000" if pyotp.TOTP(secret).at(T0)
                                        != "000000" else "111111", now=T0)
    assert not accounts.verify_totp("maija", pyotp.TOTP(secret).at(T0), now=T0)
    assert accounts.verify_password("maija", PASSWORD, now=T0) is None


def test_a_code_is_accepted_once(accounts: Accounts) -> None:
    secret = add(accounts)
    code = pyotp.TOTP(secret).at(T0)
    assert accounts.verify_totp("maija", code, now=T0)
    assert not accounts.verify_totp("maija", code, now=T0 + 5)  # seen over a shoulder: no
    assert not accounts.verify_totp("maija", pyotp.TOTP(secret).at(T0 - 30), now=T0 + 5)
    assert accounts.verify_totp("maija", pyotp.TOTP(secret).at(T0 + 30), now=T0 + 31)


def test_a_code_of_the_neighbouring_step_is_accepted_but_not_older(accounts: Accounts) -> None:
    secret = add(accounts)
    totp = pyotp.TOTP(secret)
    assert not accounts.verify_totp("maija", totp.at(T0 - 90), now=T0)
    assert accounts.verify_totp("maija", totp.at(T0 - 30), now=T0)


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "12 34 5x"])
def test_a_malformed_code_is_refused(accounts: Accounts, code: str) -> None:
    add(accounts)
    assert not accounts.verify_totp("maija", code, now=T0)


def test_reset_gives_a_new_password_and_secret_and_lifts_the_lock(accounts: Accounts) -> None:
    old = add(accounts)
    for _ in range(acc.MAX_FAILURES):
        accounts.verify_password("maija", "vaara-salasana-on")
    new = accounts.reset("maija", "toinen-hyva-salasana")
    assert new != old
    assert accounts.verify_password("maija", "toinen-hyva-salasana") is not None
    assert accounts.verify_password("maija", PASSWORD) is None


def test_administration_errors_are_one_line(accounts: Accounts) -> None:
    add(accounts)
    for call in (lambda: add(accounts),
                 lambda: accounts.add("x y", role=StaffRole.ANALYST, scope="*",
                                      display_name="", password=PASSWORD),
                 lambda: accounts.add("x", role=StaffRole.LEADERSHIP, scope="lappi",
                                      display_name="", password=PASSWORD),
                 lambda: accounts.add("x", role=StaffRole.ANALYST, scope="*",
                                      display_name="", password="short"),
                 lambda: accounts.remove("nobody"), lambda: accounts.reset("nobody", PASSWORD)):
        with pytest.raises(AccountError) as raised:
            call()
        assert "\n" not in str(raised.value)


def test_the_staff_user_carries_the_pseudonym_not_the_name(accounts: Accounts) -> None:
    add(accounts)
    account = accounts.get("maija")
    assert account is not None
    user = accounts.staff_user(account)
    assert user.pseudonym.startswith("us-") and "maija" not in user.pseudonym
    assert user.requester is not None and user.auth == "local"
    assert accounts.list()[0].user_id == "maija"
    accounts.remove("maija")
    assert accounts.get("maija") is None


def test_users_code_gives_a_code_not_used_yet_and_says_when_there_is_none(
        accounts: Accounts) -> None:
    add(accounts)
    first = accounts.current_code("maija", now=T0)
    assert accounts.verify_totp("maija", first, now=T0)
    second = accounts.current_code("maija", now=T0)  # this step's is spent: the next one's
    assert second != first and accounts.verify_totp("maija", second, now=T0)
    with pytest.raises(AccountError, match="try again in 30 s"):
        accounts.current_code("maija", now=T0)
    with pytest.raises(AccountError, match="no user"):
        accounts.current_code("nobody", now=T0)


def test_reset_and_remove_end_the_accounts_sessions_and_only_its_own(
        accounts: Accounts) -> None:
    from kokemusvirta.workplace.session_store import SessionStore, sessions_path
    from kokemusvirta.workplace.users import StaffUser

    store = SessionStore(sessions_path(accounts.path.parent))
    add(accounts)
    maija = accounts.staff_user(accounts.get("maija"))  # type: ignore[arg-type]
    namesake = StaffUser("maija", maija.pseudonym, "Maija", maija.role, maija.scope,
                         auth="oidc")  # a provider's subject of the same name: someone else
    mine, theirs = (store.open(u, T0, 3600) for u in (maija, namesake))
    accounts.reset("maija", "toinen-hyva-salasana")
    assert store.user(mine, T0, 3600) is None and store.user(theirs, T0, 3600) == namesake
    again = store.open(maija, T0, 3600)
    accounts.remove("maija")
    assert store.user(again, T0, 3600) is None


def test_a_session_record_ends_by_age_on_the_servers_clock(tmp_path: Path) -> None:
    from kokemusvirta.workplace.session_store import SessionStore
    from kokemusvirta.workplace.users import StaffUser

    store = SessionStore(tmp_path / "sessions.sqlite")
    user = StaffUser("maija", "us-0123456789abcdef", "Maija", StaffRole.AUDITOR, "*")
    sid = store.open(user, T0, 8 * 3600)
    assert store.user(sid, T0 + 8 * 3600, 8 * 3600) == user
    assert store.user(sid, T0 + 8 * 3600 + 1, 8 * 3600) is None
    assert store.user(sid, T0, 8 * 3600) is None  # ended, not only hidden
    assert sid.encode() not in (tmp_path / "sessions.sqlite").read_bytes()
