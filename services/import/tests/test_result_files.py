"""The result file: one pass over the sheet writes every language's file, each with only the failed
rows, their original values, the failing cell highlighted with its reason, and the reasons in the
last column in that language."""
from __future__ import annotations

from python_calamine import CalamineWorkbook

from crm_import.handlers.results import keep_first
from crm_import.messages import row_reason
from crm_import.result_files import write_results


def test_one_pass_writes_each_language_with_only_the_failed_rows(tmp_path):
    rows = [(2, ["Nguyễn Văn An", "0912345678"]), (3, ["Lê Bình", "12"]), (4, ["Trần Chi", "0987654321"]),
            (5, ["", "0911111111"])]
    read = []

    def sheet():
        for row in rows:
            read.append(row[0])
            yield row

    paths = {"vi": tmp_path / "r.vi.xlsx", "en": tmp_path / "r.en.xlsx"}
    failures = {3: [("phone", "invalid_phone")], 5: [("name", "required")]}
    written = write_results(paths, rows=sheet(), failures=failures, headers=["Họ tên", "SĐT"],
                            field_columns={"name": 1, "phone": 2})
    assert written == 2 and read == [2, 3, 4, 5]  # the sheet is read once for both files
    for language, path in paths.items():
        values = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
        assert [v[:3] for v in values[1:]] == [[3, "Lê Bình", "12"], [5, "", "0911111111"]]
        assert row_reason("invalid_phone", language) in values[1][3]
        assert row_reason("required", language) in values[2][3]
    assert row_reason("invalid_phone", "vi") != row_reason("invalid_phone", "en")


def test_a_result_file_once_written_is_never_replaced(tmp_path):
    """Two downloads that both found the file missing both write one: the first stays, so a download
    already sending it (its Content-Length taken from it) never sees it change under it."""
    path = tmp_path / "r.vi.xlsx"
    first, second = tmp_path / "r.vi.a.part", tmp_path / "r.vi.b.part"
    first.write_bytes(b"first")
    second.write_bytes(b"second, longer")
    keep_first(first, path)
    inode = path.stat().st_ino
    keep_first(second, path)
    assert path.read_bytes() == b"first" and path.stat().st_ino == inode
    assert not first.exists() and not second.exists()
