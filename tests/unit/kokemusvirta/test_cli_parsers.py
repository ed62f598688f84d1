"""The command line's parsers: `--as` says the same everywhere, and a command's parser is built
without importing every other command's libraries."""

from __future__ import annotations

import argparse

import pytest

from kokemusvirta import cli
from kokemusvirta.commands import MODULES
from kokemusvirta.commands.lifecycle import ACTING_ROLES, LABELLER_ROLES
from streams.guard import LABELLERS

STEPS = ("ack", "escalate", "present", "decide", "return", "close")


def _commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    [sub] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(sub.choices)


def _as_choices(parser: argparse.ArgumentParser) -> list[str] | None:
    action = parser._option_string_actions.get("--as")
    return None if action is None else list(action.choices or [])


def test_every_command_offers_the_requesters_roles_in_one_order() -> None:
    """The issue saw `ack --as` offer three roles where the others offered four: the other
    step commands took every person's role (managers/requests.py HUMAN_ROLES then),
    participation coordinator included, who has no request topic. Since the desk acts for the
    caller (ff58727) each offers the requesters' roles (schemas/access.py RequesterRole), and
    those who label (confirm, relabel) the labellers among them, in the same order."""
    offered = {name: _as_choices(p) for name, p in _commands(cli.build_parser()).items()
               if _as_choices(p) is not None}
    assert ACTING_ROLES == ["unit_manager", "leadership", "decision_maker"]
    for name in (*STEPS, "digest"):
        assert offered.pop(name) == ACTING_ROLES, name
    for name in ("confirm", "relabel"):
        assert offered.pop(name) == ["unit_manager", "leadership"], name
    assert offered == {}  # a new command with --as belongs in one of the lists above


def test_the_labellers_are_the_guards() -> None:
    assert set(LABELLER_ROLES) == LABELLERS


@pytest.mark.parametrize(("argv", "command"), [
    (["inbox", "--unit", "a.b"], "inbox"),
    (["--log-level", "DEBUG", "--config", "c.properties", "--debug", "query", "x"], "query"),
    (["--help"], None),
    ([], None),
])
def test_the_command_is_the_first_word_that_is_no_option(argv: list[str],
                                                         command: str | None) -> None:
    assert cli._command_in(argv) == command


def test_a_command_loads_only_its_own_module() -> None:
    assert cli._modules_for("inbox", {"query": None}, MODULES) == ["kokemusvirta.commands.inbox"]
    assert cli._modules_for("query", {"query": None}, MODULES) == []  # defined in cli.py
    assert cli._modules_for("ack", {}, MODULES) == list(MODULES)  # in lifecycle: all
    assert cli._modules_for(None, {}, MODULES) == list(MODULES)


def test_a_parser_for_one_command_still_parses_it_and_a_typo_lists_all() -> None:
    own = _commands(cli.build_parser(["inbox", "--unit", "lappi.x"]))
    assert "inbox" in own and "digest" in own and "quality" not in own
    parsed = cli.build_parser(["inbox"]).parse_args(["inbox", "--unit", "lappi.x", "--wide"])
    assert (parsed.unit, parsed.wide, parsed.lang, parsed.width) == ("lappi.x", True, None, 100)
    assert set(_commands(cli.build_parser(["inbxo"]))) == set(_commands(cli.build_parser()))
    assert "ack" in _commands(cli.build_parser(["ack", "fb-1"]))
