"""docker-compose.yml cannot be run here (no Docker engine); check that it parses, that every
command it runs is a real `kokemusvirta` subcommand, that the broker it runs has the local
broker's security (SASL/SCRAM, an authorizer that denies by default, no plain-text client
listener, no secret in the file) and that .dockerignore keeps local state out of the image."""

import re

import pytest
import yaml

from kokemusvirta.cli import build_parser
from kokemusvirta.settings import PROJECT_ROOT
from tests.unit.test_layers import PACKAGES

COMPOSE_TEXT = (PROJECT_ROOT / "docker-compose.yml").read_text()
COMPOSE = yaml.safe_load(COMPOSE_TEXT)
SERVICES = COMPOSE["services"]
KAFKA = SERVICES["kafka"]["environment"]
SECRET = re.compile(r"^\$\{KV_[A-Z]+_PASSWORD:\?[^}]*\}$")  # interpolated from .env, required
# Each service that talks to Kafka, and the principal it is.
PRINCIPALS = {"worker": "kv.worker", "sink": "kv.sink", "topics": "kokemusvirta-admin",
              "app": "kokemusvirta-admin", "intake": "kv.gateway", "notifier": "kv.notifier"}


def test_compose_parses_and_runs_our_commands() -> None:
    services = SERVICES
    assert {"kafka", "worker", "sink", "dashboard"} <= set(services)
    assert services["kafka"]["image"].startswith("apache/kafka:")
    assert services["kafka"]["environment"]["KAFKA_PROCESS_ROLES"] == "broker,controller"
    parser = build_parser()
    for name in ("worker", "sink", "dashboard", "app", "topics", "intake", "notifier"):
        command = services[name]["command"]
        assert command[0] == "kokemusvirta"
        if command[1] != "--help":
            parser.parse_args(command[1:])  # exits (fails the test) on an unknown command
        assert services[name]["environment"]["KAFKA_BOOTSTRAP_SERVERS"] == "kafka:9092"


def test_compose_says_which_compose_it_needs() -> None:
    """`build.dockerfile_inline` came in Docker Compose 2.17.0; older ones refuse the file."""
    assert "dockerfile_inline" in SERVICES["worker"]["build"]
    assert "Needs Docker Compose v2.17.0 or later" in COMPOSE_TEXT


def listeners(value: str) -> dict[str, str]:
    """'CLIENT://:9092,CONTROLLER://127.0.0.1:9093' -> {'CLIENT': ':9092', ...}"""
    return dict(item.split("://", 1) for item in value.split(","))


def test_the_broker_has_no_plaintext_client_listener() -> None:
    protocols = dict(item.split(":") for item in KAFKA["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"]
                     .split(","))
    bound = listeners(KAFKA["KAFKA_LISTENERS"])
    controller = KAFKA["KAFKA_CONTROLLER_LISTENER_NAMES"]
    assert set(bound) == set(protocols)
    assert "PLAINTEXT" not in protocols.values() and "SSL" not in protocols.values()
    for name in bound:
        assert protocols[name] in {"SASL_PLAINTEXT", "SASL_SSL"}, name
    clients = set(listeners(KAFKA["KAFKA_ADVERTISED_LISTENERS"]))
    assert controller not in clients and clients <= set(bound)
    assert KAFKA["KAFKA_INTER_BROKER_LISTENER_NAME"] in clients
    assert bound[controller].startswith("127.0.0.1:")  # internal: the container's own loopback
    assert "ports" not in SERVICES["kafka"]  # the client port stays on the Compose network


def test_the_broker_authenticates_with_scram_and_denies_without_an_acl() -> None:
    assert KAFKA["KAFKA_SASL_ENABLED_MECHANISMS"] == "SCRAM-SHA-512"
    assert KAFKA["KAFKA_LISTENER_NAME_CLIENT_SASL_ENABLED_MECHANISMS"] == "SCRAM-SHA-512"
    assert KAFKA["KAFKA_AUTHORIZER_CLASS_NAME"] == \
        "org.apache.kafka.metadata.authorizer.StandardAuthorizer"
    assert KAFKA["KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND"] == "false"
    assert "User:kokemusvirta-admin" in KAFKA["KAFKA_SUPER_USERS"].split(";")
    assert "User:ANONYMOUS" not in KAFKA["KAFKA_SUPER_USERS"]
    script = "\n".join(SERVICES["kafka"]["command"])
    # The admin exists from the first moment: made when the storage is formatted.
    assert "kafka-storage.sh format" in script
    assert '--add-scram "$$(scram kokemusvirta-admin "$$KV_ADMIN_PASSWORD")"' in script


