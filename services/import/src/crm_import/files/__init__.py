"""Reading uploaded spreadsheets: what a file is and whether it is safe (formats.sniff), its rows
as text (readers.read_rows), columns and headers (columns), the upload screen's preview (preview),
the upload written to disk (storage), legacy Vietnamese encodings (vietnamese). Pure: no HTTP, no
database."""
from crm_import.files.columns import ColumnError, column_letter, column_number, detect_header_row, resolve_column
from crm_import.files.errors import FileRejected
from crm_import.files.formats import FileInfo, Limits, SheetInfo, sniff
from crm_import.files.preview import ColumnInfo, Preview, PreviewRow, preview
from crm_import.files.readers import ReadStats, cell_text, read_rows
from crm_import.files.storage import StoredFile, store_upload
from crm_import.files.vietnamese import LegacyFixer, fix_legacy_vietnamese

__all__ = [
    "ColumnError", "ColumnInfo", "FileInfo", "FileRejected", "LegacyFixer", "Limits", "Preview", "PreviewRow",
    "ReadStats", "SheetInfo", "StoredFile", "cell_text", "column_letter", "column_number", "detect_header_row",
    "fix_legacy_vietnamese", "preview", "read_rows", "resolve_column", "sniff", "store_upload",
]
