"""A row becomes a record the worker accepts, or a bad row saying why (never what the cell
held); the same row always gets the same event id."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from kokemusvirta.importing.mapping import FieldSpec, column_positions, load, parse
from kokemusvirta.importing.readers import Cell
from kokemusvirta.importing.rows import BadRow, Candidate, RowConverter, RowProblem, parse_time
from kokemusvirta.organisations import demo_organisations
from schemas.registry import parse_source

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
SURVEY_HEADER = ["vastaus_id", "vastausaika", "yksikkö", "arvosana", "palaute", "kieli",
                 "haluan_vastauksen", "yhteystieto"]
SMILEY_HEADER = ["Timestamp", "Location", "Button", "Free text"]


def converter(name: str, header: Sequence[object], county: str | None = "lappi",
              mapping: Any = None) -> RowConverter:
    mapping = mapping or load(Path(name))
    return RowConverter(mapping, column_positions(mapping, header), demo_organisations(),
                        county=county, recorded_at=NOW)


def survey(**cells: Cell) -> list[Cell]:
    row: dict[str, Cell] = {"vastaus_id": "A-1", "vastausaika": "01.10.2026 09:12",
                            "yksikkö": "Rovaniemen terveysasema", "arvosana": "4",
                            "palaute": "Lääkäri kuunteli.", "kieli": "suomi",
                            "haluan_vastauksen": "ei", "yhteystieto": ""}
    row.update(cells)
    return [row[c] for c in SURVEY_HEADER]


def record(result: Candidate | BadRow | None) -> dict[str, Any]:
    assert isinstance(result, Candidate), result
    return dict(json.loads(result.line))


def test_a_survey_row_becomes_a_valid_feedback_record() -> None:
    result = converter("survey-generic", SURVEY_HEADER).convert(2, survey())
    e = record(result)
    assert parse_source(result.line).event_type == "feedback.submitted"  # type: ignore[union-attr]
    assert e["unit"] == "rovaniemen-terveysasema"  # by its registry name
    assert e["service_area"] == "perusterveydenhuolto"  # the unit's, from the registry
    assert e["county"] == "lappi"
    assert e["occurred_at"] == "2026-10-01T06:12:00+00:00"  # 09:12 in Helsinki summer time
    assert e["recorded_at"] == NOW.isoformat()
    assert (e["rating"], e["language"], e["channel"]) == (4, "fi", "electronic")
    assert (e["reply_requested"], e["contact"]) == (False, None)


def test_a_swedish_name_a_code_and_a_reply_with_contact() -> None:
    e = record(converter("survey-generic", SURVEY_HEADER).convert(3, survey(
        yksikkö="Kemi hälsostation", kieli="Svenska", haluan_vastauksen="ja",
        yhteystieto="asiakas@example.fi")))
    assert (e["unit"], e["language"], e["reply_requested"]) == ("kemin-terveysasema", "sv", True)
    assert e["contact"] == "asiakas@example.fi"  # raw here: the gateway's seal replaces it


@pytest.mark.parametrize(("cells", "said"), [
    ({"yksikkö": "Olematon asema"}, "row: unknown_unit: tuntematon yksikkö (unknown unit) "
     "(column 'yksikkö')"),
    ({"arvosana": "7"}, "schema_violation: rating (column 'arvosana') (less_than_equal)"),
    ({"arvosana": "hyvä"}, "rating (column 'arvosana'): not a whole number"),
    ({"kieli": "klingon"}, "language (column 'kieli'): not one of the mapping's values"),
    ({"vastausaika": "1/10/2026"}, "time (column 'vastausaika'): not a time in the form"),
    ({"vastausaika": ""}, "time (column 'vastausaika'): empty"),
    ({"palaute": "  "}, "text (column 'palaute'): empty"),
    ({"haluan_vastauksen": "ehkä"}, "reply_requested (column 'haluan_vastauksen'): not yes"),
    ({"vastaus_id": ""}, "id (column 'vastaus_id'): empty"),
])
def test_a_bad_row_says_which_field_and_column(cells: dict[str, Cell], said: str) -> None:
    result = converter("survey-generic", SURVEY_HEADER).convert(7, survey(**cells))
    assert isinstance(result, BadRow)
    assert result.row == 7
    assert said.removeprefix("row: ") in result.reason
    assert "\n" not in result.reason


def test_an_unknown_unit_says_the_worker_would_dead_letter_it() -> None:
    result = converter("survey-generic", SURVEY_HEADER).convert(2, survey(yksikkö="x-asema"))
    assert isinstance(result, BadRow)
    assert "dead letter (unknown_unit), so it is not published" in result.reason
    other_county = converter("survey-generic", SURVEY_HEADER, county="pirkanmaa")
    assert isinstance(other_county.convert(2, survey()), BadRow)  # a Lapland unit


def test_a_unit_of_another_service_area_than_the_column_says_is_bad() -> None:
    mapping = parse({"text": {"column": "t"}, "time": {"column": "a"}, "unit": {"column": "u"},
                     "service_area": {"column": "p"}, "channel": {"value": "oral"}},
                    default_name="m")
    convert = converter("", ["t", "a", "u", "p"], mapping=mapping).convert
    ok = convert(2, ["x", "2026-10-01T10:00", "kemin-terveysasema", "perusterveydenhuolto"])
    assert isinstance(ok, Candidate)
    bad = convert(3, ["x", "2026-10-01T10:00", "kemin-terveysasema", "sosiaalipalvelut"])
    assert isinstance(bad, BadRow) and "unknown_unit" in bad.reason


def test_a_bad_row_never_repeats_what_the_cells_held() -> None:
    secret = "matti.virtanen@example.fi 131052-308T"
    result = converter("survey-generic", SURVEY_HEADER).convert(2, survey(
        arvosana=secret, yksikkö=secret, palaute=secret, yhteystieto=secret))
    assert isinstance(result, BadRow)
    assert "matti" not in result.reason and "131052" not in result.reason


def smiley(button: Cell, text: Cell = "Kommentti", when: Cell = "2026-10-01 08:03:40",
           where: Cell = "Rovaniemen terveysasema") -> list[Cell]:
    return [when, where, button, text]


@pytest.mark.parametrize(("button", "rating"), [
    ("😀", 5), ("🙂\ufe0f", 4), ("😐", 3), ("🙁", 2), ("😠", 1), ("4", 5), (4, 5), (1.0, 1),
    ("Very negative", 1)])
def test_smiley_buttons_become_ratings(button: Cell, rating: int) -> None:
    assert record(converter("smiley-terminal", SMILEY_HEADER).convert(
        2, smiley(button)))["rating"] == rating


def test_a_smiley_press_without_a_comment_is_skipped_not_bad() -> None:
    convert = converter("smiley-terminal", SMILEY_HEADER).convert
    assert convert(2, smiley("😀", text=None)) is None
    bad = convert(3, smiley("🤷"))
    assert isinstance(bad, BadRow) and "(😀, 🙂, 😐, 🙁, 😠, very positive" in bad.reason


def test_helsinki_local_time_in_summer_and_winter_and_excel_dates() -> None:
    spec = FieldSpec(name="time", column="t", formats=("%d.%m.%Y %H:%M",))
    assert parse_time("01.07.2026 12:00", spec) == datetime(2026, 7, 1, 9, 0, tzinfo=UTC)
    assert parse_time("01.12.2026 12:00", spec) == datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    assert parse_time(datetime(2026, 12, 1, 12, 0), spec) == datetime(2026, 12, 1, 10, 0,
                                                                       tzinfo=UTC)
    assert parse_time(46296.5, spec) == datetime(2026, 10, 1, 9, 0, tzinfo=UTC)  # day number
    iso = FieldSpec(name="time", column="t")
    assert parse_time("2026-10-01T10:00:00+00:00", iso) == datetime(2026, 10, 1, 10, 0,
                                                                    tzinfo=UTC)
    with pytest.raises(RowProblem):
        parse_time("1.10.2026", iso)


def test_the_same_row_gets_the_same_event_id_in_every_import() -> None:
    first = converter("survey-generic", SURVEY_HEADER).convert(2, survey())
    again = converter("survey-generic", SURVEY_HEADER).convert(9, survey(palaute="Muokattu"))
    other = converter("survey-generic", SURVEY_HEADER).convert(2, survey(vastaus_id="A-2"))
    elsewhere = converter("survey-generic", SURVEY_HEADER, county="pirkanmaa").convert(
        2, survey(yksikkö="hervannan-terveysasema"))
    assert isinstance(first, Candidate) and isinstance(again, Candidate)
    assert isinstance(other, Candidate) and isinstance(elsewhere, Candidate)
    assert first.event_id == again.event_id  # the export's id decides, not the row's place
    assert len({first.event_id, other.event_id, elsewhere.event_id}) == 3


def test_one_answer_id_twice_in_an_export_is_a_bad_row() -> None:
    convert = converter("survey-generic", SURVEY_HEADER).convert
    assert isinstance(convert(2, survey()), Candidate)
    bad = convert(3, survey())
    assert isinstance(bad, BadRow) and "the same as row 2's" in bad.reason


def test_without_an_id_column_identical_rows_stay_distinct_and_stable() -> None:
    def ids() -> list[str]:
        convert = converter("smiley-terminal", SMILEY_HEADER).convert
        results = [convert(2, smiley("😀")), convert(3, smiley("😀")), convert(4, smiley("😠"))]
        return [r.event_id for r in results if isinstance(r, Candidate)]

    first = ids()
    assert len(set(first)) == 3  # two identical presses with a comment are two feedbacks
    assert ids() == first  # and the same two when the export is imported again
    # the client's id and contact are not part of it (nothing personal goes into an id)
    mapping = parse({"text": {"column": "t"}, "time": {"column": "a"}, "unit": {"column": "u"},
                     "contact": {"column": "c"}, "channel": {"value": "oral"}}, default_name="m")
    row = ["x", "2026-10-01T10:00", "kemin-terveysasema"]
    a = converter("", ["t", "a", "u", "c"], mapping=mapping).convert(2, [*row, "a@example.fi"])
    b = converter("", ["t", "a", "u", "c"], mapping=mapping).convert(2, [*row, "b@example.fi"])
    assert isinstance(a, Candidate) and isinstance(b, Candidate)
    assert a.event_id == b.event_id


STATEMENT_HEADER = ["lausunto_id", "annettu", "palvelualue", "yksikkö", "laatija", "aihe",
                    "päätös", "koko_alue", "kieli", "lausunto", "suositukset"]


def statement(**cells: Cell) -> list[Cell]:
    row: dict[str, Cell] = {"lausunto_id": "L-1", "annettu": "05.10.2026",
                            "palvelualue": "Ikääntyneiden palvelut", "yksikkö": "",
                            "laatija": "Kokemusasiantuntija", "aihe": "Kotihoidon käyntiajat",
                            "päätös": "LAPHA/88/2026", "koko_alue": "ei", "kieli": "suomi",
                            "lausunto": "Käyntiajat eivät ole ennakoitavia.",
                            "suositukset": "Ilmoitetaan käyntiaika\n\n Soitetaan myöhästyessä "}
    row.update(cells)
    return [row[c] for c in STATEMENT_HEADER]


def test_a_statement_row_becomes_a_valid_statement_of_its_service_area() -> None:
    e = record(converter("expert-statements", STATEMENT_HEADER).convert(2, statement()))
    assert e["event_type"] == "expert_statement.issued"
    assert (e["service_area"], e["unit"]) == ("ikaantyneiden-palvelut", None)  # by its name
    assert (e["author_role"], e["decision_ref"], e["county_wide"]) == (
        "expert_by_experience", "LAPHA/88/2026", False)
    assert e["recommendations"] == ["Ilmoitetaan käyntiaika", "Soitetaan myöhästyessä"]
    assert e["occurred_at"] == "2026-10-04T21:00:00+00:00"  # midnight in Helsinki


def test_a_statement_of_a_unit_and_its_bad_rows() -> None:
    convert = converter("expert-statements", STATEMENT_HEADER).convert
    e = record(convert(2, statement(palvelualue="", yksikkö="Kemin kotihoito")))
    assert (e["unit"], e["service_area"]) == ("kemin-kotihoito", "ikaantyneiden-palvelut")
    for cells, said in [({"laatija": "kuka"}, "author_role (column 'laatija'): not one of"),
                        ({"palvelualue": "Avaruuspalvelut"}, "unknown_unit"),
                        ({"palvelualue": ""}, "service_area (column 'palvelualue'): empty"),
                        ({"aihe": ""}, "schema_violation: topic (column 'aihe')")]:
        bad = convert(3, statement(lausunto_id=said, **cells))
        assert isinstance(bad, BadRow) and said in bad.reason, bad
