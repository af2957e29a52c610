"""Hostile files are refused by `sniff` with their code, in bounded memory: each is sniffed in a
fresh child process whose peak RSS is measured (the refusal must come before anything inflates or
loads the file), and where Python allocations are what matters, tracemalloc in-process."""
from __future__ import annotations

import json
import struct
import subprocess
import sys
import textwrap
import zipfile
import zlib
from pathlib import Path

import pytest
import xlsxwriter

from crm_import.files import FileRejected, Limits, sniff

MiB = 2**20
SRC = Path(__file__).resolve().parents[1] / "src"
# The child's own Python + calamine + the package: ~40 MB on this machine; refusing must add little.
MAX_CHILD_RSS_MB = 120


def sniff_in_child(path: Path, **limits: int) -> tuple[str | None, float]:
    """(the FileRejected code or None, peak RSS in MB) of sniffing `path` in a new process."""
    code = textwrap.dedent(f"""
        import json, sys
        sys.path.insert(0, {str(SRC)!r})
        from crm_import.files import FileRejected, Limits, sniff
        try:
            sniff({str(path)!r}, filename="f", limits=Limits(**{limits!r}))
            result = None
        except FileRejected as error:
            result = error.code
        # VmHWM: this process's peak RSS (ru_maxrss would carry the forking test process's over exec)
        with open("/proc/self/status") as status:
            peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
        print(json.dumps([result, peak / 1024]))
    """)
    child = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert child.returncode == 0, child.stderr
    result, rss = json.loads(child.stdout)
    return result, rss


def refused(path: Path, limits: Limits | None = None) -> FileRejected:
    with pytest.raises(FileRejected) as caught:
        sniff(path, filename=path.name, limits=limits or Limits())
    return caught.value


def small_xlsx(path: Path) -> Path:
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, ["Họ tên", "Điện thoại"])
    sheet.write_row(1, 0, ["Nguyễn Văn An", "0912345678"])
    workbook.close()
    return path


def rewrite(source: Path, target: Path, replace: dict[str, bytes], add: dict[str, bytes] | None = None) -> Path:
    """A copy of the zip `source` with some entries' content replaced (and some added)."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in original.infolist():
            copy.writestr(info.filename, replace.get(info.filename, original.read(info.filename)))
        for name, data in (add or {}).items():
            copy.writestr(name, data)
    return target


def write_zip(path: Path, entries: list[tuple[str, bytes, int, int]]) -> None:
    """A zip of raw-deflated entries (name, compressed bytes, crc32, uncompressed size), written by
    hand so a 1.5 GiB entry costs no 1.5 GiB of compression."""
    with open(path, "wb") as file:
        directory = b""
        for name, data, crc, size in entries:
            offset = file.tell()
            encoded = name.encode()
            fields = struct.pack("<HHHHHIIIHH", 20, 0, 8, 0, 0x21, crc, len(data), size, len(encoded), 0)
            file.write(b"PK\x03\x04" + fields + encoded + data)
            directory += (b"PK\x01\x02" + struct.pack("<H", 20) + fields + struct.pack("<HHHII", 0, 0, 0, 0, offset)
                          + encoded)
        start = file.tell()
        file.write(directory + b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, len(entries), len(entries),
                                                              len(directory), start, 0))


def deflated(data: bytes) -> tuple[str, bytes, int, int]:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return "", compressor.compress(data) + compressor.flush(), zlib.crc32(data), len(data)


@pytest.fixture(scope="module")
def zip_bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real .xlsx (~1.5 MB) whose sheet inflates to 1.5 GiB of zeros (declared honestly): 96
    copies of one fully flushed deflate block of 16 MiB of zeros, then the final block."""
    directory = tmp_path_factory.mktemp("bomb")
    base = small_xlsx(directory / "base.xlsx")
    entries = []
    with zipfile.ZipFile(base) as original:
        for info in original.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                entries.append((info.filename, *deflated(original.read(info.filename))[1:]))
    zeros = bytes(16 * MiB)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(96):
        crc = zlib.crc32(zeros, crc)
    entries.append(("xl/worksheets/sheet1.xml", block * 96 + zlib.compressobj(9, zlib.DEFLATED, -15).flush(),
                    crc, 96 * 16 * MiB))
    path = directory / "bomb.xlsx"
    write_zip(path, entries)
    with zipfile.ZipFile(path) as archive, archive.open("xl/worksheets/sheet1.xml") as sheet:
        assert sheet.read(MiB) == bytes(MiB)  # a well-formed zip whose sheet really is zeros
    return path


