"""python-calamine against fastexcel (both on the Rust `calamine`), reading the same realistic
1,000,000-row x 15-column .xlsx, to choose the import service's reader (issue 11).

    uv sync --group bench            # fastexcel + pyarrow (python-calamine is the service's own)
    .venv/bin/python bench/import_readers.py [--rows 1000000] [--repeat 1]

The file is generated once (xlsxwriter, constant_memory) at .local/bench/import_readers_<rows>.xlsx:
Vietnamese names with diacritics, phones in mixed writings (text "0912 345 678", "+84 912…",
"84-912-…", numbers that lost their leading 0), ISO text dates and date cells, integers, floats,
a formula with its cached value. Each reader runs in its own child process (a clean peak RSS):
- `python-calamine`: CalamineWorkbook → sheet → iter_rows() (every cell a Python value);
- `fastexcel`: ExcelReader.load_sheet(header_row=None, dtypes="string") → pyarrow → Python
  values column by column, zipped into rows (what a row-by-row reader would have to do);
- `python-calamine-plus` (only with --readers, from an environment that has it): a fork that
  streams xlsx rows from the zip instead of loading the sheet;
- `sniff`: the service's checks before reading (zip directory, every part inflated and scanned);
- `read_rows`: the service's own `crm_import.files.readers.read_rows` (python-calamine + each cell
  turned into the text a user sees), i.e. what the import worker pays per row; `read_rows_mapped`
  the same converting only 5 mapped columns (`columns=`).
Each prints one JSON line {reader, rows, seconds, rows_per_s, cpu_s, peak_rss_mb, idle_rss_mb, load_avg_1m,
machine}: on a shared machine `cpu_s` (user + system time of the child) compares readers better than
the wall time, which the other processes stretch
to stdout and appends it to .local/bench/results.jsonl.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / ".local" / "bench"
READERS = ("python-calamine", "fastexcel", "sniff", "read_rows", "read_rows_mapped")

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Thành", "Minh", "Ngọc", "Thu", "Quốc", "Xuân", "Bảo", "Gia"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hạnh", "Hùng", "Hương", "Khánh", "Lan", "Linh", "Long",
         "Mai", "Nam", "Nga", "Phúc", "Phương", "Quân", "Quỳnh", "Sơn", "Thảo", "Thủy", "Trang", "Tuấn", "Yến"]
PROVINCES = ["Hà Nội", "TP. Hồ Chí Minh", "Đà Nẵng", "Hải Phòng", "Cần Thơ", "Huế", "Nghệ An", "Thanh Hóa",
             "Khánh Hòa", "Lâm Đồng", "Đắk Lắk", "Quảng Ninh", "Bắc Ninh", "Đồng Nai", "An Giang"]
SOURCES = ["Facebook", "Zalo", "Website", "Giới thiệu", "Hội thảo", "Gọi điện"]
STATUSES = ["Mới", "Đang chăm sóc", "Đã mua", "Ngừng"]
HEADERS = ["Họ và tên", "Số điện thoại", "Email", "Ngày sinh", "Giới tính", "Tỉnh/Thành phố", "Địa chỉ",
           "Mã số thuế", "Công ty", "Nguồn", "Trạng thái", "Số lần mua", "Doanh thu", "Ngày tạo", "Ghi chú"]
PREFIXES = ["90", "91", "93", "94", "96", "97", "98", "32", "33", "34", "35", "36", "37", "38", "39", "70", "77",
            "79", "81", "83", "84", "85", "86", "88", "89"]


def _phone(rnd: random.Random, body: str | None = None, form: int | None = None) -> str | int:
    """A mobile number (9 digits after the 0: random unless `body`) in one of six writings."""
    body = body or rnd.choice(PREFIXES) + f"{rnd.randrange(10_000_000):07d}"
    form = rnd.randrange(6) if form is None else form
    if form == 0:
        return int(body)  # a number cell: Excel dropped the leading 0
    if form == 1:
        return f"0{body[:2]} {body[2:5]} {body[5:]}"
    if form == 2:
        return f"+84{body}"
    if form == 3:
        return f"84-{body[:2]}-{body[2:5]}-{body[5:]}"
    if form == 4:
        return f"0{body[:3]}.{body[3:6]}.{body[6:]}"
    return "0" + body


def generate(path: Path, rows: int, *, seed: int = 11,
             phone: Callable[[int, random.Random], str | int] | None = None,
             spoil: Callable[[int], dict[int, str]] | None = None) -> None:
    """A realistic customer sheet of `rows` data rows under one header row (constant memory).
    bench/import_bench.py chooses each row's phone (`phone(row, rnd)`: phones that already exist,
    duplicates inside the file) and spoils some rows (`spoil(row)`: {column: text} written over
    the row's cells, e.g. an invalid e-mail)."""
    import xlsxwriter

    rnd = random.Random(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.xlsx")
    workbook = xlsxwriter.Workbook(str(tmp), {"constant_memory": True})
    sheet = workbook.add_worksheet("Khách hàng")
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    datetime_format = workbook.add_format({"num_format": "dd/mm/yyyy hh:mm:ss"})
    sheet.write_row(0, 0, HEADERS)
    epoch = dt.datetime(2020, 1, 1)
    phone_of = phone or (lambda _row, rnd: _phone(rnd))
    for r in range(1, rows + 1):
        name = f"{rnd.choice(FAMILY)} {rnd.choice(MIDDLE)} {rnd.choice(GIVEN)}"
        phone = phone_of(r, rnd)
        if isinstance(phone, int):
            sheet.write_number(r, 1, phone)
        else:
            sheet.write_string(r, 1, phone)
        sheet.write_string(r, 0, name)
        sheet.write_string(r, 2, f"kh{r}@example.vn")
        birthday = dt.date(1960, 1, 1) + dt.timedelta(days=rnd.randrange(16_000))
        if r % 3:
            sheet.write_datetime(r, 3, dt.datetime.combine(birthday, dt.time()), date_format)
        else:
            sheet.write_string(r, 3, birthday.strftime("%d/%m/%Y"))
        sheet.write_string(r, 4, rnd.choice(["Nam", "Nữ", "Khác"]))
        sheet.write_string(r, 5, rnd.choice(PROVINCES))
        sheet.write_string(r, 6, f"Số {rnd.randrange(1, 300)} đường Lê Lợi, phường Bến Thành")
        sheet.write_string(r, 7, f"{rnd.randrange(10**9, 10**10)}")
        sheet.write_string(r, 8, f"Công ty TNHH {rnd.choice(GIVEN)} {rnd.choice(PROVINCES)}")
        sheet.write_string(r, 9, rnd.choice(SOURCES))
        sheet.write_string(r, 10, rnd.choice(STATUSES))
        sheet.write_number(r, 11, rnd.randrange(0, 40))
        sheet.write_formula(r, 12, f"=L{r + 1}*125000.5", None, (r % 40) * 125000.5)
        sheet.write_datetime(r, 13, epoch + dt.timedelta(seconds=rnd.randrange(200_000_000)), datetime_format)
        if r % 4 == 0:
            sheet.write_string(r, 14, "Khách quen, gọi buổi sáng")
        for column, text in (spoil(r) if spoil else {}).items():
            sheet.write_string(r, column, text)  # constant_memory keeps the row until the next: replaced
    workbook.close()
    tmp.rename(path)


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _run_python_calamine(path: Path) -> int:
    from python_calamine import CalamineWorkbook

    count = 0
    with CalamineWorkbook.from_path(str(path)) as workbook:
        for _row in workbook.get_sheet_by_index(0).iter_rows():
            count += 1
    return count


def _run_fastexcel(path: Path) -> int:
    import fastexcel

    reader = fastexcel.read_excel(str(path))
    batch = reader.load_sheet(0, header_row=None, dtypes="string", eager=True)
    columns = [column.to_pylist() for column in batch.columns]
    count = 0
    for _row in zip(*columns):
        count += 1
    return count


def _run_python_calamine_plus(path: Path) -> int:
    """A fork that streams xlsx rows from the zip in constant memory (not a project dependency:
    measured from a separate environment, `pip install python-calamine-plus`)."""
    from python_calamine_plus import CalamineWorkbook as StreamingWorkbook  # type: ignore[import-not-found]

    workbook = StreamingWorkbook.from_path(str(path))
    count = 0
    for _row in workbook.stream_sheet_by_name(workbook.sheet_names[0]):
        count += 1
    return count


def _run_read_rows(path: Path, columns: list[int] | None = None) -> int:
    sys.path.insert(0, str(ROOT / "services" / "import" / "src"))
    from crm_import.files.formats import FileInfo, SheetInfo
    from crm_import.files.readers import read_rows

    info = FileInfo(format="xlsx", encoding=None, sheets=[SheetInfo(0, "Khách hàng")])  # what sniff says
    count = 0
    for _row in read_rows(path, info, sheet=0, start_row=1, columns=columns):
        count += 1
    return count


def _run_read_rows_mapped(path: Path) -> int:
    return _run_read_rows(path, columns=[1, 2, 3, 4, 6])  # name, phone, email, birthday, province


def _run_sniff(path: Path) -> int:
    """The checks before reading: zip directory, every part inflated and scanned, sheet names."""
    sys.path.insert(0, str(ROOT / "services" / "import" / "src"))
    from crm_import.files.formats import Limits, sniff

    return sniff(path, filename=path.name, limits=Limits()).rows[0]


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            cpu = next(line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def measure(reader: str, path: Path) -> dict[str, object]:
    """Run one reader over the whole file in this (fresh) process."""
    runners = {"python-calamine": _run_python_calamine, "fastexcel": _run_fastexcel, "sniff": _run_sniff,
               "read_rows": _run_read_rows, "read_rows_mapped": _run_read_rows_mapped,
               "python-calamine-plus": _run_python_calamine_plus}
    idle = _rss_mb()
    load_before = os.getloadavg()[0]
    cpu_before = _cpu_seconds()
    started = time.perf_counter()
    rows = runners[reader](path)
    seconds = time.perf_counter() - started
    cpu = _cpu_seconds() - cpu_before  # what the reader costs, whatever else the shared machine runs
    load = round((load_before + os.getloadavg()[0]) / 2, 1)  # the machine is shared: say how busy it was
    if reader.startswith("read_rows"):
        from crm_import.files import readers

        reader += " (python-calamine-plus)" if readers.XLSX_STREAMING else " (python-calamine)"
    return {"bench": "import_readers", "reader": reader, "file": path.name, "size_mb": round(path.stat().st_size / 2**20, 1),
            "rows": rows, "seconds": round(seconds, 2), "rows_per_s": round(rows / seconds), "cpu_s": round(cpu, 2),
            "peak_rss_mb": round(_rss_mb()), "idle_rss_mb": round(idle), "load_avg_1m": load, "machine": _machine(),
            "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--readers", default=",".join(READERS))
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # child mode: one reader, one file
    parser.add_argument("--file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, Path(args.file)), ensure_ascii=False), flush=True)
        return
    path = OUT_DIR / f"import_readers_{args.rows}.xlsx"
    if not path.exists():
        started = time.perf_counter()
        generate(path, args.rows)
        print(f"# generated {path} ({path.stat().st_size / 2**20:.1f} MB) in {time.perf_counter() - started:.0f} s",
              file=sys.stderr)
    with open(OUT_DIR / "results.jsonl", "a") as results:
        for _ in range(args.repeat):
            for reader in args.readers.split(","):
                child = subprocess.run([sys.executable, __file__, "--measure", reader, "--file", str(path)],
                                       capture_output=True, text=True)
                if child.returncode:
                    print(f"# {reader} failed: {child.stderr.strip().splitlines()[-1:]}", file=sys.stderr)
                    continue
                print(child.stdout.strip(), flush=True)
                results.write(child.stdout)


if __name__ == "__main__":
    main()
