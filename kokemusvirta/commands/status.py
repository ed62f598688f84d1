"""Operators' command: status, the pipeline's health on one screen.

Asks the broker where the topics end and how far the worker's group and the sink's store have
got (lag), the live worker and sink for their /healthz (found through the state files they write
in $KOKEMUSVIRTA_HOME/run/), and the store's published snapshot for dead letters, rejections and
the last commit. The verdict and the screen are kokemusvirta/operations/status_view.py.

Exit status: 0 healthy; 1 something unhealthy (said in one line each); 2 neither the worker nor
the sink runs here, so there is nothing to judge.
"""

from __future__ import annotations

import argparse
import json
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from typing import Any

from kokemusvirta.operations.status_view import ROLES, lag_summary, render, verdict
from kokemusvirta.settings import Settings
from kokemusvirta.terminal import printable

HEALTH_TIMEOUT_S = 2.0
BROKER_TIMEOUT_MS = 5_000


def register(sub: argparse._SubParsersAction, fmt: type[argparse.HelpFormatter]) -> None:
    s = sub.add_parser("status", help="show the pipeline's health and lag on one screen",
                       description="Is the broker reachable, are the worker and the sink "
                       "alive (their /healthz), how far behind are they (lag per topic and "
                       "the worst partitions), how many dead letters and sink rejections so "
                       "far, how old is the snapshot, when was the last commit. Exit status 0 "
                       "healthy, 1 something unhealthy, 2 nothing running here.",
                       formatter_class=fmt)
    s.add_argument("--json", action="store_true", help="the report as JSON")
    s.set_defaults(func=cmd_status)


def cmd_status(args: argparse.Namespace, settings: Settings) -> int:
    report = gather(settings)
    code, problems = verdict(report)
    if args.json:
        print(json.dumps({**report, "exit": code, "problems": problems}, indent=1,
                         ensure_ascii=False), flush=True)
    else:
        print(printable(render(report)), flush=True)
    return code


def gather(settings: Settings) -> dict[str, Any]:
    report: dict[str, Any] = {"checked_at": datetime.now(UTC).isoformat(timespec="seconds")}
    from kokemusvirta.operations.server import read_states  # prometheus: not every command's

    report["processes"] = {role: [_process(s) for s in read_states(settings.home, role)]
                           for role in ROLES}
    report["broker"], report["lag"] = _broker_and_lag(settings)
    report.update(_store(settings))
    live_commits = [p["health"].get("last_commit_at") for p in report["processes"]["sink"]
                    if p.get("health")]
    if live_commits and isinstance(live_commits[0], (int, float)):
        report["last_commit_at"] = datetime.fromtimestamp(live_commits[0], UTC).isoformat(
            timespec="seconds")
    return report


def _process(state: dict[str, Any]) -> dict[str, Any]:
    out = {"pid": state["pid"], "url": state["url"], "state": "not_answering", "health": None}
    try:
        with urllib.request.urlopen(f"{state['url']}/healthz",
                                    timeout=HEALTH_TIMEOUT_S) as answer:
            out.update(state="ok", health=json.loads(answer.read()))
    except urllib.error.HTTPError as exc:  # 503: answering, but its loop has stalled
        try:
            body = json.loads(exc.read())
        except ValueError:
            body = None
        out.update(state="stalled" if exc.code == 503 else "not_answering", health=body)
    except (OSError, ValueError):
        pass
    return out


def _broker_and_lag(settings: Settings) -> tuple[dict[str, Any], dict[str, Any] | None]:
    from kafka import KafkaConsumer

    from kokemusvirta import kafka as kv_kafka
    from kokemusvirta.processes import sink_status

    try:
        bootstrap = kv_kafka.bootstrap_servers(settings, start_local=False)
    except kv_kafka.NoBroker:
        return {"reachable": False, "bootstrap": None,
                "problem": "KAFKA_BOOTSTRAP_SERVERS ei ole asetettu eikä paikallinen välittäjä "
                "ole käynnissä (not set, and the local broker is not running)"}, None
    reader = admin = None
    try:
        reader = KafkaConsumer(enable_auto_commit=False, bootstrap_timeout_ms=BROKER_TIMEOUT_MS,
                               request_timeout_ms=BROKER_TIMEOUT_MS + 1_000,
                               **settings.kafka_python_config(bootstrap))
        admin = kv_kafka.admin(settings, bootstrap)
        t = settings.topics
        inputs = t.worker_inputs_pattern
        worker_done = kv_kafka.group_offsets(admin, settings.worker_group)
        worker_lag = {tp: max(0, end - worker_done.get(tp, 0))
                      for tp, end in kv_kafka.end_offsets(reader, inputs).items()}
        stored = sink_status(settings).get("offsets", {})
        sink_lag = {}
        for (topic, partition), end in kv_kafka.end_offsets(reader, t.sink_pattern).items():
            last = stored.get(topic, {}).get(str(partition)) if isinstance(stored, dict) else None
            sink_lag[(topic, partition)] = max(0, end - (last + 1 if isinstance(last, int)
                                                         else 0))
    except Exception as exc:  # noqa: BLE001 - any client error means: not reachable
        said = " ".join(str(exc).split())[:200]
        return {"reachable": False, "bootstrap": bootstrap,
                "problem": f"{type(exc).__name__}" + (f": {said}" if said else "")}, None
    finally:
        for client in (reader, admin):
            if client is not None:
                client.close()
    return ({"reachable": True, "bootstrap": bootstrap, "problem": None},
            {"worker": lag_summary(worker_lag), "sink": lag_summary(sink_lag)})


def _store(settings: Settings) -> dict[str, Any]:
    """Dead letters and rejections by reason, the last commit and the snapshot's age, from the
    snapshot the sink publishes (never the store itself, which the sink holds)."""
    from kokemusvirta.processes import sink_status
    from sinks.reader import run as query
    from sinks.store import snapshot_path

    out: dict[str, Any] = {"dead_letters": None, "sink_rejections": None,
                           "snapshot_age_s": None, "last_commit_at": None}
    snapshot = snapshot_path(settings.store)
    if snapshot.exists():
        out["snapshot_age_s"] = round(max(0.0, time.time() - snapshot.stat().st_mtime), 1)
    published = sink_status(settings).get("published_at")
    if isinstance(published, str):
        try:
            age = (datetime.now(UTC) - datetime.fromisoformat(published)).total_seconds()
            out["snapshot_age_s"] = round(max(0.0, age), 1)
        except ValueError:
            pass
    if not snapshot.exists():
        return out  # the store without a snapshot is the sink's: never opened beside it
    try:
        for key, table in (("dead_letters", "dead_letters"),
                           ("sink_rejections", "sink_rejections")):
            _, rows = query(settings.store, f"SELECT reason, count(*) FROM {table} GROUP BY 1")
            by_reason = {str(r): int(n) for r, n in rows}
            out[key] = {"total": sum(by_reason.values()), "by_reason": by_reason}
        _, rows = query(settings.store, "SELECT max(updated_at) FROM sink_offsets")
        if rows and rows[0][0] is not None:
            out["last_commit_at"] = rows[0][0].astimezone(UTC).isoformat(timespec="seconds")
    except Exception:  # noqa: BLE001 - an unreadable snapshot: the figures stay unknown
        pass
    return out
