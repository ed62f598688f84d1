"""docker-compose.yml cannot be run here (no Docker engine); check that it parses and that
every command it runs is a real `kokemusvirta` subcommand."""

from pathlib import Path

import yaml

from kokemusvirta.cli import build_parser
from kokemusvirta.settings import PROJECT_ROOT


def test_compose_parses_and_runs_our_commands() -> None:
    compose = yaml.safe_load(Path(PROJECT_ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"kafka", "worker", "sink", "dashboard"} <= set(services)
    assert services["kafka"]["image"].startswith("apache/kafka:")
    assert services["kafka"]["environment"]["KAFKA_PROCESS_ROLES"] == "broker,controller"
    parser = build_parser()
    for name in ("worker", "sink", "dashboard", "app"):
        command = services[name]["command"]
        assert command[0] == "kokemusvirta"
        if command[1] != "--help":
            parser.parse_args(command[1:])  # exits (fails the test) on an unknown command
        assert services[name]["environment"]["KAFKA_BOOTSTRAP_SERVERS"] == "kafka:9092"
