"""Sending one mail over SMTP (KOKEMUSVIRTA_SMTP_*): what the notifier's rounds call.

A refusal is one of two kinds, as the rounds treat them: `MailBounced`, the server refused
for good (a 5xx answer: no such mailbox, policy), so sending again cannot help; `MailDeferred`,
it may work later (a 4xx answer, no connection, a timeout, a broken TLS handshake). Their
messages are the server's code and words, cut short, and never name an address: the logs and
the lifecycle events carry them (`detail`).
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kokemusvirta.settings import Settings


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mime_type: str = "application/pdf"


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    text: str
    html: str | None = None
    attachments: Sequence[Attachment] = field(default_factory=tuple)
    language: str = "fi"  # Content-Language


class MailError(Exception):
    """A mail was not sent; the message has no address in it."""


class MailBounced(MailError):
    """The server refused the mail for good (5xx)."""


class MailDeferred(MailError):
    """The mail may go later (4xx, no connection, a timeout)."""


def message(settings: Settings, mail: Mail) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = settings.mail_from
    msg["To"] = mail.to
    msg["Subject"] = mail.subject
    msg["Date"] = formatdate(localtime=False, usegmt=True)
    msg["Message-ID"] = make_msgid(domain=settings.mail_from.rpartition("@")[2])
    msg["Auto-Submitted"] = "auto-generated"  # no vacation replies to the notifier
    msg.set_content(mail.text)
    if mail.html is not None:
        msg.add_alternative(mail.html, subtype="html")
    for a in mail.attachments:
        main, _, sub = a.mime_type.partition("/")
        msg.add_attachment(a.content, maintype=main, subtype=sub, filename=a.filename)
    msg["Content-Language"] = mail.language  # after the body: set_content clears Content-*
    return msg


def _said(code: int, text: bytes | str) -> str:
    words = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    words = " ".join(words.split())
    if "@" in words:  # servers quote the address they refuse: never repeat it
        words = " ".join(w for w in words.split() if "@" not in w)
    return f"{code} {words}"[:200]


def send_mail(settings: Settings, mail: Mail) -> str:
    """Send `mail`; the server's answer (e.g. "250 OK") when it took it, else MailBounced or
    MailDeferred."""
    msg = message(settings, mail)
    timeout = settings.smtp_timeout_s
    try:
        smtp: smtplib.SMTP
        if settings.smtp_tls == "tls":
            smtp = smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port, timeout=timeout,
                                    context=tls_context(settings))
        else:
            smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=timeout)
        with smtp:
            if settings.smtp_tls == "starttls":
                smtp.starttls(context=tls_context(settings))
            if settings.smtp_user:
                password = settings.smtp_password.get_secret_value() \
                    if settings.smtp_password else ""
                try:
                    smtp.login(settings.smtp_user, password)
                except UnicodeEncodeError:  # smtplib's AUTH is ASCII only; name no secret
                    raise MailDeferred("KOKEMUSVIRTA_SMTP_USER or KOKEMUSVIRTA_SMTP_PASSWORD has "
                                       "a character SMTP AUTH cannot send (ASCII only)") from None
            refused = smtp.send_message(msg)
            if refused:  # one recipient, so a refusal of it raises; kept for safety
                code, text = next(iter(refused.values()))
                raise _classified(code, text)
            return "250 accepted"
    except smtplib.SMTPAuthenticationError as exc:
        # The notifier's own credentials, not the recipient: deferred, so the answer is tried
        # again once an operator fixes them, never given up on as if the client's address failed.
        raise MailDeferred("the mail server refused the login of KOKEMUSVIRTA_SMTP_USER: "
                           + _said(exc.smtp_code, exc.smtp_error)) from None
    except smtplib.SMTPRecipientsRefused as exc:
        code, text = next(iter(exc.recipients.values()))
        raise _classified(code, text) from None
    except smtplib.SMTPResponseException as exc:
        raise _classified(exc.smtp_code, exc.smtp_error) from None
    except smtplib.SMTPNotSupportedError:
        raise MailDeferred("the server does not offer STARTTLS or AUTH as set") from None
    except ssl.SSLCertVerificationError as exc:
        raise MailDeferred("the mail server's certificate is not trusted "
                           f"({exc.verify_message}); a private CA: KOKEMUSVIRTA_SMTP_CA_FILE"
                           ) from None
    except _CaFileUnreadable:
        raise MailDeferred("KOKEMUSVIRTA_SMTP_CA_FILE cannot be read as PEM certificates"
                           ) from None
    except (TimeoutError, smtplib.SMTPException, OSError, ssl.SSLError) as exc:
        raise MailDeferred(f"no delivery to the mail server: {type(exc).__name__}") from None


class _CaFileUnreadable(Exception):
    pass


def tls_context(settings: Settings) -> ssl.SSLContext:
    """The client side of TLS to the mail server: the certificate and the host name are always
    checked (the default context), against the private CA file when one is set."""
    try:
        return ssl.create_default_context(cafile=settings.smtp_ca_file)
    except (OSError, ssl.SSLError):
        raise _CaFileUnreadable from None


def _classified(code: int, text: bytes | str) -> MailError:
    said = _said(code, text)
    return MailBounced(said) if 500 <= code < 600 else MailDeferred(said)
