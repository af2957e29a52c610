"""The first rows of an .xlsx sheet without loading the sheet: for the preview of a big file.

calamine (readers.py) builds the whole sheet before giving its first row: 1,000,000 rows cost
~20 s and ~1.4 GB before a preview of 20 rows could be shown. This reads the sheet's XML as a
stream (ElementTree.iterparse over the zip entry) and stops after the rows it needs; shared strings
are read only up to the highest index those rows use (Excel writes them in order of first use).
Only run on files `sniff` accepted (no DOCTYPE/ENTITY in any part, sizes bounded).
Cells come out as calamine's values (str, float, bool, date/datetime) for `readers.cell_text`.
"""
from __future__ import annotations

import datetime as dt
import posixpath
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO
from xml.etree.ElementTree import Element, iterparse, parse

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# built-in number formats that are dates or times (ECMA-376 18.8.30, plus the East Asian ones)
BUILT_IN_KINDS = {**dict.fromkeys((14, 15, 16, 17, *range(27, 37), *range(50, 59)), "date"),
                  **dict.fromkeys((18, 19, 20, 21, 45, 46, 47), "time"), 22: "datetime"}
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')
_CELL_REF = re.compile(r"([A-Z]+)(\d+)")

Value = str | float | bool | dt.date | dt.datetime | dt.time | None


def _column_index(letters: str) -> int:
    number = 0
    for char in letters:
        number = number * 26 + ord(char) - 64
    return number - 1


def _sheet_part(archive: zipfile.ZipFile, sheet: int) -> tuple[str, bool]:
    """The zip path of the `sheet`-th sheet (workbook order) and whether dates count from 1904."""
    workbook = _parse_small(archive, "xl/workbook.xml")
    relations = _parse_small(archive, "xl/_rels/workbook.xml.rels")
    targets = {rel.get("Id"): rel.get("Target", "") for rel in relations.iter(f"{PKG_REL}Relationship")}
    sheets = list(workbook.iter(f"{MAIN}sheet"))
    properties = workbook.find(f"{MAIN}workbookPr")
    date1904 = properties is not None and properties.get("date1904") in ("1", "true")
    target = targets.get(sheets[sheet].get(f"{REL}id"), "")
    path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
    return path, date1904


def _parse_small(archive: zipfile.ZipFile, name: str) -> Element:
    with archive.open(name) as part:
        return _root(part)


def _root(part: IO[bytes]) -> Element:
    return parse(part).getroot()


def _date_styles(archive: zipfile.ZipFile) -> dict[int, str]:
    """The cell style indexes (`s`) whose number format shows a date, a time or both, and which."""
    if "xl/styles.xml" not in archive.namelist():
        return {}
    styles = _parse_small(archive, "xl/styles.xml")
    kinds = dict(BUILT_IN_KINDS)
    for fmt in styles.iter(f"{MAIN}numFmt"):
        kind = _code_kind(fmt.get("formatCode", ""))
        if kind:
            kinds[int(fmt.get("numFmtId", "0"))] = kind
        else:
            kinds.pop(int(fmt.get("numFmtId", "0")), None)
    cell_xfs = styles.find(f"{MAIN}cellXfs")
    if cell_xfs is None:
        return {}
    return {index: kinds[fid] for index, xf in enumerate(cell_xfs.findall(f"{MAIN}xf"))
            if (fid := int(xf.get("numFmtId", "0"))) in kinds}


def _code_kind(code: str) -> str | None:
    bare = _QUOTED.sub("", code).lower()
    if "general" in bare:
        return None
    has_date = "d" in bare or "y" in bare
    has_time = "h" in bare or "s" in bare
    if has_date and has_time:
        return "datetime"
    if has_date or (not has_time and "m" in bare):
        return "date"
    return "time" if has_time else None


def _shared_strings(archive: zipfile.ZipFile, up_to: int) -> list[str]:
    """Shared strings 0…up_to (the rest is not read)."""
    if up_to < 0 or "xl/sharedStrings.xml" not in archive.namelist():
        return []
    strings: list[str] = []
    with archive.open("xl/sharedStrings.xml") as part:
        for _, element in iterparse(part):
            if element.tag == f"{MAIN}si":
                strings.append(_inline_text(element))
                element.clear()
                if len(strings) > up_to:
                    break
    return strings


def _inline_text(element: Element) -> str:
    """The text of an <si> or <is>: its <t>, or its runs' <t>s (phonetic <rPh> left out)."""
    direct = element.find(f"{MAIN}t")
    if direct is not None:
        return direct.text or ""
    return "".join(run.findtext(f"{MAIN}t") or "" for run in element.findall(f"{MAIN}r"))


def _serial_date(serial: float, kind: str, date1904: bool) -> dt.date | dt.datetime | dt.time:
    """An Excel serial as calamine gives it for a date, date-time or time format."""
    if date1904:
        base = dt.datetime(1904, 1, 1)
    else:
        base = dt.datetime(1899, 12, 31) if serial < 60 else dt.datetime(1899, 12, 30)  # Excel's 1900 leap day
    moment = base + dt.timedelta(days=serial)
    moment = moment.replace(microsecond=0) + dt.timedelta(seconds=round(moment.microsecond / 1e6))
    if kind == "date":
        return moment.date()
    return moment.time() if kind == "time" else moment


def head_rows(path: Path | str, sheet: int, count: int) -> Iterator[tuple[int, list[Value]]]:
    """The first `count` rows that have a value, as (row number, values from column A)."""
    with zipfile.ZipFile(path) as archive:
        part, date1904 = _sheet_part(archive, sheet)
        date_styles = _date_styles(archive)
        raw = list(_raw_rows(archive, part, count))
        needed = max((int(value) for _, cells in raw for kind, _, value in cells if kind == "s" and value), default=-1)
        strings = _shared_strings(archive, needed)
    for number, cells in raw:
        values: list[Value] = []
        for kind, style, value in cells:
            values.append(_value(kind, style, value, strings, date_styles, date1904))
        yield number, values


def _raw_rows(archive: zipfile.ZipFile, part: str, count: int) -> Iterator[tuple[int, list[tuple[str, int, str]]]]:
    """(row number, [(type, style, raw text)] by column) for the first `count` non-empty rows."""
    found = 0
    row_number = 0
    with archive.open(part) as stream:
        for _, element in iterparse(stream):
            if element.tag != f"{MAIN}row":
                continue
            row_number = int(element.get("r") or row_number + 1)
            cells: list[tuple[str, int, str]] = []
            for position, cell in enumerate(element.findall(f"{MAIN}c")):
                match = _CELL_REF.match(cell.get("r") or "")
                column = _column_index(match.group(1)) if match else position
                kind = cell.get("t", "n")
                inline = cell.find(f"{MAIN}is") if kind == "inlineStr" else None
                text = _inline_text(inline) if inline is not None else cell.findtext(f"{MAIN}v") or ""
                cells += [("", 0, "")] * (column - len(cells))
                cells.append((kind, int(cell.get("s", "0")), text))
            element.clear()
            if any(text for _, _, text in cells):
                yield row_number, cells
                found += 1
                if found >= count:
                    return


def _value(kind: str, style: int, text: str, strings: list[str], date_styles: dict[int, str], date1904: bool) -> Value:
    if not text or kind == "e":
        return None
    if kind == "s":
        index = int(text)
        return strings[index] if index < len(strings) else None
    if kind in ("inlineStr", "str"):
        return text
    if kind == "b":
        return text == "1"
    if kind == "d":
        return dt.datetime.fromisoformat(text)
    number = float(text)
    return _serial_date(number, date_styles[style], date1904) if style in date_styles else number
