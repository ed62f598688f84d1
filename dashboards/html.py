"""Small HTML helpers: escaping, echoing a reader's value in an error, unique ids. The pages'
panels and tables are Jinja2 templates (dashboards/templates/)."""

from __future__ import annotations

import itertools
from html import escape

_ids = itertools.count(1)


ECHO_LIMIT = 80  # characters of a reader's value that an error message repeats


def esc(text: object) -> str:
    return escape("" if text is None else str(text), quote=True)


def cut(value: object, limit: int = ECHO_LIMIT) -> str:
    """A value a reader sent, cut to `limit` characters for an error message: a 65 KB filter
    value is not sent back whole (escaping is the page's, esc)."""
    text = str(value)
    return text if len(text) <= limit else text[:limit] + "…"


def echo(value: object, limit: int = ECHO_LIMIT) -> str:
    """`cut`, quoted as Python quotes a string."""
    return repr(cut(value, limit))


def new_id(prefix: str) -> str:
    """An id unique within a process's output. The built file holds every page in three
    languages, so ids must not repeat across pages (axe: duplicate-id)."""
    return f"{prefix}-{next(_ids)}"
