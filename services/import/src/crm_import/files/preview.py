"""The first rows of a sheet as the upload screen shows them: column letters, the detected header
row and its texts, the rows with their numbers. Reads only the rows it shows (for xlsx/xls/ods
calamine parses the whole sheet before its first row, so xlsx is read here as a stream instead:
xlsx_head.py)."""
from __future__ import annotations

from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from crm_import.files.columns import column_letter, detect_header_row
from crm_import.files.errors import FileRejected
from crm_import.files.formats import FileInfo
from crm_import.files.readers import Cell, ReadStats, cell_text, read_rows
from crm_import.files.xlsx_head import head_rows

MAX_PREVIEW_ROWS = 200


@dataclass(frozen=True)
class ColumnInfo:
    index: int  # 1-based
    letter: str
    header: str | None


@dataclass(frozen=True)
class PreviewRow:
    row_number: int
    cells: list[Cell]


@dataclass(frozen=True)
class Preview:
    sheet: int
    detected_header_row: int | None
    columns: list[ColumnInfo]
    rows: list[PreviewRow]


def preview(path: Path | str, info: FileInfo, *, sheet: int = 0, rows: int = 20) -> Preview:
    """The first `rows` non-empty rows of `sheet` (at most MAX_PREVIEW_ROWS), every row padded to
    the widest one."""
    count = max(1, min(rows, MAX_PREVIEW_ROWS))
    if info.format == "xlsx":
        shown = _xlsx_head(path, info, sheet, count)
    else:
        shown = list(islice(read_rows(path, info, sheet=sheet, start_row=1), count))
    width = max((_used_width(cells) for _, cells in shown), default=0)
    padded = [(number, (cells + [None] * width)[:width]) for number, cells in shown]
    header_row = detect_header_row(padded)
    headers = next((cells for number, cells in padded if number == header_row), [None] * width)
    columns = [ColumnInfo(index + 1, column_letter(index + 1), headers[index]) for index in range(width)]
    return Preview(sheet, header_row, columns, [PreviewRow(number, cells) for number, cells in padded])


def _xlsx_head(path: Path | str, info: FileInfo, sheet: int, count: int) -> list[tuple[int, list[Cell]]]:
    """The first rows of an xlsx sheet read as a stream (xlsx_head): a 1M-row file previews at once."""
    if not 0 <= sheet < len(info.sheets):
        raise FileRejected("sheet_not_found")
    stats = ReadStats()
    return [(number, [cell_text(value, stats) for value in values]) for number, values in head_rows(path, sheet, count)]


def _used_width(cells: list[Cell]) -> int:
    for index in range(len(cells), 0, -1):
        if cells[index - 1] is not None:
            return index
    return 0
