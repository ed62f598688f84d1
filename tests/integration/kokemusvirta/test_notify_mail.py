"""Sending by SMTP against a real server (kokemusvirta/notify/mail.py, mailbox.py): a mail
that is taken arrives whole in the Maildir; a refusal for good is MailBounced, for now (or no
server at all) MailDeferred, and neither names the address."""

from __future__ import annotations

from pathlib import Path

import pytest

from kokemusvirta.notify.mail import Attachment, Mail, MailBounced, MailDeferred, send_mail
from kokemusvirta.notify.mailbox import BOUNCE_DOMAIN, DEFER_DOMAIN, LocalMailbox, free_port
from kokemusvirta.settings import Settings


def _settings(tmp_path: Path, port: int) -> Settings:
    return Settings(KOKEMUSVIRTA_HOME=tmp_path / "home",  # type: ignore[call-arg]
                    KOKEMUSVIRTA_SMTP_HOST="127.0.0.1", KOKEMUSVIRTA_SMTP_PORT=port,
                    KOKEMUSVIRTA_SMTP_SECURITY="none", KOKEMUSVIRTA_SMTP_TIMEOUT_S=5,
                    KOKEMUSVIRTA_MAIL_FROM="palaute@hyvinvointialue.example")


def test_a_mail_arrives_whole_and_refusals_are_told_apart(tmp_path: Path) -> None:
    with LocalMailbox(tmp_path / "box") as box:
        s = _settings(tmp_path, box.port)
        said = send_mail(s, Mail(to="liisa@example.org", subject="Svar på er respons – Åbo",
                                 text="Hej,\nbeslut: Vi genomför.\n", html="<p>Hej</p>",
                                 attachments=(Attachment("brev.pdf", b"%PDF-1.4 x"),),
                                 language="sv"))
        assert said == "250 accepted"
        with pytest.raises(MailBounced) as bounced:
            send_mail(s, Mail(to=f"jonne@{BOUNCE_DOMAIN}", subject="x", text="x"))
        with pytest.raises(MailDeferred) as deferred:
            send_mail(s, Mail(to=f"jonne@{DEFER_DOMAIN}", subject="x", text="x"))
        (mail,) = box.messages()
    assert str(bounced.value).startswith("550") and "@" not in str(bounced.value)
    assert str(deferred.value).startswith("451") and "@" not in str(deferred.value)
    assert mail["To"] == "liisa@example.org"
    assert mail["From"] == "palaute@hyvinvointialue.example"
    assert mail["Subject"] == "Svar på er respons – Åbo" and mail["Content-Language"] == "sv"
    assert mail["Auto-Submitted"] == "auto-generated"
    assert "beslut: Vi genomför." in mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    (pdf,) = [p for p in mail.iter_attachments() if p.get_filename() == "brev.pdf"]
    assert pdf.get_content() == b"%PDF-1.4 x"


def test_no_server_is_deferred(tmp_path: Path) -> None:
    with pytest.raises(MailDeferred, match="ConnectionRefusedError"):
        send_mail(_settings(tmp_path, free_port()), Mail(to="a@example.org", subject="x",
                                                         text="x"))


def test_notify_run_refuses_in_one_line(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items()
           if k != "KAFKA_BOOTSTRAP_SERVERS" and not k.startswith("KOKEMUSVIRTA_")}
    env.update(KOKEMUSVIRTA_HOME=str(tmp_path / "home"),
               KOKEMUSVIRTA_STORE=str(tmp_path / "none.duckdb"))
    for args, extra, words in (
            (["--once"], {}, "no store"),
            (["--once", "--interval", "0"], {}, "--interval"),
            (["--once"], {"KOKEMUSVIRTA_SMTP_SECURITY": "ssl"}, "KOKEMUSVIRTA_SMTP_SECURITY")):
        done = subprocess.run([sys.executable, "-m", "kokemusvirta", "notify", "run", *args],
                              env={**env, **extra}, capture_output=True, text=True, timeout=60,
                              check=False)
        assert done.returncode == 2, (done.stdout, done.stderr)
        assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
        assert words in done.stderr, done.stderr
