"""Each process as its own principal: provisioning users with the admin's credentials.

On the project's local broker with no client configuration of its own, a process connects as
the system principal its command stands for (worker, sink, gateway, auditor, or admin for set-up),
provisioned on demand: the user is made with a fresh password, its ACLs granted, and its
kcat-format file kept in $KOKEMUSVIRTA_HOME/access/<user>.properties (0600) for the next
process. On an external cluster (KAFKA_BOOTSTRAP_SERVERS) the KAFKA_* settings, or a client
configuration file, are the identity: nothing is provisioned.

`provision` and `grant_requester` take Settings that act as an admin; the tests use them against
the session broker, `kokemusvirta access grant` against any cluster.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Literal

from pydantic import SecretStr

from kokemusvirta.access import acls, clientfile
from kokemusvirta.access.clientfile import ClientConfig
from kokemusvirta.broker.files import file_lock
from kokemusvirta.broker.local import LocalBroker
from kokemusvirta.broker.storage import new_password
from kokemusvirta.settings import Settings
from schemas.access import Requester, SystemRole, system_username

Principal = SystemRole | Literal["admin"]


def acting_as(settings: Settings, config: ClientConfig, *, keep_bootstrap: bool) -> Settings:
    """``settings`` connecting with ``config``'s credentials (and its address, unless
    ``keep_bootstrap``: on the local broker the address comes from the running broker)."""
    update: dict[str, object] = {
        "kafka_security_protocol": config.security_protocol,
        "kafka_sasl_mechanism": config.mechanism,
        "kafka_sasl_username": config.username,
        "kafka_sasl_password": SecretStr(config.password),
    }
    if config.ca_location:
        update["kafka_ssl_cafile"] = Path(config.ca_location)
    if not keep_bootstrap:
        update["kafka_bootstrap_servers"] = config.bootstrap
    return settings.model_copy(update=update)


def with_client_config(settings: Settings, path: Path) -> Settings:
    """``settings`` as the principal of a kcat-format file (--config, KOKEMUSVIRTA_CLIENT_CONFIG);
    raises :class:`clientfile.ClientConfigError` with one line if the file cannot be used."""
    config = clientfile.read(path)
    return acting_as(settings, config, keep_bootstrap=False).model_copy(
        update={"client_config": None})


def is_local(settings: Settings) -> bool:
    """Whether ``settings`` reach the project's own broker with no identity of their own."""
    return (settings.kafka_bootstrap_servers is None and settings.kafka_sasl_mechanism is None
            and settings.client_config is None)


def as_admin(settings: Settings) -> Settings:
    """For set-up (topics, demo, bench, chaos): the admin on the local broker; elsewhere the
    settings' own identity, which must be allowed to do it."""
    return as_principal(settings, "admin")


def as_principal(settings: Settings, role: Principal | str) -> Settings:
    """``settings`` connecting as ``role``'s own principal on the local broker (provisioned on
    first use; the broker must run); unchanged when they have an identity of their own."""
    if not is_local(settings):
        return settings
    from kokemusvirta.kafka import local_broker

    broker = local_broker(settings)
    if role == "admin":
        admin = broker.admin_config()
        return acting_as(settings, admin, keep_bootstrap=True)
    role = SystemRole(role)
    return _kept_principal(settings, broker, system_username(settings.topic_prefix, role),
                           _system_bindings(settings, role))


def as_requester(settings: Settings, requester: Requester) -> Settings:
    """``settings`` connecting as ``requester`` on the local broker (its user, ACLs and request
    topic made on first use, its file kept like a system principal's): how the demo's simulated
    people act, each under its own name. Unchanged when the settings have an identity."""
    if not is_local(settings):
        return settings
    from kokemusvirta.kafka import ensure_request_topic, local_broker

    broker = local_broker(settings)
    prefix = settings.topic_prefix
    acting = _kept_principal(settings, broker, requester.username(prefix),
                             acls.requester_acls(prefix, requester))
    ensure_request_topic(settings, _bootstrap(settings), requester)
    return acting


