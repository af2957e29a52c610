"""The rows of a sheet, one at a time, every cell as the text a user sees in it.

`read_rows(path, info, sheet=0, start_row=2)` yields `(row_number, cells)`: row numbers 1-based as
the sheet shows them, cells from column A (index 0 = column A even when the data starts further
right), `None` for an empty cell; rows with no value at all are skipped. Cells:
- strings stripped and NFC (Windows-1258 writes tone marks as combining characters), TCVN3/VNI
  text converted to Unicode (`ReadStats.legacy_converted` counts those cells for the job summary);
- integers without ".0" (a phone typed as a number stays its digits: 912345678); other numbers with
  the 15 significant digits Excel shows (0.1+0.2 → "0.3");
- dates "YYYY-MM-DD", date-times "YYYY-MM-DD HH:MM:SS", times "HH:MM:SS";
- booleans "TRUE"/"FALSE"; formulas as their cached value (never evaluated); error cells (#DIV/0!)
  as empty.

xlsx, xls and ods go through python-calamine; CSV through the csv module (the encoding and the
delimiter from `sniff`).

Why python-calamine, measured with bench/import_readers.py on the same 1,000,000 x 15 .xlsx
(xlsxwriter constant_memory, 150 MB; Intel Xeon @ 2.80GHz, 2 cores shared, Python 3.11.7):
MEASUREMENTS
Both readers parse the whole sheet in Rust before the first row comes out (calamine's
`worksheet_range`); neither streams. python-calamine then hands the rows over one by one
(`iter_rows`: one Python list at a time), while fastexcel builds Arrow columns that have to become
Python objects column by column (pyarrow, ~100 MB of dependency) before a row can be assembled.
Memory is the sheet in calamine's cells (about 32 bytes a cell plus the text), bounded by the row
limit `sniff` enforces; the Python side holds one row.
"""
from __future__ import annotations

import csv
import datetime as dt
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from python_calamine import CalamineError, CalamineWorkbook

from crm_import.files.errors import FileRejected
from crm_import.files.formats import FileInfo, Limits, detect_delimiter
from crm_import.files.vietnamese import LegacyFixer

Cell = str | None
Row = tuple[int, list[Cell]]


@dataclass
class ReadStats:
    """What reading found, for the job's summary."""
    legacy_converted: int = 0  # cells converted from TCVN3/VNI
    rows_read: int = 0
    _fixer: LegacyFixer = field(default_factory=LegacyFixer, repr=False)


def read_rows(path: Path | str, info: FileInfo, *, sheet: int = 0, start_row: int = 1,
              limits: Limits | None = None, stats: ReadStats | None = None) -> Iterator[Row]:
    """The non-empty rows of `sheet` from `start_row` on (1-based), lazily. Raises FileRejected
    (`sheet_not_found`, `too_many_rows` past `limits.max_rows`, `malformed_csv`)."""
    limits = limits or Limits()
    stats = stats if stats is not None else ReadStats()
    rows = _csv_rows(Path(path), info, stats) if info.format == "csv" else _workbook_rows(Path(path), sheet, stats)
    for number, cells in rows:
        if number > limits.max_rows:
            raise FileRejected("too_many_rows", f"Tối đa {limits.max_rows:,} dòng.", f"At most {limits.max_rows:,} rows.")
        if number >= start_row and any(cell is not None for cell in cells):
            stats.rows_read += 1
            yield number, cells


def cell_text(value: object, stats: ReadStats | None = None) -> Cell:
    """One calamine value as the text a user sees (see the module)."""
    if isinstance(value, str):
        return _text(value, stats)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _number(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, dt.timedelta):
        return _duration(value)
    return None if value is None else _text(str(value), stats)


def _text(value: str, stats: ReadStats | None) -> Cell:
    value = value.strip()
    if not value:
        return None
    if value.isascii():
        return value
    if not unicodedata.is_normalized("NFC", value):
        value = unicodedata.normalize("NFC", value)
    if stats is not None:
        before = stats._fixer.converted
        value = stats._fixer.fix(value)
        stats.legacy_converted += stats._fixer.converted - before
    return value


def _number(value: float) -> Cell:
    if value != value or value in (float("inf"), float("-inf")):
        return None
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.15g}"


def _duration(value: dt.timedelta) -> str:
    seconds = int(value.total_seconds())
    sign = "-" if seconds < 0 else ""
    hours, rest = divmod(abs(seconds), 3600)
    return f"{sign}{hours}:{rest // 60:02d}:{rest % 60:02d}"


def _workbook_rows(path: Path, sheet: int, stats: ReadStats) -> Iterator[Row]:
    """calamine's rows start at the sheet's first row (row 1) but at its first used column: put
    the columns before it back so index 0 is column A."""
    try:
        with CalamineWorkbook.from_path(str(path)) as workbook:
            if not 0 <= sheet < len(workbook.sheet_names):
                raise FileRejected("sheet_not_found")
            data = workbook.get_sheet_by_index(sheet)
            start = data.start
            lead: list[Cell] = [None] * (start[1] if start else 0)
            for index, values in enumerate(data.iter_rows()):
                yield index + 1, lead + [cell_text(value, stats) if value != "" else None for value in values]
    except CalamineError as error:
        raise FileRejected("unsupported_format", "Không đọc được bảng tính.",
                           f"The workbook cannot be read ({type(error).__name__}).") from None


def _csv_rows(path: Path, info: FileInfo, stats: ReadStats) -> Iterator[Row]:
    """Records numbered as a spreadsheet opening the CSV shows them (a blank line is a row)."""
    encoding = info.encoding or "utf-8"
    with open(path, encoding=encoding, errors="replace", newline="") as text:
        delimiter = info.delimiter or detect_delimiter(text.read(64 * 1024))
        text.seek(0)
        try:
            for index, record in enumerate(csv.reader(text, delimiter=delimiter, strict=True)):
                yield index + 1, [_text(value, stats) for value in record]
        except csv.Error as error:
            raise FileRejected("malformed_csv", "", f"{error}.") from None
