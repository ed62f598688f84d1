"""The intake API's pure parts: language choice, translated problems, rate limit, idempotency."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from kokemusvirta.intake.idempotency import (
    Decision,
    IdempotencyStore,
    Remembered,
    decide,
    request_hash,
    valid_key,
)
from kokemusvirta.intake.problems import FIELD_PROBLEMS, LANGUAGES, Problem, language_of, phrase
from kokemusvirta.intake.ratelimit import RateLimiter, retry_after_header
from kokemusvirta.intake.reading import Invalid, events_of, payloads_of
from tests.factories import feedback, statement, workshop


def _now() -> datetime:
    return datetime(2026, 12, 5, 12, tzinfo=UTC)


@pytest.mark.parametrize(("header", "language"), [
    (None, "fi"), ("", "fi"), ("sv", "sv"), ("sv-FI,fi;q=0.5", "sv"), ("en-GB,en;q=0.9", "en"),
    ("de,en;q=0.3", "en"), ("de", "fi"), ("*", "fi"), ("fi;q=0.2,sv;q=0.8", "sv"),
    ("en;q=bad,sv;q=0.1", "sv"), ("en, sv", "en"),
])
def test_the_language_is_the_best_of_fi_sv_en_by_weight(header: str | None, language: str) -> None:
    assert language_of(header) == language


def _problems(family: str, payloads: list[dict[str, object]]) -> list[Problem]:
    with pytest.raises(Invalid) as caught:
        events_of(family, payloads, _now)
    return caught.value.problems


def test_every_field_problem_is_listed_with_its_path() -> None:
    bad = feedback(rating=11, text="", channel="pigeon", county="Lappi!", unit=None,
                   occurred_at="eilen")
    del bad["service_area"]
    problems = _problems("feedback", [bad])
    assert {(p.path, p.code) for p in problems} == {
        ("rating", "less_than_equal"), ("text", "string_too_short"), ("channel", "enum"),
        ("county", "string_pattern_mismatch"), ("unit", "string_type"),
        ("occurred_at", "datetime_from_date_parsing"), ("service_area", "missing")}


def test_a_list_names_each_event_by_its_position() -> None:
    problems = _problems("feedback", [feedback(), feedback(rating=0), feedback(extra=1)])
    assert {(p.path, p.code) for p in problems} == {
        ("1.rating", "greater_than_equal"), ("2.an unknown field", "extra_forbidden")}


def test_every_problem_the_contract_names_has_words_in_three_languages() -> None:
    """Each error type met in bad versions of the three families is translated (not the
    generic fallback), and no phrase repeats what the client sent."""
    secret = "131052-308T"
    bad_feedback = feedback(rating="viisi", text=secret * 2000, language="de",
                            reply_requested="ehkä", event_id=secret, recorded_at=secret,
                            schema_version=2, contact=["x"])
    bad_workshop = workshop(items=[], held_on=secret, participants={"staff": -1},
                            meeting_number=1.5)
    bad_statement = statement(text=None)
    problems = [*_problems("feedback", [bad_feedback]),
                *_problems("workshop_output", [bad_workshop]),
                *_problems("expert_statement", [bad_statement])]
    assert problems
    for p in problems:
        assert p.code in FIELD_PROBLEMS, p
        for language in LANGUAGES:
            message = p.as_json(language)["message"]
            assert message and secret not in message


def test_the_endpoint_decides_the_family() -> None:
    assert [p.code for p in _problems("feedback", [workshop()])] == ["wrong_endpoint"]
    event = events_of("feedback", [{k: v for k, v in feedback().items()
                                   if k not in {"event_type", "recorded_at"}}], _now)[0]
    assert event.event_type == "feedback.submitted" and event.recorded_at == _now()


@pytest.mark.parametrize(("body", "code"), [
    (b"nonsense", "not_json"), (b"[]", "not_an_object"), (b"[1, 2]", "not_an_object"),
    (b"\xff\xfe", "not_json"), (b'{"a": 1, "a": 2}', "duplicate_key"),
    (b"[" * 100_000 + b"]" * 100_000, "too_deep"),
])
def test_a_body_that_is_no_event_is_one_problem(body: bytes, code: str) -> None:
    with pytest.raises(Invalid) as caught:
        payloads_of(body)
    assert [p.code for p in caught.value.problems] == [code]
    assert all(caught.value.problems[0].message(lang) for lang in LANGUAGES)


def test_the_generic_phrase_covers_an_unknown_error_type() -> None:
    assert phrase("something_new", "sv") == "ogiltigt värde"


def test_a_client_has_its_burst_then_its_rate() -> None:
    limiter = RateLimiter(rate_per_s=2, burst=3)
    assert [limiter.take("a", 0.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.take("a", 0.0) == pytest.approx(0.5)
    assert limiter.take("b", 0.0) == 0.0  # another client has its own bucket
    assert limiter.take("a", 0.5) == 0.0  # one token back after 1/rate seconds
    assert limiter.take("a", 0.5) > 0
    assert retry_after_header(0.01) == "1" and retry_after_header(2.1) == "3"


def test_the_buckets_do_not_grow_without_bound() -> None:
    limiter = RateLimiter(rate_per_s=1, burst=1, max_clients=100)
    for i in range(1000):
        limiter.take(f"10.0.{i // 256}.{i % 256}", float(i) / 1000)
    assert len(limiter) <= 100


def test_idempotency_decisions() -> None:
    h = request_hash("feedback", [{"b": 1, "a": [1, 2]}])
    assert h == request_hash("feedback", [{"a": [1, 2], "b": 1}])  # key order is no difference
    assert h != request_hash("expert_statement", [{"b": 1, "a": [1, 2]}])
    seen = Remembered(h, ("fb-0123456789abcdef",), stored_at=100.0)
    assert decide(None, h, 101.0, 60) is Decision.NEW
    assert decide(seen, h, 101.0, 60) is Decision.REPLAY
    assert decide(seen, "other", 101.0, 60) is Decision.CONFLICT
    assert decide(seen, h, 160.0, 60) is Decision.NEW  # forgotten after the keeping time
    assert valid_key("4f1c-xyz_01") and not valid_key("") and not valid_key("a b")
    assert not valid_key("x" * 201) and not valid_key("äö")


def test_keys_are_remembered_across_restarts_and_expire(tmp_path: Path) -> None:
    path = tmp_path / "idempotency.sqlite"
    store = IdempotencyStore(path, keep_s=60)
    store.remember("10.0.0.1", "key-1", "hash", ["fb-0123456789abcdef"], now=100.0)
    store.close()
    store = IdempotencyStore(path, keep_s=60)
    assert store.get("10.0.0.1", "key-1") == Remembered("hash", ("fb-0123456789abcdef",), 100.0)
    assert store.get("10.0.0.2", "key-1") is None  # keys belong to their client
    assert store.purge(now=161.0) == 1
    assert store.get("10.0.0.1", "key-1") is None
    assert b"10.0.0.1" not in path.read_bytes() and b"key-1" not in path.read_bytes()
    store.close()
