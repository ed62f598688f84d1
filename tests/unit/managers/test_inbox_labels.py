"""The inbox shows the labels that count (a person's where given) and marks a critical item that
waits for a person's confirmation (managers/inbox.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from managers import inbox as ib

ITEM = ib.InboxItem(item_id="fb-0123456789abcdef", source_family="feedback",
                    received_at=datetime(2026, 10, 1, 8, tzinfo=UTC), themes=("safety",),
                    stance="complaint", severity="critical", immediate_attention=True,
                    text="Lääke jäi antamatta.", status="routed")


def test_a_persons_labels_replace_the_routed_copys() -> None:
    relabelled = ib.with_labels(ITEM, ("quality",), "mixed", "medium", False)
    (row,) = ib.json_rows([relabelled], date(2026, 10, 2))
    assert (row["themes"], row["stance"], row["severity"]) == (["quality"], "mixed", "medium")
    assert row["immediate_attention"] is True  # the routing done stays as it was
    assert row["confirmation_waiting"] is False


def test_a_critical_item_waiting_for_confirmation_is_marked() -> None:
    waiting = ib.with_labels(ITEM, ITEM.themes, ITEM.stance, ITEM.severity, True)
    (row,) = ib.table_rows([waiting], date(2026, 10, 2))
    assert row[0] == "kriittinen ! ?"
    (plain,) = ib.table_rows([ITEM], date(2026, 10, 2))
    assert plain[0] == "kriittinen !"
    assert ib.json_rows([waiting], date(2026, 10, 2))[0]["confirmation_waiting"] is True
