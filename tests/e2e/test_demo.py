"""The demo as a user runs it (the `kokemusvirta demo` command), checked against the store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter

import pytest

from kokemusvirta.background import WORKPLACE
from kokemusvirta.broker.process import runs_our_program
from scenario import generate, personal_identifiers_in
from schemas.knowledge import Classification, KnowledgeItem
from sinks import reader as query
from streams.routing import route

pytestmark = [pytest.mark.broker, pytest.mark.e2e]

SOURCE_TYPES = "('feedback.submitted', 'workshop.output_recorded', 'expert_statement.issued')"


@pytest.fixture(scope="module")
def demo_run(kafka_admin_env, tmp_path_factory):  # type: ignore[no-untyped-def]
    home = tmp_path_factory.mktemp("demo-home")
    env = dict(os.environ, **kafka_admin_env, KOKEMUSVIRTA_HOME=str(home),
               KOKEMUSVIRTA_TOPIC_PREFIX=f"demo{home.name[-6:]}.".replace("_", "-"),
               KOKEMUSVIRTA_WORKER_GROUP=f"{home.name}-worker",
               KOKEMUSVIRTA_SINK_GROUP=f"{home.name}-sink")
    env.pop("KOKEMUSVIRTA_STORE", None)
    done = subprocess.run([sys.executable, "-m", "kokemusvirta", "demo"], env=env,
                          capture_output=True, text=True, timeout=600)
    workplace_pid = WORKPLACE.read_state(home).get("pid")
    try:
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        yield home / "store" / "kokemusvirta.duckdb", done.stdout, env["KOKEMUSVIRTA_TOPIC_PREFIX"]
    finally:  # the demo leaves its dashboard server and workplace running for the user
        subprocess.run([sys.executable, "-m", "kokemusvirta", "dashboard", "stop"], env=env,
                       capture_output=True, text=True, timeout=60)
        stopped = subprocess.run([sys.executable, "-m", "kokemusvirta", "workplace", "stop"],
                                 env=env, capture_output=True, text=True, timeout=60)
    assert f"stopped the workplace (pid {workplace_pid})" in stopped.stdout, stopped.stdout
    assert isinstance(workplace_pid, int) and not runs_our_program(workplace_pid, "workplace")


def test_every_published_event_is_stored_once_or_a_dead_letter(demo_run) -> None:  # type: ignore[no-untyped-def]
    store, output, _ = demo_run
    records = list(generate(2026))
    accepted = {json.loads(r.value)["event_id"] for r in records if r.expected_rejection is None}
    _, rows = query.run(store, f"select cast(event_id as varchar) from events "
                               f"where event_type in {SOURCE_TYPES}")
    stored = [r[0] for r in rows]
    assert len(stored) == len(set(stored)), "an event is stored twice"
    assert set(stored) == accepted, "an accepted event is missing, or an unknown one appeared"

    expected = Counter(r.expected_rejection.value for r in records if r.expected_rejection)
    _, rows = query.run(store, "select reason, origin_topic, origin_partition, origin_offset "
                               "from dead_letters")
    assert Counter(r[0] for r in rows) == expected
    # one dead letter per source record; an offset alone repeats across intake's partitions
    assert len({r[1:] for r in rows}) == len(rows)
    assert "valmis" in output and "Knowledge items per unit" in output


def test_routing_put_each_item_on_the_topics_design_says(demo_run) -> None:  # type: ignore[no-untyped-def]
    store, _, prefix = demo_run
    from schemas.topics import TopicNames

    topics = TopicNames(prefix)
    _, rows = query.run(store, """
        select r.item_id, r.details, c.details from lifecycle r
        join lifecycle c on c.item_id = r.item_id and c.step = 'classified'
        where r.step = 'received'""")
    _, forwarded = query.run(store, "select item_id, topic from events "
                                    "where event_type = 'item.forwarded'")
    actual: dict[str, set[str]] = {}
    for item_id, topic in forwarded:
        actual.setdefault(item_id, set()).add(topic)
    assert len(rows) > 2900
    for item_id, received, classified in rows:
        item = KnowledgeItem.model_validate(json.loads(received)["item"])
        classification = Classification.model_validate(json.loads(classified)["classification"])
        expected = {r.topic for r in route(item, classification, topics)}
        assert actual.get(item_id) == expected, item_id


def test_no_raw_identifier_from_the_scenario_reaches_the_store(demo_run) -> None:  # type: ignore[no-untyped-def]
    store, _, _ = demo_run
    identifiers = personal_identifiers_in(generate(2026), kinds=["hetu", "phone", "email", "iban"])
    assert identifiers
    _, rows = query.run(store, """
        select coalesce(string_agg(cast(payload as varchar), ' '), '') from events
        union all select string_agg(text, ' ') from knowledge_items
        union all select coalesce(string_agg(detail || cast(problems as varchar), ' '), '')
        from dead_letters
        union all select coalesce(string_agg(cast(details as varchar), ' '), '') from lifecycle""")
    everything = " ".join(r[0] for r in rows)
    leaked = sorted(i for i in identifiers if i in everything)
    assert leaked == []


def test_the_demo_shows_people_acting_on_the_knowledge(demo_run) -> None:  # type: ignore[no-untyped-def]
    store, output, _ = demo_run
    _, rows = query.run(store, "select step, actor_role, count(*) from lifecycle group by all")
    steps = {(step, role): n for step, role, n in rows}
    for step in ["acknowledged", "escalated", "presented", "decided", "returned", "closed"]:
        assert any(s == step for s, _ in steps), f"no {step} in the demo"
    assert steps[("acknowledged", "leadership")] > 0
    # The demo's managers only ask for legal steps: nothing was rejected.
    _, rejected = query.run(store, "select count(*) from dead_letters "
                                   "where reason = 'illegal_transition'")
    assert rejected[0][0] == 0
    # ... each on its own requester's request topic, within its scope: nothing unauthorised.
    _, unauthorised = query.run(store, "select count(*) from dead_letters "
                                       "where reason = 'unauthorised_request'")
    assert unauthorised[0][0] == 0
    # Some items were left waiting, so the overdue views have something to show.
    _, waiting = query.run(store, "select count(*) from knowledge_items "
                                  "where status = 'routed' and source_family = 'feedback'")
    assert waiting[0][0] > 50
    # Weekly signals reached leadership, and with them their members.
    _, signals = query.run(store, """
        select count(distinct a.item_id), count(distinct m.member_item_id)
        from knowledge_items a join aggregate_members m on m.aggregate_item_id = a.item_id
        join knowledge_items k on k.item_id = m.member_item_id
        where a.reached_leadership_at is not null
          and k.reached_leadership_at <= a.reached_leadership_at""")
    assert signals[0][0] > 0 and signals[0][1] >= 5
    assert "7/7" in output


def test_every_chain_in_the_demo_store_verifies(demo_run) -> None:  # type: ignore[no-untyped-def]
    store, _, _ = demo_run
    env = dict(os.environ, KOKEMUSVIRTA_STORE=str(store))
    done = subprocess.run([sys.executable, "-m", "kokemusvirta", "verify"], env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "altered:                    0" in done.stdout
    assert "unsealed (no chain fields): 0" in done.stdout


def test_every_quality_expectation_holds_on_the_demo_store(demo_run) -> None:  # type: ignore[no-untyped-def]
    store, _, _ = demo_run
    done = subprocess.run([sys.executable, "-m", "kokemusvirta", "quality", "--store", str(store)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "täyttyvät" in done.stdout


def test_the_demo_ends_with_the_dashboards_address_and_leaves_a_file_of_them(demo_run) -> None:  # type: ignore[no-untyped-def]
    import urllib.request

    store, output, _ = demo_run
    home = store.parent.parent
    env = dict(os.environ, KOKEMUSVIRTA_HOME=str(home))
    try:
        last = output.strip().splitlines()[-1]
        assert last.startswith("Kojelauta (dashboard): http://127.0.0.1:"), last
        url = last.split()[-1]
        with urllib.request.urlopen(url, timeout=30) as response:
            page = response.read().decode()
        assert response.status == 200
        assert '<html lang="fi">' in page and "<h1>Kulku</h1>" in page
        built = (home / "kojelauta.html").read_text(encoding="utf-8")
        assert 'id="sv-kulku"' in built and 'id="en-sanoitte-me-teimme"' in built
    finally:
        stopped = subprocess.run([sys.executable, "-m", "kokemusvirta", "dashboard", "stop"],
                                 env=env, capture_output=True, text=True, timeout=60)
    assert "stopped the dashboard server" in stopped.stdout


def test_the_demo_delivers_answers_to_a_local_mailbox(demo_run) -> None:  # type: ignore[no-untyped-def]
    """The way back: answers returned to clients who left an e-mail address arrive, once each,
    in the demo's mailbox, and the summary tells returned from delivered."""
    from kokemusvirta.notify.mailbox import read_maildir

    store, output, _ = demo_run
    assert "Answers to clients (view returned_vs_delivered)" in output
    _, rows = query.run(store, "select sum(returned_to_client), sum(delivered) "
                               "from returned_vs_delivered")
    (returned, delivered), = rows
    assert returned > delivered > 0
    from kokemusvirta.organisations import demo_organisations

    # The same mailbox gets the staff's notices (the notifier's staff round): at the
    # registry's addresses, which no client has.
    registry = demo_organisations()
    staff = {x.email for x in (*registry.units, *registry.service_areas, *registry.counties)
             if getattr(x, "email", None)}
    everything = read_maildir(store.parent.parent / "mailbox")
    mails = [m for m in everything if m["To"] not in staff]
    assert len(everything) > len(mails), "no staff notice in the demo's mailbox"
    assert "Staff (table staff_notifications)" in output
    assert len(mails) == delivered
    assert len({m["Message-ID"] for m in mails}) == delivered
    assert {m["Content-Language"] for m in mails} <= {"fi", "sv", "en"}