def test_zip_bomb_is_refused_from_its_directory_in_bounded_memory(zip_bomb: Path):
    assert zip_bomb.stat().st_size < 3 * MiB
    code, rss = sniff_in_child(zip_bomb)
    assert code == "zip_bomb"
    assert rss < MAX_CHILD_RSS_MB


def lie_about_size(path: Path, name: str, declared: int) -> None:
    """Patch the local header and the central directory to declare `declared` bytes for `name`."""
    data = bytearray(path.read_bytes())
    encoded = name.encode()
    local = data.find(b"PK\x03\x04")
    while local != -1:
        name_length = int.from_bytes(data[local + 26:local + 28], "little")
        if data[local + 30:local + 30 + name_length] == encoded:
            data[local + 22:local + 26] = declared.to_bytes(4, "little")
        local = data.find(b"PK\x03\x04", local + 4)
    central = data.find(b"PK\x01\x02")
    while central != -1:
        name_length = int.from_bytes(data[central + 28:central + 30], "little")
        if data[central + 46:central + 46 + name_length] == encoded:
            data[central + 24:central + 28] = declared.to_bytes(4, "little")
        central = data.find(b"PK\x01\x02", central + 4)
    path.write_bytes(bytes(data))


def test_zip_bomb_lying_about_its_size_is_caught_while_inflating(tmp_path: Path):
    base = small_xlsx(tmp_path / "base.xlsx")
    path = rewrite(base, tmp_path / "liar.xlsx", {"xl/worksheets/sheet1.xml": bytes(64 * MiB)})
    lie_about_size(path, "xl/worksheets/sheet1.xml", 1000)
    with zipfile.ZipFile(path) as archive:
        assert sum(info.file_size for info in archive.infolist()) < 16 * MiB  # the directory says it is small
    code, rss = sniff_in_child(path, max_decompressed_bytes=32 * MiB)
    assert code == "zip_bomb"
    assert rss < MAX_CHILD_RSS_MB


def test_absurd_compression_ratio_is_a_zip_bomb(tmp_path: Path):
    base = small_xlsx(tmp_path / "base.xlsx")
    path = rewrite(base, tmp_path / "ratio.xlsx", {"xl/worksheets/sheet1.xml": bytes(40 * MiB)})
    assert refused(path).code == "zip_bomb"


def test_too_many_entries_is_a_zip_bomb(tmp_path: Path):
    base = small_xlsx(tmp_path / "base.xlsx")
    path = rewrite(base, tmp_path / "entries.xlsx", {}, {f"xl/media/{index}.bin": b"" for index in range(10_001)})
    assert refused(path).code == "zip_bomb"


