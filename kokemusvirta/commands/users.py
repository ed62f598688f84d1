"""`kokemusvirta users`: the workplace's local accounts (kokemusvirta/workplace/accounts.py).

    kokemusvirta users add USER --role ROLE --scope SCOPE [--name NAME] [--lang fi|sv|en]
                               [--password-stdin]
    kokemusvirta users list | remove USER | reset USER [--password-stdin] | code USER

`add` and `reset` print the TOTP provisioning URI and a QR code for the authenticator app, and
the password when one was generated: hand both to the person over a safe channel. `remove` and
`reset` end the account's sessions at once (every copy of their cookies). `code` prints the
account's current TOTP code: for the demo's accounts, or for an administrator helping someone
whose phone is lost; it needs what reading the accounts file needs, so it gives no one more
than they had. Exit status 2 with one line for anything the accounts cannot take.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from typing import TYPE_CHECKING

from kokemusvirta.settings import Settings
from kokemusvirta.terminal import printable

if TYPE_CHECKING:  # argon2 and pyotp load only when a command needs them
    from kokemusvirta.workplace.accounts import Accounts

ROLES = ("unit_manager", "leadership", "secretary", "auditor", "analyst")


def _wrap(text: str) -> str:
    """A description wrapped for the terminal (the raw formatter keeps line breaks as given)."""
    return textwrap.fill(text, 88)


def register(sub: argparse._SubParsersAction, fmt: type[argparse.HelpFormatter]) -> None:
    p = sub.add_parser(
        "users", help="the workplace's local accounts: add, list, remove, reset, code",
        description=_wrap("Local accounts of the staff's workplace, in "
        "$KOKEMUSVIRTA_HOME/workplace/accounts.sqlite (0600): a role and scope, an argon2id "
        "password hash and a TOTP secret each. Five failed attempts lock an account for 15 "
        "minutes. Roles and scopes: unit_manager COUNTY.UNIT, leadership COUNTY.AREA, "
        "secretary COUNTY (a political body's secretary acts as the county's decision-makers), "
        "auditor and analyst COUNTY or '*' (every county; they read, and do not act)."),
        formatter_class=fmt)
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    a = actions.add_parser(
        "add", help="add an account (prints its TOTP QR code)", formatter_class=fmt,
        description=_wrap("Adds a local account and prints the TOTP provisioning URI with a QR "
                          "code to scan with an authenticator app, and the password when one was "
                          "generated: hand both to the person over a safe channel. Exit status "
                          "2 with one line when the user exists or the role and scope do not "
                          "fit."))
    a.add_argument("user", metavar="USER", help="the login name, e.g. maija.meikalainen")
    a.add_argument("--role", required=True, choices=ROLES)
    a.add_argument("--scope", required=True,
                   help="COUNTY.UNIT, COUNTY.AREA, COUNTY or * as the role has it")
    a.add_argument("--name", default=None, help="the name shown in the workplace's header")
    a.add_argument("--lang", default="fi", choices=["fi", "sv", "en"],
                   help="the user's language (default fi)")
    a.add_argument("--password-stdin", action="store_true",
                   help="read the password (at least 12 characters) from the first line of "
                   "stdin; without it, one is generated and printed")
    a.set_defaults(func=cmd_add)
    ls = actions.add_parser("list", help="list the accounts (no secrets)", formatter_class=fmt)
    ls.set_defaults(func=cmd_list)
    r = actions.add_parser("remove", help="remove an account", formatter_class=fmt)
    r.add_argument("user", metavar="USER")
    r.set_defaults(func=cmd_remove)
    rs = actions.add_parser("reset", help="a new password and TOTP secret; lifts a lock",
                            formatter_class=fmt)
    rs.add_argument("user", metavar="USER")
    rs.add_argument("--password-stdin", action="store_true",
                    help="read the new password from stdin; without it, one is generated")
    rs.set_defaults(func=cmd_reset)
    c = actions.add_parser(
        "code", help="print the account's current TOTP code (the demo's accounts)",
        formatter_class=fmt,
        description=_wrap("Prints a TOTP code the local account may sign in with now (each "
                          "code works once; this one is valid for at most a minute). Meant for "
                          "the demo's accounts ($KOKEMUSVIRTA_HOME/demo-accounts.txt): in a real "
                          "deployment the person's authenticator app gives the code. It reads "
                          "the accounts file, which holds the secret anyway, so whoever can run "
                          "it could read the secret already; the second factor still stops "
                          "anyone who has only a password."))
    c.add_argument("user", metavar="USER")
    c.set_defaults(func=cmd_code)


def _err(message: str) -> int:
    print(f"kokemusvirta: {message}", file=sys.stderr, flush=True)
    return 2


def _accounts(settings: Settings) -> Accounts:
    from kokemusvirta.keystore import pseudonym_key
    from kokemusvirta.workplace.accounts import Accounts, accounts_path

    return Accounts(accounts_path(settings.home), pseudonym_key(settings))


def _password(from_stdin: bool) -> tuple[str, bool]:
    from kokemusvirta.workplace.accounts import generated_password

    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n"), False
    return generated_password(), True


def _show_secret(accounts: Accounts, user: str, secret: str, password: str,
                 generated: bool) -> None:
    import segno

    uri = accounts.provisioning_uri(user, secret)
    if generated:
        print(f"salasana (password): {password}")
    print(f"TOTP: {uri}")
    print("Lue koodi todennussovelluksella (scan with an authenticator app):")
    segno.make(uri, error="m").terminal(compact=True)


def cmd_add(args: argparse.Namespace, settings: Settings) -> int:
    from kokemusvirta.workplace.accounts import AccountError
    from kokemusvirta.workplace.users import StaffRole

    password, generated = _password(args.password_stdin)
    accounts = _accounts(settings)
    try:
        secret = accounts.add(args.user, role=StaffRole(args.role), scope=args.scope,
                              display_name=args.name or args.user, language=args.lang,
                              password=password)
    except AccountError as exc:
        return _err(printable(str(exc)))
    print(f"lisätty (added): {args.user}, {args.role} {args.scope}")
    _show_secret(accounts, args.user, secret, password, generated)
    return 0


def cmd_list(args: argparse.Namespace, settings: Settings) -> int:
    import time

    accounts = _accounts(settings).list()
    if not accounts:
        print("ei tilejä (no accounts): `kokemusvirta users add` adds one")
        return 0
    now = time.time()
    for a in accounts:
        lock = "  LUKITTU (locked)" if a.locked_until > now else ""
        print(f"{printable(a.user_id)}  {a.role.value}  {a.scope}  {a.language}  "
              f"{printable(a.display_name)}{lock}")
    return 0


def cmd_remove(args: argparse.Namespace, settings: Settings) -> int:
    from kokemusvirta.workplace.accounts import AccountError

    accounts = _accounts(settings)
    ended = _sessions_of(accounts, args.user)
    try:
        accounts.remove(args.user)
    except AccountError as exc:
        return _err(printable(str(exc)))
    print(f"poistettu (removed): {printable(args.user)}; {_ended(ended)}")
    return 0


def _sessions_of(accounts: Accounts, user: str) -> int:
    """The account's sessions now (remove and reset end them)."""
    from kokemusvirta.workplace.session_store import SessionStore, sessions_path

    return SessionStore(sessions_path(accounts.path.parent)).count(user)


def _ended(n: int) -> str:
    return f"{n} session{'s' if n != 1 else ''} ended (istuntoja päätetty: {n})"


def cmd_code(args: argparse.Namespace, settings: Settings) -> int:
    from kokemusvirta.workplace.accounts import AccountError

    try:
        print(_accounts(settings).current_code(args.user))
    except AccountError as exc:
        return _err(printable(str(exc)))
    return 0


def cmd_reset(args: argparse.Namespace, settings: Settings) -> int:
    from kokemusvirta.workplace.accounts import AccountError

    password, generated = _password(args.password_stdin)
    accounts = _accounts(settings)
    ended = _sessions_of(accounts, args.user)
    try:
        secret = accounts.reset(args.user, password)
    except AccountError as exc:
        return _err(printable(str(exc)))
    print(f"uusittu (reset): {printable(args.user)}; {_ended(ended)}")
    _show_secret(accounts, args.user, secret, password, generated)
    return 0
