"""A real OpenID Connect provider for the tests: the example OP of zitadel/oidc (Go).

Why this one: it is a Go module the Go module proxy serves, so `go install` builds it here in
about a minute (once; the binary is kept under .kokemusvirta/oidc/, keyed by version) and it
starts in well under a second. It is the certified zitadel/oidc library's own provider: a
discovery document, a JWKS with RS256 keys, the authorization code flow with PKCE and nonce,
and a plain HTML login page — everything a county's identity provider shows a relying party.
Ory Hydra needs a login/consent app of its own and a database; Keycloak is a large Java
distribution that is not on Maven Central as one artifact.

Its users come from a JSON file (USERS_FILE) and carry no custom claims, so the tests map staff
by e-mail through a KOKEMUSVIRTA_OIDC_USERS file. Its issuer is always
`http://localhost:PORT/`; its clients are "web" (secret "secret", client_secret_basic), with the
redirect URIs of REDIRECT_URI. It listens on every interface of the port (the example has no
setting for the address): tests only.

    python -m tests.oidc_provider build     # what ./run tests does before the suite
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kokemusvirta.broker.files import file_lock
from kokemusvirta.settings import PROJECT_ROOT

MODULE = "github.com/zitadel/oidc/v3"
VERSION = "v3.52.0"
PACKAGE = f"{MODULE}/example/server@{VERSION}"
CACHE = PROJECT_ROOT / ".kokemusvirta" / "oidc"
BINARY = CACHE / f"zitadel-oidc-example-op-{VERSION}"
CLIENT_ID = "web"
CLIENT_SECRET = "secret"  # the example's own client; nothing to keep secret in a test


class ProviderUnavailable(RuntimeError):
    """The provider cannot be built or started here (the message says why, in one line)."""


def build(say: Callable[[str], None] | None = None) -> Path:
    """The provider's binary, built with `go install` the first time."""
    if BINARY.exists():
        return BINARY
    go = shutil.which("go")
    if go is None:
        raise ProviderUnavailable(
            "Go is not installed: the OIDC tests build their provider (zitadel/oidc's example "
            "OP) with it (Debian: apt-get install golang-go; or https://go.dev/dl/)")
    CACHE.mkdir(parents=True, exist_ok=True)
    # Two test processes (./run tests runs two) may both find no binary: one builds, the other
    # waits for the lock and takes the built one.
    with file_lock(CACHE / ".build.lock"):
        if BINARY.exists():
            return BINARY
        if say is not None:
            say(f"building the OIDC provider for the tests (go install {PACKAGE}; once)")
        _go_install(go)
    return BINARY


def _go_install(go: str) -> None:
    with tempfile.TemporaryDirectory(prefix="kv-oidc-build-") as tmp:
        # Outside any module, so `go install pkg@version` builds exactly that version.
        env = dict(os.environ, GOBIN=tmp, GOFLAGS="-mod=mod")
        done = subprocess.run([go, "install", PACKAGE], cwd=tmp, env=env,
                              capture_output=True, text=True, timeout=900)
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["no output"])[-1]
            raise ProviderUnavailable(f"go install {PACKAGE} failed: {last}")
        built = Path(tmp) / "server"
        staged = BINARY.with_suffix(f".partial-{os.getpid()}")
        shutil.copy2(built, staged)
        staged.replace(BINARY)  # atomic: a half-copied binary is never taken for a built one


@dataclass(frozen=True)
class ProviderUser:
    username: str
    password: str
    email: str
    first_name: str
    last_name: str
    language: str = "fi"


@dataclass(frozen=True)
class RunningProvider:
    issuer: str  # http://localhost:PORT/ (the example always names itself so)
    client_id: str
    client_secret: str
    users: tuple[ProviderUser, ...]

    @property
    def discovery_url(self) -> str:
        return self.issuer + ".well-known/openid-configuration"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _users_file(users: tuple[ProviderUser, ...], path: Path) -> None:
    records = {
        f"id-{u.username}": {
            "ID": f"id-{u.username}", "Username": u.username, "Password": u.password,
            "FirstName": u.first_name, "LastName": u.last_name, "Email": u.email,
            "EmailVerified": True, "PreferredLanguage": u.language, "IsAdmin": False,
        } for u in users}
    path.write_text(json.dumps(records), encoding="utf-8")


