"""What an uploaded file is, decided from its content (never its name), and whether it is safe to
read: `sniff` returns a `FileInfo` or raises `FileRejected` with a stable code.

- xlsx: a zip with [Content_Types].xml and xl/workbook.xml; ods: a zip whose `mimetype` entry is
  application/vnd.oasis.opendocument.spreadsheet; xls: an OLE2 compound file calamine opens as a
  workbook; csv: text (UTF-8 with or without BOM, UTF-16, Windows-1258 or another 8-bit code page).
- Zip-based files are checked before any reader touches them, in bounded memory: entry count,
  declared sizes and compression ratio from the central directory, then every entry inflated in
  1 MiB steps from its raw bytes (not trusting the declared size) while counting the actual total,
  scanning each XML part for a DOCTYPE/ENTITY declaration (never expanded: the bytes `<!D`/`<!E`,
  in UTF-8 or UTF-16, are enough) and counting each worksheet's rows (its `<dimension>`, the
  number of `<row` elements and the last row number). A sheet claiming more than `max_rows` is
  refused here; the reader counts again while reading.
- CSV: the encoding, then the delimiter (`,` `;` tab `|`: the one that splits the first records
  into the same number of fields most consistently), then one pass over the whole file with the
  csv module in strict mode: unbalanced quotes, a field over the csv module's 128 KiB, or more than 10% of the records
  with another field count than the usual one is `malformed_csv`; more records than `max_rows` is
  `too_many_rows`.
Cost, measured on the 1,000,000 x 15 benchmark file (109 MB, 877 MB of sheet XML, bench/import_readers.py):
7.7 s of CPU and 34 MB peak RSS for every check above (readers.py has the machine).
"""
from __future__ import annotations

import codecs
import csv
import io
import re
import struct
import unicodedata
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from python_calamine import CalamineError, CalamineWorkbook

from crm_import.files.errors import FileRejected
from crm_import.files.vietnamese import fix_legacy_vietnamese, is_vietnamese_word

Format = Literal["xlsx", "xls", "ods", "csv"]
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
CHUNK = 1 << 20
CSV_DELIMITERS = (",", ";", "\t", "|")
# the start of a file that is certainly no spreadsheet: executables, documents, images, archives
FOREIGN_MAGIC = (b"MZ", b"\x7fELF", b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\xca\xfe\xba\xbe",
                 b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe", b"Rar!", b"7z\xbc\xaf", b"\x1f\x8b", b"BZh",
                 b"\xfd7zXZ", b"{\\rtf", b"RIFF", b"\x00asm")


@dataclass(frozen=True)
class Limits:
    """What the import accepts (defaults a user would accept: Excel's own row limit)."""
    max_upload_bytes: int = 200 * 2**20
    max_decompressed_bytes: int = 2**30
    max_zip_entries: int = 10_000
    max_rows: int = 1_048_576
    # deflate cannot exceed ~1032:1; a real sheet stays under ~100:1. Checked only for entries
    # inflating past `ratio_floor_bytes` (tiny XML parts compress well and are harmless).
    max_compression_ratio: float = 250.0
    ratio_floor_bytes: int = 16 * 2**20
    # cells a sheet may expand to (ods repeats rows and columns: a 1 KB file can ask for a billion)
    max_cells: int = 30_000_000
    # CSV: the share of records whose field count differs from the usual one that is tolerated
    csv_field_count_tolerance: float = 0.10


@dataclass(frozen=True)
class SheetInfo:
    index: int
    name: str


@dataclass(frozen=True)
class FileInfo:
    format: Format
    encoding: str | None
    sheets: list[SheetInfo]
    delimiter: str | None = None  # csv only; readers detect it again when None
    rows: dict[int, int] = field(default_factory=dict)  # sheet index → rows counted here (xlsx/csv)


