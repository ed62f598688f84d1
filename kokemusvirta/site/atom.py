"""An Atom 1.0 feed (RFC 4287) of a unit's "you said, we did" pairs in one language; pure.

Ids are URNs derived from the public reference and the language, so an entry keeps its id
across builds and a reader's feed client does not show it twice; `updated` is the entry's last
change (its decision, or its return when later), never the build time, so an unchanged site
gives the same bytes. Only an empty feed takes the build time (Atom requires `updated`).
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Fixed namespace of the site's URN ids (uuid5): the same name gives the same id everywhere.
NAMESPACE = uuid.UUID("6f1d2a3e-8c4b-5e7f-9a0b-1c2d3e4f5a6b")


@dataclass(frozen=True)
class Entry:
    key: str  # stable: the pair's public reference
    title: str
    text: str  # plain text; escaped by the XML writer
    updated: datetime
    published: datetime
    link: str  # the entry on the unit page


def urn(name: str) -> str:
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, name)}"


def _when(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        element.text = text
    return element


def feed(*, key: str, lang: str, title: str, author: str, page: str, self_href: str,
         entries: Sequence[Entry], built_at: datetime) -> bytes:
    """The feed document, UTF-8 with its XML declaration. `key` names the feed (county/unit);
    `page` and `self_href` are its HTML page and its own address (relative or absolute)."""
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed", {XML_LANG: lang})
    _add(root, "id", urn(f"feed/{key}/{lang}"))
    _add(root, "title", title, type="text")
    newest = max((e.updated for e in entries), default=built_at)
    _add(root, "updated", _when(newest))
    _add(_add(root, "author"), "name", author)
    _add(root, "link", rel="alternate", type="text/html", href=page)
    _add(root, "link", rel="self", type="application/atom+xml", href=self_href)
    for e in sorted(entries, key=lambda e: (e.updated, e.key), reverse=True):
        entry = _add(root, "entry")
        _add(entry, "id", urn(f"entry/{e.key}/{lang}"))
        _add(entry, "title", e.title, type="text")
        _add(entry, "published", _when(e.published))
        _add(entry, "updated", _when(e.updated))
        _add(entry, "link", rel="alternate", type="text/html", href=e.link)
        _add(entry, "content", e.text, type="text")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
