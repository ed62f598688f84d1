"""Stored text on a terminal: control characters shown as escapes, never obeyed (pure)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kokemusvirta.commands.classify import read_jsonl
from kokemusvirta.terminal import file_problem, json_printable, printable, without_controls


@pytest.mark.parametrize("raw, shown", [
    ("\x1b]0;pwned\x07\x1b[2J", "\\x1b]0;pwned\\x07\\x1b[2J"),  # sets the title, clears
    ("abc\u202etxt.exe", "abc\\u202etxt.exe"),  # right-to-left override
    ("NUL\x00here", "NUL\\x00here"),
    ("piilo\rpäälle", "piilo\\x0dpäälle"),  # a carriage return overwrites the line
    ("\x7f\x85\x9b", "\\x7f\\x85\\x9b"),  # DEL, NEL, the one-byte CSI
    ("\u2028\u2029\u200e\u200f\u2066\u2069\u061c", "\\u2028\\u2029\\u200e\\u200f\\u2066"
                                                   "\\u2069\\u061c"),
    ("\ud800", "\\ud800"),  # a lone surrogate cannot even be written as UTF-8
])
def test_control_characters_are_shown_as_escapes(raw: str, shown: str) -> None:
    assert printable(raw) == shown


@pytest.mark.parametrize("text", [
    "Hyvä hoitaja, kiitos!\n\tToinen rivi.",
    "Åsa i Närpes: tack för hjälpen",
    "Mun lean hui duhtavaš bálvalussii, giitu! čđŋšŧž",
    "👍 👨‍👩‍👧 ❤️ 🇫🇮",  # the zero-width joiner and the variation selector are emoji
    "C:\\polku\\x1b ei ole ohjausmerkki",
    "",
])
def test_ordinary_text_stays_as_it_is(text: str) -> None:
    assert printable(text) == text
    assert without_controls(text) == text
    assert json_printable(json.dumps(text, ensure_ascii=False)) == json.dumps(
        text, ensure_ascii=False)


def _raw_control(ch: str) -> bool:
    return printable(ch) != ch


@given(st.text())
def test_nothing_raw_is_left_and_escaping_twice_changes_nothing(text: str) -> None:
    shown = printable(text)
    assert not any(_raw_control(ch) for ch in shown)
    assert printable(shown) == shown
    assert shown.count("\n") == text.count("\n") and shown.count("\t") == text.count("\t")
    assert not any(_raw_control(ch) for ch in without_controls(text))


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(),
                    lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(st.text(), inner, max_size=3), max_leaves=8))
def test_json_stays_the_same_value(value: object) -> None:
    for indent in (None, 1):
        dumped = json_printable(json.dumps(value, ensure_ascii=False, indent=indent))
        assert json.loads(dumped) == value
        assert printable(dumped) == dumped


def test_a_spreadsheet_gets_the_words_without_the_controls() -> None:
    assert without_controls("Hyvä \x1b[2Jjono\u202e\x00 👍\n") == "Hyvä [2Jjono 👍\n"


def test_a_file_problem_is_one_line_finnish_first() -> None:
    assert file_problem(FileNotFoundError(2, "No such file", "/x/ei-ole.jsonl")) == \
        "tiedostoa ei ole (no such file or directory): /x/ei-ole.jsonl"
    assert file_problem(PermissionError(13, "Permission denied"), "/root/x").startswith(
        "ei käyttöoikeutta (permission denied): /root/x")
    assert file_problem(IsADirectoryError(21, "Is a directory", "/tmp")).startswith(
        "hakemisto eikä tiedosto")
    assert "\n" not in file_problem(OSError(5, "I/O error", "a\nb\x1b"))


def test_a_line_that_is_not_utf8_is_a_bad_line() -> None:
    lines = [b"\xff\xfe\n", b'{"text": "Kiitos!"}\n', b"\n", b"{\"text\": 1}"]
    got = list(read_jsonl(lines))
    assert got[0][:2] == (1, None) and got[0][2].startswith("not UTF-8 (byte 0xff")
    assert got[1] == (2, {"text": "Kiitos!"}, "")
    assert got[2] == (4, None, "text is not a string")
