"""The shipped example exports, and an XLSX made from a CSV one (no binary files in the
repository): `python -m kokemusvirta.importing.example_files OUT.xlsx`.

The XLSX holds real Excel dates (not text) in its time column, as a terminal's own XLSX export
does; the same mapping reads the CSV and the XLSX.
"""

from __future__ import annotations

import csv
import sys
from datetime import datetime
from pathlib import Path

EXAMPLES = Path(__file__).resolve().with_name("examples")
SMILEY = EXAMPLES / "smiley-terminal.csv"
SURVEY = EXAMPLES / "survey-generic.csv"
STATEMENTS = EXAMPLES / "expert-statements.csv"


def write_xlsx(csv_path: Path, out: Path, *, time_column: str = "Timestamp",
               time_format: str = "%Y-%m-%d %H:%M:%S", sheet: str = "Export") -> Path:
    """The CSV example as a workbook of one sheet, its time column as Excel dates."""
    from openpyxl import Workbook

    text = csv_path.read_text(encoding="utf-8-sig")
    delimiter = ";" if text.splitlines()[0].count(";") > text.splitlines()[0].count(",") else ","
    rows = list(csv.reader(text.splitlines(keepends=True), delimiter=delimiter))
    header, body = rows[0], rows[1:]
    at = header.index(time_column)
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet
    ws.append(header)
    for row in body:
        cells: list[object] = [c if c else None for c in row]
        cells[at] = datetime.strptime(row[at], time_format)
        ws.append(cells)
        ws.cell(row=ws.max_row, column=at + 1).number_format = "dd.mm.yyyy hh:mm:ss"
    book.save(out)
    return out


if __name__ == "__main__":
    print(write_xlsx(SMILEY, Path(sys.argv[1] if len(sys.argv) > 1 else "smiley-terminal.xlsx")))
