"""Client configuration files in kcat's format (``kcat -F FILE``): one ``key=value`` a line.

Exactly the keys ``bootstrap.servers``, ``security.protocol``, ``sasl.mechanism``,
``sasl.username`` and ``sasl.password`` (plus ``ssl.ca.location`` when the cluster's CA must be
named). The file holds a password, so it is created 0600 (never readable by others for a moment)
in a folder that is 0700 when we make it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

KEYS = ("bootstrap.servers", "security.protocol", "sasl.mechanism", "sasl.username",
        "sasl.password")
OPTIONAL_KEYS = ("ssl.ca.location",)


class ClientConfigError(ValueError):
    """The file cannot be used as a client configuration; the message is one line."""


@dataclass(frozen=True)
class ClientConfig:
    bootstrap: str
    security_protocol: str
    mechanism: str
    username: str
    password: str
    ca_location: str | None = None

    def lines(self) -> str:
        values = [self.bootstrap, self.security_protocol, self.mechanism, self.username,
                  self.password]
        text = "".join(f"{k}={v}\n" for k, v in zip(KEYS, values, strict=True))
        if self.ca_location:
            text += f"ssl.ca.location={self.ca_location}\n"
        return text

    def kafka_python_options(self) -> dict[str, object]:
        """The security options of a kafka-python client (no address)."""
        options: dict[str, object] = {
            "security_protocol": self.security_protocol, "sasl_mechanism": self.mechanism,
            "sasl_plain_username": self.username, "sasl_plain_password": self.password}
        if self.ca_location:
            options["ssl_cafile"] = self.ca_location
        return options

    def settings_values(self) -> dict[str, object]:
        """The Settings fields this file stands for (kokemusvirta/settings.py)."""
        values: dict[str, object] = {
            "kafka_bootstrap_servers": self.bootstrap,
            "kafka_security_protocol": self.security_protocol,
            "kafka_sasl_mechanism": self.mechanism,
            "kafka_sasl_username": self.username,
            "kafka_sasl_password": self.password,
        }
        if self.ca_location:
            values["kafka_ssl_cafile"] = Path(self.ca_location)
        return values


def private_dir(path: Path) -> Path:
    """``path`` exists, and is 0700 if we made it (a folder of the user's is left as it is)."""
    if not path.is_dir():
        path.mkdir(parents=True, mode=0o700, exist_ok=True)
        os.chmod(path, 0o700)
    return path


def write(path: Path, config: ClientConfig) -> Path:
    """Write atomically, 0600 from the first byte; an existing file is replaced."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(config.lines())
    os.chmod(tmp, 0o600)
    tmp.replace(path)
    return path


def read(path: Path) -> ClientConfig:
    """Parse a kcat-format file; :class:`ClientConfigError` says what is wrong in one line."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ClientConfigError(f"cannot read the client configuration {path}: "
                                f"{exc.strerror or exc}") from None
    values: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if not sep:
            raise ClientConfigError(f"{path} line {number}: not key=value")
        values[key.strip()] = value.strip()
    missing = [k for k in KEYS if not values.get(k)]
    if missing:
        raise ClientConfigError(f"{path} lacks " + ", ".join(missing))
    return ClientConfig(values["bootstrap.servers"], values["security.protocol"],
                        values["sasl.mechanism"], values["sasl.username"],
                        values["sasl.password"], values.get("ssl.ca.location"))
