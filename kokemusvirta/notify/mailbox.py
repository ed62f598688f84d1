"""A local mail server for the demo and the tests: an aiosmtpd Controller on 127.0.0.1 that
keeps every message it takes in a Maildir (`<directory>/new/…`, readable with any mail client
or `mailbox.Maildir`). It stands in for the county's SMTP relay, so the notifier sends real
SMTP and the message that arrives can be checked.

Two test domains behave as real servers do when something is wrong: a recipient at
`bounce.invalid` is refused for good (550), one at `defer.invalid` for now (451).
"""

from __future__ import annotations

import mailbox
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox as MaildirHandler

from kokemusvirta.serving import free_port

BOUNCE_DOMAIN = "bounce.invalid"
DEFER_DOMAIN = "defer.invalid"


class _Handler(MaildirHandler):
    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        domain = address.rpartition("@")[2].lower()
        if domain == BOUNCE_DOMAIN:
            return "550 5.1.1 mailbox unavailable"
        if domain == DEFER_DOMAIN:
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"


class LocalMailbox:
    """`with LocalMailbox(directory) as box:` a server on box.host:box.port; `box.messages()`
    what arrived, oldest first."""

    def __init__(self, directory: Path, port: int = 0) -> None:
        self.directory = directory
        directory.parent.mkdir(parents=True, exist_ok=True)
        mailbox.Maildir(str(directory), create=True)  # the folder, if new
        for sub in ("cur", "new", "tmp"):  # Maildir makes them only with a new folder
            (directory / sub).mkdir(mode=0o700, exist_ok=True)
        self.host = "127.0.0.1"
        self.port = port or free_port()
        self._controller = Controller(_Handler(directory), hostname=self.host, port=self.port,
                                      ready_timeout=10)

    def start(self) -> LocalMailbox:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    def __enter__(self) -> LocalMailbox:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def messages(self) -> list[EmailMessage]:
        return read_maildir(self.directory)

    def smtp_settings(self) -> dict[str, object]:
        """What Settings need to send here (plain SMTP on this machine, no credentials)."""
        return {"smtp_host": self.host, "smtp_port": self.port, "smtp_tls": "none",
                "smtp_user": None, "smtp_password": None}


def read_maildir(directory: Path) -> list[EmailMessage]:
    """Every message in a Maildir, in the order they arrived."""
    files = sorted((p for sub in ("new", "cur") for p in (directory / sub).glob("*")
                    if p.is_file()), key=lambda p: (p.stat().st_mtime_ns, p.name))
    out = []
    for p in files:
        message = message_from_bytes(p.read_bytes(), policy=policy.default)
        assert isinstance(message, EmailMessage)
        out.append(message)
    return out