BILLION_LAUGHS = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol9 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>"""


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "[Content_Types].xml"])
def test_entity_declarations_in_any_xml_part_are_refused(tmp_path: Path, part: str):
    base = small_xlsx(tmp_path / "base.xlsx")
    with zipfile.ZipFile(base) as archive:
        present = part in archive.namelist()
    path = rewrite(base, tmp_path / "laughs.xlsx", {part: BILLION_LAUGHS} if present else {},
                   None if present else {part: BILLION_LAUGHS})
    code, rss = sniff_in_child(path)
    assert code == "xml_entities"
    assert rss < MAX_CHILD_RSS_MB


def test_entity_declaration_in_utf16_xml_is_refused(tmp_path: Path):
    base = small_xlsx(tmp_path / "base.xlsx")
    sheet = BILLION_LAUGHS.decode().replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    path = rewrite(base, tmp_path / "laughs16.xlsx", {"xl/worksheets/sheet1.xml": sheet})
    assert refused(path).code == "xml_entities"


@pytest.mark.parametrize("content", [
    b"<!DOCTYPE html><html><head><title>Bao cao</title></head><body><table><tr><td>1</td></tr></table></body></html>",
    b"\xef\xbb\xbf  <html><body><table><tr><td>Nguy\xe1\xbb\x85n</td></tr></table></body></html>",
    b"<?xml version=\"1.0\"?><Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\"></Workbook>",
], ids=["html", "html-bom", "spreadsheetml-2003"])
def test_html_or_xml_renamed_xlsx_is_unsupported(tmp_path: Path, content: bytes):
    path = tmp_path / "report.xlsx"
    path.write_bytes(content)
    assert refused(path).code == "unsupported_format"


@pytest.mark.parametrize("head", [
    b"\x7fELF\x02\x01\x01\x00" + bytes(56), b"MZ\x90\x00\x03\x00\x00\x00" + bytes(120), b"%PDF-1.7\n%\xe2\xe3",
    b"\x89PNG\r\n\x1a\n" + bytes(20), b"\xff\xd8\xff\xe0\x00\x10JFIF", b"\x1f\x8b\x08\x00" + bytes(10),
], ids=["elf", "pe", "pdf", "png", "jpeg", "gzip"])
def test_executables_documents_and_images_are_unsupported(tmp_path: Path, head: bytes):
    path = tmp_path / "customers.xlsx"
    path.write_bytes(head + bytes(range(256)) * 8)
    assert refused(path).code == "unsupported_format"


def test_a_zip_that_is_no_workbook_is_unsupported(tmp_path: Path):
    path = tmp_path / "document.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    assert refused(path).code == "unsupported_format"


def test_an_ole2_file_that_is_no_workbook_is_unsupported(tmp_path: Path):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096))
    assert refused(path).code == "unsupported_format"


def test_binary_noise_is_unsupported(tmp_path: Path):
    path = tmp_path / "noise.csv"
    path.write_bytes(bytes(range(1, 32)) * 500)
    assert refused(path).code == "unsupported_format"


def test_unbalanced_quote_csv_is_malformed_in_bounded_memory(tmp_path: Path):
    path = tmp_path / "quotes.csv"
    with open(path, "w", encoding="utf-8") as file:
        file.write('Họ tên,Điện thoại\n"Nguyễn Văn An,0912345678\n')
        for index in range(200_000):  # everything after the quote would be one field
            file.write(f"Trần Thị {index},0987{index:06d}\n")
    code, rss = sniff_in_child(path)
    assert code == "malformed_csv"
    assert rss < MAX_CHILD_RSS_MB


def test_mixed_delimiters_are_malformed(tmp_path: Path):
    path = tmp_path / "mixed.csv"
    lines = ["ten,dien_thoai,email"] + [f"An {i},0912{i:06d},a{i}@x.vn" for i in range(50)]
    lines += [f"Binh {i};0913{i:06d};b{i}@x.vn" for i in range(50)]
    path.write_text("\n".join(lines), encoding="utf-8")
    assert refused(path).code == "malformed_csv"


def test_a_few_ragged_rows_are_tolerated(tmp_path: Path):
    path = tmp_path / "ragged.csv"
    lines = ["ten,dien_thoai,email"] + [f"An {i},0912{i:06d},a{i}@x.vn" for i in range(100)] + ["Chi,0912000000"]
    path.write_text("\n".join(lines), encoding="utf-8")
    info = sniff(path, filename="ragged.csv", limits=Limits())
    assert info.format == "csv" and info.rows == {0: 102}


def test_csv_of_2_million_rows_is_too_many_in_bounded_memory(tmp_path: Path):
    path = tmp_path / "huge.csv"
    with open(path, "w") as file:
        file.write("ten,dien_thoai\n")
        block = "".join(f"A{i},09{i:08d}\n" for i in range(10_000))
        for _ in range(200):
            file.write(block)
    code, rss = sniff_in_child(path)
    assert code == "too_many_rows"
    assert rss < MAX_CHILD_RSS_MB


def xlsx_with_sheet_xml(tmp_path: Path, sheet_xml: bytes) -> Path:
    base = small_xlsx(tmp_path / "base.xlsx")
    return rewrite(base, tmp_path / "rows.xlsx", {"xl/worksheets/sheet1.xml": sheet_xml})


SHEET_HEAD = b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def test_xlsx_whose_dimension_claims_2_million_rows_is_too_many(tmp_path: Path):
    path = xlsx_with_sheet_xml(tmp_path, SHEET_HEAD + b'<dimension ref="A1:B2000000"/><sheetData>'
                               b'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>')
    assert refused(path).code == "too_many_rows"


def test_xlsx_without_dimension_with_a_row_past_the_limit_is_too_many(tmp_path: Path):
    path = xlsx_with_sheet_xml(tmp_path, SHEET_HEAD + b'<sheetData><row r="1"><c r="A1"><v>1</v></c></row>'
                               b'<row r="2000000"><c r="A2000000"><v>2</v></c></row></sheetData></worksheet>')
    assert refused(path).code == "too_many_rows"


def test_xlsx_with_2_million_row_elements_is_too_many_in_bounded_memory(tmp_path: Path):
    """Rows without numbers (r is optional): only counting them tells."""
    path = tmp_path / "rows.xlsx"
    base = small_xlsx(tmp_path / "base.xlsx")
    with zipfile.ZipFile(base) as original, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in original.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                copy.writestr(info.filename, original.read(info.filename))
        with copy.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(SHEET_HEAD + b"<sheetData>")
            for start in range(0, 2_000_000, 100_000):  # varied values: a real sheet's compression ratio
                sheet.write(b"".join(b"<row><c><v>%d</v></c></row>" % (start + i) for i in range(100_000)))
            sheet.write(b"</sheetData></worksheet>")
    code, rss = sniff_in_child(path)
    assert code == "too_many_rows"
    assert rss < MAX_CHILD_RSS_MB


def test_limits_are_configurable(tmp_path: Path):
    path = tmp_path / "small.csv"
    path.write_text("a,b\n" + "".join(f"{i},{i}\n" for i in range(20)), encoding="utf-8")
    assert refused(path, Limits(max_rows=10)).code == "too_many_rows"
    assert sniff(path, filename="small.csv", limits=Limits(max_rows=21)).rows == {0: 21}


def test_refusals_say_why_in_both_languages(tmp_path: Path):
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"MZ" + bytes(100))
    error = refused(path)
    assert error.status == 415
    assert "Excel" in error.detail_vi and "không phải" in error.detail_vi
    assert error.detail("en").startswith("The file is not")


def test_the_zip_checks_cost_little_python_memory(tmp_path: Path):
    import tracemalloc

    base = small_xlsx(tmp_path / "base.xlsx")
    path = rewrite(base, tmp_path / "big.xlsx", {"xl/worksheets/sheet1.xml": SHEET_HEAD + b"<sheetData>" + b"".join(
        b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (i, i, i) for i in range(1, 200_001)) + b"</sheetData></worksheet>"})
    tracemalloc.start()
    info = sniff(path, filename="big.xlsx", limits=Limits())
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert info.rows[0] == 200_000
    assert peak < 8 * MiB  # 1 MiB inflate steps, never the ~8 MB part


def test_zlib_raw_stream_is_what_is_counted():
    """Sanity: deflate's ratio ceiling (~1032:1) is why a 1.5 MB file can hold 1.5 GiB."""
    compressed = zlib.compress(bytes(16 * MiB), 9)
    assert 16 * MiB / len(compressed) > 1000


