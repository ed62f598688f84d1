"""`kokemusvirta classify` and `kokemusvirta eval` as a user runs them (subprocesses)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from kokemusvirta.settings import PROJECT_ROOT

KV = PROJECT_ROOT / ".venv" / "bin" / "kokemusvirta"
DATA = Path(__file__).parents[2] / "data"


def run(*args: str, stdin: str = "", env: dict[str, str] | None = None,
        ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(KV), *args], input=stdin, capture_output=True, text=True,
                          timeout=120, env={**os.environ, **(env or {})}, check=False)


def test_classify_writes_one_object_per_line_and_reports_bad_lines() -> None:
    lines = [
        json.dumps({"id": "a", "text": "Hoitaja löi isääni. Soittakaa 040 765 4321.",
                    "lang": "fi", "source": "feedback"}, ensure_ascii=False),
        "{not json",
        json.dumps({"id": "b", "text": "Tack för ett vänligt bemötande!"}, ensure_ascii=False),
        json.dumps({"id": "c"}),
        "",
        json.dumps({"id": "d", "text": "Mun lean hui duhtavaš bálvalussii, giitu!",
                    "lang": "se"}, ensure_ascii=False),
        json.dumps(["a list"]),
    ]
    done = run("classify", "-", stdin="\n".join(lines) + "\n")
    assert done.returncode == 1, done.stderr
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", "b", "d"]
    for o in out:
        assert {"id", "language", "themes", "stance", "severity", "redacted_text",
                "explanation"} <= set(o)
    a, b, d = out
    assert a["language"] == "fi" and a["severity"] == "critical" and "safety" in a["themes"]
    assert "040 765 4321" not in a["redacted_text"]
    assert "löi" in a["explanation"]["summary"]
    assert b["language"] == "sv" and b["stance"] == "praise"
    assert d["language"] == "se"  # Northern Sámi is recognised and noted (issue 14)
    errors = done.stderr.splitlines()
    assert any(e.startswith("kokemusvirta: line 2: not JSON") for e in errors)
    assert any(e.startswith("kokemusvirta: line 4: missing text") for e in errors)
    assert any(e.startswith("kokemusvirta: line 7: not a JSON object") for e in errors)


def test_classify_scoring_interface_without_a_language(tmp_path: Path) -> None:
    """The unseen evaluation set's interface: {id, text, source}, no language; a suspected item
    prints severity critical and critical_suspected true."""
    rows = [{"id": "s1", "text": "Kotihoito unohti antaa isän insuliinin.", "source": "feedback"},
            {"id": "s2", "text": "Ajanvarausviesti myös tekstiviestinä",
             "source": "workshop_output"}]
    f = tmp_path / "unseen.jsonl"
    f.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    done = run("classify", str(f))
    assert done.returncode == 0, done.stderr
    s1, s2 = (json.loads(line) for line in done.stdout.splitlines())
    for o in (s1, s2):
        assert {"themes", "stance", "severity", "redacted_text", "critical_suspected"} <= set(o)
    assert s1["severity"] == "critical" and s1["critical_suspected"] is True
    assert s2["language"] == "fi" and s2["themes"] and s2["critical_suspected"] is False


def test_classify_reads_a_file(tmp_path: Path) -> None:
    f = tmp_path / "in.jsonl"
    f.write_text(json.dumps({"id": 1, "text": "Kiitos nopeasta palvelusta!"}) + "\n", "utf-8")
    done = run("classify", str(f))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["stance"] == "praise"


def test_eval_prints_the_scores_and_meets_the_targets() -> None:
    done = run("eval", str(DATA / "feedback_labelled_sample.jsonl"), "--json")
    assert done.returncode == 0, done.stderr
    scores = json.loads(done.stdout)
    assert set(scores["themes"]) == {"quality", "safety", "environment", "access",
                                     "coordination", "digital", "fees", "listening",
                                     "communication", "respect"}
    assert scores["macro_f1"] >= 0.85 and scores["stance_accuracy"] >= 0.90
    assert scores["critical_recall"] == 1.0 and scores["none_predicted_critical"] == []
    confusion = scores["severity_confusion"]
    assert sum(n for row in confusion.values() for n in row.values()) == scores["rows"]
    text = run("eval", str(DATA / "classifier_holdout.jsonl"), "--bench", "2").stdout
    for heading in ("theme macro-F1", "stance accuracy", "severity confusion",
                    "critical recall", "none -> critical", "speed: median"):
        assert heading in text


def test_eval_with_the_snowball_fallback_forced() -> None:
    done = run("eval", str(DATA / "feedback_labelled_sample.jsonl"), "--json",
               env={"KOKEMUSVIRTA_ANALYSER": "snowball"})
    assert done.returncode == 0, done.stderr
    scores = json.loads(done.stdout)
    assert scores["classifier_version"].endswith("+snowball")
    assert scores["critical_recall"] == 1.0
