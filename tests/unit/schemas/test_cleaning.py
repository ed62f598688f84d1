"""Control characters other than newline and tab never reach stored text."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from schemas.cleaning import clean_text


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Jono\x1b[2J\x1b[Holi pitkä", "Jonooli pitkä"),  # clear screen, cursor home
        ("a\x1b]0;hacked title\x07b", "ab"),  # OSC: sets the terminal's title
        ("a\x1b]8;;https://x.example\x1b\\linkki\x1b]8;;\x1b\\b", "alinkkib"),  # OSC hyperlink
        ("\x1b[31mpunainen\x1b[0m", "punainen"),
        ("\x9b31mC1\x85", "C1"),  # the C1 CSI and NEXT LINE
        ("liite\u202etxt.exe", "liitetxt.exe"),  # RIGHT-TO-LEFT OVERRIDE
        ("\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069x", "x"),
        ("NUL\x00 ja DEL\x7f ja BEL\x07", "NUL ja DEL ja BEL"),
        ("rivi 1\r\nrivi 2\rrivi 3", "rivi 1\nrivi 2\nrivi 3"),
        ("sarake\tja\nrivi", "sarake\tja\nrivi"),
        ("\u200fעברית\u200e ja 👍🏽 ja 👨‍👩‍👧", "\u200fעברית\u200e ja 👍🏽 ja 👨‍👩‍👧"),
        ("\ud800puolikas", "puolikas"),
        ("\x1b]0;" + "x" * 300, "0;" + "x" * 300),  # unterminated: only the ESC goes
    ],
)
def test_control_characters_go_newline_and_tab_stay(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


def test_clean_text_is_returned_as_it_is() -> None:
    text = "Kiitos hyvästä hoidosta!\nTerveisin asiakas"
    assert clean_text(text) is text


@given(st.text())
def test_cleaning_is_idempotent_and_leaves_no_control_character(text: str) -> None:
    once = clean_text(text)
    assert clean_text(once) == once
    assert not any(
        (ord(c) < 0x20 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F
        or 0x202A <= ord(c) <= 0x202E or 0x2066 <= ord(c) <= 0x2069
        or 0xD800 <= ord(c) <= 0xDFFF
        for c in once
    )