def ods_with_repeated_row(path: Path, rows: int, columns: int, *, filled: bool, padding: int = 0) -> Path:
    """An ods whose second row is repeated `rows` times with `columns` repeated cells: calamine
    expands such a row when it holds a value (a 1 KB file asking for billions of cells)."""
    value = (f'<table:table-cell office:value-type="string" table:number-columns-repeated="{columns}">'
             "<text:p>x</text:p></table:table-cell>")
    empty = f'<table:table-cell table:number-columns-repeated="{columns}"/>'
    cells = (f"<text:p>{'-' * padding}</text:p>" if padding else "") + (value if filled else empty)
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body>'
               '<office:spreadsheet><table:table table:name="S"><table:table-row><table:table-cell '
               'office:value-type="string"><text:p>Tên</text:p></table:table-cell></table:table-row>'
               f'<table:table-row table:number-rows-repeated="{rows}">{cells}</table:table-row>'
               "</table:table></office:spreadsheet></office:body></office:document-content>")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", '<?xml version="1.0"?><manifest:manifest '
                         'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry '
                         'manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                         "</manifest:manifest>")
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return path


@pytest.mark.parametrize(("rows", "columns", "padding"), [(2_000_000, 1, 0), (1_000, 1_000_000, 0),
                                                          (50_000, 1_000, 0), (2_000_000, 1, 20_000)],
                         ids=["rows", "columns", "cells", "content-too-long-to-tell"])
def test_ods_repeating_a_filled_row_past_the_limits_is_refused_in_bounded_memory(tmp_path: Path, rows: int,
                                                                                 columns: int, padding: int):
    path = ods_with_repeated_row(tmp_path / "bomb.ods", rows, columns, filled=True, padding=padding)
    assert path.stat().st_size < 64 * 1024
    code, rss = sniff_in_child(path)
    assert code == "too_many_rows"
    assert rss < MAX_CHILD_RSS_MB


def test_ods_with_trailing_empty_repeated_rows_is_fine(tmp_path: Path):
    """LibreOffice writes a formatted sheet's unused rows as one empty row repeated ~1M times."""
    path = ods_with_repeated_row(tmp_path / "libre.ods", 1_048_575, 1024, filled=False)
    info = sniff(path, filename="libre.ods", limits=Limits())
    assert info.format == "ods"
    small = ods_with_repeated_row(tmp_path / "small.ods", 3, 2, filled=True)
    assert sniff(small, filename="small.ods", limits=Limits()).format == "ods"
