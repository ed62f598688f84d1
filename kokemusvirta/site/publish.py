"""`kokemusvirta publish-site OUT/`: read the store's snapshot and the organisation registry,
write the public site (kokemusvirta/site/__init__.py says what it holds).

    OUT/index.html                          the counties, in Finnish and Swedish
    OUT/<county>/fi/index.html, sv/...      the county's units by service area, county-wide pairs
    OUT/<county>/fi/<unit>.html, sv/...     the unit's pairs, newest first
    OUT/<county>/fi/<unit>.atom, sv/...     its Atom feed
    OUT/open-data/<county>.csv, .json       the county's figures, small groups suppressed

Every unit of the registry gets its pages (a unit without decisions says so), and so does a
unit of the store with decisions that the registry does not know (named by its code).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from kokemusvirta.site import atom, opendata, pages
from managers import you_said as ys
from managers.digest import unit_label
from managers.you_said_store import answered_in, small_group_limit
from schemas.deadlines import FINNISH_TIME
from schemas.organisations import Names, OrganisationRegistry
from sinks.reader import open_read_only

LANGS = ("fi", "sv")


@dataclass(frozen=True)
class Published:
    counties: int
    units: int
    pairs: int
    files: int


def _names(names: Names | None, code: str) -> Names:
    """The registry's names; a code the registry does not know reads as itself in both."""
    return names or Names(unit_label(code), unit_label(code))


def _write(path: Path, data: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)


@dataclass(frozen=True)
class UnitSite:
    code: str
    area: str | None  # its service area's code; None: the registry does not know the unit
    names: Names
    pairs: list[ys.Pair]


def _units(registry: OrganisationRegistry, county: str, found: list[ys.Answered],
           limit: int) -> tuple[list[UnitSite], list[ys.Pair]]:
    """The county's units with their pairs (the registry's, then the store's others), and the
    pairs of no unit (statements, county-wide proposals)."""
    by_unit: dict[str | None, list[ys.Answered]] = defaultdict(list)
    for a in found:
        by_unit[a.unit].append(a)
    out = [UnitSite(u.code, u.service_area, u.names,
                    [ys.pair(a, u.languages, limit) for a in by_unit.get(u.code, [])])
           for u in registry.units_of(county)]
    known = {u.code for u in out}
    out += [UnitSite(code, None, _names(None, code), [ys.pair(a, (), limit) for a in items])
            for code, items in sorted(by_unit.items(), key=lambda kv: kv[0] or "")
            if code is not None and code not in known]
    return out, [ys.pair(a, (), limit) for a in by_unit.get(None, [])]


def _area_name(registry: OrganisationRegistry, county: str, area: str | None,
               county_names: Names, lang: str) -> str:
    found = registry.service_area(county, area) if area else None
    return (found.names if found else county_names).in_language(lang)


def _county(out: Path, registry: OrganisationRegistry, county: str, found: list[ys.Answered],
            rows: list[dict[str, object]], limit: int, built_at: datetime,
            base_url: str) -> tuple[int, int]:
    """Write one county's pages, feeds and open data: (units, files)."""
    known = registry.county(county)
    county_names = _names(known.names if known else None, county)
    units, wide = _units(registry, county, found, limit)
    _write(out / "open-data" / f"{county}.csv", opendata.as_csv(rows))
    _write(out / "open-data" / f"{county}.json", opendata.as_json(county, rows, limit))
    files = 2
    for lang in LANGS:
        other, folder = pages.OTHER[lang], out / county / lang
        county_name = county_names.in_language(lang)
        areas: dict[str, list[pages.UnitLink]] = defaultdict(list)
        for u in units:
            areas[_area_name(registry, county, u.area, county_names, lang)].append(
                pages.UnitLink(u.names.in_language(lang), f"{u.code}.html", len(u.pairs)))
        _write(folder / "index.html", pages.county_page(
            lang=lang, county=county_name,
            areas=[pages.AreaLinks(name, tuple(links)) for name, links in areas.items()],
            county_wide=wide, other_href=f"../{other}/index.html",
            open_data=[f"../../open-data/{county}.csv", f"../../open-data/{county}.json"],
            root_href="../../index.html", limit=limit))
        files += 1
        base = f"{base_url}{county}/{lang}/" if base_url else ""
        for u in units:
            name = u.names.in_language(lang)
            _write(folder / f"{u.code}.html", pages.unit_page(
                lang=lang, county=county_name,
                area=_area_name(registry, county, u.area, county_names, lang), unit=name,
                pairs=u.pairs, other_href=f"../{other}/{u.code}.html",
                feed_href=f"{u.code}.atom", index_href="index.html", limit=limit))
            _write(folder / f"{u.code}.atom",
                   _feed(county, u.code, lang, name, county_name, u.pairs, built_at, base))
            files += 2
    return len(units), files


def publish_site(store: Path, registry: OrganisationRegistry, out: Path,
                 counties: list[str], since: date | None, built_at: datetime,
                 base_url: str = "") -> Published:
    """Write the site for these counties, decisions and figures from `since` on (all without).
    `base_url` (e.g. https://example.fi/sanoitte/) makes the feeds' links absolute; without it
    they are relative to the feed."""
    start = datetime(since.year, since.month, since.day, tzinfo=FINNISH_TIME) if since else None
    con = open_read_only(store)
    files = units = pairs = 0
    try:
        limit = small_group_limit(con)
        for county in counties:
            found = answered_in(con, county, None, start)
            rows = opendata.figures(con, county, since)
            n_units, n_files = _county(out, registry, county, found, rows, limit, built_at,
                                       base_url)
            units, pairs, files = units + n_units, pairs + len(found), files + n_files
    finally:
        con.close()
    names = [_names(c.names if (c := registry.county(code)) else None, code)
             for code in counties]
    _write(out / "index.html", pages.root_page(
        [(n.fi, n.sv, code) for n, code in zip(names, counties, strict=True)], limit))
    return Published(len(counties), units, pairs, files + 1)


def _feed(county: str, unit: str, lang: str, unit_name: str, author: str,
          pairs: list[ys.Pair], built_at: datetime, base: str) -> bytes:
    entries = []
    for p in pairs:
        s = pages.shown(p, lang)
        updated = max(p.decided_at, p.returned_at) if p.returned_at else p.decided_at
        entries.append(atom.Entry(key=p.ref, title=f"{s.title}: {s.summary}",
                                  text=pages.entry_text(s, lang), updated=updated,
                                  published=p.decided_at, link=f"{base}{unit}.html#{p.ref}"))
    return atom.feed(key=f"{county}/{unit}", lang=lang,
                     title=f"{pages.LABELS[lang]['site']} – {unit_name}", author=author,
                     page=f"{base}{unit}.html", self_href=f"{base}{unit}.atom",
                     entries=entries, built_at=built_at)
