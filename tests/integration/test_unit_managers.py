"""Unit managers' commands as a person runs them, against the real broker, worker and sink."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kokemusvirta.processes import child_env
from kokemusvirta.settings import Settings
from schemas.access import Requester
from schemas.knowledge import SourceFamily
from schemas.lifecycle import ItemAcknowledged, ItemDecided, ItemReturned, LifecycleEvent
from schemas.registry import parse
from sinks import reader as query
from streams.items import item_id_for
from tests.conftest import RequesterSettings
from tests.factories import as_bytes, feedback
from tests.integration.helpers import catch_up, publish, read_topic, running

pytestmark = pytest.mark.broker

UNIT = "lappi.rovaniemen-terveysasema"
SWEDISH_UNIT = "pohjanmaa.pietarsaaren-terveysasema"
EVENT_ID = re.compile(r"tapahtuma \(event\) ([0-9a-f-]{36})")


def kv(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    """`kokemusvirta ARGS` as the settings' Kafka user (a requester's, from requester_settings,
    with its own password)."""
    assert settings.kafka_bootstrap_servers
    env = child_env(settings, settings.kafka_bootstrap_servers)
    return subprocess.run([sys.executable, "-m", "kokemusvirta", *args], env=env,
                          capture_output=True, text=True, timeout=120)


def test_a_manager_lists_acknowledges_decides_and_returns_by_digest(
    settings_factory: Callable[..., Settings], requester_settings: RequesterSettings,
    tmp_path: Path,
) -> None:
    admin = settings_factory()  # sets up, runs the worker and sink, publishes
    s = requester_settings(admin, "unit", UNIT)  # the unit's managers
    critical = feedback(text="Äidilleni annettiin väärää lääkettä ja hän joutui teho-osastolle.",
                        occurred_at="2026-10-01T10:00:00+03:00")
    thanks = feedback(text="Hoitaja oli ystävällinen, kiitos!", reply_requested=False,
                      occurred_at="2026-10-02T10:00:00+03:00")
    swedish = feedback(text="Jag väntade i telefon en timme och ingen svarade.", language="sv",
                       county="pohjanmaa", unit="pietarsaaren-terveysasema",
                       reply_requested=False)  # a unit that serves in Swedish
    crit_id = item_id_for(SourceFamily.FEEDBACK, critical["event_id"])
    thanks_id = item_id_for(SourceFamily.FEEDBACK, thanks["event_id"])
    digest_file = tmp_path / "digest.txt"

    with running(admin, "worker", "sink") as children:
        publish(admin, [as_bytes(critical), as_bytes(thanks), as_bytes(swedish)])
        catch_up(admin, children)

        # The inbox: the critical one first, both waiting for an acknowledgement.
        listed = kv(s, "inbox", "--unit", UNIT, "--json", "--today", "2026-10-05")
        assert listed.returncode == 0, listed.stderr
        rows = json.loads(listed.stdout)
        assert [r["item_id"] for r in rows] == [crit_id, thanks_id]
        assert rows[0]["severity"] == "critical" and rows[0]["immediate_attention"] is True
        assert {r["status"] for r in rows} == {"routed"}
        assert rows[0]["next_step"] == "acknowledged" and rows[0]["due"] == "2026-10-06"
        table = kv(s, "inbox", "--unit", UNIT, "--today", "2026-10-05")
        assert "kriittinen !" in table.stdout and "avoimet (open) 2/2" in table.stdout
        # 100 columns by default (text wrapped, the item id whole); --wide the table of old.
        assert max(map(len, table.stdout.splitlines())) <= 100, table.stdout
        assert table.stdout.splitlines()[0].split() == [
            "vakavuus", "saapui", "kohde", "tila", "määräaika"]
        wide = kv(s, "inbox", "--unit", UNIT, "--today", "2026-10-05", "--wide")
        assert wide.stdout.startswith("vakavuus (severity)  saapui (received)"), wide.stdout
        assert "avoimet (open) 2/2" in wide.stdout
        # A Swedish-speaking unit reads Swedish (the registry's languages: [sv]); --lang en.
        started = time.monotonic()
        in_swedish = kv(admin, "inbox", "--unit", SWEDISH_UNIT, "--today", "2026-10-05")
        took = time.monotonic() - started
        print(f"\ninbox --unit {SWEDISH_UNIT}: {took:.2f} s as a new process (load average "
              f"{' '.join(f'{x:.2f}' for x in os.getloadavg())})")
        assert in_swedish.returncode == 0, in_swedish.stderr
        lines = in_swedish.stdout.splitlines()
        assert lines[0].split() == ["allvarlighet", "inkommen", "ärende", "status", "tidsfrist"]
        assert "kvittering 2026-10-06:" in in_swedish.stdout
        assert "öppna 1/1 visas" in in_swedish.stdout and "Jag väntade" in in_swedish.stdout
        assert max(map(len, lines)) <= 100, in_swedish.stdout
        in_english = kv(admin, "inbox", "--unit", SWEDISH_UNIT, "--lang", "en")
        assert in_english.stdout.splitlines()[0].split()[:2] == ["severity", "received"]

        # Acknowledged (back-dated), accepted by the worker; a second one is rejected by it.
        ack = kv(s, "ack", crit_id, "--at", "2026-10-02T09:00")
        assert ack.returncode == 0, ack.stdout + ack.stderr
        assert "hyväksytty (accepted)" in ack.stdout
        again = kv(s, "ack", crit_id, "--at", "2026-10-03T09:00", "--skip-check")
        assert again.returncode == 1, again.stdout + again.stderr
        assert "hylätty (rejected): illegal_transition" in again.stdout
        assert "repeated" in again.stdout

        decide = kv(s, "decide", crit_id, "--outcome", "adopted", "--ref", "LAPHA/88/2026",
                    "--rationale", "Lääkkeiden kaksoistarkistus otetaan käyttöön kaikissa "
                    "vuoroissa.", "--at", "2026-10-06T14:00")
        assert decide.returncode == 0, decide.stdout + decide.stderr
        # A return without a decision needs a reason: the worker says so.
        sent = kv(s, "ack", thanks_id, "--no-wait", "--at", "2026-10-02T12:00")
        assert sent.returncode == 0 and "lähetetty (sent)" in sent.stdout
        catch_up(admin, children)
        bare = kv(s, "return", thanks_id, "--to", "client", "--channel", "kirje",
                  "--skip-check")
        assert bare.returncode == 1 and "no_decision_reason" in bare.stdout
        catch_up(admin, children)

        # The store knows: the pre-check now answers without asking the worker.
        repeat = kv(s, "ack", crit_id)
        assert repeat.returncode == 1 and "ei lähetetty (not sent)" in repeat.stdout

        digest = kv(s, "digest", "--unit", UNIT, "--period", "2026-10", "--out",
                    str(digest_file), "--publish", "--at", "2026-11-02T09:00")
        assert digest.returncode == 0, digest.stdout + digest.stderr
        assert "palautettu (returned) 1 of 1" in digest.stdout
        catch_up(admin, children)

        after = json.loads(kv(s, "inbox", "--unit", UNIT, "--json").stdout)
        assert [(r["item_id"], r["status"]) for r in after] == [(thanks_id, "acknowledged")]

    text = digest_file.read_text(encoding="utf-8")
    assert text.startswith("Sanoitte, me teimme – Rovaniemen terveysasema, lokakuussa 2026")
    assert "- Toteutamme: Lääkkeiden kaksoistarkistus" in text
    assert "väärää lääkettä" not in text  # the client's words stay out

    _, steps = query.run(s.store, "select item_id, step, actor_role, details->>'returned_to' "
                                  "from lifecycle where step not in ('received', 'classified', "
                                  "'routed') order by item_id, occurred_at")
    assert sorted(steps) == sorted([
        (crit_id, "acknowledged", "unit_manager", None),
        (crit_id, "decided", "unit_manager", None),
        (crit_id, "returned", "unit_manager", "public_digest"),
        (thanks_id, "acknowledged", "unit_manager", None),
    ])
    _, dead = query.run(s.store, "select original_event_id, reason from dead_letters")
    assert {r[1] for r in dead} == {"illegal_transition"} and len(dead) == 2

    # Every request on the unit managers' request topic is an unsealed lifecycle event of its
    # item, in their role (two partitions: in the order they were asked for).
    requests = sorted(read_topic(admin, s.topics.requests(Requester.parse("unit", UNIT))),
                      key=lambda r: json.loads(r[1])["recorded_at"])
    events = [parse(value) for _, value, _ in requests]
    assert all(isinstance(e, LifecycleEvent) for e in events)
    assert [type(e) for e in events] == [ItemAcknowledged, ItemAcknowledged, ItemDecided,
                                         ItemAcknowledged, ItemReturned, ItemReturned]
    for (key, _, _), e in zip(requests, events, strict=True):
        assert isinstance(e, LifecycleEvent)
        assert key == e.kafka_key() and e.item_id in {crit_id, thanks_id}
        assert (e.county, e.unit) == ("lappi", "rovaniemen-terveysasema")
        assert e.chain_prev is None and e.chain_hash is None
        assert e.actor_role.value == "unit_manager"
    said = EVENT_ID.search(ack.stdout)
    assert said is not None and said[1] == str(events[0].event_id)
    assert events[0].occurred_at == datetime(2026, 10, 2, 6, tzinfo=UTC)  # --at in Finnish time
    decided = events[2]
    assert isinstance(decided, ItemDecided)
    assert (decided.outcome.value, decided.decision_ref) == ("adopted", "LAPHA/88/2026")
    digest_return = events[5]
    assert isinstance(digest_return, ItemReturned)
    assert (digest_return.returned_to.value, digest_return.channel) == (
        "public_digest", "digest 2026-10")


def test_commands_say_what_is_wrong(
    settings_factory: Callable[..., Settings], requester_settings: RequesterSettings,
) -> None:
    nobody = settings_factory()  # no Kafka user: not a requester
    s = requester_settings(nobody, "unit", UNIT)
    source = feedback()
    item = item_id_for(SourceFamily.FEEDBACK, source["event_id"])
    with running(nobody, "worker"):  # the worker only: no sink, no store
        publish(nobody, [as_bytes(source)])
        deadline = time.monotonic() + 120
        while not read_topic(s, s.topics.unit("lappi", "rovaniemen-terveysasema")):
            assert time.monotonic() < deadline, "the worker did not route the item"
            time.sleep(0.5)
        # No store: the inbox still lists what the routed topic holds, status unknown.
        listed = kv(s, "inbox", "--unit", UNIT, "--json")
        assert listed.returncode == 0, listed.stderr
        assert [(r["item_id"], r["status"]) for r in json.loads(listed.stdout)] == [
            (item, "unknown")]
        nothing = kv(s, "inbox", "--unit", "lappi.kemin-terveysasema")  # known, no items yet
        assert nothing.returncode == 0 and "ei kohteita (no items)" in nothing.stdout
        unknown_unit = kv(s, "inbox", "--unit", "lappi.no-such-unit")  # a typing mistake
        assert unknown_unit.returncode == 2 and "tuntematon yksikkö" in unknown_unit.stderr
        no_store = kv(s, "ack", item)
        assert no_store.returncode == 2 and "No store" in no_store.stderr

    with running(nobody, "sink") as children:
        catch_up(nobody, children)
    # Worker and sink stopped; the store stays.
    unknown = kv(s, "ack", "fb-ffffffffffffffff")
    assert unknown.returncode == 2 and "tuntematon kohde (unknown item)" in unknown.stderr
    assert "wait a few seconds for the sink" in unknown.stderr
    bad_id = kv(s, "close", "item-1")
    assert bad_id.returncode == 2 and "not an item id" in bad_id.stderr
    bad_unit = kv(s, "inbox", "--unit", "rovaniemi")
    assert bad_unit.returncode == 2 and "<county>.<unit>" in bad_unit.stderr
    bad_period = kv(s, "digest", "--unit", UNIT, "--period", "2026-13")
    assert bad_period.returncode == 2 and "YYYY-MM" in bad_period.stderr
    # Nobody to judge it: no verdict in time, exit 3, and the request waits on its topic.
    waiting = kv(s, "ack", item, "--timeout", "2")
    assert waiting.returncode == 3, waiting.stdout + waiting.stderr
    assert "ei ratkaisua (no verdict)" in waiting.stdout
    assert len(read_topic(nobody, s.topics.requests(Requester.parse("unit", UNIT)))) == 1

    # Who acts is who authenticated: no requester, no request; --as only checks the own role.
    anonymous = kv(nobody, "ack", item)
    assert anonymous.returncode == 2, anonymous.stdout + anonymous.stderr
    assert "kokemusvirta access grant ROLE SCOPE --out FILE" in anonymous.stderr
    assert len(anonymous.stderr.strip().splitlines()) == 1
    system = kv(nobody.model_copy(update={"kafka_sasl_username": f"{s.topic_prefix}worker"}),
                "close", item)
    assert system.returncode == 2 and "ei ole pyytäjä (is not a requester" in system.stderr
    posing = kv(s, "ack", item, "--as", "leadership")
    assert posing.returncode == 2 and "--as leadership, but you act as unit_manager" in \
        posing.stderr
    assert len(read_topic(nobody, s.topics.requests(Requester.parse("unit", UNIT)))) == 1