def test_no_secret_is_written_in_the_compose_file() -> None:
    jaas = KAFKA["KAFKA_LISTENER_NAME_CLIENT_SCRAM___SHA___512_SASL_JAAS_CONFIG"]
    assert 'password="${KV_ADMIN_PASSWORD:?' in jaas
    for name, service in SERVICES.items():
        for key, value in (service.get("environment") or {}).items():
            if "PASSWORD" in key or key.endswith("PSEUDONYM_KEY"):
                assert re.match(r"^\$\{[A-Z_]+:\?[^}]*\}$", str(value)), (name, key)


@pytest.mark.parametrize(("service", "principal"), PRINCIPALS.items())
def test_each_service_connects_as_its_principal(service: str, principal: str) -> None:
    env = SERVICES[service]["environment"]
    assert env["KAFKA_SECURITY_PROTOCOL"] == "SASL_PLAINTEXT"
    assert env["KAFKA_SASL_MECHANISM"] == "SCRAM-SHA-512"
    assert env["KAFKA_SASL_USERNAME"] == principal
    assert SECRET.match(env["KAFKA_SASL_PASSWORD"]), env["KAFKA_SASL_PASSWORD"]


def test_the_worker_and_the_sink_are_not_the_admin_and_wait_for_their_acls() -> None:
    assert SERVICES["worker"]["environment"]["KAFKA_SASL_PASSWORD"] != \
        SERVICES["sink"]["environment"]["KAFKA_SASL_PASSWORD"]
    for name in ("worker", "sink"):
        waits = SERVICES[name]["depends_on"]
        assert waits["kafka-acls"]["condition"] == "service_completed_successfully"
    script = "\n".join(SERVICES["kafka-acls"]["command"])
    assert "allow kv.worker" in script and "allow kv.sink" in script
    assert "--allow-principal" in script and "User:*" not in script


# .dockerignore, read as Docker reads it: paths relative to the context, `*` within a name,
# `**` across folders, a pattern that names a folder covers what is inside it, the last
# matching line wins and `!` takes a path back in.
def _rules() -> list[tuple[bool, re.Pattern[str]]]:
    rules = []
    for line in (PROJECT_ROOT / ".dockerignore").read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        keep = line.startswith("!")
        pattern = line.lstrip("!").strip("/")
        regex = ""
        for part in re.split(r"(\*\*/|\*\*|\*|\?)", pattern):
            regex += {"**/": "(?:.*/)?", "**": ".*", "*": "[^/]*", "?": "[^/]"}.get(
                part, re.escape(part).replace(r"\[", "[").replace(r"\]", "]"))
        rules.append((keep, re.compile(f"^{regex}(?:/.*)?$")))
    return rules


def ignored(path: str) -> bool:
    verdict = False
    for keep, rule in _rules():
        if rule.match(path):
            verdict = not keep
    return verdict


@pytest.mark.parametrize("path", [
    ".kokemusvirta/keys/lappi/ps-0123456789abcdef0123456789abcdef.key",
    ".kokemusvirta/keys/_signing/worker.key",
    ".kokemusvirta/pseudonym-dev.key",
    ".kokemusvirta/store/kokemusvirta.duckdb",
    ".kokemusvirta/store/kokemusvirta.snapshot.duckdb",
    ".kokemusvirta/broker/data/__cluster_metadata-0/00000000000000000000.log",
    ".kokemusvirta/access/kv.unit.lappi.rovaniemen-terveysasema.properties",
    "elsewhere/replayed.duckdb",
    "elsewhere/replayed.duckdb.wal",
    "keys-backup/lappi/ps-0123456789abcdef0123456789abcdef.key",
    ".env",
    ".env.production",
    ".venv/bin/python",
    ".git/config",
    "tests/artifacts/screenshot.png",
    "kokemusvirta/__pycache__/cli.cpython-311.pyc",
    ".mypy_cache/3.11/cache.db",
])
def test_dockerignore_keeps_local_state_and_secrets_out_of_the_image(path: str) -> None:
    assert ignored(path), path


def test_dockerignore_keeps_what_the_image_is_built_from() -> None:
    needed = ["pyproject.toml", "README.md", ".env.example", "kokemusvirta/cli.py",
              "kokemusvirta/access/acls.py", "kokemusvirta/broker/log4j2.xml"]
    needed += [str(p.relative_to(PROJECT_ROOT)) for package in PACKAGES
               for p in (PROJECT_ROOT / package).rglob("*")
               if p.is_file() and "__pycache__" not in p.parts]
    assert [p for p in needed if ignored(p)] == []


