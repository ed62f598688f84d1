"""The evaluation interface (issue 14): `kokemusvirta classify` reads {id, text, source} without a
language and prints themes, stance, severity and redacted_text; a suspected item is printed with
severity critical and "critical_suspected": true (it counts as found)."""

from __future__ import annotations

import json

from kokemusvirta.commands.classify import classify_one

KEYS = {"id", "language", "themes", "stance", "severity", "critical_suspected", "redacted_text",
        "explanation", "classifier_version"}


def test_a_suspected_item_prints_critical_and_the_flag() -> None:
    out = classify_one({"id": "x1", "text": "Kotihoito unohti antaa isän insuliinin. "
                        "Soittakaa 040 765 4321.", "source": "feedback"}, "auto")
    assert set(out) == KEYS
    assert out["severity"] == "critical" and out["critical_suspected"] is True
    assert "040 765 4321" not in out["redacted_text"]
    assert "medication" in out["explanation"]["frames"]
    assert "critical suspected" in out["explanation"]["summary"]
    json.dumps(out)  # printable as one JSON line


def test_a_complete_frame_is_critical_without_the_flag_and_others_print_false() -> None:
    found = classify_one({"id": 2, "text": "Muistisairas äiti kaatui yöllä eikä kukaan tullut "
                          "auttamaan.", "source": "feedback"}, "auto")
    assert found["severity"] == "critical" and found["critical_suspected"] is False
    plain = classify_one({"id": 3, "text": "Kiitos ystävällisestä palvelusta!",
                          "source": "feedback"}, "auto")
    assert plain["severity"] == "none" and plain["critical_suspected"] is False
    assert isinstance(plain["themes"], list) and plain["stance"] == "praise"
