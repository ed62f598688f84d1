"""`kokemusvirta demo`: the whole flow on the local broker and a local DuckDB store."""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from kokemusvirta import kafka as kv_kafka
from kokemusvirta.acting import ProducerFor, publish_requests
from kokemusvirta.demo_workplace import DemoWorkplace, start_workplace, wait_for_workplace
from kokemusvirta.demo_workplace import summary_lines as workplace_lines
from kokemusvirta.intake.demo_intake import DemoIntake, api_sender
from kokemusvirta.keystore import privacy_from_settings
from kokemusvirta.notify.demo_delivery import deliver_answers, delivery_line
from kokemusvirta.notify.staff_round import summary_line as staff_summary_line
from kokemusvirta.organisations import organisations
from kokemusvirta.processes import Child, Progress, start_child, wait_until_caught_up
from kokemusvirta.settings import Settings
from managers import signals
from scenario import activity, generate
from schemas.envelope import utc_now
from sinks import reader as query
from sinks.store import snapshot_path

Say = Callable[[str], None]
API_FEEDBACK = 200  # the scenario's first feedback events that come in through the intake API

EXAMPLE_QUERIES = (
    "select county, unit, count(*) as items from knowledge_items group by all order by all",
    "select severity, count(*) from knowledge_items group by all order by count(*) desc",
    "select reason, count(*) from dead_letters group by all",
    "select item_id, unnest(routed_topics) as topic from knowledge_items "
    "where immediate_attention limit 10",
)


@dataclass
class DemoResult:
    published: int
    expected_dead_letters: int
    seconds: float
    bootstrap: str
    dashboard: str | None = None          # the dashboard server's address
    dashboard_file: Path | None = None    # the self-contained kojelauta.html
    mailbox: Path | None = None           # the Maildir the answers to clients went to
    site: Path | None = None              # the public "you said, we did" site
    workplace: DemoWorkplace | None = None  # the staff's workplace and the demo accounts


def publish_scenario(settings: Settings, bootstrap: str, seed: int, events: int | None,
                     say: Say, rate: float | None = None,
                     gateway: bool = True,
                     through_api: Callable[[bytes, object], bool] | None = None
                     ) -> tuple[int, int]:
    """Publish the scenario as fast as possible or, with `rate`, at that many events a second.

    `gateway`: like `kokemusvirta publish`, pseudonymise client ids and seal contacts before
    they reach the intake topic (the benchmark measures the flow without this step).
    `through_api(value, expected_rejection)`: True when it posted the record through the
    intake API (which seals it itself), False to leave it to the producer here."""
    producer = kv_kafka.producer(settings, bootstrap)
    published = bad = 0
    started = time.monotonic()
    seal = privacy_from_settings(settings).seal_intake_record if gateway else None
    try:
        for record in generate(seed, events=events):
            if through_api is not None and through_api(record.value, record.expected_rejection):
                published += 1
                continue
            value = record.value
            if seal is not None and record.expected_rejection is None:
                value = seal(value)
            producer.send(settings.topics.intake, key=record.key, value=value)
            published += 1
            bad += record.expected_rejection is not None
            if rate is not None and published % 50 == 0:
                ahead = published / rate - (time.monotonic() - started)
                if ahead > 0:
                    time.sleep(ahead)
            if published % 2000 == 0:
                say(f"  julkaistu (published) {published} events…")
        producer.flush()
    finally:
        producer.close()
    return published, bad


def act(settings: Settings, bootstrap: str, children: list[Child], waves: list[list[
        activity.PlannedRequest]], say: Say, producer_for: ProducerFor | None = None) -> int:
    """People's requests, each on its requester's request topic, one wave at a time: an
    item's next step only once the worker has judged the one before (across topics, records
    reach the worker in no fixed order)."""
    sent = 0
    for wave in waves:
        sent += publish_requests(settings, bootstrap, wave, producer_for)
        wait_until_caught_up(settings, bootstrap, children, timeout=600,
                             on_progress=show_progress(say))
    return sent


def publish_signals(settings: Settings, bootstrap: str, say: Say) -> int:
    """Detect the weekly signals of every complete week the store's feedback spans."""
    (first, last), = query.run(settings.store, "select min(received_at), max(received_at) "
                               "from knowledge_items where source_family = 'feedback'")[1]
    if first is None:
        return 0
    now = utc_now()
    week_start = first - timedelta(days=first.weekday())
    producer = kv_kafka.producer(settings, bootstrap)
    found = 0
    try:
        while week_start <= last:
            week = signals.week_of(week_start)
            if signals.week_bounds(week)[1] <= now:
                for signal in signals.detect(signals.rows_for_week(settings.store, week), week,
                                             settings.signal_threshold, now):
                    producer.send(settings.topics.intake, key=signal.kafka_key(),
                                  value=signal.to_json_bytes())
                    found += 1
            week_start += timedelta(days=7)
        producer.flush()
    finally:
        producer.close()
    return found


