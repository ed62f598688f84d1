"""One settings object, built at start-up from the environment (and .env), passed down."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from kokemusvirta.organisations import DEMO_ORGANISATIONS
from schemas.deadlines import Deadlines
from schemas.topics import TopicNames

if TYPE_CHECKING:  # sinks.lake imports duckdb, which most commands do not need
    from sinks.lake import LakeLocation

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Every variable is listed in .env.example and the README."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", frozen=True
    )

    if not TYPE_CHECKING:  # type checkers keep pydantic's signature (the aliases)
        def __init__(self, **values: object) -> None:
            # `extra="ignore"` is for the .env file, which may hold other programs' variables;
            # a keyword given in code is a mistake when it is not a setting's variable name:
            # `Settings(home=tmp)` silently meant the repository's own .kokemusvirta/.
            unknown = unknown_keywords(values)
            if unknown:
                raise TypeError(f"Settings: not a setting: {', '.join(unknown)} (give the "
                                "variables' names, e.g. KOKEMUSVIRTA_HOME=...)")
            super().__init__(**values)

    kafka_bootstrap_servers: str | None = Field(
        default=None,
        validation_alias="KAFKA_BOOTSTRAP_SERVERS",
        description="host:port[,host:port]. Unset: the project's own local broker is used.",
    )
    kafka_security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = Field(
        default="PLAINTEXT", validation_alias="KAFKA_SECURITY_PROTOCOL"
    )
    kafka_sasl_mechanism: Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"] | None = Field(
        default=None, validation_alias="KAFKA_SASL_MECHANISM"
    )
    kafka_sasl_username: str | None = Field(default=None, validation_alias="KAFKA_SASL_USERNAME")
    kafka_sasl_password: SecretStr | None = Field(
        default=None, validation_alias="KAFKA_SASL_PASSWORD"
    )
    kafka_ssl_cafile: Path | None = Field(default=None, validation_alias="KAFKA_SSL_CAFILE")
    # Who this process is (issue 12): a kcat-format client configuration (`kokemusvirta access
    # grant` writes one) gives the address and the credentials; `--config FILE` sets it too.
    client_config: Path | None = Field(
        default=None, validation_alias="KOKEMUSVIRTA_CLIENT_CONFIG",
        description="A client configuration in kcat's format (bootstrap.servers, "
        "security.protocol, sasl.mechanism, sasl.username, sasl.password): this process "
        "connects as that principal. Unset, on the local broker: as the system principal of "
        "its command (kokemusvirta/access/local.py); on a cluster: KAFKA_*.",
    )
    principal: Literal["admin", "worker", "sink", "gateway", "auditor", "notifier"] = Field(
        default="admin", validation_alias="KOKEMUSVIRTA_PRINCIPAL",
        description="Only on the local broker without a client configuration: the system "
        "principal this process connects as. The CLI sets it per command (worker, sink, "
        "publish: gateway, verify/trace/replay: auditor, notify: notifier; set-up: admin).",
    )

    broker_listen: str = Field(
        default="127.0.0.1", validation_alias="KOKEMUSVIRTA_BROKER_LISTEN",
        pattern=r"^[A-Za-z0-9.:-]{1,253}$",
        description="The address the local broker's client listener binds and advertises. "
        "127.0.0.1: SASL_PLAINTEXT; any other (an address of this machine other machines "
        "reach): SASL_SSL with a CA of its own (client files name its ca.pem). The controller "
        "listener stays on 127.0.0.1.",
    )
    home: Path = Field(
        default=PROJECT_ROOT / ".kokemusvirta",
        validation_alias="KOKEMUSVIRTA_HOME",
        description="Local state: broker jars, data and logs, the DuckDB store.",
    )
    store_path: Path | None = Field(
        default=None,
        validation_alias="KOKEMUSVIRTA_STORE",
        description="The sink's DuckDB file. Default: $KOKEMUSVIRTA_HOME/store/kokemusvirta.duckdb",
    )
    pseudonym_key: SecretStr | None = Field(
        default=None,
        validation_alias="KOKEMUSVIRTA_PSEUDONYM_KEY",
        min_length=32,
        description="Secret for the keyed HMAC that turns client ids into pseudonyms (at least "
        "32 characters). Unset: a development key is generated in $KOKEMUSVIRTA_HOME with a "
        "warning. Never erase or rotate it casually: pseudonyms would change.",
    )
    key_store_path: Path | None = Field(
        default=None,
        validation_alias="KOKEMUSVIRTA_KEY_STORE",
        description="Directory of the per-person contact keys. Default: $KOKEMUSVIRTA_HOME/keys",
    )
    organisations_path: Path | None = Field(
        default=None,
        validation_alias="KOKEMUSVIRTA_ORGANISATIONS",
        description="The organisation registry, YAML or CSV: the counties, service areas and "
        "units routed to (README: Organisation registry). Unset: the demo's, "
        "kokemusvirta/organisations.yaml.",
    )
    notify_rules_path: Path | None = Field(
        default=None,
        validation_alias="KOKEMUSVIRTA_NOTIFY_RULES",
        description="The county's rules for telling staff (reminders, escalation, the daily "
        "digest), YAML. Unset: kokemusvirta/notify/staff_rules.yaml.",
    )
    topic_prefix: str = Field(default="kv.", validation_alias="KOKEMUSVIRTA_TOPIC_PREFIX",
                              pattern=r"^[A-Za-z0-9._-]{0,100}$")
    intake_retention_hours: float = Field(
        default=168.0, gt=0, le=24 * 3650, validation_alias="KOKEMUSVIRTA_INTAKE_RETENTION_HOURS",
        description="How long raw intake records are kept (a fraction for less than an hour). "
        "Intake is a landing zone: the worker keeps each accepted source event redacted on the "
        "sources topic for ever. Applied when the intake topic is created and corrected by "
        "`kokemusvirta worker` (and the other commands that ensure the topics).",
    )
    partitions: int = Field(default=4, ge=1, validation_alias="KOKEMUSVIRTA_PARTITIONS")
    routed_partitions: int = Field(
        default=1, ge=1, validation_alias="KOKEMUSVIRTA_ROUTED_PARTITIONS"
    )
    replication_factor: int = Field(
        default=1, ge=1, validation_alias="KOKEMUSVIRTA_REPLICATION_FACTOR"
    )
    worker_group: str = Field(default="kokemusvirta-worker",
                              validation_alias="KOKEMUSVIRTA_WORKER_GROUP")
    # Static group membership (Kafka's group.instance.id): a worker restarted under the same id
    # takes its partitions back at once instead of waiting for its dead self's session to end.
    worker_instance_id: str | None = Field(
        default=None, validation_alias="KOKEMUSVIRTA_WORKER_INSTANCE_ID",
        pattern=r"^[A-Za-z0-9._-]{1,200}$",
        description="This worker's stable id in its consumer group; two live workers must never "
        "share one. Default: the host name and the lowest worker number free on this host "
        "(<host>-1, <host>-2, ...).",
    )
    worker_session_timeout_s: float = Field(
        default=20.0, ge=6, le=300, validation_alias="KOKEMUSVIRTA_WORKER_SESSION_TIMEOUT_S",
        description="A worker silent this long is dead: its partitions go to the others. A "
        "restart under the same instance id does not wait for it.",
    )
    checkpoint_every_s: float = Field(
        default=5.0, gt=0, le=3600, validation_alias="KOKEMUSVIRTA_CHECKPOINT_EVERY_S",
        description="How often the worker publishes the signed checkpoints of the partitions it "
        "holds; it publishes the last ones as it stops or gives partitions up.",
    )
    sink_group: str = Field(default="kokemusvirta-sink", validation_alias="KOKEMUSVIRTA_SINK_GROUP")
    sink_batch_max: int = Field(default=5_000, ge=1, validation_alias="KOKEMUSVIRTA_SINK_BATCH_MAX")
    sink_memory_limit: str = Field(
        default="512MB", validation_alias="KOKEMUSVIRTA_SINK_MEMORY_LIMIT",
        pattern=r"^\d+(\.\d+)?\s?(KB|MB|GB|KiB|MiB|GiB)$",
        description="DuckDB's memory limit in the sink (its default is 80% of the machine).",
    )
    sink_threads: int = Field(
        default=1, ge=1, validation_alias="KOKEMUSVIRTA_SINK_THREADS",
        description="DuckDB's threads in the sink. One: a batch's statements are small, and on "
        "a machine the sink shares with the worker and the broker a second thread cost a third "
        "more CPU per event for no faster batch (README, Benchmark).",
    )
    snapshot_interval_s: float = Field(
        default=2.0, gt=0, validation_alias="KOKEMUSVIRTA_SNAPSHOT_INTERVAL_S",
        description="How often at most the sink publishes the read-only snapshot analysts query.",
    )
    # The history lake beside the store (sinks/lake.py, docs/lake.md).
    lake: str = Field(
        default="", validation_alias="KOKEMUSVIRTA_LAKE",
        description="The history lake: `off`; unset: a DuckLake catalog file "
        "$KOKEMUSVIRTA_HOME/lake/catalog.ducklake with Parquet in lake/data/; or a DuckLake "
        "catalog (e.g. `ducklake:postgres:dbname=… host=…`), passed on unchanged.",
    )
    lake_data_path: Path | None = Field(
        default=None, validation_alias="KOKEMUSVIRTA_LAKE_DATA_PATH",
        description="The lake's Parquet directory. Default: `data/` beside a catalog file, "
        "else $KOKEMUSVIRTA_HOME/lake/data.",
    )
    lake_every_s: float = Field(
        default=10.0, gt=0, validation_alias="KOKEMUSVIRTA_LAKE_EVERY_S",
        description="While busy, the sink adds the store's new history to the lake at most "
        "this often (at once when it falls idle).",
    )
    lake_compact_idle_s: float = Field(
        default=30.0, ge=0, validation_alias="KOKEMUSVIRTA_LAKE_COMPACT_IDLE_S",
        description="The sink compacts the lake after it has had nothing to do this long.",
    )
    lake_compact_every_s: float = Field(
        default=600.0, ge=0, validation_alias="KOKEMUSVIRTA_LAKE_COMPACT_EVERY_S",
        description="…and at most this often.",
    )
    # Operations (kokemusvirta/operations/): /healthz and /metrics on 127.0.0.1 only.
    worker_metrics_port: int = Field(
        default=9465, ge=0, le=65535, validation_alias="KOKEMUSVIRTA_WORKER_METRICS_PORT",
        description="The worker's /healthz and /metrics port on 127.0.0.1; 0 (or a taken port): "
        "a free one. The address is written to $KOKEMUSVIRTA_HOME/run/ for `status`.",
    )
    sink_metrics_port: int = Field(
        default=9466, ge=0, le=65535, validation_alias="KOKEMUSVIRTA_SINK_METRICS_PORT",
        description="The sink's /healthz and /metrics port on 127.0.0.1; 0: a free one.",
    )
    health_stall_s: float = Field(
        default=30.0, gt=0, validation_alias="KOKEMUSVIRTA_HEALTH_STALL_S",
        description="/healthz answers 503 when the process's loop has not turned for this long.",
    )
    log_format: Literal["plain", "json"] = Field(
        default="plain", validation_alias="KOKEMUSVIRTA_LOG_FORMAT",
        description="plain: one line a record; json: one JSON object a line (time, level, "
        "logger, message and fields such as topic, partition, offset).",
    )

    # The intake API (kokemusvirta/intake/, `kokemusvirta intake serve`).
    intake_max_body_bytes: int = Field(
        default=1_048_576, ge=1024, le=64 * 1_048_576,
        validation_alias="KOKEMUSVIRTA_INTAKE_MAX_BODY_BYTES",
        description="A request body larger than this is refused with 413 (each event is also "
        "held to the contract's own bound, 1,000,000 bytes).",
    )
    intake_rate_per_s: float = Field(
        default=5.0, gt=0, validation_alias="KOKEMUSVIRTA_INTAKE_RATE_PER_S",
        description="Requests a second each client (its remote address) may make "
        "on average; above it, 429 with Retry-After.",
    )
    intake_rate_burst: int = Field(
        default=50, ge=1, validation_alias="KOKEMUSVIRTA_INTAKE_RATE_BURST",
        description="Requests a client may make at once before the average rate applies.",
    )
    intake_idempotency_hours: float = Field(
        default=24.0, gt=0, le=24 * 365, validation_alias="KOKEMUSVIRTA_INTAKE_IDEMPOTENCY_HOURS",
        description="How long an Idempotency-Key is remembered (its request's hash and answer, "
        "in $KOKEMUSVIRTA_HOME/intake/idempotency.sqlite); a retry after it publishes again.",
    )
    intake_ack_timeout_s: float = Field(
        default=10.0, gt=0, le=120, validation_alias="KOKEMUSVIRTA_INTAKE_ACK_TIMEOUT_S",
        description="How long a request waits for the broker's acknowledgement before 503.",
    )

    # The staff's workplace (kokemusvirta/workplace/, `kokemusvirta workplace serve`).
    workplace_session_key: SecretStr | None = Field(
        default=None, min_length=32, validation_alias="KOKEMUSVIRTA_WORKPLACE_SESSION_KEY",
        description="Secret that signs the workplace's session cookies (at least 32 "
        "characters). Unset: one generated once in $KOKEMUSVIRTA_HOME/workplace/session.key "
        "(0600); every server of one site must share it.",
    )
    workplace_session_hours: float = Field(
        default=8.0, gt=0, le=24, validation_alias="KOKEMUSVIRTA_WORKPLACE_SESSION_HOURS",
        description="A workplace session older than this is signed out (a working day).",
    )
    workplace_https: bool = Field(
        default=False, validation_alias="KOKEMUSVIRTA_WORKPLACE_HTTPS",
        description="The workplace is reached over TLS (behind a proxy that terminates it): "
        "the session cookie is then sent over HTTPS only. Set it in production.",
    )
    workplace_client_dir: Path | None = Field(
        default=None, validation_alias="KOKEMUSVIRTA_WORKPLACE_CLIENT_DIR",
        description="On a cluster: a directory with one client configuration per requester, "
        "named <principal>.properties as `kokemusvirta access grant` writes them (e.g. "
        "kv.unit.lappi.rovaniemen-terveysasema.properties); the workplace acts for a user as "
        "the requester of the user's role and scope. Unset on the local broker: provisioned "
        "there on first use.",
    )

    # Deadlines (docs/design.md §2.7), counted in Finnish working days (sinks/calendar.py).
    deadline_acknowledge_working_days: int = Field(
        default=3, ge=1, validation_alias="KOKEMUSVIRTA_DEADLINE_ACKNOWLEDGE_WORKING_DAYS",
        description="Acknowledge an item within this many working days of its receipt.",
    )
    deadline_decide_days: int = Field(
        default=30, ge=1, validation_alias="KOKEMUSVIRTA_DEADLINE_DECIDE_DAYS",
        description="Decide on an item, or answer it, within this many days of its receipt.",
    )
    deadline_return_days_after_decision: int = Field(
        default=14, ge=1, validation_alias="KOKEMUSVIRTA_DEADLINE_RETURN_DAYS_AFTER_DECISION",
        description="Return the answer within this many days of the decision.",
    )
    deadline_reply_days: int = Field(
        default=30, ge=1, validation_alias="KOKEMUSVIRTA_DEADLINE_REPLY_DAYS",
        description="Reply to a client who asked for one within this many days of receipt.",
    )

    signal_threshold: int = Field(
        default=5, ge=1, validation_alias="KOKEMUSVIRTA_SIGNAL_THRESHOLD",
        description="Items of one unit on one theme in one ISO week that make a weekly signal.",
    )

    # Accepted event times (streams/timing.py): outside them, a schema_violation dead letter.
    earliest_event_time: datetime = Field(
        default=datetime(2000, 1, 1, tzinfo=UTC),
        validation_alias="KOKEMUSVIRTA_EARLIEST_EVENT_TIME",
        description="Source events and requested steps timed earlier are rejected "
        "(time_out_of_range). A date or an ISO time; without a zone, UTC.",
    )
    max_future_hours: float = Field(
        default=24.0, gt=0, le=24 * 366, validation_alias="KOKEMUSVIRTA_MAX_FUTURE_HOURS",
        description="Source events and requested steps timed more than this many hours after "
        "the record's receipt (its Kafka timestamp) are rejected (time_out_of_range).",
    )

    # Staff sign-in through the county's OpenID Connect provider (kokemusvirta/workplace/oidc.py).
    # Unset issuer: no OIDC, local accounts only.
    oidc_issuer: str | None = Field(
        default=None, validation_alias="KOKEMUSVIRTA_OIDC_ISSUER",
        description="The provider's issuer URL (https; http only on this machine): its "
        "discovery document is ISSUER/.well-known/openid-configuration.")
    oidc_client_id: str | None = Field(default=None, validation_alias="KOKEMUSVIRTA_OIDC_CLIENT_ID")
    oidc_client_secret: SecretStr | None = Field(
        default=None, validation_alias="KOKEMUSVIRTA_OIDC_CLIENT_SECRET",
        description="A secret: never logged. The workplace is a confidential client.")
    oidc_scopes: str = Field(
        default="openid email profile", validation_alias="KOKEMUSVIRTA_OIDC_SCOPES",
        description="The scopes asked for, space-separated; openid is required.")
    oidc_role_claim: str | None = Field(
        default=None, validation_alias="KOKEMUSVIRTA_OIDC_ROLE_CLAIM",
        description="An ID-token claim whose values grant roles, written "
        "kokemusvirta:ROLE:SCOPE (e.g. kokemusvirta:unit_manager:lappi.rovaniemen-terveysasema).")
    oidc_users: Path | None = Field(
        default=None, validation_alias="KOKEMUSVIRTA_OIDC_USERS",
        description="A YAML file mapping a subject or a verified e-mail to role, scope and "
        "language, for a provider that cannot add a role claim.")
    oidc_redirect_uri: str | None = Field(
        default=None, validation_alias="KOKEMUSVIRTA_OIDC_REDIRECT_URI",
        description="The callback URL registered at the provider. Unset: this site's "
        "/kirjaudu/oidc/paluu as the request reached it (set it behind a proxy).")

    # Mail (kokemusvirta/notify/mail.py): answers to clients and notices to staff.
    smtp_host: str = Field(
        default="localhost", validation_alias="KOKEMUSVIRTA_SMTP_HOST",
        pattern=r"^[A-Za-z0-9.:-]{1,253}$", description="The SMTP server the notifier sends by.")
    smtp_port: int = Field(default=25, ge=1, le=65535, validation_alias="KOKEMUSVIRTA_SMTP_PORT")
    smtp_tls: Literal["none", "starttls", "tls"] = Field(
        default="starttls", validation_alias="KOKEMUSVIRTA_SMTP_SECURITY",
        description="none: plain SMTP (only to a relay on this machine); starttls: upgrade "
        "(port 587); tls: TLS from the start (port 465). The server's certificate is checked.")
    smtp_ca_file: Path | None = Field(
        default=None, validation_alias="KOKEMUSVIRTA_SMTP_CA_FILE",
        description="A PEM file of the CA(s) that signed the SMTP server's certificate, for a "
        "private CA; then only these are trusted. Unset: the system's CAs. Never unchecked.")
    smtp_user: str | None = Field(default=None, validation_alias="KOKEMUSVIRTA_SMTP_USER")
    smtp_password: SecretStr | None = Field(
        default=None, validation_alias="KOKEMUSVIRTA_SMTP_PASSWORD",
        description="A secret: never logged. With KOKEMUSVIRTA_SMTP_USER: SMTP AUTH.")
    smtp_timeout_s: float = Field(default=30.0, gt=0, le=600,
                                  validation_alias="KOKEMUSVIRTA_SMTP_TIMEOUT_S")
    mail_from: str = Field(
        default="kokemusvirta@localhost", validation_alias="KOKEMUSVIRTA_MAIL_FROM",
        pattern=r"^[^@\s<>]{1,64}@[A-Za-z0-9.-]{1,253}$",
        description="The sender address of every mail the notifier sends.")
    delivery_max_attempts: int = Field(
        default=5, ge=1, le=50, validation_alias="KOKEMUSVIRTA_DELIVERY_MAX_ATTEMPTS",
        description="Attempts to send one answer before the notifier gives up (failed).")
    delivery_retry_s: float = Field(
        default=300.0, gt=0, validation_alias="KOKEMUSVIRTA_DELIVERY_RETRY_S",
        description="Wait after the first failed attempt; doubled after each further one.")

    @field_validator("smtp_ca_file", mode="before")
    @classmethod
    def _unset_when_empty(cls, value: object) -> object:
        # Compose passes `${KOKEMUSVIRTA_SMTP_CA_FILE:-}` as "": the system CAs, not Path(".")
        return None if value == "" else value

    @field_validator("earliest_event_time")
    @classmethod
    def _utc_unless_zoned(cls, value: datetime) -> datetime:
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)

    @property
    def topics(self) -> TopicNames:
        return TopicNames(self.topic_prefix)

    @property
    def deadlines(self) -> Deadlines:
        return Deadlines(
            acknowledge_working_days=self.deadline_acknowledge_working_days,
            decide_days=self.deadline_decide_days,
            return_days_after_decision=self.deadline_return_days_after_decision,
            reply_days=self.deadline_reply_days,
        )

    @property
    def store(self) -> Path:
        return self.store_path or self.home / "store" / "kokemusvirta.duckdb"

    @property
    def lake_location(self) -> LakeLocation | None:
        """The history lake, or None when KOKEMUSVIRTA_LAKE is `off`."""
        from sinks.lake import location

        return location(self.lake, self.home, self.lake_data_path)

    @property
    def key_store(self) -> Path:
        return self.key_store_path or self.home / "keys"

    @property
    def organisations_file(self) -> Path:
        return self.organisations_path or DEMO_ORGANISATIONS

    @property
    def broker_home(self) -> Path:
        return self.home / "broker"

    def connection(self) -> Settings:
        """These settings with the identity they connect as: the client configuration file
        when given (as --config does); else KAFKA_SASL_*; else, on the local broker,
        `principal`'s own credentials (provisioned on first use with the admin's,
        kokemusvirta/access/local.py)."""
        from kokemusvirta.access import local

        if self.client_config is not None:
            return local.with_client_config(self, self.client_config)
        if self.kafka_sasl_mechanism:
            return self
        if self.kafka_bootstrap_servers is None:
            return local.as_principal(self, self.principal)
        return self

    def kafka_python_config(self, bootstrap: str) -> dict[str, object]:
        """Connection settings for kafka-python clients, with the identity of `connection`."""
        if self.client_config is not None or (not self.kafka_sasl_mechanism
                                              and self.kafka_bootstrap_servers is None):
            return self.connection().kafka_python_config(bootstrap)
        conf: dict[str, object] = {
            "bootstrap_servers": bootstrap.split(","),
            "security_protocol": self.kafka_security_protocol,
        }
        if self.kafka_sasl_mechanism:
            conf["sasl_mechanism"] = self.kafka_sasl_mechanism
            conf["sasl_plain_username"] = self.kafka_sasl_username
            conf["sasl_plain_password"] = (
                self.kafka_sasl_password.get_secret_value() if self.kafka_sasl_password else None
            )
        if self.kafka_ssl_cafile:
            conf["ssl_cafile"] = str(self.kafka_ssl_cafile)
        return conf


def unknown_keywords(values: dict[str, object]) -> list[str]:
    """The keywords that name no setting's variable (pydantic's own `_env_file=` and the like,
    starting with an underscore, are meant). Names are case-insensitive, as in the environment."""
    known = {str(field.validation_alias or name).lower()
             for name, field in Settings.model_fields.items()}
    return sorted(k for k in values if not k.startswith("_") and k.lower() not in known)
