"""The feedback form's rules: what a posted form means, what is wrong with it, the payload it
becomes and what the client is told will happen (kokemusvirta/intake/form_logic.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from kokemusvirta.intake import form_logic as logic
from kokemusvirta.intake.form_texts import FORM_LANGUAGES, TEXTS
from kokemusvirta.intake.reading import events_of
from kokemusvirta.organisations import demo_organisations
from schemas.deadlines import Deadlines
from schemas.feedback import FeedbackSubmitted
from schemas.organisations import Unit

NOW = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)  # a Friday; Sunday 6.12. is Independence Day
TOKEN = "abcdefghijklmnopqrstuvwx"


def unit(code: str = "rovaniemen-terveysasema") -> Unit:
    found = logic.find_unit(demo_organisations(), code)
    assert found is not None
    return found


def form(**fields: str) -> logic.FormValues:
    return logic.read_form([(logic.TOKEN, TOKEN), (logic.TEXT, "Hyvää palvelua."),
                            *fields.items()])


def keys(errors: list[logic.FieldError]) -> list[tuple[str, str]]:
    return [(e.field, e.key) for e in errors]


def test_every_language_has_every_text() -> None:
    assert set(FORM_LANGUAGES) == set(TEXTS)
    for lang in FORM_LANGUAGES:
        assert set(TEXTS[lang]) == set(TEXTS["fi"]), lang


def test_a_plain_feedback_is_valid_and_becomes_an_electronic_feedback_event() -> None:
    values = form()
    assert logic.validate(values) == []
    payload = logic.feedback_payload(values, unit(), "sv", NOW)
    assert "recorded_at" not in payload  # the gateway's receipt
    [event] = events_of("feedback", [payload], lambda: NOW)  # what the intake API takes
    assert isinstance(event, FeedbackSubmitted)
    assert (event.county, event.service_area, event.unit) == (
        "lappi", "perusterveydenhuolto", "rovaniemen-terveysasema")
    assert (event.channel, event.language, event.rating) == ("electronic", "sv", None)
    assert (event.reply_requested, event.contact) == (False, None)
    assert event.respondent_role == "client"


def test_text_is_required_and_at_most_ten_thousand_characters() -> None:
    assert keys(logic.validate(form(teksti="  \n "))) == [("teksti", "error_text_missing")]
    assert logic.validate(form(teksti="ä" * 10_000)) == []
    too_long = logic.validate(form(teksti="a" * 10_001))
    assert keys(too_long) == [("teksti", "error_text_too_long")]
    assert "10,001" in too_long[0].message("en")


def test_line_breaks_count_once_as_the_client_sees_them() -> None:
    assert logic.validate(form(teksti="a\r\n" * 4_999 + "a")) == []


def test_rating_is_optional_and_one_to_five() -> None:
    assert logic.validate(form(arvio="")) == []
    payload = logic.feedback_payload(form(arvio="4"), unit(), "fi", NOW)
    assert payload["rating"] == 4
    assert keys(logic.validate(form(arvio="6"))) == [("arvio", "error_rating")]
    assert keys(logic.validate(form(arvio="x"))) == [("arvio", "error_rating")]


def test_a_close_one_can_answer() -> None:
    payload = logic.feedback_payload(form(vastaaja="laheinen"), unit(), "fi", NOW)
    assert payload["respondent_role"] == "close_one"
    assert keys(logic.validate(form(vastaaja="naapuri"))) == [("vastaaja", "error_role")]


def test_a_reply_by_email_needs_an_address_that_looks_like_one() -> None:
    assert keys(logic.validate(form(vastaus="sahkoposti"))) == [
        ("sahkoposti", "error_email_missing")]
    for bad in ("matti", "matti@", "@esimerkki.fi", "matti@esimerkki", "ma tti@esim.fi",
                "matti@esim..fi"):
        assert keys(logic.validate(form(vastaus="sahkoposti", sahkoposti=bad))) == [
            ("sahkoposti", "error_email_invalid")], bad
    long = "a" * 250 + "@x.fi"
    assert keys(logic.validate(form(vastaus="sahkoposti", sahkoposti=long))) == [
        ("sahkoposti", "error_email_too_long")]
    values = form(vastaus="sahkoposti", sahkoposti=" maija@esimerkki.fi ")
    assert logic.validate(values) == []
    payload = logic.feedback_payload(values, unit(), "fi", NOW)
    assert (payload["reply_requested"], payload["contact"]) == (True, "maija@esimerkki.fi")


def test_a_reply_by_post_needs_an_address_kept_line_by_line() -> None:
    assert keys(logic.validate(form(vastaus="posti", osoite=" \n "))) == [
        ("osoite", "error_address_missing")]
    assert keys(logic.validate(form(vastaus="posti", osoite="x" * 301))) == [
        ("osoite", "error_address_too_long")]
    values = form(vastaus="posti", osoite="Maija Meikäläinen\r\n  Katu 1 \r\n\r\n96100 Rovaniemi")
    payload = logic.feedback_payload(values, unit(), "fi", NOW)
    assert payload["contact"] == "Maija Meikäläinen\nKatu 1\n96100 Rovaniemi"
    assert payload["reply_requested"] is True


def test_a_contact_without_a_reply_wanted_is_not_sent() -> None:
    values = form(vastaus="ei", sahkoposti="maija@esimerkki.fi", osoite="Katu 1")
    assert logic.validate(values) == []
    payload = logic.feedback_payload(values, unit(), "fi", NOW)
    assert "contact" not in payload and payload["reply_requested"] is False
    assert keys(logic.validate(form(vastaus="kirjekyyhky"))) == [("vastaus", "error_reply")]


def test_every_problem_is_listed_in_the_forms_order() -> None:
    values = logic.read_form([(logic.TEXT, ""), (logic.RATING, "9"),
                              (logic.REPLY, "sahkoposti")])
    assert [e.field for e in logic.validate(values)] == ["teksti", "arvio", "sahkoposti"]


@pytest.mark.parametrize(("kanava", "channel"), [("suullinen", "oral"),
                                                 ("kirjallinen", "written"),
                                                 ("sahkoinen", "electronic"),
                                                 ("mitä-tahansa", "electronic")])
def test_staff_set_the_channel(kanava: str, channel: str) -> None:
    payload = logic.feedback_payload(form(kanava=kanava), unit(), "fi", NOW)
    assert payload["channel"] == channel


def test_the_same_form_sent_twice_is_the_same_event_and_item() -> None:
    one = logic.feedback_payload(form(), unit(), "fi", NOW)
    two = logic.feedback_payload(form(), unit(), "fi", NOW)
    assert one["event_id"] == two["event_id"]
    assert logic.expected_item_id(one) == logic.expected_item_id(two)
    other = logic.feedback_payload(logic.read_form([(logic.TOKEN, "x" * 24),
                                                    (logic.TEXT, "Hyvää.")]), unit(), "fi", NOW)
    assert other["event_id"] != one["event_id"]
    # A form without a valid token is never the same event as another.
    untokened = [logic.feedback_payload(logic.read_form([(logic.TEXT, "Hyvää.")]), unit(),
                                        "fi", NOW)["event_id"] for _ in range(2)]
    assert untokened[0] != untokened[1]
    assert len({logic.new_token() for _ in range(10)}) == 10


def test_the_reference_is_the_item_ids_prefix_and_eight_hex_digits() -> None:
    assert logic.reference("fb-0123456789abcdef") == "fb-01234567"


def test_what_happens_next_counts_working_days_and_names_the_days() -> None:
    deadlines = Deadlines()
    steps = logic.next_steps(date(2026, 12, 4), logic.BY_EMAIL, deadlines)
    # Fri 4.12. + 3 working days: Mon 7., Tue 8., Wed 9. (Sunday 6.12. is a holiday anyway)
    assert steps.acknowledge_by == date(2026, 12, 9)
    assert steps.reply_by == date(2027, 1, 4)  # 3.1.2027 is a Sunday: the next working day
    fi = logic.next_step_lines(steps, "fi")
    assert "keskiviikkona 9.12.2026" in fi[0] and "3 työpäivän" in fi[0]
    assert "sähköpostilla" in fi[1] and "maanantaina 4.1.2027" in fi[1]
    assert "onsdag 9 december 2026" in logic.next_step_lines(steps, "sv")[0]
    en = logic.next_step_lines(steps, "en")
    assert "Wednesday 9 December 2026" in en[0] and "Monday 4 January 2027" in en[1]
    post = logic.next_step_lines(logic.next_steps(date(2026, 12, 4), logic.BY_POST,
                                                  deadlines), "en")
    assert "by letter" in post[1]
    none = logic.next_steps(date(2026, 12, 4), logic.NO_REPLY, Deadlines(reply_days=10))
    assert none.reply_by is None
    assert logic.next_step_lines(none, "fi")[1] == TEXTS["fi"]["next_no_reply"]


def test_a_countys_own_deadlines_are_what_the_client_is_told() -> None:
    steps = logic.next_steps(date(2026, 12, 4), logic.BY_POST,
                             Deadlines(acknowledge_working_days=1, reply_days=14))
    assert steps.acknowledge_by == date(2026, 12, 7)
    assert steps.reply_by == date(2026, 12, 18)
    assert "1 työpäivän" in logic.next_step_lines(steps, "fi")[0]


def test_units_are_found_by_code_and_forms_open_in_their_first_language() -> None:
    registry = demo_organisations()
    assert logic.find_unit(registry, "ei-tallaista") is None
    for u in registry.units:
        langs = logic.form_languages(u)
        assert langs and set(langs) <= set(FORM_LANGUAGES)
        if u.languages and u.languages[0] in FORM_LANGUAGES:
            assert langs[0] == u.languages[0]
    assert logic.form_languages(unit("inarin-terveysasema")) == ("fi",)  # no Sámi form yet
    assert logic.form_path("sv", "x") == "/respons/x"
