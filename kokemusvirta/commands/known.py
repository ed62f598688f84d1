"""Is a county or a unit one this deployment knows? For the commands that take one, so that a
typing mistake (`lappi.nosuch`) is said to be one instead of answered with an empty digest.

Known means in the deployment's organisation registry (KOKEMUSVIRTA_ORGANISATIONS) or
present in the store: a deployment may have units the demo registry lacks, and a unit whose
items reached the store is real whatever the registry says. A county is known too when the key
store holds a key of one of its people (the gateway seals contacts before the sink has seen
them).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from kokemusvirta.organisations import organisations
from kokemusvirta.settings import Settings
from sinks.reader import StoreMissing, open_read_only


def unknown_county(settings: Settings, county: str) -> str:
    known = sorted(c.code for c in organisations(settings).counties)
    return (f"tuntematon hyvinvointialue (unknown county) {county!r}: not in the organisation "
            f"registry nor in the store; the registry's: {', '.join(known)}")


def unknown_unit(county: str, unit: str) -> str:
    return (f"tuntematon yksikkö (unknown unit) {county}.{unit}: not in the organisation "
            "registry nor in the store; `kokemusvirta query \"select distinct county, unit "
            "from knowledge_items\"` lists the store's units")


def _store_has(store: Path, sql: str, params: list[object]) -> bool:
    """Whether the query finds a row; a missing or unreadable store knows nothing."""
    try:
        con = open_read_only(store)
    except (StoreMissing, duckdb.Error):
        return False
    try:
        return con.execute(sql, params).fetchone() is not None
    except duckdb.Error:  # not a store (yet): no such table
        return False
    finally:
        con.close()


def _has_keys(folder: Path) -> bool:
    """A person's contact key (not only an erasure's mark, which a mistyped `forget` of old
    could leave) is there."""
    return folder.is_dir() and any(folder.glob("*.key"))


def county_known(settings: Settings, county: str) -> bool:
    if organisations(settings).county(county) is not None \
            or _has_keys(settings.key_store / county):
        return True
    return _store_has(settings.store, "SELECT 1 FROM knowledge_items WHERE county = ? LIMIT 1",
                      [county])


def unit_known(settings: Settings, county: str, unit: str) -> bool:
    if organisations(settings).unit(county, unit) is not None:
        return True
    return _store_has(
        settings.store,
        "SELECT 1 FROM knowledge_items WHERE (county = ? AND unit = ?) "
        "OR list_contains(routed_topics, ?) LIMIT 1",
        [county, unit, settings.topics.unit(county, unit)],
    )
