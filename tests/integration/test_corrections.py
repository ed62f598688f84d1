"""Staff corrections end to end (issue 14), against the real broker, worker and sink: a unit
manager confirms a critical item and relabels another through the desk; the store keeps the
classifier's and the person's labels side by side, the metrics use the person's, `eval
--from-store` scores the classifier against them and `corrections export` writes them without
identifiers."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from kokemusvirta.settings import Settings
from schemas.knowledge import SourceFamily
from sinks import reader as query
from streams.items import item_id_for
from tests.conftest import RequesterSettings
from tests.factories import as_bytes, feedback
from tests.integration.helpers import catch_up, publish, running
from tests.integration.test_unit_managers import kv

pytestmark = pytest.mark.broker

UNIT = "lappi.rovaniemen-terveysasema"
HARM = "Äidilleni annettiin väärää lääkettä ja hän joutui teho-osastolle."
WAITING = "Jonotin puhelimessa tunnin, eikä kukaan vastannut. Soittakaa 040 765 4321."


def test_a_manager_confirms_and_relabels_and_the_store_learns(
    settings_factory: Callable[..., Settings], requester_settings: RequesterSettings,
    tmp_path: Path,
) -> None:
    admin = settings_factory()
    s = requester_settings(admin, "unit", UNIT)
    critical = feedback(text=HARM, client_id="asiakas-4711",
                        occurred_at="2026-10-01T10:00:00+03:00")
    waiting = feedback(text=WAITING, client_id="asiakas-4712",
                       occurred_at="2026-10-01T11:00:00+03:00")
    crit_id = item_id_for(SourceFamily.FEEDBACK, critical["event_id"])
    wait_id = item_id_for(SourceFamily.FEEDBACK, waiting["event_id"])
    exported = tmp_path / "corrections.jsonl"

    with running(admin, "worker", "sink") as children:
        publish(admin, [as_bytes(critical), as_bytes(waiting)])
        catch_up(admin, children)

        # The inbox marks the critical item as waiting for a person's confirmation.
        inbox = {r["item_id"]: r for r in json.loads(
            kv(s, "inbox", "--unit", UNIT, "--json").stdout)}
        assert inbox[crit_id]["severity"] == "critical"
        assert inbox[crit_id]["confirmation_waiting"] is True
        assert inbox[wait_id]["confirmation_waiting"] is False

        # Only a critical item is confirmed: the desk's pre-check says so without sending.
        early = kv(s, "confirm", wait_id, "--reason", "Tarkistin.")
        assert early.returncode == 1 and "not critical" in early.stdout, early.stdout

        confirm = kv(s, "confirm", crit_id, "--reason",
                     "Soitin omaiselle 040 111 2222: vakava tilanne.",
                     "--at", "2026-10-01T12:00")
        assert confirm.returncode == 0, confirm.stdout + confirm.stderr
        assert "hyväksytty (accepted): vakavuus vahvistettu" in confirm.stdout
        relabel = kv(s, "relabel", wait_id, "--themes", "access,communication", "--stance",
                     "complaint", "--severity", "low", "--reason", "Puhelinpalvelu, ei muuta.",
                     "--at", "2026-10-01T12:30")
        assert relabel.returncode == 0, relabel.stdout + relabel.stderr
        # A second confirmation is the worker's to refuse, a dead letter with the reason.
        again = kv(s, "confirm", crit_id, "--downgrade-to", "low", "--reason", "Toisin.",
                   "--skip-check")
        assert again.returncode == 1 and "severity_confirmed repeated" in again.stdout
        catch_up(admin, children)

        inbox = {r["item_id"]: r for r in json.loads(
            kv(s, "inbox", "--unit", UNIT, "--json").stdout)}
        assert inbox[crit_id]["confirmation_waiting"] is False
        assert (inbox[wait_id]["severity"], inbox[wait_id]["themes"]) == (
            "low", ["access", "communication"])  # the person's labels, not the routed copy's

        scores = kv(s, "eval", "--from-store", "--json")
        assert scores.returncode == 0, scores.stderr
        assert kv(s, "corrections", "export", str(exported)).returncode == 0
        now = kv(s, "eval", "--from-store", "--current")  # the classifier as it is now
        assert now.returncode == 0 and "per classifier version:" in now.stdout, now.stderr
        nowhere = kv(s, "corrections", "export", str(tmp_path / "no" / "such" / "x.jsonl"))
        assert nowhere.returncode == 2 and len(nowhere.stderr.strip().splitlines()) == 1

    _, side_by_side = query.run(s.store, f"""
        select item_id, machine_severity, human_severity, severity, machine_themes,
               human_themes, themes, critical_suspected is not null
        from item_labels where item_id in ('{crit_id}', '{wait_id}') order by item_id = '{wait_id}'
    """)
    crit_row, wait_row = side_by_side
    assert crit_row[1:4] == ("critical", "critical", "critical") and crit_row[7]
    assert wait_row[2:4] == ("low", "low") and wait_row[5] == wait_row[6] == [
        "access", "communication"]
    _, metric = query.run(s.store, f"select severity, themes from item_milestones "
                                   f"where item_id = '{wait_id}'")
    assert metric == [("low", ["access", "communication"])]
    _, confirmed = query.run(s.store, "select item_id, confirmation, waiting "
                                      "from severity_confirmations")
    assert confirmed == [(crit_id, "confirmed", False)]
    _, reasons = query.run(s.store, "select reason from labels_human order by occurred_at")
    assert reasons == [("Soitin omaiselle [PUHELIN]: vakava tilanne.",),
                       ("Puhelinpalvelu, ei muuta.",)]  # redacted at the desk

    result = json.loads(scores.stdout)
    assert result["all"]["items"] == 2 and list(result["county"]) == ["lappi"]
    assert result["all"]["severity"]["rows"] == 2
    assert result["all"]["severity"]["critical_recall"] == 1.0
    assert result["all"]["themes"]["rows"] == 1 and len(result["classifier_version"]) == 1

    rows = [json.loads(line) for line in exported.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["c0001", "c0002"]
    assert {tuple(sorted(r)) for r in rows} == {
        ("id", "lang", "severity", "source", "stance", "text", "themes")}
    assert rows[1]["themes"] == ["access", "communication"] and rows[1]["severity"] == "low"
    _, pseudonyms = query.run(s.store, "select client_pseudonym from knowledge_items "
                                       "where client_pseudonym is not null")
    written = exported.read_text(encoding="utf-8")
    assert len(pseudonyms) == 2
    for leak in (crit_id, wait_id, "asiakas-47", "040 765 4321",
                 "matti.meikalainen@example.fi", *(p for (p,) in pseudonyms)):
        assert leak not in written, leak
