"""`kokemusvirta import` against the real broker, worker and sink: the good rows of an export
reach the store, the bad ones are named by their row numbers, an import run twice publishes
nothing new, a smiley terminal's XLSX lands with its buttons as ratings, and a spreadsheet of
statements lands as statements."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kokemusvirta.importing.example_files import SMILEY, STATEMENTS, write_xlsx
from kokemusvirta.processes import child_env
from kokemusvirta.settings import Settings
from sinks import reader as query
from tests.conftest import SettingsFactory, SystemSettings
from tests.integration.helpers import catch_up, read_topic, running

pytestmark = pytest.mark.broker

# A survey export as an older Finnish Excel writes it: Windows-1252, ';'. Row 1 is the header.
SURVEY = (
    "vastaus_id;vastausaika;yksikkö;arvosana;palaute;kieli;haluan_vastauksen;yhteystieto\r\n"
    "1;01.10.2026 09:12;Rovaniemen terveysasema;2;Jonotin puhelimessa tunnin.;suomi;kyllä;"
    "maija.meikalainen@example.fi\r\n"                                       # row 2: good
    "2;01.10.2026 09:30;Olematon terveysasema;4;Hyvä palvelu.;suomi;ei;\r\n"  # 3: unknown unit
    "3;02.10.2026 14:05;kemin-terveysasema;5;Ystävällinen hoitaja.;suomi;ei;\r\n"  # 4: good
    "4;02.10.2026 15:00;Kemin terveysasema;9;Liian hyvä.;suomi;ei;\r\n"       # 5: rating 9
    "5;2.10.;Kemin terveysasema;3;Aika puuttuu.;suomi;ei;\r\n"               # 6: bad time
    "6;03.10.2026 08:00;Kemi hälsostation;3;Väntetiden var lång.;ruotsi;nej;\r\n"  # 7: good
).encode("cp1252")
SMILEY_RATINGS = {"Nopea palvelu": 4, "Ilmoittautumisautomaatti ei toiminut taaskaan": 1,
                  "Odotustilassa on kylmä": 2, "Ystävällinen vastaanotto": 5}


def kv(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    assert settings.kafka_bootstrap_servers
    return subprocess.run([sys.executable, "-m", "kokemusvirta", *args],
                          env=child_env(settings, settings.kafka_bootstrap_servers),
                          capture_output=True, text=True, timeout=180, check=False)


def test_an_import_with_bad_rows_imports_the_good_ones_once_and_names_the_bad(
        settings_factory: SettingsFactory, system_settings: SystemSettings,
        tmp_path: Path) -> None:
    s = settings_factory()
    gateway = system_settings(s, "gateway")  # the import's principal: it may only write intake
    survey = tmp_path / "kysely.csv"
    survey.write_bytes(SURVEY)
    terminal = write_xlsx(SMILEY, tmp_path / "hymiot.xlsx")
    with running(s, "worker", "sink") as children:
        first = kv(gateway, "import", str(survey), "--mapping", "survey-generic",
                   "--county", "lappi")
        assert first.returncode == 1, first.stderr
        bad = [line for line in first.stderr.splitlines()
               if line.startswith("kokemusvirta: rivi")]
        assert [b.split(":")[1].strip() for b in bad] == [
            "rivi (row) 3", "rivi (row) 5", "rivi (row) 6"], first.stderr
        assert "unknown_unit" in bad[0] and "dead letter" in bad[0]
        assert "rating (column 'arvosana')" in bad[1]
        assert "time (column 'vastausaika')" in bad[2]
        assert "Windows-1252 (cp1252), delimiter ';'" in first.stdout
        assert "tuotu (imported) 3, jo aiemmin tuotu (already imported) 0, " \
               "virheellisiä (bad) 3 of 6 rows" in first.stdout

        again = kv(gateway, "import", str(survey), "--mapping", "survey-generic",
                   "--county", "lappi")
        assert again.returncode == 1, again.stderr
        assert "tuotu (imported) 0, jo aiemmin tuotu (already imported) 3" in again.stdout

        smileys = kv(gateway, "import", str(terminal), "--mapping", "smiley-terminal",
                     "--county", "lappi")
        assert smileys.returncode == 0, smileys.stderr
        assert "tuotu (imported) 4, jo aiemmin tuotu (already imported) 0, virheellisiä (bad) " \
               "0, ohitettu ilman tekstiä (skipped, no text) 2 of 6 rows (XLSX" in smileys.stdout
        statements = kv(gateway, "import", str(STATEMENTS), "--mapping", "expert-statements",
                        "--county", "lappi")
        assert statements.returncode == 0, statements.stderr
        assert "tuotu (imported) 2," in statements.stdout
        catch_up(s, children)

    # The second import published nothing: nine records on the intake topic, nine items.
    intake = [json.loads(v) for _, v, _ in read_topic(s, s.topics.intake)]
    assert len(intake) == 3 + 4 + 2
    # The gateway sealed the contact before it reached Kafka.
    assert not any("maija" in json.dumps(r) for r in intake)
    assert sum(r.get("contact_sealed") is not None for r in intake) == 1
    _, items = query.run(s.store, "select text, unit, service_area, rating, language, channel, "
                                  "reply_requested, contact_given, received_at "
                                  "from knowledge_items where source_family = 'feedback' "
                                  "order by received_at")
    assert len(items) == 7
    by_text = {row[0]: row for row in items}
    queued = by_text["Jonotin puhelimessa tunnin."]
    assert queued[1:8] == ("rovaniemen-terveysasema", "perusterveydenhuolto", 2, "fi",
                           "electronic", True, True)
    assert queued[8] == datetime(2026, 10, 1, 6, 12, tzinfo=UTC)  # 09:12 Helsinki summer time
    assert by_text["Väntetiden var lång."][1:5] == ("kemin-terveysasema", "perusterveydenhuolto",
                                                    3, "sv")
    assert {text: by_text[text][3] for text in SMILEY_RATINGS} == SMILEY_RATINGS
    assert by_text["Nopea palvelu"][8] == datetime(2026, 10, 1, 5, 3, 40, tzinfo=UTC)
    _, said = query.run(s.store, "select service_area, unit, decision_ref from knowledge_items "
                                 "where source_family = 'expert_statement' order by received_at")
    assert said == [("ikaantyneiden-palvelut", None, "LAPHA/88/2026"),
                    ("perusterveydenhuolto", "rovaniemen-terveysasema", None)]
    _, dead = query.run(s.store, "select count(*) from dead_letters")
    assert dead == [(0,)]  # the bad rows were never published


@pytest.mark.parametrize(("args", "said"), [
    (["nosuch.csv", "--mapping", "survey-generic"],
     "tiedostoa ei ole (no such file or directory): nosuch.csv"),
    (["{export}", "--mapping", "nosuch.yaml"],
     "tuontimääritys (mapping): tiedostoa ei ole (no such file or directory): nosuch.yaml"),
    (["{export}", "--mapping", "{bad_mapping}"],
     "tuontimääritys ei kelpaa (bad mapping) {bad_mapping}: unknown key(s) kommentti"),
    (["{export}", "--mapping", "survey-generic", "--county", "lappi"],
     "the file's header has no column(s) 'vastaus_id'"),
    (["{export}", "--mapping", "smiley-terminal"], "give --county CODE"),
])
def test_an_unusable_file_or_mapping_is_one_line_and_exit_2(
        settings_factory: SettingsFactory, tmp_path: Path, args: list[str], said: str) -> None:
    s = settings_factory()
    names = {"export": str(SMILEY), "bad_mapping": str(tmp_path / "m.yaml")}
    (tmp_path / "m.yaml").write_text("kommentti: {column: x}\n", encoding="utf-8")
    done = kv(s, "import", *(a.format(**names) for a in args))
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert said.format(**names) in done.stderr


def test_publish_as_the_gateway_skips_making_topics_and_says_so(
        settings_factory: SettingsFactory, system_settings: SystemSettings,
        tmp_path: Path) -> None:
    """The gateway may write intake and make no topic: `publish` with its credentials goes on to
    the topic the set-up made (one stderr line), instead of failing on the topics' creation."""
    from kokemusvirta import kafka as kv_kafka
    from tests.factories import feedback

    s = settings_factory()
    assert s.kafka_bootstrap_servers
    kv_kafka.ensure_topics(s, s.kafka_bootstrap_servers)  # the set-up, as the admin
    gateway = system_settings(s, "gateway")
    jsonl = tmp_path / "palautteet.jsonl"
    jsonl.write_text(json.dumps(feedback(), ensure_ascii=False) + "\n", encoding="utf-8")
    done = kv(gateway, "publish", str(jsonl))
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    (line,) = [x for x in done.stderr.splitlines() if x.startswith("kokemusvirta:")]
    assert "may not create topics" in line and s.topics.intake in line
    ((_, value, _),) = read_topic(s, s.topics.intake)
    assert json.loads(value)["text"] == feedback()["text"]
    assert "matti" not in value.decode("utf-8")  # sealed on the way, as ever
