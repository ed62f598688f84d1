"""`kokemusvirta quality` on a store built through the sink's own path (project + Store.write)
from the hand-made flow scenario: the clean store passes; a copy corrupted in each way the issue
names fails exactly the expectation meant for it, and the command exits 1 naming it."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from kokemusvirta.cli import main
from schemas.dead_letter import Origin
from schemas.knowledge import Classification
from schemas.taxonomy import Severity, Stance, Theme
from schemas.topics import TopicNames
from sinks.projection import ConsumedRecord, project
from sinks.store import Store
from streams.processing import Processor
from tests.factories import as_bytes, workshop
from tests.flow_scenario import ITEM, NOW, SOURCES, THEMES, lifecycle_events

T = TopicNames("kv.")
THEMES_BY_TEXT = {SOURCES[name]["text"]: themes for name, themes in THEMES.items()}
HETU, PHONE, EMAIL, IBAN = "131052-308T", "040 123 4567", "matti.meikalainen@example.fi", \
    "FI21 1234 5600 0007 85"


def classify(text: str, language: str | None) -> Classification:
    return Classification(themes=tuple(Theme(t) for t in THEMES_BY_TEXT.get(text, ())),
                          stance=Stance.COMPLAINT, severity=Severity.MEDIUM, rules=("t",),
                          classifier_version="test")


def records() -> list[ConsumedRecord]:
    """The scenario as the sink reads it, with a workshop and two records the worker
    dead-letters."""
    out: list[ConsumedRecord] = []
    offsets: Counter[str] = Counter()

    def add(topic: str, value: bytes) -> None:
        out.append(ConsumedRecord(topic, 0, offsets[topic], None, value))
        offsets[topic] += 1

    processor = Processor(T, classify=classify)
    sources = [*(as_bytes(e) for e in SOURCES.values()), as_bytes(workshop()), b"{broken",
               b"[1, 2]"]
    for raw in sources:
        origin = Origin(topic=T.intake, partition=0, offset=offsets[T.intake])
        offsets[T.intake] += 1  # the sink reads the worker's sources copy, not intake
        for o in processor.process(raw, origin, NOW):
            add(o.topic, o.value)
    for step in lifecycle_events():
        add(T.lifecycle, step.to_json_bytes())
    return out


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("quality") / "clean.duckdb"
    store = Store(path)
    # Sunk long ago, so nothing is within the settling time of a live store.
    store.write(project(records(), T, NOW))
    store.close()
    return path


Run = Callable[[Path], tuple[int, str, str]]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    def go(store: Path) -> tuple[int, str, str]:
        code = main(["quality", "--store", str(store)])
        out, err = capsys.readouterr()
        return code, out, err
    return go


def corrupted(clean: Path, tmp_path: Path, *statements: str) -> Path:
    copy = tmp_path / "corrupted.duckdb"
    shutil.copyfile(clean, copy)
    con = duckdb.connect(str(copy))
    try:
        for sql in statements:
            con.execute(sql)
    finally:
        con.close()
    return copy


def without_constraints(table: str) -> tuple[str, ...]:
    """DuckDB enforces primary keys and NOT NULL; a damaged store (or one written by something
    else) need not. The copy drops them to be able to plant what they would refuse."""
    return (f"CREATE TABLE loose AS SELECT * FROM {table}", f"DROP TABLE {table}",
            f"ALTER TABLE loose RENAME TO {table}")


def failing(out: str) -> set[str]:
    """The failed expectations the summary names, as 'table.column'."""
    return {line.split("✗ ", 1)[1].split(":", 1)[0] for line in out.splitlines()
            if line.startswith("  ✗ ")}


def test_the_clean_store_passes(clean: Path, run: Run) -> None:
    code, out, err = run(clean)
    assert code == 0, out + err
    assert "Kaikki" in out and "täyttyvät" in out
    for suite in ["events", "knowledge_items", "lifecycle", "dead_letters", "aggregate_members",
                  "sink_counters", "item_milestones", "flow_funnel", "overdue_items"]:
        assert f"  {suite} " in out, suite
    assert (clean.parent / "clean.laatu" / "index.html").exists()
    assert offline_problems(clean.parent / "clean.laatu") == []


def offline_problems(site: Path) -> list[str]:
    """Every stylesheet, script and image a Data Docs page loads, that is not a file of the
    site (GX links them from CDNs; sinks/quality/offline.py points them home)."""
    problems = []
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 10  # the index, each suite's expectations and validation
    for page in pages:
        html = page.read_text("utf-8")
        assert "vegaEmbed" not in html, page  # no charts: the Vega scripts are not vendored
        for tag in re.finditer(r"<(?:script|link|img)\b[^>]*>", html):
            found = re.search(r"""\b(?:src|href)=["']([^"']+)["']""", tag.group(0))
            if found is None:
                continue
            url = found.group(1)
            if "://" in url or url.startswith("//"):
                problems.append(f"{page.relative_to(site)}: {url}")
            elif not (page.parent / url.split("?")[0]).resolve().is_file():
                problems.append(f"{page.relative_to(site)}: {url} is missing")
        problems += [f"{page.relative_to(site)}: {u}"
                     for u in re.findall(r"url\(['\"]?(https?://[^'\")]+)", html)]
    return problems


FIRST_EVENT = "(SELECT min(event_id) FROM {t})"
SECOND_EVENT = "(SELECT max(event_id) FROM {t})"


def _duplicate_id(table: str) -> tuple[str, ...]:
    return (*without_constraints(table),
            f"UPDATE {table} SET event_id = {FIRST_EVENT.format(t=table)} "
            f"WHERE event_id = {SECOND_EVENT.format(t=table)}")


F1, F6 = ITEM["F1"], ITEM["F6"]
REMATERIALISE = ("DELETE FROM item_milestones_materialised",
                 "INSERT INTO item_milestones_materialised BY NAME SELECT * FROM "
                 "item_milestones_at(TIMESTAMPTZ 'infinity', recorded_by := TIMESTAMPTZ "
                 "'infinity')")


def _label(step: str, role: str, themes: str, severity: str, confirmation: str) -> str:
    """A labels_human row about F6 (the clean store has none: no one relabelled)."""
    return (f"INSERT INTO labels_human VALUES (uuid(), '{F6}', '{step}', '{role}', 'lappi', "
            f"NULL, {themes}, NULL, {severity}, {confirmation}, 'syy', "
            "TIMESTAMPTZ '2024-12-10 09:00:00+02', TIMESTAMPTZ '2024-12-10 09:00:00+02', "
            "'kv.lifecycle', 0, 999)")


CORRUPTIONS: dict[str, tuple[tuple[str, ...], set[str]]] = {
    "duplicate event id in events": (_duplicate_id("events"), {"events.event_id"}),
    "duplicate event id in lifecycle": (_duplicate_id("lifecycle"), {"lifecycle.event_id"}),
    "duplicate event id in dead_letters": (_duplicate_id("dead_letters"),
                                           {"dead_letters.event_id"}),
    "duplicate item id": (
        ("INSERT INTO knowledge_items SELECT * REPLACE ('pirkanmaa' AS county) "
         f"FROM knowledge_items WHERE item_id = '{F6}'",),
        {"knowledge_items.item_id"}),
    "null required column (nullable in the schema)": (
        (f"UPDATE knowledge_items SET received_at = NULL WHERE item_id = '{F6}'",),
        {"knowledge_items.received_at"}),
    "null required column (NOT NULL in the schema)": (
        (*without_constraints("events"),
         "UPDATE events SET topic = NULL WHERE event_type = 'item.forwarded' AND item_id = "
         f"'{F6}'"),
        {"events.topic"}),
    # (item_milestones keeps what the sink materialised when the item was classified)
    "unknown stance": (
        (f"UPDATE knowledge_items SET stance = 'angry' WHERE item_id = '{F6}'",),
        {"knowledge_items.stance"}),
    "unknown theme": (
        (f"UPDATE knowledge_items SET themes = ['access', 'parking'] WHERE item_id = '{F6}'",),
        {"knowledge_items.themes"}),
    "unknown actor role": (
        (f"UPDATE lifecycle SET actor_role = 'janitor' WHERE item_id = '{F6}' "
         "AND step = 'closed'",),
        {"lifecycle.actor_role"}),
    "unknown dead-letter reason": (
        ("UPDATE dead_letters SET reason = 'bad_luck' WHERE event_id = "
         + FIRST_EVENT.format(t="dead_letters"),),
        {"dead_letters.reason"}),
    "county not a code": (
        (f"UPDATE lifecycle SET county = 'Lappi!' WHERE item_id = '{F6}' AND step = 'closed'",),
        {"lifecycle.county"}),
    "orphan lifecycle row": (
        ("INSERT INTO lifecycle SELECT * REPLACE (uuid() AS event_id, "
         "'fb-00000000000000ff' AS item_id) FROM lifecycle "
         f"WHERE item_id = '{F6}' AND step = 'closed'",),
        {"lifecycle.item_id"}),
    "orphan routed item (forwarded copy)": (
        ("UPDATE events SET item_id = 'fb-00000000000000ff' WHERE event_id = (SELECT "
         f"min(event_id) FROM events WHERE event_type = 'item.forwarded' AND item_id = '{F6}')",),
        {"events.item_id"}),
    "orphan aggregate member": (
        (f"INSERT INTO aggregate_members VALUES ('{ITEM['AG']}', 'fb-00000000000000ff')",),
        {"aggregate_members.member_item_id"}),
    # As if the decision had come so: the sink's materialised milestones follow the lifecycle.
    "milestones out of order in the lifecycle": (
        (f"UPDATE lifecycle SET occurred_at = TIMESTAMPTZ '2024-12-03 09:00:00+02' "
         f"WHERE item_id = '{F1}' AND step = 'decided'", *REMATERIALISE),
        {"item_milestones.*_at"}),
    "item_milestones behind the lifecycle": (
        (f"UPDATE lifecycle SET occurred_at = TIMESTAMPTZ '2024-12-17 10:00:00+02' "
         f"WHERE item_id = '{F1}' AND step = 'closed'",),
        {"item_milestones.*_at (lifecycle)"}),
    "an item missing from item_milestones": (
        (f"DELETE FROM item_milestones_materialised WHERE item_id = '{F6}'",),
        {"item_milestones.(rivit)"}),
    "milestones out of order in knowledge_items": (
        (f"UPDATE knowledge_items SET closed_at = TIMESTAMPTZ '2024-12-10 09:00:00+02' "
         f"WHERE item_id = '{F6}'",),
        {"knowledge_items.*_at"}),
    "returned without a decision or a reason": (
        ("UPDATE lifecycle SET details = json_object('returned_to', 'client', 'channel', "
         f"'email') WHERE item_id = '{F6}' AND step = 'returned'",),
        {"lifecycle.details.no_decision_reason"}),
    "sink counters off by one": (
        ("UPDATE sink_counters SET value = value + 1 WHERE name = 'consumed'",),
        {"sink_counters.consumed"}),
    "workshop participants do not add up": (
        ("UPDATE workshops SET participants_total = participants_total + 1",),
        {"workshops.participants_total"}),
    "unknown label step": (
        (_label("guessed", "unit_manager", "['safety']", "NULL", "NULL"),),
        {"labels_human.step"}),
    "labelled by a decision-maker": (
        (_label("relabelled", "decision_maker", "['safety']", "NULL", "NULL"),),
        {"labels_human.actor_role"}),
    "a confirmation with themes": (
        (_label("severity_confirmed", "leadership", "['safety']", "'critical'",
                "'confirmed'"),),
        {"labels_human.step, themes, stance, severity, confirmation"}),
    "unknown sink counter": (
        ("INSERT INTO sink_counters VALUES ('lost_in_space', 0)",),
        {"sink_counters.name"}),
}


@pytest.mark.parametrize("name", CORRUPTIONS)
def test_each_corruption_fails_exactly_its_expectation(
    name: str, clean: Path, tmp_path: Path, run: Run,
) -> None:
    statements, expected = CORRUPTIONS[name]
    code, out, err = run(corrupted(clean, tmp_path, *statements))
    assert code == 1, out + err
    assert failing(out) == expected, out
    for where in expected:
        assert where in err  # the exit message names it


PLANTED: dict[str, tuple[str, str, str]] = {
    # kind: (statement, table, the value planted)
    "henkilötunnus": (
        f"UPDATE knowledge_items SET text = text || ' Hetuni on {HETU}.' "
        f"WHERE item_id = '{F6}'", "knowledge_items", HETU),
    "puhelinnumero": (
        "UPDATE lifecycle SET details = json_object('outcome', 'adopted', 'rationale', "
        f"'Soittakaa {PHONE}') WHERE item_id = '{F1}' AND step = 'decided'", "lifecycle",
        PHONE),
    "sähköposti": (
        f"UPDATE dead_letters SET detail = 'from {EMAIL}' WHERE event_id = "
        + FIRST_EVENT.format(t="dead_letters"), "dead_letters", EMAIL),
    "IBAN": (
        "UPDATE events SET payload = json_object('item', json_object('text', "
        f"'Tilini {IBAN}')) WHERE event_type = 'item.forwarded' AND item_id = '{F6}'",
        "events", IBAN),
}


@pytest.mark.parametrize("kind", PLANTED)
def test_an_identifier_planted_in_a_text_column_is_named_by_row_and_kind_never_shown(
    kind: str, clean: Path, tmp_path: Path, run: Run,
) -> None:
    statement, table, value = PLANTED[kind]
    store = corrupted(clean, tmp_path, statement)
    code, out, err = run(store)
    assert code == 1, out + err
    assert failing(out) == {f"{table} (tekstisarakkeet)"}, out
    assert kind in out
    docs = store.with_name(store.stem + ".laatu")
    pages = " ".join(p.read_text("utf-8") for p in docs.rglob("*.html"))
    for shown in (out, err, pages):
        assert value not in shown and value.replace(" ", "") not in shown


def test_a_live_store_is_read_from_its_snapshot(clean: Path, tmp_path: Path, run: Run) -> None:
    # The sink holds the store itself; the command reads the published snapshot beside it.
    store = tmp_path / "kokemusvirta.duckdb"
    shutil.copyfile(clean, tmp_path / "kokemusvirta.snapshot.duckdb")
    with duckdb.connect(str(store)) as writer:  # a sink's lock on the store itself
        writer.execute("CREATE TABLE busy (x INTEGER)")
        code, out, _ = run(store)
    assert code == 0, out
    assert "kokemusvirta.snapshot.duckdb" in out


def test_no_store_or_a_foreign_docs_folder_is_exit_2(
    clean: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["quality", "--store", str(tmp_path / "none.duckdb")]) == 2
    assert not (tmp_path / "none.laatu").exists()
    mine = tmp_path / "my-notes"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    assert main(["quality", "--store", str(clean), "--docs", str(mine)]) == 2
    assert (mine / "notes.txt").read_text() == "keep me"
    assert "--docs" in capsys.readouterr().err
    other = tmp_path / "other.duckdb"
    duckdb.connect(str(other)).close()
    assert main(["quality", "--store", str(other)]) == 2
    assert "not a Kokemusvirta store" in capsys.readouterr().err
    assert not (tmp_path / "other.laatu").exists()


def test_the_counters_balance_the_way_docs_quality_md_says(clean: Path) -> None:
    with duckdb.connect(str(clean), read_only=True) as con:
        counters = dict(con.execute("SELECT name, value FROM sink_counters").fetchall())
        rows = con.execute("SELECT (SELECT count(*) FROM events) + "
                           "(SELECT count(*) FROM dead_letters)").fetchone()
        dead = con.execute("SELECT count(*) FROM dead_letters WHERE origin_topic = ?",
                           [T.intake]).fetchone()
    assert rows is not None
    # Two invalid intake records: the sink never reads intake (issue 12), so none is rejected
    # there; each one's dead letter (which the worker wrote) is a row of dead_letters.
    assert counters.get("intake_rejected", 0) == 0 and dead == (2,)
    assert counters["consumed"] == rows[0] + counters.get("intake_rejected", 0)
    assert json.dumps(counters)  # plain numbers
