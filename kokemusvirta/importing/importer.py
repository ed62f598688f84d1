"""An import: the export's rows become records (rows.py), the ledger leaves out those already
published, and the rest go out through the intake gateway's one publishing path
(kokemusvirta/publish.py), sealed; what the broker acknowledged is written to the ledger.

`plan` is pure (a table in, records and bad rows out); `carry_out` takes the ledger and a
publish function, so both are tested without a broker.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from kokemusvirta.importing.ledger import Ledger
from kokemusvirta.importing.mapping import ImportMapping, column_positions
from kokemusvirta.importing.readers import Table
from kokemusvirta.importing.rows import BadRow, Candidate, RowConverter
from kokemusvirta.publish import PublishReport
from schemas.organisations import OrganisationRegistry

PROGRESS_EVERY = 5000


@dataclass
class Plan:
    described: str  # how the file was read ("CSV, UTF-8, delimiter ';'")
    rows: int = 0
    candidates: list[Candidate] = field(default_factory=list)
    bad: list[BadRow] = field(default_factory=list)
    skipped: int = 0  # rows without text, where the mapping says to skip them


@dataclass
class ImportReport:
    described: str
    rows: int
    imported: int
    already: int
    skipped: int
    bad: list[BadRow]
    dry_run: bool = False


def plan(table: Table, mapping: ImportMapping, registry: OrganisationRegistry, *,
         county: str | None, recorded_at: datetime,
         on_progress: Callable[[int], None] | None = None) -> Plan:
    """Every row after the header as a record or a bad row. MappingProblem when the header
    lacks a column the mapping names (before any row is read)."""
    positions = column_positions(mapping, table.header)
    converter = RowConverter(mapping, positions, registry, county=county,
                             recorded_at=recorded_at)
    result = Plan(described=table.described)
    for number, cells in table.rows:
        if number <= mapping.header_row:
            continue
        result.rows += 1
        converted = converter.convert(number, cells)
        if converted is None:
            result.skipped += 1
        elif isinstance(converted, BadRow):
            result.bad.append(converted)
        else:
            result.candidates.append(converted)
        if on_progress and result.rows % PROGRESS_EVERY == 0:
            on_progress(result.rows)
    return result


Publish = Callable[[list[bytes]], PublishReport]


def carry_out(the_plan: Plan, ledger: Ledger, topic: str, mapping_name: str,
              publish: Publish | None) -> ImportReport:
    """Publish the planned records the ledger does not know (none with publish=None, a dry
    run) and record those the broker acknowledged."""
    known = ledger.known(topic, (c.event_id for c in the_plan.candidates))
    new = [c for c in the_plan.candidates if c.event_id not in known]
    bad = list(the_plan.bad)
    imported = len(new)
    if publish is not None and new:
        report = publish([c.line for c in new])
        # publish_lines numbers the lines it was given from 1: line n is new[n - 1].
        refused = {b.line_number: b for b in report.bad_lines}
        acknowledged = [c.event_id for n, c in enumerate(new, start=1) if n not in refused]
        ledger.record(topic, acknowledged, mapping_name)
        imported = len(acknowledged)
        bad += [BadRow(new[n - 1].row, f"{b.reason}: {b.detail}") for n, b in refused.items()]
    return ImportReport(described=the_plan.described, rows=the_plan.rows, imported=imported,
                        already=len(known), skipped=the_plan.skipped,
                        bad=sorted(bad, key=lambda b: b.row), dry_run=publish is None)


def summary(report: ImportReport, topic: str) -> str:
    """One line, Finnish first: what was imported, already imported, bad and skipped."""
    verb = "tuotaisiin (would import)" if report.dry_run else "tuotu (imported)"
    line = (f"{verb} {report.imported}, jo aiemmin tuotu (already imported) {report.already}, "
            f"virheellisiä (bad) {len(report.bad)}")
    if report.skipped:
        line += f", ohitettu ilman tekstiä (skipped, no text) {report.skipped}"
    line += f" of {report.rows} rows ({report.described})"
    line += "; kuiva-ajo, mitään ei julkaistu (dry run, nothing published)" if report.dry_run \
        else f" to {topic}"
    return line
