"""The pages drawn from made-up query results (pure), and rendered over an empty store."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest

from dashboards import queries
from dashboards.build import build
from dashboards.filters import Filters
from dashboards.labels import Labels
from dashboards.pages import BY_SLUG, PAGES, content, render_page
from dashboards.queries import QueryResult
from kokemusvirta.organisations import demo_organisations
from sinks.store import Store


def result(name: str, rows: list[dict[str, Any]]) -> QueryResult:
    columns = list(rows[0]) if rows else []
    return QueryResult(name, columns, [tuple(r.values()) for r in rows], 0.0)


FUNNEL = [
    {"stage_order": 1, "stage": "received", "items": 1234, "share_of_received": 1.0,
     "suppressed": False},
    {"stage_order": 2, "stage": "acknowledged", "items": 617, "share_of_received": 0.5,
     "suppressed": False},
    {"stage_order": 3, "stage": "reached_leadership", "items": None, "share_of_received": None,
     "suppressed": True},
    {"stage_order": 4, "stage": "reached_decision_makers", "items": 0,
     "share_of_received": 0.0, "suppressed": False},
    {"stage_order": 5, "stage": "decided", "items": 100, "share_of_received": 0.081,
     "suppressed": False},
    {"stage_order": 6, "stage": "returned", "items": 99, "share_of_received": 0.0802,
     "suppressed": False},
]


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("\u202f", " ")


def test_the_funnel_shows_the_querys_figures_and_suppression_in_each_language() -> None:
    results = {"funnel": result("funnel", FUNNEL)}
    fi = text_of(content("kulku", results, Labels("fi"), Filters()))
    assert "1 234" in fi and "617 (50 %)" in fi and "alle 5" in fi and "100 (8 %)" in fi
    assert "Tavoitti johdon" in fi
    sv = text_of(content("kulku", results, Labels("sv"), Filters()))
    assert "färre än 5" in sv and "Nådde ledningen" in sv
    en = text_of(content("kulku", results, Labels("en"), Filters()))
    assert "1,234" in en and "fewer than 5" in en and "Reached leadership" in en


def test_a_figure_the_query_did_not_give_is_never_made_up() -> None:
    # received 1234, acknowledged 617: the page writes the share the query gave (50 %), not one
    # it would compute itself; a made-up share proves it.
    rows = [dict(r) for r in FUNNEL]
    rows[1]["share_of_received"] = 0.123
    fi = text_of(content("kulku", {"funnel": result("funnel", rows)}, Labels("fi"), Filters()))
    assert "617 (12 %)" in fi and "50 %" not in fi


def test_rates_write_fewer_than_five_for_suppressed_groups_and_replies() -> None:
    row = {"dimension_value": "lappi", "items": None, "reached_leadership": None,
           "reached_leadership_share": None, "returned": None, "returned_share": None,
           "reply_requested": None, "replied_to_client": None,
           "replied_share_of_requested": None, "suppressed": True, "reply_suppressed": True}
    results = {f"rates_by_{d}": result(f"rates_by_{d}", [dict(row)] if d == "county" else [])
               for d in ("county", "service_area", "unit", "theme", "channel", "month")}
    html = text_of(content("tavoittavuus", results, Labels("fi", demo_organisations()),
                           Filters()))
    assert "Lapin hyvinvointialue" in html
    assert html.count("alle 5") >= 9
    assert "Ei tietoa näillä rajauksilla." in html


def test_you_said_we_did_shows_deciders_reasons_redacted_and_marked_finnish() -> None:
    row = {"theme": "access", "items": 40, "feedback_items": 38, "decided": 20, "adopted": 5,
           "partly": 5, "rejected": 5, "no_action_needed": 0, "already_under_way": 5,
           "returned": 12,
           "example_rationales": ["Soita 040 1234567 jos kysyttävää.", "Ajanvaraus laajenee."],
           "suppressed": False}
    html = content("sanoitte-me-teimme", {"you_said_we_did": result("you_said_we_did", [row])},
                   Labels("en"), Filters())
    assert "040 1234567" not in html
    assert '<li lang="fi">Ajanvaraus laajenee.</li>' in html
    assert "Access and waiting" in html and "We will do it" in html


@pytest.fixture(scope="module")
def empty_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("empty-store") / "kokemusvirta.duckdb"
    Store(path).close()
    yield path


@pytest.fixture
def con(empty_store: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    c = duckdb.connect(str(empty_store), read_only=True)
    yield c
    c.close()


@pytest.mark.parametrize("slug", PAGES)
def test_each_page_renders_over_an_empty_store(con: duckdb.DuckDBPyConnection,
                                               slug: str) -> None:
    html = render_page(con, slug, Filters(county="lappi", period_start=date(2026, 9, 1)), "sv")
    assert html.startswith('<!doctype html><html lang="sv">')
    assert f"<h1>{Labels('sv').page(slug)}</h1>" in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html


def test_every_chart_query_is_on_a_page_and_every_page_runs_only_its_own() -> None:
    shown = {q for slug in PAGES for q in BY_SLUG[slug].queries}
    assert shown | {"filter_options"} == set(queries.names())


def test_the_built_file_holds_every_page_in_three_languages_and_fetches_nothing(
        con: duckdb.DuckDBPyConnection) -> None:
    from datetime import UTC, datetime

    html = build(con, Filters(theme="access"), datetime(2026, 11, 23, tzinfo=UTC))
    for lang in ("fi", "sv", "en"):
        for slug in PAGES:
            assert f'id="{lang}-{slug}" lang="{lang}"' in html
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "an id repeats"
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert "<script>" in html and "<style>" in html


@pytest.mark.parametrize(("lang", "county"), [("fi", "Lapin hyvinvointialue"),
                                              ("sv", "Lapplands välfärdsområde")])
def test_pages_and_the_built_file_name_the_county_as_the_registry_handed_in_does(
        con: duckdb.DuckDBPyConnection, lang: str, county: str) -> None:
    from datetime import UTC, datetime

    registry = demo_organisations()
    filters = Filters(county="lappi", unit="rovaniemen-terveysasema")
    unit = registry.unit("lappi", "rovaniemen-terveysasema").names.in_language(lang)  # type: ignore[union-attr]
    html = render_page(con, "kulku", filters, lang, organisations=registry)
    assert county in html and unit in html
    built = build(con, filters, datetime(2026, 11, 23, tzinfo=UTC), registry)
    assert county in built and unit in built
    assert county not in render_page(con, "kulku", filters, lang)  # the names are the registry's
