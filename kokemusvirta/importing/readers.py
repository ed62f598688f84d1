"""Reading a survey export: CSV (any of the delimiters and encodings Finnish exports come in) or
XLSX. Each gives its header and its rows with the spreadsheet's own row numbers (the header is
row 1 unless the mapping says otherwise), so a bad row is named as the user sees it in Excel.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

Cell = str | int | float | datetime | None
Row = tuple[int, list[Cell]]


class ReadProblem(ValueError):
    """The file cannot be read as an export: one line."""


@dataclass
class Table:
    header: list[Cell]
    rows: Iterator[Row]  # (row number, cells); blank rows left out
    described: str  # "CSV, UTF-8 with BOM, delimiter ';'", for the summary line


CSV_SUFFIXES = {".csv", ".tsv", ".txt"}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}
DELIMITERS = {";": "';'", ",": "','", "\t": "tab"}


def read(path: Path, *, sheet: str | None = None, header_row: int = 1) -> Table:
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return read_csv(path.read_bytes(), header_row=header_row)
    if suffix in XLSX_SUFFIXES:
        return read_xlsx(path, sheet=sheet, header_row=header_row)
    if suffix == ".xls":
        raise ReadProblem("vanha Excel-muoto (old .xls format): save it as .xlsx or CSV")
    raise ReadProblem(f"tuntematon tiedostotyyppi (unknown file type) {suffix or '(none)'}: "
                      "expected .csv, .tsv, .txt or .xlsx")


def decode(data: bytes) -> tuple[str, str]:
    """The text and the encoding's name. UTF-8 (with or without the BOM Excel writes) first;
    UTF-16 when it has a BOM (Excel's "Unicode text"); else Windows-1252, the older Finnish
    Excel's CSV, and Latin-1 for the five bytes cp1252 leaves undefined (never fails)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "UTF-8 with BOM"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "UTF-16"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252 (cp1252)"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "Latin-1 (ISO 8859-1)"


def sniff_delimiter(text: str) -> str:
    """The delimiter of the header line: whichever of ; , and tab occurs most outside quotes
    (Finnish Excel writes ';' since ',' is the decimal comma); ',' when none does."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif char in "\r\n" and not quoted:
            break
        elif char in counts and not quoted:
            counts[char] += 1
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_csv(data: bytes, *, header_row: int = 1) -> Table:
    try:
        text, encoding = decode(data)
    except UnicodeError:
        raise ReadProblem("tiedostoa ei voi lukea tekstinä (not text): a UTF-8 BOM but not "
                          "UTF-8") from None
    if "\x00" in text:
        raise ReadProblem("ei CSV-tiedosto (not a CSV file): it holds NUL bytes")
    delimiter = sniff_delimiter(text)
    first, _, rest = text.partition("\n")
    if first.rstrip("\r")[:4] == "sep=" and len(first.rstrip("\r")) == 5:
        # Excel's hint line ("sep=;"): Excel shows the file without it, so the header is row 1
        delimiter, text = first[4], rest
    if delimiter not in DELIMITERS:
        raise ReadProblem(f"tuntematon erotin (unknown delimiter) {delimiter!r}: expected ; , "
                          "or tab")
    records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    numbered = _numbered(records)
    header = _header(numbered, header_row)
    return Table(header=header, rows=_non_blank(numbered),
                 described=f"CSV, {encoding}, delimiter {DELIMITERS[delimiter]}")


def _numbered(records: Iterator[list[str]]) -> Iterator[Row]:
    """Each record with its row number as Excel shows the file (one record a row, a quoted
    line break included)."""
    number = 0
    try:
        for record in records:
            number += 1
            yield number, list[Cell](record)
    except csv.Error as exc:
        raise ReadProblem(f"CSV ei kelpaa (bad CSV) at row {number + 1}: {exc}") from None


def _header(rows: Iterator[Row], header_row: int) -> list[Cell]:
    for number, cells in rows:
        if number == header_row:
            return cells
    raise ReadProblem(f"tiedostossa ei ole otsikkoriviä (no header row {header_row}): "
                      "the file is empty")


def _non_blank(rows: Iterator[Row]) -> Iterator[Row]:
    for number, cells in rows:
        if any(c is not None and str(c).strip() for c in cells):
            yield number, cells


def read_xlsx(path: Path, *, sheet: str | None = None, header_row: int = 1) -> Table:
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        # read-only streams the sheet (a county's year of answers need not fit twice in memory);
        # data_only gives a formula's last computed value, not the formula.
        book = load_workbook(path, read_only=True, data_only=True)
    except (BadZipFile, KeyError, ValueError) as exc:
        raise ReadProblem(f"ei XLSX-tiedosto (not an XLSX workbook): "
                          f"{type(exc).__name__}") from None
    if sheet is None:
        ws = book.worksheets[0]
    elif sheet in book.sheetnames:
        ws = book[sheet]
    else:
        raise ReadProblem(f"työkirjassa ei ole taulukkoa (no sheet) {sheet!r}: its sheets are "
                          f"{', '.join(repr(n) for n in book.sheetnames)}")
    rows = _xlsx_rows(ws.iter_rows(min_row=1, values_only=True))
    header = _header(rows, header_row)
    return Table(header=header, rows=_closing(_non_blank(rows), book),
                 described=f"XLSX, sheet {ws.title!r}")


def _xlsx_rows(values: Iterator[tuple[Any, ...]]) -> Iterator[Row]:
    for number, cells in enumerate(values, start=1):
        yield number, list[Cell](cells)


def _closing(rows: Iterator[Row], book: Any) -> Iterator[Row]:
    """Read-only workbooks keep their file open until closed."""
    try:
        yield from rows
    finally:
        book.close()
