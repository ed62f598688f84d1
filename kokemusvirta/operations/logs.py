"""One log format for every process: the worker (whose Faust sets up logging its own way), the
sink and the commands. Plain by default, one line a record:

    2026-12-05 06:15:06,123 INFO kokemusvirta.sink: sink writing /…/kokemusvirta.duckdb

or with KOKEMUSVIRTA_LOG_FORMAT=json one JSON object a line, for a log shipper:

    {"time": "2026-12-05T06:15:06.123Z", "level": "INFO", "logger": "kokemusvirta.sink",
     "message": "…", "topic": "kv.intake", "partition": 0, "offset": 17}

The extra fields are those the call gave (`log.info(…, extra={"topic": …})`); never a record's
payload, which the callers keep out of their messages already.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any, Literal

LogFormat = Literal["plain", "json"]
PLAIN = "%(asctime)s %(levelname)s %(name)s: %(message)s"

# The attributes every LogRecord has; anything else on a record came from `extra=`.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC, ISO 8601), level, logger, message, the extra fields,
    and `exception` (the traceback as text) when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_") and key not in out:
                out[key] = value if isinstance(value, (str, int, float, bool, type(None))) \
                    else str(value)
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            out["exception"] = record.exc_text
        if record.stack_info:
            out["stack"] = self.formatStack(record.stack_info)
        return json.dumps(out, ensure_ascii=False)


def formatter(kind: LogFormat) -> logging.Formatter:
    return JsonFormatter() if kind == "json" else logging.Formatter(PLAIN)


def handler(kind: LogFormat) -> logging.Handler:
    """To stderr, where the processes' logs have always gone."""
    h = logging.StreamHandler(sys.stderr)
    h.setFormatter(formatter(kind))
    return h


def setup(level: str | int, kind: LogFormat) -> None:
    """The root logger's one handler, for the sink and the commands (replaces basicConfig)."""
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler(kind))
    root.setLevel(level)
    quiet_noise()


def quiet_noise() -> None:
    # kafka-python's event-loop timing warnings are noise for a person at a terminal.
    logging.getLogger("kafka").setLevel(logging.ERROR)


def faust_logging_config(level: str | int, kind: LogFormat) -> dict[str, Any]:
    """For faust.Worker(logging_config=…): mode would otherwise put its own coloured handler on
    the root logger. Loggers made before (kokemusvirta.worker at import) stay enabled."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"kokemusvirta": {"()": formatter, "kind": kind}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr",
                                "formatter": "kokemusvirta"}},
        "root": {"level": logging.getLevelName(level) if isinstance(level, int) else
                 level.upper(), "handlers": ["stderr"]},
        "loggers": {"kafka": {"level": "ERROR"}},
    }