def show_progress(say: Say) -> Callable[[Progress], None]:
    last = [0.0]

    def report(p: Progress) -> None:
        now = time.monotonic()
        if now - last[0] >= 2 or p.caught_up:
            last[0] = now
            say(f"  worker {p.worker_done}/{p.worker_total} intake records and requests, "
                f"sink {p.sink_done}/{p.sink_total} records stored")
    return report


def run_demo(settings: Settings, seed: int, keep_running: bool, say: Say,
             producer_for: ProducerFor | None = None) -> DemoResult:
    """`producer_for`: each requester's producer (default: the settings' own credentials)."""
    started = time.monotonic()
    organisations(settings)  # a bad registry file is said before anything starts
    say("1/7 Kafka broker")
    bootstrap = kv_kafka.bootstrap_servers(settings, start_local=True,
                                           on_progress=lambda m: say(f"  {m}"))
    say(f"  listening on {bootstrap}")
    say("2/7 topics")
    created = kv_kafka.ensure_topics(settings, bootstrap)
    say(f"  created {', '.join(created)}" if created else "  intake, sources, lifecycle and "
        "dead-letter topics already exist")
    say("3/7 worker (Faust) and sink (DuckDB)")
    logs = settings.home / "logs"
    children: list[Child] = [start_child("worker", settings, bootstrap, logs),
                             start_child("sink", settings, bootstrap, logs)]
    try:
        say(f"  logs in {logs}")
        say(f"4/7 publishing the scenario (seed {seed}); the first {API_FEEDBACK} feedback "
            "events through the intake API (kokemusvirta intake serve), as an e-service would")
        intake = DemoIntake(settings, bootstrap, logs)
        try:
            published, bad = publish_scenario(settings, bootstrap, seed, None, say,
                                              through_api=api_sender(intake, API_FEEDBACK))
        finally:
            intake.close()
        say(f"  published {published} events ({intake.posted} through the intake API at "
            f"{intake.url}), {bad} of them malformed on purpose")
        say("5/7 waiting until the sink has caught up")
        wait_until_caught_up(settings, bootstrap, children, timeout=600,
                             on_progress=show_progress(say))
        say("6/7 managers, leadership and councils act (kuittaus, eskalointi, päätös, "
            "palautus)")
        waves = activity.waves(activity.items_in_store(settings.store), seed, utc_now())
        say(f"  publishing {sum(map(len, waves))} lifecycle requests, each on its requester's "
            f"request topic, in {len(waves)} waves; the worker judges each one")
        act(settings, bootstrap, children, waves, say, producer_for)
        say("7/7 weekly signals (viikkosignaalit) to leadership")
        found = publish_signals(settings, bootstrap, say)
        wait_until_caught_up(settings, bootstrap, children, timeout=600,
                             on_progress=show_progress(say))
        waves = activity.waves(activity.items_in_store(settings.store, "aggregate"), seed,
                               utc_now())
        acknowledged = act(settings, bootstrap, children, waves, say, producer_for)
        say(f"  {found} signals; leadership acknowledged {acknowledged} of them")
        say("  vastaukset asiakkaille (answers to clients): the notifier, a local mailbox")
        mailbox = deliver_answers(settings, lambda: wait_until_caught_up(
            settings, bootstrap, children, timeout=600, on_progress=lambda p: None), say)
    finally:
        if not keep_running:
            for child in children:
                child.stop()
    if keep_running:
        say("  worker and sink keep running: pids "
            + ", ".join(f"{c.name} {c.process.pid}" for c in children)
            + " (stop them with `kill PID`)")
    site = publish_public_site(settings, say)
    workplace = start_workplace(settings, say)  # it starts while the dashboards are built
    dashboard, dashboard_file = start_dashboard(settings, say)
    workplace = wait_for_workplace(settings, workplace, say)
    return DemoResult(published, bad, time.monotonic() - started, bootstrap, dashboard,
                      dashboard_file, mailbox, site, workplace)


def publish_public_site(settings: Settings, say: Say) -> Path:
    """"You said, we did": the public site of every county, as `kokemusvirta publish-site`."""
    from kokemusvirta.site.publish import publish_site

    out = settings.home / "site"
    registry = organisations(settings)
    done = publish_site(settings.store, registry, out, [c.code for c in registry.counties],
                        None, utc_now())
    say(f"  sanoitte, teimme (you said, we did): {done.pairs} decisions on {done.units} units' "
        f"pages, with Atom feeds and open data, in {out}")
    return out


def command_name() -> str:
    """How the user can call this command from where they are: `kokemusvirta` when it is on
    the PATH, otherwise the path of the one in the virtual environment."""
    installed = Path(sys.executable).parent / "kokemusvirta"
    on_path = shutil.which("kokemusvirta")
    if on_path and Path(on_path).resolve() == installed.resolve():
        return "kokemusvirta"
    try:
        return str(installed.relative_to(Path.cwd()))
    except ValueError:
        return str(installed)


