"""One log format: plain lines, or one JSON object a line with the extra fields
(kokemusvirta/operations/logs.py)."""

from __future__ import annotations

import json
import logging
import sys

from kokemusvirta.operations.logs import PLAIN, JsonFormatter, faust_logging_config, formatter


def _record(msg: str, *args: object, **extra: object) -> logging.LogRecord:
    record = logging.LogRecord("kokemusvirta.worker", logging.INFO, __file__, 1, msg, args, None)
    record.__dict__.update(extra)
    return record


def test_a_json_line_has_time_level_logger_message_and_the_extra_fields() -> None:
    line = JsonFormatter().format(_record("dead letter from %s[%d]@%d: %s", "kv.intake", 1, 17,
                                          "schema_violation", topic="kv.intake", partition=1,
                                          offset=17, reason="schema_violation"))
    assert "\n" not in line
    out = json.loads(line)
    assert out["level"] == "INFO" and out["logger"] == "kokemusvirta.worker"
    assert out["message"] == "dead letter from kv.intake[1]@17: schema_violation"
    assert out["topic"] == "kv.intake" and out["partition"] == 1 and out["offset"] == 17
    assert out["time"].endswith("Z") and out["time"][:2] == "20"
    assert "args" not in out and "msg" not in out  # the record's own attributes are not fields


def test_a_json_line_carries_the_exception_as_text() -> None:
    try:
        raise ValueError("bad")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", None,
                                   sys.exc_info())
    out = json.loads(JsonFormatter().format(record))
    assert "ValueError: bad" in out["exception"]


def test_plain_is_one_line_with_the_logger_name() -> None:
    text = formatter("plain").format(_record("sink writing %s", "/tmp/x"))
    assert text.endswith(" INFO kokemusvirta.worker: sink writing /tmp/x")
    assert formatter("plain")._fmt == PLAIN  # type: ignore[attr-defined]


def test_faust_gets_the_same_formatter_and_keeps_our_loggers() -> None:
    config = faust_logging_config("INFO", "json")
    assert config["disable_existing_loggers"] is False  # kokemusvirta.worker exists already
    made = config["formatters"]["kokemusvirta"]
    assert isinstance(made["()"](kind=made["kind"]), JsonFormatter)
    assert config["root"]["level"] == "INFO"
