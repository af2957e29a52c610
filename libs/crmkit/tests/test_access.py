""""A manager reaches this unit subtree": the prefix helper, the SQL range fragment, and what
PostgreSQL makes of it (whole path segments, never everything for an empty or root path)."""
from __future__ import annotations

import asyncpg
import pytest

from crmkit.access import subtree_path, within_subtree_sql


def test_subtree_path_is_a_slash_ended_prefix_or_none():
    assert subtree_path("/a/b") == "/a/b/" and subtree_path("/a/b/") == "/a/b/"
    assert [subtree_path(p) for p in (None, "", "/", "//", "a/b/")] == [None] * 5


def test_the_fragment_is_a_byte_wise_range_on_the_pattern_operators():
    sql = within_subtree_sql("c.owner_unit_path", "$5")
    assert sql == ("(rtrim($5, '/') <> '' AND c.owner_unit_path ~>=~ (rtrim($5, '/') || '/')"
                   " AND c.owner_unit_path ~<~ (rtrim($5, '/') || '0'))")
    assert "LIKE" not in sql


PATHS = ["/r/", "/r/a/", "/r/a/x/", "/r/ab/", "/r/a0/", "/r/b/", "/s/", None]


@pytest.mark.parametrize(("manager", "reached"), [
    ("/r/a/", ["/r/a/", "/r/a/x/"]),
    ("/r/a", ["/r/a/", "/r/a/x/"]),          # without its trailing slash: the same subtree
    ("/r/", ["/r/", "/r/a/", "/r/a/x/", "/r/ab/", "/r/a0/", "/r/b/"]),
    ("", []), ("/", []),                      # no unit reaches nothing, not everything
])
async def test_postgresql_reaches_whole_segments_only(db_dsn, manager, reached):
    conn = await asyncpg.connect(db_dsn)
    try:
        rows = await conn.fetch(
            f"SELECT p FROM unnest($1::text[]) AS t(p) WHERE {within_subtree_sql('p', '$2')} ORDER BY p",
            PATHS, manager)
    finally:
        await conn.close()
    assert [r["p"] for r in rows] == sorted(reached)