def sniff(path: Path | str, *, filename: str, limits: Limits) -> FileInfo:
    """The format, encoding and sheets of the file at `path` (`filename` is what the user called
    it: only used to name a CSV's one sheet). Raises FileRejected (see the module)."""
    path = Path(path)
    size = path.stat().st_size
    if size == 0:
        raise FileRejected("empty_file")
    with open(path, "rb") as file:
        head = file.read(4096)
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _sniff_zip(path, limits)
    if head.startswith(OLE2_MAGIC):
        return _sniff_xls(path)
    if head.startswith(FOREIGN_MAGIC):
        raise FileRejected("unsupported_format")
    return _sniff_csv(path, filename=filename, limits=limits, head=head)


# --- zip-based: xlsx, ods -------------------------------------------------------------------------------

_ENTITY = re.compile(rb"<\x00?!\x00?[DEde]")
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="[A-Za-z]*\d*:?[A-Za-z]*(\d+)"')
_ROW_NUMBER = re.compile(rb'<(?:\w+:)?row\b[^>]*?\sr="(\d+)"')
_WORKSHEET = re.compile(r"xl/worksheets/[^/]+\.xml")
XML_SUFFIXES = (".xml", ".rels", ".vml")


@dataclass
class _PartScan:
    """What streaming one worksheet part learnt: its row count and last row number; for ods the
    rows and cells its repeated rows expand to (calamine expands a repeated row that has a value,
    and skips empty ones)."""
    rows: int = 0
    last_row: int = 0
    dimension_rows: int = 0
    repeated_rows: int = 0
    repeated_cells: int = 0


def _sniff_zip(path: Path, limits: Limits) -> FileInfo:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            kind = _zip_kind(archive, {info.filename for info in infos})
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        raise FileRejected("unsupported_format", "Tệp nén bị hỏng.", "The zip file is damaged.") from None
    _check_directory(infos, limits)
    worksheets = _inflate_all(path, infos, limits)
    too_big = [scan for scan in worksheets.values()
               if max(scan.rows + scan.repeated_rows, scan.last_row, scan.dimension_rows) > limits.max_rows]
    if too_big:
        raise FileRejected("too_many_rows", f"Tối đa {limits.max_rows:,} dòng.", f"At most {limits.max_rows:,} rows.")
    if any(scan.repeated_cells > limits.max_cells for scan in worksheets.values()):
        raise FileRejected("too_many_rows", f"Tối đa {limits.max_cells:,} ô.", f"At most {limits.max_cells:,} cells.")
    sheets = _workbook_sheets(path)
    rows = {index: scan.rows for index, scan in enumerate(worksheets.values())} if kind == "xlsx" else {}
    return FileInfo(format=kind, encoding=None, sheets=sheets, rows=rows)


def _zip_kind(archive: zipfile.ZipFile, names: set[str]) -> Format:
    if "mimetype" in names:
        with archive.open("mimetype") as entry:
            if entry.read(len(ODS_MIMETYPE) + 2).strip() == ODS_MIMETYPE:
                return "ods"
    if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
        return "xlsx"
    raise FileRejected("unsupported_format")  # docx, xlsb, jar, odt, a plain zip …


