"""What a command shows a person: stored text with its control characters made visible, never
obeyed, and one line for a file it cannot use.

Feedback is written by anyone. A text holding ESC sequences could clear the screen or set the
terminal's title, a right-to-left override (U+202E) could make "exe.txt" read as "txt.exe",
and NUL or a carriage return could hide what comes after them. Every command that prints
stored text passes it through `printable` (for JSON, `json_printable`; for a spreadsheet's
CSV, `without_controls`), so a person sees `\\x1b` or `\\u202e` instead of their effect.
Newline and tab stay as they are; Finnish and Swedish letters and emoji (zero-width joiner
included) are ordinary text and stay too.
"""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, C1 controls (0x9b is a one-byte CSI on some
# terminals), the bidirectional marks, embeddings, overrides and isolates, the line and
# paragraph separators (some terminals break lines on them), and lone surrogates (they cannot
# even be written as UTF-8).
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]"
)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def printable(text: str) -> str:
    """The text with each control character shown as a visible escape (`\\x1b`, `\\u202e`)."""
    return _CONTROL.sub(_escape, text)


def json_printable(dumped: str) -> str:
    """JSON text (json.dumps(..., ensure_ascii=False)) with the control characters JSON lets
    through raw (DEL, C1, bidirectional controls) written as \\uXXXX escapes: the same JSON
    value, harmless on a terminal. json.dumps already escapes the rest inside strings, so what
    is raw newline or tab here is the layout."""
    return _CONTROL.sub(_json_escape, dumped)


def without_controls(text: str) -> str:
    """The text without its control characters, for a spreadsheet: the words stay, the
    characters that have no place in a cell go (newline and tab stay)."""
    return _CONTROL.sub("", text)


def file_problem(exc: OSError, path: object = None) -> str:
    """One line for a file a command cannot read or write, Finnish first."""
    name = str(exc.filename if exc.filename is not None else path)
    # One line whatever the file is called: its newlines and tabs are shown as escapes too.
    where = printable(name).replace("\n", "\\n").replace("\t", "\\t")
    if isinstance(exc, FileNotFoundError):
        return f"tiedostoa ei ole (no such file or directory): {where}"
    if isinstance(exc, PermissionError):
        return f"ei käyttöoikeutta (permission denied): {where}"
    if isinstance(exc, IsADirectoryError):
        return f"hakemisto eikä tiedosto (is a directory, not a file): {where}"
    if isinstance(exc, NotADirectoryError):
        return f"polun osa ei ole hakemisto (not a directory): {where}"
    return f"tiedostoa ei voi käyttää (cannot use the file) {where}: {exc.strerror or exc}"
