"""The one definition of "a manager reaches this unit subtree", for every service's SQL.

A unit path is "/<root id>/<branch id>/…/<unit id>/": the subtree of a unit is every path that
starts with its own. As SQL this is a byte-wise range, `path <= column < path-with-its-last-"/"-
as-"0"` ("0" follows "/"), written with the text_pattern_ops operators (~>=~, ~<~): a btree index
on `column text_pattern_ops` serves it whatever the database collation, also when the path is a
bound parameter of a prepared statement (generic plan). `column LIKE $1 || '%'` cannot use an
index in that case: the planner extracts an index range from a LIKE only for a pattern constant
at planning time.
"""
from __future__ import annotations


def subtree_path(unit_path: str | None) -> str | None:
    """A usable subtree prefix ("/a/b/"), or None for an empty, root-less or malformed path — so
    that a missing unit never matches everything."""
    if not unit_path or not unit_path.startswith("/"):
        return None
    path = unit_path if unit_path.endswith("/") else unit_path + "/"
    return path if path.strip("/") else None


def within_subtree_sql(column: str, path: str) -> str:
    """SQL: the unit path `column` lies in the subtree of the unit path `path`, both SQL
    expressions (a column, a `$n` parameter, `COALESCE(u.unit_path, '')`…). `path` may come with
    or without its trailing "/"; an empty path or "/" reaches nothing."""
    base = f"rtrim({path}, '/')"
    return f"({base} <> '' AND {column} ~>=~ ({base} || '/') AND {column} ~<~ ({base} || '0'))"