def test_the_secrets_file_is_not_committed_either() -> None:
    lines = (PROJECT_ROOT / ".gitignore").read_text().splitlines()
    assert ".env" in lines


def test_the_composed_acls_are_the_projects_own() -> None:
    """docker-compose grants the worker, sink and gateway by hand (its image has no
    kokemusvirta): each `allow` line must be one of kokemusvirta/access/acls.py's bindings, and
    every binding must be there, so the two cannot drift apart (the worker once lacked the read
    of the dead letters it restores its checkpoints from)."""
    import shlex

    from kokemusvirta.access import acls
    from schemas.access import SystemRole

    text = (PROJECT_ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    body = text.replace("\\\n", " ")
    composed: set[tuple[str, str, str, str, bool]] = set()
    for line in body.splitlines():
        line = line.strip()
        loop = re.match(r'for topic in (.+); do$', line)
        if loop:
            topics = loop.group(1).split()
            continue
        if not line.startswith("allow "):
            continue
        words = shlex.split(line.replace("$$p", "--resource-pattern-type"))
        user, rest = words[1], words[2:]
        ops = [rest[i + 1] for i, w in enumerate(rest) if w == "--operation"]
        prefixed = "prefixed" in rest
        if "--group" in rest:
            kind, names = "group", [rest[rest.index("--group") + 1]]
        else:
            name = rest[rest.index("--topic") + 1]
            kind, names = "topic", (topics if name == "$$topic" else [name])
        composed |= {(user, op, kind, n, prefixed) for op in ops for n in names}
    wanted = {
        (b.principal, b.operation.value, b.resource.value, b.name, b.prefixed)
        for role in (SystemRole.WORKER, SystemRole.SINK, SystemRole.GATEWAY, SystemRole.NOTIFIER)
        for b in acls.system_acls(role, "kv.", worker_group="kokemusvirta-worker",
                                  sink_group="kokemusvirta-sink")
    }
    assert composed == wanted


def test_the_intake_api_and_the_notifier_run_beside_the_worker_and_the_sink() -> None:
    """The front door serves on every interface of its container, published on the host's
    loopback only (a reverse proxy with TLS goes in front); the notifier runs its rounds. Both
    wait for their ACLs and the topics, and each has its own SCRAM user from the start."""
    intake, notifier = SERVICES["intake"], SERVICES["notifier"]
    assert intake["command"] == ["kokemusvirta", "intake", "serve", "--host", "0.0.0.0",
                                 "--port", "8470"]
    assert intake["ports"] == ["127.0.0.1:8470:8470"]
    assert notifier["command"] == ["kokemusvirta", "notify", "run"]
    assert "ports" not in notifier
    for service in (intake, notifier):
        assert service["depends_on"]["kafka-acls"]["condition"] == \
            "service_completed_successfully"
        assert service["depends_on"]["topics"]["condition"] == "service_completed_successfully"
        assert service["restart"] == "unless-stopped"
    script = "\n".join(SERVICES["kafka"]["command"])
    for user, secret in (("kv.gateway", "KV_GATEWAY_PASSWORD"),
                         ("kv.notifier", "KV_NOTIFIER_PASSWORD")):
        assert f'--add-scram "$$(scram {user} "$${secret}")"' in script
        assert KAFKA[secret] == f"${{{secret}:?set it in .env}}"
    assert "KV_NOTIFIER_PASSWORD" in COMPOSE_TEXT.split("x-app:")[0]  # the .env recipe


def test_the_notifiers_mail_settings_with_compose_defaults_check_the_certificate() -> None:
    """Unset in .env, Compose passes `${VAR:-default}` as its default, "" for the CA file: the
    settings must read that as the system CAs with the check on, not a CA file named "."."""
    from kokemusvirta.settings import Settings

    env = SERVICES["notifier"]["environment"]
    defaults = {key: re.sub(r"^\$\{[A-Z_]+:-(.*)\}$", r"\1", str(value))
                for key, value in env.items() if str(value).startswith("${KOKEMUSVIRTA_SMTP")
                and ":-" in str(value)}
    assert set(defaults) == {"KOKEMUSVIRTA_SMTP_HOST", "KOKEMUSVIRTA_SMTP_PORT",
                             "KOKEMUSVIRTA_SMTP_SECURITY", "KOKEMUSVIRTA_SMTP_USER",
                             "KOKEMUSVIRTA_SMTP_CA_FILE"}
    settings = Settings.model_validate(defaults)
    assert settings.smtp_tls == "starttls" and settings.smtp_ca_file is None
    assert settings.smtp_port == 587 and not settings.smtp_user
