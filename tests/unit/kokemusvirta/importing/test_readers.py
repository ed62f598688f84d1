"""Reading exports: encodings and delimiters as Finnish Excel writes them, XLSX with real dates,
and the spreadsheet's own row numbers."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from kokemusvirta.importing.readers import ReadProblem, decode, read, read_csv, sniff_delimiter

HEADER = "aika;yksikkö;palaute\r\n"


@pytest.mark.parametrize(("data", "encoding"), [
    (b"\xef\xbb\xbf" + HEADER.encode(), "UTF-8 with BOM"),
    (HEADER.encode(), "UTF-8"),
    (HEADER.encode("cp1252"), "Windows-1252 (cp1252)"),
    (HEADER.encode("cp1252") + b"\x81", "Latin-1 (ISO 8859-1)"),  # undefined in cp1252
    (HEADER.encode("utf-16"), "UTF-16"),
])
def test_the_encoding_is_found_and_named(data: bytes, encoding: str) -> None:
    text, used = decode(data)
    assert used == encoding
    assert text.startswith("aika;yksikkö;palaute")


@pytest.mark.parametrize(("line", "delimiter"), [
    ("a;b;c\n", ";"), ("a,b,c\n", ","), ("a\tb\tc\n", "\t"),
    ('"x,y,z";b;c\n1,2,3,4,5', ";"),  # commas in quotes and in later lines do not count
    ("only\n", ","),
])
def test_the_delimiter_is_sniffed_from_the_header(line: str, delimiter: str) -> None:
    assert sniff_delimiter(line) == delimiter


def test_rows_are_numbered_as_the_spreadsheet_shows_them() -> None:
    data = ('aika;palaute\n1.10.2026 10:00;"kaksi\nriviä"\n;\n2.10.2026 10:00;kolmas\n'
            .encode("cp1252"))
    table = read_csv(data)
    assert table.header == ["aika", "palaute"]
    assert table.described == "CSV, Windows-1252 (cp1252), delimiter ';'"
    # the quoted line break stays in row 2; the blank row 3 is left out but keeps its number
    assert list(table.rows) == [(2, ["1.10.2026 10:00", "kaksi\nriviä"]),
                                (4, ["2.10.2026 10:00", "kolmas"])]


def test_excels_sep_hint_line_names_the_delimiter_and_is_not_a_row() -> None:
    table = read_csv(b"sep=,\r\naika;x,palaute\r\n1;2,kolme\r\n")
    assert table.header == ["aika;x", "palaute"]
    assert list(table.rows) == [(2, ["1;2", "kolme"])]
    assert table.described.endswith("delimiter ','")


def test_a_header_below_a_title_row() -> None:
    table = read_csv(b"Kysely 2026\naika,palaute\nx,y\n", header_row=2)
    assert table.header == ["aika", "palaute"]


def test_an_empty_file_has_no_header() -> None:
    with pytest.raises(ReadProblem, match="no header row 1"):
        read_csv(b"")


def _workbook(path: Path, title: str = "Vastaukset") -> Path:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = title
    ws.append(["Timestamp", "Button", "Free text"])
    ws.append([datetime(2026, 10, 1, 9, 15), 4, "Hyvä"])
    ws.append([None, None, None])
    ws.append(["1.10.2026 10:00", "😀", "Teksti"])
    book.create_sheet("Toinen").append(["x"])
    book.save(path)
    return path


def test_xlsx_rows_keep_excel_dates_and_their_row_numbers(tmp_path: Path) -> None:
    table = read(_workbook(tmp_path / "e.xlsx"))
    assert table.header == ["Timestamp", "Button", "Free text"]
    assert table.described == "XLSX, sheet 'Vastaukset'"
    assert list(table.rows) == [(2, [datetime(2026, 10, 1, 9, 15), 4, "Hyvä"]),
                                (4, ["1.10.2026 10:00", "😀", "Teksti"])]


def test_an_xlsx_sheet_by_name_or_the_sheets_named(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "e.xlsx")
    assert read(path, sheet="Toinen").header == ["x"]
    with pytest.raises(ReadProblem, match="its sheets are 'Vastaukset', 'Toinen'"):
        read(path, sheet="Puuttuu")


@pytest.mark.parametrize(("name", "content", "said"), [
    ("e.xlsx", b"not a zip", "not an XLSX workbook"),
    ("e.xls", b"", "old .xls format"),
    ("e.pdf", b"", r"unknown file type\) .pdf"),
    ("e.csv", b"a\x00b", "NUL bytes"),
])
def test_a_file_that_is_no_export_is_one_line(tmp_path: Path, name: str, content: bytes,
                                              said: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ReadProblem, match=said):
        read(path)