def test_part_of_the_demos_feedback_comes_in_through_the_intake_api(demo_run) -> None:  # type: ignore[no-untyped-def]
    """The front door: the demo's first feedback events were POSTed to a running `intake
    serve`, each acknowledged with a 202, and they are stored like the rest (the first test
    checks every accepted event is stored once)."""
    from kokemusvirta.demo import API_FEEDBACK

    _, output, _ = demo_run
    assert f"({API_FEEDBACK} through the intake API at http://127.0.0.1:" in output


def test_a_demo_account_signs_in_to_the_workplace_and_sees_its_inbox(demo_run) -> None:  # type: ignore[no-untyped-def]
    """The demo leaves the workplace running with demo accounts: the unit manager of the unit
    with the most items signs in with the password from demo-accounts.txt and the code
    `kokemusvirta users code` prints, and the inbox lists the unit's open items."""
    import re
    import stat

    import httpx

    store, output, _ = demo_run
    home = store.parent.parent
    found = re.search(r"Työpaikka \(workplace, for staff\): (http://127\.0\.0\.1:\d+/)kirjaudu",
                      output)
    assert found, output[-1500:]
    base = found.group(1)
    accounts_file = home / "demo-accounts.txt"
    assert stat.S_IMODE(accounts_file.stat().st_mode) == 0o600
    rows = [line.split("\t") for line in accounts_file.read_text(encoding="utf-8").splitlines()
            if not line.startswith("#")]
    assert [(r[0], r[1]) for r in rows] == [
        ("demo-esihenkilo", "unit_manager"), ("demo-johto", "leadership"),
        ("demo-sihteeri", "secretary"), ("demo-tarkastaja", "auditor")]
    user, _, scope, password = rows[0][:4]
    county, unit = scope.split(".")
    _, busiest = query.run(store, "select county, unit from knowledge_items where unit is not null "
                                  "group by all order by count(*) desc, unit limit 1")
    assert busiest == [(county, unit)]
    assert password not in output  # the summary names the file, not the secrets

    def csrf(page: httpx.Response) -> str:
        token = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert token, page.text[:300]
        return token.group(1)

    env = dict(os.environ, KOKEMUSVIRTA_HOME=str(home))
    with httpx.Client(base_url=base, timeout=30) as client:
        r = client.post("/kirjaudu", data={"kayttaja": user, "salasana": password,
                                           "csrf": csrf(client.get("/kirjaudu"))})
        assert r.status_code == 303, r.text[:300]
        code = subprocess.run([sys.executable, "-m", "kokemusvirta", "users", "code", user],
                              env=env, capture_output=True, text=True, timeout=60)
        assert code.returncode == 0 and re.fullmatch(r"\d{6}\n", code.stdout), code.stderr
        r = client.post("/kirjaudu/tunnistus", data={
            "koodi": code.stdout.strip(), "csrf": csrf(client.get("/kirjaudu/tunnistus"))})
        assert r.status_code == 303, r.text[:300]
        inbox = client.get("/saapuneet")
    assert inbox.status_code == 200 and scope in inbox.text
    assert len(set(re.findall(r'href="/asia/(fb-[0-9a-f]{16})"', inbox.text))) > 0