def _check_directory(infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    """What the central directory declares: entry count, total size, the worst ratio."""
    if len(infos) > limits.max_zip_entries:
        raise FileRejected("zip_bomb", f"Tối đa {limits.max_zip_entries:,} thành phần.",
                           f"At most {limits.max_zip_entries:,} entries.")
    if sum(info.file_size for info in infos) > limits.max_decompressed_bytes:
        raise FileRejected("zip_bomb", "Dung lượng khai báo sau giải nén vượt giới hạn.",
                           "The declared uncompressed size is over the limit.")
    for info in infos:
        if info.file_size > limits.ratio_floor_bytes and info.file_size > limits.max_compression_ratio * max(
                info.compress_size, 1):
            raise FileRejected("zip_bomb", "Tỷ lệ nén bất thường.", "Absurd compression ratio.")


def _inflate_all(path: Path, infos: list[zipfile.ZipInfo], limits: Limits) -> dict[str, _PartScan]:
    """Inflate every entry from its raw bytes, counting the actual total; scan XML parts."""
    total = 0
    worksheets: dict[str, _PartScan] = {}
    with open(path, "rb") as file:
        for info in infos:
            is_xml = info.filename.lower().endswith(XML_SUFFIXES)
            is_sheet = _WORKSHEET.fullmatch(info.filename) is not None or info.filename == "content.xml"
            scan = _PartScan() if is_sheet else None
            tail = b""
            for data in _inflate(file, info):
                total += len(data)
                if total > limits.max_decompressed_bytes:
                    raise FileRejected("zip_bomb", "Dung lượng thực tế sau giải nén vượt giới hạn.",
                                       "The actual uncompressed size is over the limit.")
                window = tail + data
                if is_xml and (b"<!" in window or b"<\x00!" in window) and _ENTITY.search(window):
                    raise FileRejected("xml_entities")
                if scan is not None:
                    _scan_rows(scan, tail, window, first=not tail)
                tail = window[-2 * _LOOK_AHEAD:]
            if scan is not None:
                if b"number-rows-repeated" in tail:
                    _scan_repeated_rows(scan, tail, start_at=len(tail) - _LOOK_AHEAD, final=True)
                worksheets[info.filename] = scan
    return dict(sorted(worksheets.items(), key=lambda item: _natural(item[0])))


def _natural(name: str) -> tuple[int, str]:
    digits = re.findall(r"\d+", name)
    return (int(digits[-1]) if digits else 0, name)


def _inflate(file: io.BufferedReader, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The entry's bytes, at most CHUNK at a time, from the raw stream after its local header."""
    if info.flag_bits & 0x1:
        raise FileRejected("unsupported_format", "Tệp được bảo vệ bằng mật khẩu.", "The file is password-protected.")
    file.seek(info.header_offset)
    header = file.read(30)
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise FileRejected("unsupported_format", "Tệp nén bị hỏng.", "The zip file is damaged.")
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    file.seek(info.header_offset + 30 + name_length + extra_length)
    remaining = info.compress_size
    if info.compress_type == zipfile.ZIP_STORED:
        while remaining > 0:
            raw = file.read(min(CHUNK, remaining))
            if not raw:
                return
            remaining -= len(raw)
            yield raw
        return
    if info.compress_type != zipfile.ZIP_DEFLATED:
        raise FileRejected("unsupported_format", "Kiểu nén không được hỗ trợ.", "Unsupported compression method.")
    inflater = zlib.decompressobj(-15)
    try:
        while remaining > 0 and not inflater.eof:
            raw = file.read(min(CHUNK, remaining))
            if not raw:
                return
            remaining -= len(raw)
            data = inflater.decompress(raw, CHUNK)
            while True:
                if data:
                    yield data
                if not inflater.unconsumed_tail or inflater.eof:
                    break
                data = inflater.decompress(inflater.unconsumed_tail, CHUNK)
    except zlib.error:
        raise FileRejected("unsupported_format", "Tệp nén bị hỏng.", "The zip file is damaged.") from None


def _scan_rows(scan: _PartScan, tail: bytes, window: bytes, *, first: bool) -> None:
    """Count `<row` / `<table:table-row` starts in the new bytes; note the dimension and the last
    row number (rows are in order, so the last one seen is the highest)."""
    for needle in (b"<row ", b"<row>", b":row ", b":row>", b"<table:table-row ", b"<table:table-row>"):
        scan.rows += window.count(needle) - tail.count(needle)
    if first and (dimension := _DIMENSION.search(window, 0, 65536)):
        scan.dimension_rows = int(dimension.group(1))
    if b"number-rows-repeated" in window:
        _scan_repeated_rows(scan, window, start_at=len(tail) - _LOOK_AHEAD if tail else 0, final=False)
    last = max(window.rfind(b"<row"), window.rfind(b":row "))
    if last >= 0 and (number := _ROW_NUMBER.search(window, max(0, last - 16), last + 400)):
        scan.last_row = max(scan.last_row, int(number.group(1)))


_REPEATED_ROW = re.compile(rb'<table:table-row\b[^>]*?table:number-rows-repeated="(\d+)"[^>]*>')
_REPEATED_COLUMNS = re.compile(rb'table:number-columns-repeated="(\d+)"')
_ROW_END = b"</table:table-row>"
_LOOK_AHEAD = 4096


def _scan_repeated_rows(scan: _PartScan, window: bytes, *, start_at: int, final: bool) -> None:
    """An ods row repeated N times counts N rows (and N x its cells) when it holds a value, or when
    its content is too long to tell (4 KB): a legitimate repeated row is one or two empty cells.
    A row is decided in the first window that holds its whole look-ahead (or the part's last)."""
    limit = len(window) if final else len(window) - _LOOK_AHEAD
    for match in _REPEATED_ROW.finditer(window, max(start_at, 0)):
        if match.start() >= limit:
            break
        end = window.find(_ROW_END, match.end(), match.end() + _LOOK_AHEAD)
        content = window[match.end():end] if end != -1 else None
        if content is not None and b"office:value-type" not in content:
            continue
        repeats = int(match.group(1))
        columns = sum(int(n) for n in _REPEATED_COLUMNS.findall(content)) if content is not None else 16_384
        cells = max(columns, content.count(b"<table:table-cell") if content is not None else 0, 1)
        scan.repeated_rows += repeats - 1
        scan.repeated_cells += repeats * cells


def _workbook_sheets(path: Path) -> list[SheetInfo]:
    try:
        with CalamineWorkbook.from_path(str(path)) as workbook:
            names = workbook.sheet_names
    except (CalamineError, OSError, ValueError):
        raise FileRejected("unsupported_format", "Không đọc được bảng tính.", "The workbook cannot be read.") from None
    if not names:
        raise FileRejected("unsupported_format", "Bảng tính không có trang nào.", "The workbook has no sheet.")
    return [SheetInfo(index, name) for index, name in enumerate(names)]


# --- xls ------------------------------------------------------------------------------------------------

def _sniff_xls(path: Path) -> FileInfo:
    """OLE2 is also .doc, .ppt, .msg: only a file calamine opens as a workbook is an xls."""
    return FileInfo(format="xls", encoding=None, sheets=_workbook_sheets(path))


# --- csv ------------------------------------------------------------------------------------------------

def _sniff_csv(path: Path, *, filename: str, limits: Limits, head: bytes) -> FileInfo:
    encoding = detect_encoding(path, head)
    with open(path, encoding=encoding, errors="replace", newline="") as text:
        sample = text.read(64 * 1024)
    if _looks_foreign(sample):
        raise FileRejected("unsupported_format")
    delimiter = detect_delimiter(sample)
    rows = _validate_csv(path, encoding=encoding, delimiter=delimiter, limits=limits)
    name = Path(filename).stem or "CSV"
    return FileInfo(format="csv", encoding=encoding, sheets=[SheetInfo(0, name)], delimiter=delimiter,
                    rows={0: rows})


def detect_encoding(path: Path, head: bytes) -> str:
    """utf-8-sig / utf-16 by their BOM; utf-16-le/-be without one (NULs); utf-8 when the whole file
    decodes; otherwise windows-1258 when its reading is Vietnamese, else windows-1252 (where TCVN3
    and VNI cells are found and converted cell by cell)."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if head.count(0) > len(head) // 4:
        odd_zeros = head[1::2].count(0)
        even_zeros = head[0::2].count(0)
        if max(odd_zeros, even_zeros) > len(head) // 4 and min(odd_zeros, even_zeros) < len(head) // 64:
            return "utf-16-le" if odd_zeros > even_zeros else "utf-16-be"
        raise FileRejected("unsupported_format")  # binary
    if _decodes_as_utf8(path):
        return "utf-8"
    with open(path, "rb") as file:
        sample = file.read(256 * 1024)
    return "windows-1258" if _vietnamese_1258(sample) else "windows-1252"


def _decodes_as_utf8(path: Path) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    try:
        with open(path, "rb") as file:
            while chunk := file.read(CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


_TEXT_WORD = re.compile(r"[^\W\d_]+")


def _vietnamese_1258(sample: bytes) -> bool:
    """Windows-1258 writes Vietnamese with combining tone marks after a base letter; read so, the
    non-ASCII words of a Vietnamese file are syllables, and more of them than the Windows-1252
    reading (with TCVN3/VNI conversion) gives."""
    as_1258 = unicodedata.normalize("NFC", sample.decode("cp1258", errors="replace"))
    as_1252 = sample.decode("cp1252", errors="replace")
    words_1258 = [word for word in _TEXT_WORD.findall(as_1258) if not word.isascii()]
    if not words_1258:
        return False
    valid_1258 = sum(is_vietnamese_word(word) for word in words_1258)
    valid_1252 = 0
    for line in as_1252.splitlines()[:2000]:
        fixed, _ = fix_legacy_vietnamese(line)
        valid_1252 += sum(is_vietnamese_word(word) for word in _TEXT_WORD.findall(fixed) if not word.isascii())
    return valid_1258 >= 0.5 * len(words_1258) and valid_1258 >= valid_1252


def _looks_foreign(sample: str) -> bool:
    """HTML/XML (an "Excel" file saved from a web page), or binary: not a CSV."""
    start = sample.lstrip("\ufeff \t\r\n")[:200].lower()
    if start.startswith(("<!doctype", "<html", "<?xml", "<table", "<head", "<body", "<meta", "<script", "<svg")):
        return True
    controls = sum(1 for char in sample if char < " " and char not in "\t\r\n\f")
    return controls > max(1, len(sample) // 100)


def detect_delimiter(sample: str) -> str:
    """The candidate that splits the first complete records into more than one field, the same
    number most often (ties: more fields); "," for a one-column file."""
    lines = sample.splitlines()[:200]
    if len(lines) > 1 and len(sample) >= 64 * 1024:
        lines = lines[:-1]  # cut short
    best, best_score = ",", (0.0, 0)
    for delimiter in CSV_DELIMITERS:
        counts = _field_counts(lines, delimiter)
        if not counts:
            continue
        usual, seen = Counter(counts).most_common(1)[0]
        if usual < 2:
            continue
        score = (seen / len(counts), usual)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _field_counts(lines: list[str], delimiter: str) -> list[int]:
    try:
        return [len(record) for record in csv.reader(lines, delimiter=delimiter) if record]
    except csv.Error:
        return []


def _validate_csv(path: Path, *, encoding: str, delimiter: str, limits: Limits) -> int:
    """One strict pass over the whole file; the number of records (blank lines not counted)."""
    counts: Counter[int] = Counter()
    records = 0
    try:
        with open(path, encoding=encoding, errors="replace", newline="") as text:
            for record in csv.reader(text, delimiter=delimiter, strict=True):
                if not record:
                    continue
                records += 1
                counts[len(record)] += 1
                if records > limits.max_rows:
                    raise FileRejected("too_many_rows", f"Tối đa {limits.max_rows:,} dòng.",
                                       f"At most {limits.max_rows:,} rows.")
    except csv.Error as error:
        raise FileRejected("malformed_csv", f"Lỗi ở bản ghi {records + 1}.",
                           f"Error at record {records + 1}: {error}.") from None
    if records == 0:
        raise FileRejected("empty_file")
    usual, seen = counts.most_common(1)[0]
    off = records - seen
    if off >= 3 and off > limits.csv_field_count_tolerance * records:
        raise FileRejected("malformed_csv", f"{off:,} bản ghi có số cột khác {usual}.",
                           f"{off:,} records do not have {usual} fields.")
    return records
