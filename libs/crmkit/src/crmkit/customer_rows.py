"""The wire format of a selection of customers passed from the customers service to another service
(issue 13: `POST /assignments {filter}` resolved with one call): per customer its id, owner, owner's
unit (id and path), province and version.

Dense binary rather than JSON, by measurement (100,000 rows of the 1M-row benchmark table, on the
shared 2-core machine at load 7-9, medians of 5: bench/customer_rows_bench.py): a JSON array
of arrays built by PostgreSQL (`json_agg`, 24.5 MB: the unit path repeated in every row) took
0.98 s to build and 0.94 s to read back into UUIDs (orjson, ids decoded with asyncpg's C UUID);
these fixed-size rows (5.4 MB, each unit's path said once in the header) 0.27 s and 0.50 s.
Reading with `uuid.UUID(bytes=)` instead of asyncpg's C UUID (a `uuid.UUID`: equal, same hash)
took 3x longer. The body:

    4 bytes   big-endian length n of the header
    n bytes   header, JSON: {"units": {unit id: unit path}, "matched": n?}   (the owner units of
              the rows; how many match in all when the rows are only the first of them)
    54 bytes  per customer: id, owner id, owner unit id (16 bytes each, zeros: none),
              province code (int16, 0: none), version (int32), all big-endian — what PostgreSQL's
              uuid_send / int2send / int4send write
"""
from __future__ import annotations

import struct
import uuid
from typing import NamedTuple

import orjson
from asyncpg.pgproto.pgproto import UUID as FastUUID  # type: ignore[import-untyped]  # a uuid.UUID, built in C

MEDIA_TYPE = "application/vnd.crm.customer-rows"
ROW = struct.Struct(">16s16s16shi")
_HEADER_LENGTH = struct.Struct(">I")
_NONE = bytes(16)


class CustomerRow(NamedTuple):
    id: uuid.UUID
    owner_id: uuid.UUID | None
    owner_unit_id: uuid.UUID | None
    owner_unit_path: str | None
    province_code: int | None
    version: int


def encode(units_json: str | bytes, rows: bytes, *, matched: int | None = None) -> bytes:
    """The body from the header's units (`{unit id: path}` as JSON text) and the packed rows;
    `matched`: how many match in all, when the rows are only the first of them."""
    header = b'{"units":' + (units_json.encode() if isinstance(units_json, str) else units_json)
    header += (b',"matched":%d}' % matched) if matched is not None else b"}"
    return _HEADER_LENGTH.pack(len(header)) + header + rows


def count(body: bytes) -> int:
    """How many rows the body holds."""
    length: int = _HEADER_LENGTH.unpack_from(body)[0]
    return (len(body) - _HEADER_LENGTH.size - length) // ROW.size


def matched(body: bytes) -> int:
    """How many customers match in all (the rows held, unless the header says more)."""
    (length,) = _HEADER_LENGTH.unpack_from(body)
    return int(orjson.loads(body[_HEADER_LENGTH.size:_HEADER_LENGTH.size + length]).get("matched", count(body)))


def decode(body: bytes) -> list[CustomerRow]:
    (length,) = _HEADER_LENGTH.unpack_from(body)
    start = _HEADER_LENGTH.size + length
    paths = {uuid.UUID(unit_id).bytes: path
             for unit_id, path in orjson.loads(body[_HEADER_LENGTH.size:start])["units"].items()}
    # owners and units repeat: each decoded once, by their raw bytes (a UUID's hash is Python code)
    owners: dict[bytes, uuid.UUID | None] = {_NONE: None}
    units: dict[bytes, tuple[uuid.UUID | None, str | None]] = {_NONE: (None, None)}
    new_row, make_uuid = tuple.__new__, FastUUID
    rows = []
    for customer_id, owner_id, unit_id, province, version in ROW.iter_unpack(memoryview(body)[start:]):
        owner = owners.get(owner_id, ...)
        if owner is ...:
            owner = owners[owner_id] = make_uuid(owner_id)
        unit = units.get(unit_id)
        if unit is None:
            unit = units[unit_id] = (make_uuid(unit_id), paths.get(unit_id))
        rows.append(new_row(CustomerRow, (make_uuid(customer_id), owner, *unit, province or None, version)))
    return rows
