"""The public site's pure builders: the Atom feed, the pages (escaping, languages), the open
data's CSV."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from typing import Any

from kokemusvirta.site import atom, opendata, pages
from managers import you_said as ys

A = "{http://www.w3.org/2005/Atom}"
BUILT = datetime(2026, 12, 1, tzinfo=UTC)


def _pair(said: str | None, rationale: str = "Lisäämme takaisinsoiton.", day: int = 9,
          ref: str = "yv-000000000001") -> ys.Pair:
    return ys.Pair(ref=ref, source_family="feedback", county="lappi", unit="u",
                   said=said, said_language="fi" if said else None, themes=("access",),
                   outcome="adopted", rationale=rationale, rationale_language="fi",
                   decision_ref=None, received_at=datetime(2026, 10, 1, tzinfo=UTC),
                   decided_at=datetime(2026, 10, day, 9, tzinfo=UTC), returned_at=None)


def _entry(key: str, day: int, text: str = "Sanoitte: x") -> atom.Entry:
    moment = datetime(2026, 10, day, tzinfo=UTC)
    return atom.Entry(key=key, title=f"t {key}", text=text, updated=moment, published=moment,
                      link=f"u.html#{key}")


def _feed(entries: list[atom.Entry]) -> bytes:
    return atom.feed(key="lappi/u", lang="sv", title="Ni sade, vi gjorde – U", author="Lappland",
                     page="u.html", self_href="u.atom", entries=entries, built_at=BUILT)


def test_the_feed_is_atom_with_the_required_elements_and_newest_first() -> None:
    root = ET.fromstring(_feed([_entry("a", 1), _entry("b", 5)]))
    assert root.tag == f"{A}feed"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "sv"
    assert root.findtext(f"{A}id", "").startswith("urn:uuid:")
    assert root.findtext(f"{A}updated") == "2026-10-05T00:00:00Z"  # the newest entry's
    assert root.findtext(f"{A}author/{A}name") == "Lappland"
    rels = {link.get("rel") for link in root.findall(f"{A}link")}
    assert rels == {"alternate", "self"}
    entries = root.findall(f"{A}entry")
    assert [e.findtext(f"{A}title") for e in entries] == ["t b", "t a"]
    for e in entries:
        for tag in ("id", "title", "updated", "published", "content", "link"):
            assert e.find(f"{A}{tag}") is not None


def test_entry_ids_are_stable_and_distinct_per_entry_and_language() -> None:
    one = ET.fromstring(_feed([_entry("a", 1)])).findtext(f"{A}entry/{A}id")
    again = ET.fromstring(_feed([_entry("a", 1), _entry("b", 2)])).findall(f"{A}entry")
    assert one == again[1].findtext(f"{A}id") != again[0].findtext(f"{A}id")
    assert atom.urn("entry/a/fi") != atom.urn("entry/a/sv")


def test_an_empty_feed_is_still_valid_and_takes_the_build_time() -> None:
    root = ET.fromstring(_feed([]))
    assert root.findtext(f"{A}updated") == "2026-12-01T00:00:00Z"
    assert root.findall(f"{A}entry") == []


def test_the_feed_escapes_text() -> None:
    raw = _feed([_entry("a", 1, text="<b>&</b> ]]>")])
    assert b"<b>" not in raw
    assert ET.fromstring(raw).findtext(f"{A}entry/{A}content") == "<b>&</b> ]]>"


def test_pages_escape_every_word_and_mark_other_languages() -> None:
    html = pages.unit_page(lang="sv", county="Lapplands välfärdsområde", area="Primärvård",
                           unit="Rovaniemi <hälsostation>",
                           pairs=[_pair("<script>alert(1)</script>")], other_href="../fi/u.html",
                           feed_href="u.atom", index_href="index.html", limit=5)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "Rovaniemi &lt;hälsostation&gt;" in html
    assert '<html lang="sv">' in html
    assert '<blockquote lang="fi">' in html and "(på finska)" in html
    assert '<p lang="fi">Lisäämme takaisinsoiton.</p>' in html
    assert 'href="../fi/u.html" lang="fi" hreflang="fi"' in html


def test_a_summarised_pair_shows_the_summary_and_why() -> None:
    html = pages.unit_page(lang="fi", county="Lapin hyvinvointialue", area="Perusterveydenhuolto",
                           unit="Rovaniemen terveysasema", pairs=[_pair(None)],
                           other_href="../sv/u.html", feed_href="u.atom",
                           index_href="index.html", limit=5)
    assert "Palaute aiheesta Saatavuus ja odottaminen" in html
    assert pages.LABELS["fi"]["summarised"] in html
    assert "(suomeksi)" not in html and 'lang="fi">' not in html.split("<body>")[1]


def test_pages_list_pairs_newest_first_with_headings_in_order() -> None:
    html = pages.unit_page(lang="fi", county="C", area="A", unit="U",
                           pairs=[_pair("vanha", day=1, ref="yv-old"),
                                  _pair("uusi", day=20, ref="yv-new")],
                           other_href="x", feed_href="u.atom", index_href="i", limit=5)
    assert html.index("uusi") < html.index("vanha")
    assert html.count("<h1>") == 1 and "<h2>Päätökset (2)</h2>" in html


def test_the_entry_text_says_said_then_did() -> None:
    text = pages.entry_text(pages.shown(_pair("Jonotin."), "sv"), "sv")
    assert text == ("Ni sade: ”Jonotin.” (på finska)\n"
                    "Vi gjorde: Lisäämme takaisinsoiton. (på finska)")


def test_open_data_csv_leaves_suppressed_figures_empty() -> None:
    values = [("lappi", "a", "u", "month", "2026-10", "all", None, None, None, None, True),
              ("lappi", "a", "u", "month", "2026-11", "all", 6, 2, 1, 0, False)]
    rows: list[dict[str, Any]] = [dict(zip(opendata.COLUMNS, v, strict=True)) for v in values]
    lines = opendata.as_csv(rows).splitlines()
    assert lines[0] == ",".join(opendata.COLUMNS)
    assert lines[1] == "lappi,a,u,month,2026-10,all,,,,,true"
    assert lines[2] == "lappi,a,u,month,2026-11,all,6,2,1,0,false"
