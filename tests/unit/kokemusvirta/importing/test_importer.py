"""An import publishes only what the ledger does not know, and records only what the broker
acknowledged: a row imported twice publishes nothing new, a refused row is published next time."""

from __future__ import annotations

import json
from pathlib import Path

from kokemusvirta.importing.importer import Plan, carry_out, plan, summary
from kokemusvirta.importing.ledger import Ledger, ledger_path
from kokemusvirta.importing.mapping import load
from kokemusvirta.importing.readers import read_csv
from kokemusvirta.organisations import demo_organisations
from kokemusvirta.publish import NOT_PUBLISHED, BadLine, PublishReport
from tests.unit.kokemusvirta.importing.test_rows import NOW

EXPORT = ("\ufeffvastaus_id;vastausaika;yksikkö;arvosana;palaute;kieli;haluan_vastauksen;"
          "yhteystieto\n"
          "1;01.10.2026 09:12;Rovaniemen terveysasema;4;Hyvä palvelu;suomi;ei;\n"
          "2;01.10.2026 09:13;Olematon yksikkö;4;Hyvä;suomi;ei;\n"
          "3;01.10.2026 09:14;kemin-terveysasema;2;Jono oli pitkä;suomi;kyllä;a@example.fi\n"
          "4;01.10.2026 09:15;kemin-terveysasema;9;Liian hyvä;suomi;ei;\n").encode()


class Publisher:
    """Stands in for publish_lines: refuses the lines whose text says so."""

    def __init__(self) -> None:
        self.sent: list[bytes] = []
        self.refuse = "Jono"

    def __call__(self, lines: list[bytes]) -> PublishReport:
        report = PublishReport()
        for n, line in enumerate(lines, start=1):
            if self.refuse and self.refuse in json.loads(line)["text"]:
                report.bad_lines.append(BadLine(n, NOT_PUBLISHED, "refused by the broker (X)"))
            else:
                self.sent.append(line)
                report.published += 1
        return report


def planned() -> Plan:
    return plan(read_csv(EXPORT), load(Path("survey-generic")), demo_organisations(),
                county="lappi", recorded_at=NOW)


def test_good_rows_go_bad_rows_are_named_and_a_second_import_publishes_nothing(
        tmp_path: Path) -> None:
    ledger = Ledger(ledger_path(tmp_path))
    publish = Publisher()
    report = carry_out(planned(), ledger, "intake", "survey-generic", publish)
    assert [b.row for b in report.bad] == [3, 4, 5]  # unknown unit, refused, rating 9
    assert "not_published" in report.bad[1].reason
    assert (report.imported, report.already, report.rows) == (1, 0, 4)
    assert len(publish.sent) == 1
    assert summary(report, "intake").startswith(
        "tuotu (imported) 1, jo aiemmin tuotu (already imported) 0, virheellisiä (bad) 3 of 4 "
        "rows (CSV, UTF-8 with BOM, delimiter ';') to intake")

    publish.refuse = ""  # the broker takes it now: the refused row goes, the other not again
    again = carry_out(planned(), ledger, "intake", "survey-generic", publish)
    assert (again.imported, again.already, [b.row for b in again.bad]) == (1, 1, [3, 5])
    assert [json.loads(line)["text"] for line in publish.sent] == ["Hyvä palvelu",
                                                                   "Jono oli pitkä"]
    third = carry_out(planned(), ledger, "intake", "survey-generic", publish)
    assert (third.imported, third.already) == (0, 2)
    assert len(publish.sent) == 2
    # another intake topic (another deployment's prefix) has its own account
    other = carry_out(planned(), ledger, "t2.intake", "survey-generic", publish)
    assert other.imported == 2


def test_a_dry_run_publishes_and_records_nothing(tmp_path: Path) -> None:
    path = ledger_path(tmp_path)
    ledger = Ledger(path, read_only=True)
    report = carry_out(planned(), ledger, "intake", "survey-generic", None)
    assert (report.imported, report.dry_run) == (2, True)
    assert "tuotaisiin (would import) 2" in summary(report, "intake")
    assert "dry run, nothing published" in summary(report, "intake")
    assert not path.exists()


def test_the_ledger_holds_no_row_content(tmp_path: Path) -> None:
    carry_out(planned(), Ledger(ledger_path(tmp_path)), "intake", "survey-generic",
              Publisher())
    stored = ledger_path(tmp_path).read_bytes()
    assert b"example.fi" not in stored and "Hyvä".encode() not in stored