@contextmanager
def running(users: tuple[ProviderUser, ...], redirect_uris: list[str], workdir: Path,
            *, port: int | None = None) -> Iterator[RunningProvider]:
    """The provider on a free port, with these users and redirect URIs; stopped afterwards."""
    binary = build()
    port = port or free_port()
    users_path = workdir / "oidc-users.json"
    _users_file(users, users_path)
    env = dict(os.environ, PORT=str(port), USERS_FILE=str(users_path),
               REDIRECT_URI=",".join(redirect_uris))
    log = (workdir / "oidc-provider.log").open("wb")
    process = subprocess.Popen([str(binary)], env=env, stdout=log, stderr=subprocess.STDOUT,
                               cwd=workdir)
    issuer = f"http://localhost:{port}/"
    try:
        _wait_ready(issuer, process, workdir)
        yield RunningProvider(issuer, CLIENT_ID, CLIENT_SECRET, users)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()


def _wait_ready(issuer: str, process: subprocess.Popen[bytes], workdir: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = (workdir / "oidc-provider.log").read_text(errors="replace")[-800:]
            raise ProviderUnavailable(f"the OIDC provider exited ({process.returncode}): {tail}")
        try:
            with urllib.request.urlopen(issuer + ".well-known/openid-configuration",
                                        timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise ProviderUnavailable("the OIDC provider did not answer within 30 s")


@dataclass(frozen=True)
class ServedWorkplace:
    url: str  # http://127.0.0.1:PORT
    provider: RunningProvider
    log: Path


def oidc_env(provider: RunningProvider, users_file: Path) -> dict[str, str]:
    """The workplace's settings for this provider, people mapped by the users file."""
    return {"KOKEMUSVIRTA_OIDC_ISSUER": provider.issuer,
            "KOKEMUSVIRTA_OIDC_CLIENT_ID": provider.client_id,
            "KOKEMUSVIRTA_OIDC_CLIENT_SECRET": provider.client_secret,
            "KOKEMUSVIRTA_OIDC_USERS": str(users_file)}


@contextmanager
def workplace_with_provider(home: Path, people: tuple[ProviderUser, ...], users_yaml: str,
                            **extra_env: str) -> Iterator[ServedWorkplace]:
    """The provider, and `kokemusvirta workplace serve` as a process of its own signing staff
    in through it (the provider knows its callback: the port is chosen first)."""
    port = free_port()
    users_file = home / "oidc-users.yaml"
    users_file.write_text(users_yaml, encoding="utf-8")
    callback = f"http://127.0.0.1:{port}/kirjaudu/oidc/paluu"
    with running(people, [callback, "http://testserver/kirjaudu/oidc/paluu"], home) as provider:
        env = dict(os.environ, KOKEMUSVIRTA_HOME=str(home), **oidc_env(provider, users_file),
                   **extra_env)
        log = home / "workplace.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "kokemusvirta", "workplace", "serve", "--port",
                 str(port)], env=env, stdout=out, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_workplace(url, process, log)
            yield ServedWorkplace(url, provider, log)
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def _wait_workplace(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ProviderUnavailable("workplace serve stopped: "
                                      + log.read_text(errors="replace")[-2000:])
        try:
            with urllib.request.urlopen(url + "/kirjaudu", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise ProviderUnavailable("workplace serve did not answer within 60 s")


def main(argv: list[str]) -> int:
    if argv != ["build"]:
        print("usage: python -m tests.oidc_provider build", file=sys.stderr)
        return 2
    try:
        path = build(lambda m: print("==> " + m, flush=True))
    except ProviderUnavailable as why:
        print(f"==> {why}; the OIDC sign-in tests cannot run", file=sys.stderr)
        return 1
    print(f"==> OIDC provider for the tests: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
