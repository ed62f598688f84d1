"""Only known organisations, on the real broker: the worker and the sink as real processes, the
deployment's organisation registry from KOKEMUSVIRTA_ORGANISATIONS. A record naming a unit or a
county the registry lacks is a dead letter `unknown_unit`, and no topic is made of its codes; a
registry file that is not one stops the worker with one line, exit 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kokemusvirta import kafka as kv_kafka
from sinks import reader as query
from tests.factories import as_bytes, feedback
from tests.integration.helpers import catch_up, publish, read_topic, running

pytestmark = pytest.mark.broker

PERSON = "matti-virtanen-131052-308t"  # a name and a henkilötunnus, shaped like a code


def topics(s) -> set[str]:  # type: ignore[no-untyped-def]
    client = kv_kafka.admin(s, s.kafka_bootstrap_servers)
    try:
        return set(client.list_topics())
    finally:
        client.close()


def test_an_unknown_unit_is_a_dead_letter_and_makes_no_topic(settings_factory) -> None:  # type: ignore[no-untyped-def]
    s = settings_factory()
    with running(s, "worker", "sink") as children:
        publish(s, [as_bytes(feedback()),
                    as_bytes(feedback(unit=PERSON)),
                    as_bytes(feedback(county=PERSON)),
                    as_bytes(feedback(unit="hervannan-terveysasema")),  # pirkanmaa's, not lappi's
                    as_bytes(feedback(**{PERSON: "x"}))])
        catch_up(s, children)

    # Keyless records spread over intake's partitions, so the order of origin is not publishing's.
    _, rows = query.run(s.store, "select reason, county, problems from dead_letters")
    assert sorted((r[0], r[1]) for r in rows) == sorted([
        ("unknown_unit", "lappi"), ("unknown_unit", "unknown"), ("unknown_unit", "lappi"),
        ("schema_violation", "lappi")])
    _, items = query.run(s.store, "select county, unit from knowledge_items")
    assert items == [("lappi", "rovaniemen-terveysasema")]

    names = topics(s)
    assert s.topics.unit("lappi", "rovaniemen-terveysasema") in names
    assert not [t for t in names if PERSON in t], "a topic was made of an unknown code"
    assert s.topics.unit("lappi", "hervannan-terveysasema") not in names
    letters = read_topic(s, s.topics.dead_letters)
    assert {h["reason"] for _, _, h in letters} == {b"unknown_unit", b"schema_violation"}
    assert all(b"131052" not in v and b"matti" not in v for _, v, _ in letters)
    _, stored = query.run(s.store, "select count(*) from dead_letters "
                                   "where cast(problems as varchar) like '%131052%' "
                                   "or detail like '%131052%'")
    assert stored == [(0,)]


def test_a_bad_registry_stops_the_worker_with_one_line(tmp_path: Path) -> None:
    registry = tmp_path / "rekisteri.csv"
    registry.write_text("kind,code,county,service_area,fi,sv\ncounty,lappi,,,L,L\n"
                        "unit,rovaniemen-terveysasema,lappi,perusterveydenhuolto,R,R\n",
                        encoding="utf-8")
    env = {k: v for k, v in os.environ.items()
           if k != "KAFKA_BOOTSTRAP_SERVERS" and not k.startswith("KOKEMUSVIRTA_")}
    env.update(KOKEMUSVIRTA_HOME=str(tmp_path / "home"), KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:9",
               KOKEMUSVIRTA_ORGANISATIONS=str(registry))
    done = subprocess.run([sys.executable, "-m", "kokemusvirta", "worker"], env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    [line] = done.stderr.strip().splitlines()
    assert "bad organisation registry" in line and str(registry) in line
    assert "line 3" in line and "perusterveydenhuolto" in line
