"""An upload's file as the files package reads it, and the limits of the settings."""
from __future__ import annotations

from typing import Any

import asyncpg

from crm_import.files.formats import FileInfo, Limits, SheetInfo


def file_info(upload: asyncpg.Record) -> FileInfo:
    return FileInfo(format=upload["format"], encoding=upload["encoding"], delimiter=upload["delimiter"],
                    sheets=[SheetInfo(index=s["index"], name=s["name"]) for s in upload["sheets"]])


def limits_of(settings: Any) -> Limits:
    return Limits(max_upload_bytes=settings.max_upload_bytes, max_decompressed_bytes=settings.max_decompressed_bytes,
                  max_zip_entries=settings.max_zip_entries, max_rows=settings.max_rows)
