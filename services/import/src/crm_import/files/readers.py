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

xls and ods go through python-calamine, CSV through the csv module (the encoding and the delimiter
from `sniff`), xlsx through python-calamine or, when it is installed, python-calamine-plus's row
stream (same cells: the reader tests pass on both).

Measured with bench/import_readers.py on one 1,000,000-row x 15-column .xlsx (xlsxwriter
constant_memory: 109 MB, 877 MB of sheet XML; Vietnamese names, phones in mixed writings, dates,
numbers, a formula), Intel Xeon @ 2.80GHz, 2 cores shared with other sessions (load average 3.5-7
during the runs, so wall times ran 1.2-3x the CPU time); two to four runs each, CPU seconds of the
reading process / wall seconds / peak RSS:
    python-calamine, iter_rows (raw values)       16.7-17.0 s   21-24 s    1,384 MB
    fastexcel -> pyarrow -> Python values         13.4-13.6 s   17-32 s    1,959 MB
    python-calamine-plus, row stream              10.8-11.1 s   12-17 s       18 MB
    read_rows on python-calamine (15 columns)     23.4-26.5 s   40-60 s    1,395 MB
    read_rows on python-calamine-plus             20.3-26.8 s   29-53 s       31 MB
    read_rows, 5 mapped columns, on -plus         16.4-23.1 s   25-63 s       31 MB
    (sniff, every check of formats.py: 7.7 s, 34 MB)
python-calamine over fastexcel: fastexcel hands Python values over for less CPU (Arrow columns
turned into lists at once) but needs pyarrow (~100 MB installed) and peaks 580 MB higher; both
build the whole sheet in Rust before the first row comes out, so neither meets the issue's
"peak RSS <= 1 GB for the million" (1.38 and 1.96 GB). python-calamine-plus (a fork of
python-calamine 0.8.2 over a modified calamine 0.36.1, version 0.2.0, one maintainer) decodes rows
from the zip as they are read: 18 MB whatever the size, the least CPU, and `start_row` skips inside
the stream (a resumed job does not turn the rows it already sent into Python). It is not a dependency: a
fork that young is the coordinator's call; with it installed, xlsx goes through it.
Python's share (text conversion, legacy check, the generator) is ~7-10 s a million rows of 15
columns; `columns=` converts only the mapped ones.
"""
from __future__ import annotations

import csv
import datetime as dt
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from python_calamine import CalamineError, CalamineWorkbook

from crm_import.files.errors import FileRejected
from crm_import.files.formats import FileInfo, Limits, detect_delimiter
from crm_import.files.vietnamese import LegacyFixer, might_be_legacy

# python-calamine-plus, a fork of python-calamine that streams xlsx rows in constant memory, is used
# for xlsx when installed (see the module's measurements); python-calamine otherwise.
try:
    from python_calamine_plus import CalamineError as StreamingError  # type: ignore[import-not-found, unused-ignore]
    from python_calamine_plus import CalamineWorkbook as StreamingWorkbook  # type: ignore[import-not-found, unused-ignore]
    XLSX_STREAMING = True
except ImportError:  # pragma: no cover - depends on the environment
    XLSX_STREAMING = False

Cell = str | None
Row = tuple[int, list[Cell]]


@dataclass
class ReadStats:
    """What reading found, for the job's summary."""
    legacy_converted: int = 0  # cells converted from TCVN3/VNI
    rows_read: int = 0
    _fixer: LegacyFixer = field(default_factory=LegacyFixer, repr=False)


def read_rows(path: Path | str, info: FileInfo, *, sheet: int = 0, start_row: int = 1,
              columns: Sequence[int] | None = None, limits: Limits | None = None,
              stats: ReadStats | None = None) -> Iterator[Row]:
    """The non-empty rows of `sheet` from `start_row` on (1-based), lazily. With `columns` (1-based
    numbers, e.g. the mapped ones) each row holds only those cells, in that order, and only those
    are converted (a third of the time for 5 of 15 columns). Raises FileRejected (`sheet_not_found`,
    `too_many_rows` past `limits.max_rows`, `malformed_csv`, `unsupported_format`)."""
    limits = limits or Limits()
    stats = stats if stats is not None else ReadStats()
    wanted = [number - 1 for number in columns] if columns is not None else None
    if info.format == "csv":
        rows = _csv_rows(Path(path), info, stats, wanted)
    elif info.format == "xlsx" and XLSX_STREAMING:
        rows = _streamed_xlsx_rows(Path(path), sheet, stats, wanted, first_row=start_row)
    else:
        rows = _workbook_rows(Path(path), sheet, stats, wanted)
    max_rows = limits.max_rows
    for number, cells in rows:
        if number > max_rows:
            raise FileRejected("too_many_rows", f"Tối đa {max_rows:,} dòng.", f"At most {max_rows:,} rows.")
        if number >= start_row and cells.count(None) != len(cells):
            stats.rows_read += 1
            yield number, cells


# Excel's error values: calamine gives "" for an error cell, the streaming fork its text; both empty
# (a cell typed as the text "#N/A" is empty too)
EXCEL_ERRORS = frozenset({"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#SPILL!", "#CALC!",
                          "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!"})


