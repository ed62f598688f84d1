"""`kokemusvirta postgres start|stop|status|url`: the local PostgreSQL server
(kokemusvirta/postgres) for DuckLake's PostgreSQL catalog, like `kokemusvirta broker` for Kafka.

`url` prints the DuckLake catalog string, which names the cluster's libpq password file rather
than carrying the password, so it can go into a setting or a log.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from kokemusvirta.settings import Settings


def cmd_postgres(args: argparse.Namespace, settings: Settings) -> int:
    from kokemusvirta.postgres import LocalPostgres, PostgresError

    server = LocalPostgres(settings.home / "postgres")
    try:
        if args.action == "start":
            port = server.start()
            print(f"PostgreSQL käynnissä (running) on 127.0.0.1:{port} (cluster and log under "
                  f"{server.home}); catalog: `kokemusvirta postgres url`", flush=True)
        elif args.action == "stop":
            print("pysäytetty (stopped)" if server.stop() else "ei ollut käynnissä (was not "
                  "running)", flush=True)
        elif args.action == "url":
            print(server.catalog(), flush=True)
        else:
            status = server.status()
            if args.json:
                print(json.dumps(status, indent=1), flush=True)
            elif status["running"]:
                print(f"käynnissä (running): 127.0.0.1:{status['port']} (pid {status['pid']}, "
                      f"PostgreSQL {status['version']}, run by {status['account']}); data "
                      f"{status['data_dir']}, log {status['log_file']}", flush=True)
            if not status["running"]:
                if not args.json:
                    print(f"ei käynnissä (not running; home {status['home']}); start it with "
                          "`kokemusvirta postgres start`", flush=True)
                return 3
    except PostgresError as exc:
        print(f"kokemusvirta: {exc}", file=sys.stderr, flush=True)
        return 2
    return 0


def register(sub: Any, fmt: type[argparse.HelpFormatter]) -> None:
    p = sub.add_parser(
        "postgres", help="start, stop or show the local PostgreSQL server (the lake's catalog)",
        description="A PostgreSQL server from Debian's packages (apt-get install postgresql), "
        "run from a cluster of our own under $KOKEMUSVIRTA_HOME/postgres on 127.0.0.1 with a "
        "free port and scram-sha-256 passwords; as root it runs as the system user "
        "kokemusvirta-pg. It holds DuckLake's catalog when the lake outgrows one machine "
        "(docs/postgres.md). `url` prints the catalog string for KOKEMUSVIRTA_LAKE; it names "
        "the password file (pgpass, 0600) instead of carrying the password. `status` exits 3 "
        "when the server is not running.", formatter_class=fmt)
    p.add_argument("action", choices=["start", "stop", "status", "url"])
    p.add_argument("--json", action="store_true", help="status as JSON")
    p.set_defaults(func=cmd_postgres)
