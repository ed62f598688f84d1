"""The county's rules for telling staff (kokemusvirta/notify/staff.py): when to remind, when
to escalate, when the daily digest goes and who hears of critical items. A YAML file,
KOKEMUSVIRTA_NOTIFY_RULES, staff_rules.yaml beside this module by default (it explains each
key). A file that is not such rules is one line naming the file, the line and the key
(RulesFileError; the CLI exits 2 on it), never a traceback, never rules guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import yaml

DEFAULT_RULES = Path(__file__).resolve().with_name("staff_rules.yaml")
MAX_DAYS = 60  # more working days than any deadline's (30 calendar days) is a typo


@dataclass(frozen=True)
class StaffRules:
    """staff_rules.yaml's keys; None: no reminder for that deadline."""

    remind_before_acknowledge_working_days: int | None = 1
    remind_before_reply_working_days: int | None = 3
    escalate_when_acknowledge_overdue: bool = True
    escalate_after_working_days: int = 0
    critical_to_leadership: bool = True
    digest_hour: int = 8
    digest_on_working_days_only: bool = True
    backlog_days: int | None = 45


KEYS = {f.name: f for f in fields(StaffRules)}
DAYS = {"remind_before_acknowledge_working_days", "remind_before_reply_working_days",
        "escalate_after_working_days"}
MAY_BE_NONE = {"remind_before_acknowledge_working_days", "remind_before_reply_working_days",
               "backlog_days"}
MAX_BACKLOG_DAYS = 3660
FLAGS = {"escalate_when_acknowledge_overdue", "critical_to_leadership",
         "digest_on_working_days_only"}


class RulesProblem(ValueError):
    """What is wrong in a rules text, and where (`line 4: digest_hour`)."""


class RulesFileError(Exception):
    """The rules file is missing, unreadable or not rules: one line says which."""


def parse_rules(text: str) -> StaffRules:
    """The rules of a staff_rules.yaml text; keys left out keep their defaults."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        raise RulesProblem(f"{where}not valid YAML ({getattr(exc, 'problem', None) or exc})"
                           ) from None
    if data is None:
        return StaffRules()
    if not isinstance(data, dict) or node is None:
        raise RulesProblem("line 1: expected a mapping of rules (key: value)")
    lines = {str(k.value): k.start_mark.line + 1 for k, _ in getattr(node, "value", [])
             if isinstance(k, yaml.ScalarNode)}
    values: dict[str, Any] = {}
    for key, value in data.items():
        where = f"line {lines.get(str(key), 1)}: {key}"
        if key not in KEYS:
            raise RulesProblem(f"{where}: unknown key (expected: {', '.join(KEYS)})")
        values[key] = _checked(key, value, where)
    return StaffRules(**values)


def _checked(key: str, value: Any, where: str) -> int | bool | None:
    if key in FLAGS:
        if not isinstance(value, bool):
            raise RulesProblem(f"{where}: expected true or false")
        return value
    if value is None and key in MAY_BE_NONE:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        hint = " or null (none)" if key in MAY_BE_NONE else ""
        raise RulesProblem(f"{where}: expected a whole number{hint}")
    low, high = {"digest_hour": (0, 23), "backlog_days": (0, MAX_BACKLOG_DAYS)}.get(
        key, (0, MAX_DAYS))
    if not low <= value <= high:
        unit = {"digest_hour": "an hour", "backlog_days": "days"}.get(key, "working days")
        raise RulesProblem(f"{where}: {value} is not {unit} from {low} to {high}")
    return value


def load_rules(path: Path | None) -> StaffRules:
    """The rules of this file (None: the default file)."""
    path = (path or DEFAULT_RULES).resolve()
    said = f"ilmoitussäännöt eivät kelpaa (bad notification rules) {path}"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RulesFileError(f"{said}: no such file (KOKEMUSVIRTA_NOTIFY_RULES)") from None
    except UnicodeDecodeError:
        raise RulesFileError(f"{said}: not UTF-8 text") from None
    except OSError as exc:
        raise RulesFileError(f"{said}: cannot read it ({exc.strerror})") from None
    try:
        return parse_rules(text)
    except RulesProblem as exc:
        raise RulesFileError(f"{said}: {exc}") from None