def _row_converter(stats: ReadStats) -> Callable[[Sequence[object]], list[Cell]]:
    """Values → cells, with the common kinds (empty, ASCII text, numbers) inline: this loop runs
    15 million times for a 1M x 15 sheet. Non-ASCII texts that cannot be TCVN3/VNI are remembered
    (a sheet repeats its provinces, statuses, family names): strip + NFC once per distinct value."""
    seen: dict[str, Cell] = {}

    def unicode_text(value: str) -> Cell:
        cell = seen.get(value)
        if cell is None:
            cell = _text(value, stats)
            if cell is not None and not might_be_legacy(cell):
                if len(seen) >= 200_000:
                    seen.clear()
                seen[value] = cell
        return cell

    def convert(values: Sequence[object]) -> list[Cell]:
        cells: list[Cell] = []
        append = cells.append
        for value in values:
            kind = type(value)
            if kind is str:
                if not value:
                    append(None)
                elif value.isascii():  # type: ignore[attr-defined]
                    if value[0] == "#" and value in EXCEL_ERRORS:  # type: ignore[index]
                        append(None)
                    else:
                        append(value.strip() or None)  # type: ignore[attr-defined]
                else:
                    append(unicode_text(value))  # type: ignore[arg-type]
            elif kind is float and value.is_integer() and -1e15 < value < 1e15:  # type: ignore[attr-defined, operator]
                append(str(int(value)))  # type: ignore[call-overload]
            elif kind is int:
                append(str(value))
            else:
                append(cell_text(value, stats))
        return cells
    return convert


def cell_text(value: object, stats: ReadStats | None = None) -> Cell:
    """One calamine value as the text a user sees (see the module)."""
    kind = type(value)
    if kind is str:
        return _text(value, stats)  # type: ignore[arg-type]
    if kind is float:
        return _number(value)  # type: ignore[arg-type]
    if kind is bool:
        return "TRUE" if value else "FALSE"
    if kind is int:
        return str(value)
    if kind is dt.datetime:
        return value.isoformat(sep=" ", timespec="seconds")  # type: ignore[attr-defined]
    if kind is dt.date:
        return value.isoformat()  # type: ignore[attr-defined]
    if kind is dt.time:
        return value.strftime("%H:%M:%S")  # type: ignore[attr-defined]
    if kind is dt.timedelta:
        return _duration(value)  # type: ignore[arg-type]
    return None if value is None else _text(str(value), stats)


def _text(value: str, stats: ReadStats | None) -> Cell:
    value = value.strip()
    if value.isascii():
        return value or None
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


def _workbook_rows(path: Path, sheet: int, stats: ReadStats, wanted: list[int] | None) -> Iterator[Row]:
    """calamine's rows start at the sheet's first row (row 1) but at its first used column: put
    the columns before it back so index 0 is column A."""
    convert = _row_converter(stats)
    try:
        with CalamineWorkbook.from_path(str(path)) as workbook:
            if not 0 <= sheet < len(workbook.sheet_names):
                raise FileRejected("sheet_not_found")
            data = workbook.get_sheet_by_index(sheet)
            offset = data.start[1] if data.start else 0
            lead: list[Cell] = [None] * offset
            for number, values in enumerate(data.iter_rows(), start=1):
                if wanted is None:
                    yield number, lead + convert(values)
                else:
                    width = len(values)
                    yield number, convert([values[index - offset] if 0 <= index - offset < width else ""
                                           for index in wanted])
    except CalamineError as error:
        raise FileRejected("unsupported_format", "Không đọc được bảng tính.",
                           f"The workbook cannot be read ({type(error).__name__}).") from None


def _streamed_xlsx_rows(path: Path, sheet: int, stats: ReadStats, wanted: list[int] | None, *,
                        first_row: int) -> Iterator[Row]:
    """xlsx rows decoded from the zip as they are read (python-calamine-plus): rows from row 1,
    cells from column A; rows above `first_row` are skipped inside the stream."""
    convert = _row_converter(stats)
    try:
        workbook = StreamingWorkbook.from_path(str(path))
        if not 0 <= sheet < len(workbook.sheet_names):
            raise FileRejected("sheet_not_found")
        start = max(first_row - 1, 0)
        for number, values in enumerate(workbook.stream_sheet_by_index(sheet, min_row=start), start=start + 1):
            if wanted is not None:
                width = len(values)
                picked: Sequence[object] = [values[index] if index < width else "" for index in wanted]
                yield number, convert(picked)
            else:
                yield number, convert(values)
    except StreamingError as error:
        raise FileRejected("unsupported_format", "Không đọc được bảng tính.",
                           f"The workbook cannot be read ({type(error).__name__}).") from None


def _csv_rows(path: Path, info: FileInfo, stats: ReadStats, wanted: list[int] | None) -> Iterator[Row]:
    """Records numbered as a spreadsheet opening the CSV shows them (a blank line is a row)."""
    convert = _row_converter(stats)
    encoding = info.encoding or "utf-8"
    with open(path, encoding=encoding, errors="replace", newline="") as text:
        delimiter = info.delimiter or detect_delimiter(text.read(64 * 1024))
        text.seek(0)
        try:
            for number, record in enumerate(csv.reader(text, delimiter=delimiter, strict=True), start=1):
                if wanted is None:
                    yield number, convert(record)
                else:
                    width = len(record)
                    yield number, convert([record[index] if index < width else "" for index in wanted])
        except csv.Error as error:
            raise FileRejected("malformed_csv", "", f"{error}.") from None
