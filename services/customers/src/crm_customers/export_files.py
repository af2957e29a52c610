"""The files of customer exports (C-13): CSV and XLSX writers. File I/O only, no SQL.

* `CsvCopyFile`: the CSV that PostgreSQL writes (`store.exports.copy_csv`): this process adds
  the BOM and the header and turns record-ending LF into CRLF (`CrlfRecords`).
* `CsvSink`: the same bytes from Python values, cell by cell; kept as the reference the COPY
  file is tested against (tests/test_exports_copy.py).
* `XlsxSink`: xlsxwriter in `constant_memory` mode, typed cells, a new sheet every 1,048,575 rows.

Text cells are neutralised against formula injection (`domain.cells`, which says how phones are
treated).
"""
from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path
from typing import Any

from crm_customers.domain.cells import neutralise, neutralise_phone_xlsx

XLSX_MAX_ROWS = 1_048_576


def _csv_line(values: list[str]) -> str:
    line = io.StringIO()
    csv.writer(line, lineterminator="\r\n").writerow(values)
    return line.getvalue()


class CrlfRecords:
    """COPY writes records ending in LF; RFC 4180 (and the XLSX-less Excel user) want CRLF. A LF
    ends a record when the quotes before it in the record are balanced (a LF inside a quoted
    field is data and stays as it is). Counts the records it has seen."""

    def __init__(self) -> None:
        self.open_quote = False
        self.records = 0

    def __call__(self, data: bytes) -> bytes:
        parts = data.split(b"\n")
        out = []
        open_quote, records = self.open_quote, 0
        for part in parts[:-1]:
            if part.count(b'"') & 1:
                open_quote = not open_quote
            out.append(part)
            if open_quote:
                out.append(b"\n")
            else:
                out.append(b"\r\n")
                records += 1
        last = parts[-1]
        if last.count(b'"') & 1:
            open_quote = not open_quote
        out.append(last)
        self.open_quote, self.records = open_quote, self.records + records
        return b"".join(out)


class CsvCopyFile:
    """The CSV file around COPY's output: BOM and header first, then `write(data)` with CRLF
    records; `records` counts the rows written."""

    def __init__(self, path: Path, titles: list[str]) -> None:
        self.file = open(path, "wb")
        self.file.write(_csv_line([neutralise(t) for t in titles]).encode("utf-8-sig"))
        self.crlf = CrlfRecords()

    @property
    def records(self) -> int:
        return self.crlf.records

    def write(self, data: bytes) -> None:
        self.file.write(self.crlf(data))

    def close(self) -> None:
        self.file.close()


class CsvSink:
    """UTF-8 with BOM, RFC 4180 (quotes doubled, fields with separators quoted, CRLF)."""

    def __init__(self, path: Path) -> None:
        self.file = open(path, "w", encoding="utf-8-sig", newline="")
        self.writer = csv.writer(self.file, lineterminator="\r\n")

    @staticmethod
    def cell(value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, str):
            return neutralise(value)
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, datetime):
            return value.strftime("%Y-%m-%d %H:%M:%S")
        if isinstance(value, date):
            return value.isoformat()
        return str(value)

    def header(self, titles: list[str]) -> None:
        self.writer.writerow([neutralise(t) for t in titles])

    def row(self, values: list[Any], kinds: list[str]) -> None:
        cell = self.cell
        self.writer.writerow([cell(v) for v in values])

    def close(self) -> None:
        self.file.close()


class XlsxSink:
    """xlsxwriter in constant-memory mode: each row is flushed to disk as soon as the next begins."""

    def __init__(self, path: Path, sheet_name: str) -> None:
        import xlsxwriter

        self.book = xlsxwriter.Workbook(str(path), {
            "constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
            "strings_to_urls": False, "tmpdir": str(path.parent)})
        self.date_format = self.book.add_format({"num_format": "dd/mm/yyyy"})
        self.time_format = self.book.add_format({"num_format": "dd/mm/yyyy hh:mm:ss"})
        self.bold = self.book.add_format({"bold": True})
        self.sheet_name = sheet_name
        self.sheets = 0
        self.titles: list[str] = []
        self.sheet: Any = None
        self.next_row = 0

    def _new_sheet(self) -> None:
        self.sheets += 1
        name = self.sheet_name if self.sheets == 1 else f"{self.sheet_name} ({self.sheets})"
        self.sheet = self.book.add_worksheet(name[:31])
        for index, title in enumerate(self.titles):
            self.sheet.write_string(0, index, neutralise(title), self.bold)
        self.next_row = 1

    def header(self, titles: list[str]) -> None:
        self.titles = titles
        self._new_sheet()

    def row(self, values: list[Any], kinds: list[str]) -> None:
        if self.next_row >= XLSX_MAX_ROWS:
            self._new_sheet()
        sheet, r = self.sheet, self.next_row
        for c, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, str):
                sheet.write_string(r, c, neutralise_phone_xlsx(value) if kinds[c] == "phone" else neutralise(value))
            elif isinstance(value, bool):
                sheet.write_boolean(r, c, value)
            elif isinstance(value, (int, float)):
                sheet.write_number(r, c, value)
            elif isinstance(value, datetime):
                sheet.write_datetime(r, c, value, self.time_format)
            elif isinstance(value, date):
                sheet.write_datetime(r, c, value, self.date_format)
            else:
                sheet.write_string(r, c, neutralise(str(value)))
        self.next_row += 1

    def close(self) -> None:
        self.book.close()
