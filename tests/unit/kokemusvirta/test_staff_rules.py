"""The county's rules for telling staff (kokemusvirta/notify/staff_rules.py): the default file
is the documented defaults, a county's file overrides what it names, and a file that is not
rules is one line naming the file, the line and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from kokemusvirta.notify.staff_rules import (
    DEFAULT_RULES,
    RulesFileError,
    RulesProblem,
    StaffRules,
    load_rules,
    parse_rules,
)
from kokemusvirta.settings import Settings


def test_the_default_file_holds_the_defaults_and_names_every_key() -> None:
    assert load_rules(None) == StaffRules()
    text = DEFAULT_RULES.read_text(encoding="utf-8")
    for key in StaffRules.__dataclass_fields__:
        assert f"\n{key}:" in text, f"{key} is not explained in staff_rules.yaml"


def test_a_countys_file_overrides_what_it_names(tmp_path: Path) -> None:
    path = tmp_path / "lappi.yaml"
    path.write_text("remind_before_reply_working_days: null\ndigest_hour: 7\n"
                    "critical_to_leadership: false\nescalate_after_working_days: 2\n"
                    "backlog_days: null\n",
                    encoding="utf-8")
    rules = load_rules(path)
    assert rules == StaffRules(remind_before_reply_working_days=None, digest_hour=7,
                               critical_to_leadership=False, escalate_after_working_days=2,
                               backlog_days=None)
    assert parse_rules("") == StaffRules()  # an empty file: the defaults


def test_settings_name_the_rules_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KOKEMUSVIRTA_NOTIFY_RULES", str(tmp_path / "r.yaml"))
    assert Settings().notify_rules_path == tmp_path / "r.yaml"


BAD = [
    ("digest_hour: 24\n", "line 1: digest_hour: 24 is not an hour from 0 to 23"),
    ("digest_hour: 8\nremind_before_acknowledge_working_days: -1\n",
     "line 2: remind_before_acknowledge_working_days: -1 is not working days"),
    ("escalate_after_working_days: null\n", "escalate_after_working_days: expected a whole "
     "number"),
    ("remind_before_reply_working_days: 1.5\n", "expected a whole number or null"),
    ("critical_to_leadership: kyllä\n", "critical_to_leadership: expected true or false"),
    ("digest_hour: true\n", "digest_hour: expected a whole number"),
    ("backlog_days: -3\n", "backlog_days: -3 is not days from 0 to 3660"),
    ("\n\nremind_before: 1\n", "line 3: remind_before: unknown key"),
    ("- digest_hour\n", "line 1: expected a mapping"),
    ("digest_hour: [\n", "not valid YAML"),
]


@pytest.mark.parametrize(("text", "problem"), BAD, ids=[f"bad-{i}" for i in range(len(BAD))])
def test_bad_rules_are_one_line_naming_line_and_key(text: str, problem: str) -> None:
    with pytest.raises(RulesProblem) as caught:
        parse_rules(text)
    assert problem in str(caught.value) and "\n" not in str(caught.value)


def test_a_bad_file_is_one_line_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text("digest_hour: 25\n", encoding="utf-8")
    with pytest.raises(RulesFileError) as caught:
        load_rules(path)
    said = str(caught.value)
    assert said.startswith("ilmoitussäännöt eivät kelpaa (bad notification rules) ")
    assert str(path) in said and "line 1: digest_hour" in said and "\n" not in said
    with pytest.raises(RulesFileError, match="no such file"):
        load_rules(tmp_path / "missing.yaml")