def _kept_principal(settings: Settings, broker: LocalBroker, username: str,
                    bindings: list[acls.Binding]) -> Settings:
    admin = broker.admin_config()
    folder = clientfile.private_dir(broker.access_dir)
    path = folder / f"{username}.properties"
    marker = folder / f".{username}.acls-{_digest(bindings)}"
    with file_lock(folder / ".lock"):
        try:
            config = clientfile.read(path)
        except clientfile.ClientConfigError:
            config = None
        if config is None or not marker.exists():
            admin_settings = acting_as(settings, admin, keep_bootstrap=True)
            bootstrap = broker.bootstrap_servers or admin.bootstrap
            config = _provision(admin_settings, bootstrap, username, bindings,
                                password=config.password if config else None)
            clientfile.write(path, config)
            marker.touch(mode=0o600)
    return acting_as(settings, config, keep_bootstrap=True)


def provision(admin_settings: Settings, role: SystemRole) -> Settings:
    """Make (or re-password) ``role``'s user with its ACLs as the admin ``admin_settings``, and
    return the same settings acting as it."""
    bootstrap = _bootstrap(admin_settings)
    config = _provision(admin_settings, bootstrap, system_username(admin_settings.topic_prefix,
                        role), _system_bindings(admin_settings, role))
    return acting_as(admin_settings, config, keep_bootstrap=admin_settings.kafka_bootstrap_servers
                     is None)


def grant_requester(admin_settings: Settings, requester: Requester) -> ClientConfig:
    """The requester's user (a new password), its ACLs and its request topic; its file's
    content. Granting again gives a new password: the old file no longer connects."""
    from kokemusvirta.kafka import ensure_request_topic

    bootstrap = _bootstrap(admin_settings)
    prefix = admin_settings.topic_prefix
    config = _provision(admin_settings, bootstrap, requester.username(prefix),
                        acls.requester_acls(prefix, requester))
    ensure_request_topic(admin_settings, bootstrap, requester)
    return config


def grant_system(admin_settings: Settings, role: SystemRole) -> ClientConfig:
    """A system principal's user (a new password) and ACLs (`access grant auditor|gateway`)."""
    return _provision(admin_settings, _bootstrap(admin_settings),
                      system_username(admin_settings.topic_prefix, role),
                      _system_bindings(admin_settings, role))


def revoke(admin_settings: Settings, username: str) -> tuple[bool, int]:
    """The user and its ACLs gone: (whether a user existed, how many ACLs went)."""
    from kokemusvirta.access import admin as kafka_admin
    from kokemusvirta.kafka import admin as admin_client

    client = admin_client(admin_settings, _bootstrap(admin_settings))
    try:
        existed = kafka_admin.delete_user(client, username)
        return existed, kafka_admin.revoke_all(client, username)
    finally:
        client.close()


def _provision(admin_settings: Settings, bootstrap: str, username: str,
               bindings: list[acls.Binding], *, password: str | None = None) -> ClientConfig:
    from kokemusvirta.access import admin as kafka_admin
    from kokemusvirta.kafka import admin as admin_client

    secret = password or new_password()
    client = admin_client(admin_settings, bootstrap)
    try:
        kafka_admin.set_password(client, username, secret)
        kafka_admin.grant(client, bindings)
    finally:
        client.close()
    ca = str(admin_settings.kafka_ssl_cafile) if admin_settings.kafka_ssl_cafile else None
    return ClientConfig(bootstrap, admin_settings.kafka_security_protocol,
                        admin_settings.kafka_sasl_mechanism or "SCRAM-SHA-512", username, secret,
                        ca)


def _system_bindings(settings: Settings, role: SystemRole) -> list[acls.Binding]:
    return acls.system_acls(role, settings.topic_prefix, worker_group=settings.worker_group,
                            sink_group=settings.sink_group)


def bootstrap_of(settings: Settings) -> str:
    """The address these settings reach (the running local broker's when none is set)."""
    from kokemusvirta.kafka import bootstrap_servers

    return bootstrap_servers(settings, start_local=False)


_bootstrap = bootstrap_of


def forget_local_file(settings: Settings, username: str) -> None:
    """After a revoke on the local broker: its kept file, if a system principal's, goes too."""
    if not is_local(settings):
        return
    from kokemusvirta.kafka import local_broker

    folder = local_broker(settings).access_dir
    for path in [folder / f"{username}.properties", *folder.glob(f".{username}.acls-*")]:
        path.unlink(missing_ok=True)


def _digest(bindings: list[acls.Binding]) -> str:
    text = "\n".join(b.command_line() for b in sorted(bindings))
    return hashlib.sha256(text.encode()).hexdigest()[:12]