def summary(settings: Settings, result: DemoResult) -> str:
    store = settings.store

    def rows(sql: str) -> list[tuple[object, ...]]:
        return query.run(store, sql)[1]

    (events, items, dead, intake), = rows(
        "select (select count(*) from events), (select count(*) from knowledge_items), "
        "(select count(*) from dead_letters), "
        "(select count(*) from events where event_type in "
        "('feedback.submitted','workshop.output_recorded','expert_statement.issued'))"
    )
    per_unit = query.run(store, """
        select county, coalesce(unit, '(' || service_area || ')') as unit, count(*) as items,
               count(*) filter (where severity in ('high','critical')) as high_or_critical
        from knowledge_items group by all order by county, items desc""")
    reasons = query.run(store, "select reason, count(*) as n from dead_letters "
                               "group by all order by n desc")
    funnel = query.run(store, """
        select count(*) as "vastaanotettu (received)",
               count(acknowledged_at) as "kuitattu (acknowledged)",
               count(reached_leadership_at) as "johdossa (reached leadership)",
               count(reached_decision_makers_at) as "päättäjillä (decision-makers)",
               count(decided_at) as "päätetty (decided)",
               count(returned_at) as "palautettu (returned)",
               count(closed_at) as "suljettu (closed)"
        from item_milestones""")
    overdue = query.run(store, "select deadline, count(*) as items, "
                               "max(working_days_overdue) as most_working_days_late "
                               "from overdue_items group by all order by items desc")
    example = rows("select item_id from knowledge_items where status = 'closed' "
                   "and escalated_at is not null order by item_id limit 1") \
        or rows("select item_id from knowledge_items order by item_id limit 1")
    lines = [
        "",
        f"Kokemusvirta demo valmis (done) in {result.seconds:.0f} s.",
        f"  published this run:     {result.published} events "
        f"({result.expected_dead_letters} malformed on purpose)",
        f"  source events in store: {intake}   (a second run publishes the same events again: "
        "replays are idempotent)",
        f"  all events in store:    {events}   knowledge items: {items}   dead letters: {dead}",
        "  (a malformed record has no id to recognise it by: each one received is a dead letter)",
        f"  Sink rejections: {rows('select count(*) from sink_rejections')[0][0]}",
        "",
        "Knowledge items per unit (yksikkö):",
        query.as_table(*per_unit),
        "",
        "Dead letters by reason:",
        query.as_table(*reasons),
        "",
        "Flow of clients' knowledge (view item_milestones; weekly signals not counted):",
        query.as_table(*funnel),
        "",
        "Overdue now (view overdue_items, Finnish working days):",
        query.as_table(*overdue),
        "",
        *([f"Answers to clients (view returned_vs_delivered): {delivery_line(store)}",
           f"Staff (table staff_notifications): {staff_summary_line(store)}",
           f"  the demo's mailbox (Maildir): {result.mailbox}", ""] if result.mailbox else []),
        *([f"You said, we did (the public site, `kokemusvirta publish-site`): "
           f"{result.site / 'index.html'}", ""] if result.site else []),
        f"Store (the sink's):          {store}",
        f"Snapshot (what you query):   {snapshot_path(store)}",
        f"Broker:                      {result.bootstrap} (it keeps running; stop it with "
        "`kokemusvirta broker stop`)",
        "",
        "Try:",
        *[f'  {command_name()} query "{q}"' for q in EXAMPLE_QUERIES],
        f"  {command_name()} trace {example[0][0]}      # one item's whole path" if example
        else "",
        f"  {command_name()} verify                          # every item's hash chain",
        f"  {command_name()} inbox --unit lappi.rovaniemen-terveysasema",
        "  The question 'what share of feedback about waiting times in Lapland reached "
        "leadership this quarter, and how much came back, how fast?' is one query: "
        "docs/data-dictionary.md.",
    ]
    if result.workplace is not None:
        lines += ["", *workplace_lines(result.workplace, command_name())]
    if result.dashboard:
        lines += [
            "",
            f"Kojelauta tiedostona (the dashboards in one file): {result.dashboard_file}",
            f"  stop the server with `{command_name()} dashboard stop`",
            f"Kojelauta (dashboard): {result.dashboard}",
        ]
    return "\n".join(lines)


def start_dashboard(settings: Settings, say: Say) -> tuple[str, Path]:
    """The dashboards over the demo's store: one self-contained file, and a server left running
    in the background (like the broker) that follows the store's snapshots."""
    from dashboards.build import build
    from dashboards.filters import Filters
    from kokemusvirta import dashboard_daemon as daemon

    say("Kojelauta (dashboard): kojelauta.html and the server")
    out = settings.home / "kojelauta.html"
    con = query.open_read_only(settings.store)
    try:
        out.write_text(build(con, Filters(), utc_now(), organisations(settings)),
                       encoding="utf-8")
    finally:
        con.close()
    url, pid = daemon.start_background(
        settings.home, settings.store, settings.home / "logs" / "dashboard.log",
        env={**os.environ, "KOKEMUSVIRTA_ORGANISATIONS": str(settings.organisations_file)})
    say(f"  serving {url} (pid {pid}; log {settings.home / 'logs' / 'dashboard.log'})")
    return url, out
