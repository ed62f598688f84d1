"""SMTP security against a real server (kokemusvirta/notify/mail.py): aiosmtpd with a
certificate made here by a throwaway CA, trusted through KOKEMUSVIRTA_SMTP_CA_FILE (never by
turning the check off). STARTTLS with AUTH required (PLAIN and LOGIN), implicit TLS, a refused
login that is MailDeferred and names no password, and an untrusted certificate refused."""

from __future__ import annotations

import ipaddress
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox as MaildirHandler
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from kokemusvirta.notify.mail import Mail, MailDeferred, send_mail
from kokemusvirta.notify.mailbox import free_port, read_maildir
from kokemusvirta.settings import Settings

USER, PASSWORD = "kokemusvirta", "oikea-salasana-7"


@dataclass(frozen=True)
class Pki:
    ca_file: Path  # what the client trusts
    other_ca_file: Path  # a CA that signed nothing here
    server: ssl.SSLContext


def _ca(name: str) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(True, False, False, False, False, True, True, False,
                                         False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                           critical=False)
            .sign(key, hashes.SHA256()))
    return key, cert


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    d = tmp_path_factory.mktemp("pki")
    ca_key, ca = _ca("Hyvinvointialueen testi-CA")
    _, other = _ca("Joku muu CA")
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
            .issuer_name(ca.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    pem = serialization.Encoding.PEM
    (d / "ca.pem").write_bytes(ca.public_bytes(pem))
    (d / "other.pem").write_bytes(other.public_bytes(pem))
    (d / "server.pem").write_bytes(cert.public_bytes(pem))
    (d / "server.key").write_bytes(key.private_bytes(
        pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(d / "server.pem", d / "server.key")
    return Pki(d / "ca.pem", d / "other.pem", server)


class _Authenticator:
    def __init__(self) -> None:
        self.mechanisms: list[str] = []

    def __call__(self, server: Any, session: Any, envelope: Any, mechanism: str,
                 auth_data: Any) -> AuthResult:
        self.mechanisms.append(mechanism)
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
            USER.encode(), PASSWORD.encode())
        return AuthResult(success=ok, handled=False)


Server = tuple[int, _Authenticator, Path]  # port, what logged in how, the Maildir


@pytest.fixture
def serve(pki: Pki, tmp_path: Path) -> Iterator[Any]:
    """serve(implicit=False, only=None): a server on 127.0.0.1, with implicit TLS, or STARTTLS
    required before anything; AUTH required (only over TLS), offering only `only` if given."""
    started: list[Controller] = []

    def start(implicit: bool = False, only: str | None = None) -> Server:
        box = tmp_path / "box"
        for sub in ("cur", "new", "tmp"):
            (box / sub).mkdir(parents=True)
        auth = _Authenticator()
        port = free_port()
        tls: dict[str, Any] = ({"ssl_context": pki.server} if implicit else
                               {"tls_context": pki.server, "require_starttls": True})
        excluded = [m for m in ("PLAIN", "LOGIN") if only and m != only]
        # aiosmtpd counts only STARTTLS as TLS for auth_require_tls; implicit TLS is TLS from
        # the first byte, so there the requirement is met by the socket itself.
        controller = Controller(MaildirHandler(box), hostname="127.0.0.1", port=port,
                                ready_timeout=10, auth_required=True,
                                auth_require_tls=not implicit,
                                auth_exclude_mechanism=excluded, authenticator=auth,
                                server_hostname="localhost", **tls)
        controller.start()
        started.append(controller)
        return port, auth, box

    yield start
    for controller in started:
        controller.stop()


def _settings(tmp_path: Path, port: int, security: str, ca_file: Path | None,
              password: str = PASSWORD) -> Settings:
    return Settings(KOKEMUSVIRTA_HOME=tmp_path / "home",  # type: ignore[call-arg]
                    KOKEMUSVIRTA_SMTP_HOST="localhost", KOKEMUSVIRTA_SMTP_PORT=port,
                    KOKEMUSVIRTA_SMTP_SECURITY=security, KOKEMUSVIRTA_SMTP_TIMEOUT_S=10,
                    KOKEMUSVIRTA_SMTP_CA_FILE=ca_file, KOKEMUSVIRTA_SMTP_USER=USER,
                    KOKEMUSVIRTA_SMTP_PASSWORD=password,
                    KOKEMUSVIRTA_MAIL_FROM="palaute@hyvinvointialue.example")


MAIL = Mail(to="liisa@example.org", subject="Vastaus palautteeseenne", text="Päätös: teemme.\n")


def test_the_check_is_on_by_default() -> None:
    s = Settings()
    assert s.smtp_tls == "starttls" and s.smtp_ca_file is None


@pytest.mark.parametrize("mechanism", ["PLAIN", "LOGIN"])
def test_starttls_then_auth_delivers(pki: Pki, tmp_path: Path, mechanism: str,
                                     serve: Any) -> None:
    port, auth, box = serve(only=mechanism)
    assert send_mail(_settings(tmp_path, port, "starttls", pki.ca_file), MAIL) == "250 accepted"
    (mail,) = read_maildir(box)
    assert mail["Subject"] == "Vastaus palautteeseenne"
    assert auth.mechanisms == [mechanism]


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")  # see serve
def test_implicit_tls_delivers(pki: Pki, tmp_path: Path, serve: Any) -> None:
    port, auth, box = serve(implicit=True)
    assert send_mail(_settings(tmp_path, port, "tls", pki.ca_file), MAIL) == "250 accepted"
    assert len(read_maildir(box)) == 1 and len(auth.mechanisms) == 1


def test_a_refused_login_is_deferred_and_names_no_password(
        pki: Pki, tmp_path: Path, serve: Any) -> None:
    port, _, box = serve()
    wrong = "vaara-salasana-3"
    with pytest.raises(MailDeferred) as refused:
        send_mail(_settings(tmp_path, port, "starttls", pki.ca_file, password=wrong), MAIL)
    said = str(refused.value)
    assert said.startswith("the mail server refused the login of KOKEMUSVIRTA_SMTP_USER: 535")
    assert wrong not in said and PASSWORD not in said and "@" not in said
    assert read_maildir(box) == []


def test_plain_smtp_to_a_server_requiring_tls_sends_nothing(
        pki: Pki, tmp_path: Path, serve: Any) -> None:
    port, _, box = serve()
    with pytest.raises(MailDeferred):
        send_mail(_settings(tmp_path, port, "none", None), MAIL)
    assert read_maildir(box) == []


@pytest.mark.parametrize("which", ["system", "other"])
def test_an_untrusted_certificate_is_refused(pki: Pki, tmp_path: Path, which: str,
                                             serve: Any) -> None:
    """Without the CA file (the system CAs) or with another CA's, nothing is sent: the check
    cannot be off."""
    port, auth, box = serve()
    ca = None if which == "system" else pki.other_ca_file
    with pytest.raises(MailDeferred, match=r"certificate is not trusted.*SMTP_CA_FILE"):
        send_mail(_settings(tmp_path, port, "starttls", ca), MAIL)
    assert read_maildir(box) == [] and auth.mechanisms == []


def test_a_ca_file_that_is_no_certificate_is_one_clear_reason(
        tmp_path: Path, serve: Any) -> None:
    port, _, _ = serve()
    bad = tmp_path / "ca.pem"
    bad.write_text("ei varmenne\n")
    with pytest.raises(MailDeferred, match="KOKEMUSVIRTA_SMTP_CA_FILE cannot be read"):
        send_mail(_settings(tmp_path, port, "starttls", bad), MAIL)


def test_a_password_smtp_auth_cannot_carry_is_one_clear_reason(
        pki: Pki, tmp_path: Path, serve: Any) -> None:
    """smtplib sends AUTH in ASCII only: a password with ä is a clear deferral, not a crash of
    the notifier's round, and the password is not in it."""
    port, auth, _ = serve()
    password = "väärä-salasana-3"
    with pytest.raises(MailDeferred, match="ASCII") as refused:
        send_mail(_settings(tmp_path, port, "starttls", pki.ca_file, password=password), MAIL)
    assert password not in str(refused.value) and auth.mechanisms == []
