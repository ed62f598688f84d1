"""The inbox's pages in process, before the sink has written a store: an empty inbox that says
why, never a traceback; the roles' pages and the item page's refusals. (With a store: the
browser test and tests/integration/test_workplace_inbox_flow.py.)"""

from __future__ import annotations

from tests.unit.kokemusvirta.workplace.conftest import SignIn, csrf_of


def test_without_a_store_the_inbox_is_empty_and_says_why(sign_in: SignIn) -> None:
    client = sign_in("maija")
    page = client.get("/saapuneet")
    assert page.status_code == 200
    assert "Varastossa ei ole vielä tietoja" in page.text
    assert "Ei avoimia asioita" in page.text
    english = client.get("/saapuneet?kieli=en")
    assert "The store has no data yet" in english.text


def test_unknown_query_values_are_named_not_obeyed(sign_in: SignIn) -> None:
    page = sign_in("maija").get("/saapuneet?jarjestys=x&vakavuus=huge&kieli=fi")
    assert page.status_code == 200 and "jarjestys, vakavuus" in page.text


def test_an_auditor_has_no_inbox_and_no_queue(sign_in: SignIn) -> None:
    client = sign_in("tarja")
    assert client.get("/saapuneet").status_code == 403
    assert client.get("/jono").status_code == 403
    assert client.get("/esityslista").status_code == 403


def test_a_malformed_item_id_is_the_same_403(sign_in: SignIn) -> None:
    client = sign_in("maija")
    assert client.get("/asia/not-an-item").status_code == 403
    assert client.get("/asia/fb-0000000000000000").status_code == 503  # no store yet


def test_a_post_without_the_csrf_token_is_refused(sign_in: SignIn) -> None:
    client = sign_in("maija")
    page = client.get("/saapuneet")
    assert csrf_of(page.text)
    r = client.post("/asia/fb-0000000000000000/acknowledged", data={"csrf": "väärä"})
    assert r.status_code == 403
