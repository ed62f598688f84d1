"""Control characters out of stored free text, at intake (docs/design.md §4).

A client's text is shown on screens, printed by `trace` and `query`, and put into dashboards. A
control character in it can clear a terminal or set its title (escape sequences), hide or
reorder what a reader sees (bidirectional overrides), or cut a string short for a C library (NUL).
None of them carries meaning in feedback, so they are removed before the text is stored:

- whole terminal escape sequences (CSI such as ESC [2J, OSC such as ESC ]0;title BEL, and the
  other ESC-introduced ones), so no "[2J" is left behind;
- every other C0 and C1 control character and DEL, except newline and tab (carriage returns
  become newlines, so a text written on Windows keeps its lines);
- the bidirectional embeddings, overrides and isolates U+202A–U+202E and U+2066–U+2069
  (U+202E RIGHT-TO-LEFT OVERRIDE shows "txt.exe" as "exe.txt");
- lone surrogates, which are not characters and cannot be written as UTF-8.

The left-to-right and right-to-left marks (U+200E, U+200F) and zero-width joiners stay: Arabic,
Hebrew and emoji text needs them and they cannot reorder what a reader sees.

Pure and idempotent: `clean_text(clean_text(x)) == clean_text(x)`.
"""

from __future__ import annotations

import re

# Anything the cleaning would change; most texts have none, and are returned as they are.
_UNWANTED = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_TERMINAL_SEQUENCE = re.compile(
    "\x1b\\[[0-?]*[ -/]*[@-~]"  # CSI: cursor, colours, clearing the screen
    "|\x9b[0-?]*[ -/]*[@-~]"  # the same introduced by the C1 CSI character
    # OSC (window title, hyperlinks), DCS, SOS, PM, APC: a string up to BEL or ESC \. Bounded,
    # so an unterminated one cannot swallow the client's words after it (its ESC still goes).
    "|\x1b[\\]PX^_][^\x07\x1b]{0,256}(?:\x07|\x1b\\\\)"
    "|\x1b[ -/]*[0-~]"  # the rest: ESC, intermediates, one final character
)


def clean_text(text: str) -> str:
    """The text without control characters other than newline and tab (see the module doc)."""
    if not _UNWANTED.search(text):
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _TERMINAL_SEQUENCE.sub("", text)
    return _UNWANTED.sub("", text)
