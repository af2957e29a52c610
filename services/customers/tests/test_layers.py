"""The customers package keeps its SQL in `store/` (docs/architecture.md: api/ -> handlers/ ->
domain/ + store/): no database call and no SQL text anywhere else."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import crm_customers

PACKAGE = Path(crm_customers.__file__).parent
DATABASE_CALLS = frozenset({"fetch", "fetchrow", "fetchval", "execute", "executemany", "copy_from_query",
                            "copy_from_table", "copy_to_table", "copy_records_to_table", "cursor", "prepare"})
SQL_TEXT = re.compile(r"^\s*(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM|WITH \w+|NOTIFY|LISTEN|DECLARE|"
                      r"FETCH|CLOSE|COPY)\b")


def _docstrings(tree: ast.AST) -> set[int]:
    nodes = [n for n in ast.walk(tree) if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef,
                                                          ast.AsyncFunctionDef))]
    return {id(n.body[0].value) for n in nodes
            if n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}


def sql_outside_store(source: str, name: str) -> list[str]:
    """`name:line what` of every database call or SQL text in `source`."""
    tree = ast.parse(source)
    docstrings = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in DATABASE_CALLS:
            found.append(f"{name}:{node.lineno} .{node.func.attr}()")
        elif (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
              and SQL_TEXT.match(node.value)):
            found.append(f"{name}:{node.lineno} {node.value[:40]!r}")
    return found


def test_no_sql_outside_store():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if relative.parts[0] != "store":
            found += sql_outside_store(path.read_text(encoding="utf-8"), str(relative))
    assert found == []


def test_the_scan_sees_database_calls_and_sql_text():
    source = ('"""SELECT in a docstring is prose."""\n'
              "async def f(conn, cursor):\n"
              "    await conn.execute('NOTIFY x')\n"
              "    await conn.copy_from_query(f'SELECT {cursor} FROM t', output=print)\n")
    assert sql_outside_store(source, "m.py") == [
        "m.py:3 .execute()", "m.py:4 .copy_from_query()", "m.py:3 'NOTIFY x'", "m.py:4 'SELECT '"]
