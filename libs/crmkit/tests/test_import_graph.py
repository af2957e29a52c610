"""The shape of every package of the repository, read from its source (stdlib `ast`, nothing is
imported): no import cycle between its modules; layers import inwards only (api/ -> handlers/ ->
domain/ + store/), and `domain/` stays pure — no store/, handlers/ or api/ of its package, no
asyncpg, FastAPI, HTTP or Kafka client; handlers/ and domain/ refuse with crmkit.domain_errors,
never an HTTP answer (ProblemError). A new service under services/ is checked without being
listed here."""
from __future__ import annotations

import ast
import graphlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
IMPURE_LIBRARIES = ("asyncpg", "fastapi", "starlette", "aiokafka", "httpx")
# what each layer must not import of its own package
FORBIDDEN_LAYERS = {"domain": ("store", "handlers", "api"), "store": ("handlers", "api"), "handlers": ("api",)}


def packages() -> list[Path]:
    """Every top-level package below a src/ folder: crmkit, crm_gateway, crm_customers, …"""
    found = [*ROOT.glob("*/src/*"), *ROOT.glob("*/*/src/*")]  # gateway/src/…, services/x/src/…
    return sorted(p for p in found if p.is_dir() and not p.name.startswith(("_", ".")))


def module_name(package: Path, file: Path) -> str:
    parts = [package.name, *file.relative_to(package).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(node: ast.AST, module: str, is_package: bool) -> list[str]:
    """The modules an import statement names (`from a import b` names a.b and a)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    base = node.module or ""
    if node.level:
        anchor = module.split(".")[: len(module.split(".")) - node.level + (1 if is_package else 0)]
        base = ".".join(anchor + ([base] if base else []))
    return [base, *(f"{base}.{alias.name}" for alias in node.names)]


def import_graph(package: Path) -> dict[str, set[str]]:
    """{module: the modules of the same package it imports, anywhere in its body}."""
    files = {module_name(package, f): f for f in package.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for module, file in files.items():
        names = [n for node in ast.walk(ast.parse(file.read_text(), str(file)))
                 for n in imported(node, module, file.name == "__init__.py")]
        graph[module] = {n for n in names if n in files and n != module}
    return graph


def cycle_in(graph: dict[str, set[str]]) -> list[str] | None:
    try:
        tuple(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as error:
        return list(error.args[1])
    return None


def test_the_graph_sees_a_cycle_and_a_relative_import(tmp_path):
    package = tmp_path / "pkg"
    (package / "store").mkdir(parents=True)
    (package / "store" / "a.py").write_text("from pkg.store import b\n")
    (package / "store" / "b.py").write_text("def f():\n    from . import a\n")
    assert sorted(set(cycle_in(import_graph(package)))) == ["pkg.store.a", "pkg.store.b"]
    (package / "store" / "b.py").write_text("import json\n")
    assert cycle_in(import_graph(package)) is None


def test_an_impure_domain_and_an_outward_import_are_seen(tmp_path):
    package = tmp_path / "pkg"
    for layer in ("domain", "store", "handlers"):
        (package / layer).mkdir(parents=True)
    (package / "domain" / "rules.py").write_text("import asyncpg\n")
    (package / "store" / "rows.py").write_text("from pkg.handlers import use_case\n")
    (package / "handlers" / "use_case.py").write_text("from pkg.domain import rules\nfrom pkg.store import rows\n")
    assert layer_offences(package) == ["pkg.domain.rules imports asyncpg", "pkg.store.rows imports pkg.handlers",
                                       "pkg.store.rows imports pkg.handlers.use_case"]


def test_every_service_and_library_is_found():
    names = {p.name for p in packages()}
    assert {"crmkit", "crm_gateway", "crm_customers", "crm_interactions", "crm_assignment"} <= names


@pytest.mark.parametrize("package", packages(), ids=lambda p: p.name)
def test_no_import_cycle(package):
    assert cycle_in(import_graph(package)) is None


def layer_of(package: Path, module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) >= 2 and parts[0] == package.name else None


def layer_offences(package: Path) -> list[str]:
    """Imports against the layering: api/ -> handlers/ -> domain/ + store/, never outwards; and
    no I/O library in domain/."""
    offences = []
    for module, file in sorted((module_name(package, f), f) for f in package.rglob("*.py")):
        layer = layer_of(package, module)
        if layer not in FORBIDDEN_LAYERS:
            continue
        for node in ast.walk(ast.parse(file.read_text(), str(file))):
            for name in imported(node, module, file.name == "__init__.py"):
                impure = layer == "domain" and name.split(".")[0] in IMPURE_LIBRARIES
                if impure or layer_of(package, name) in FORBIDDEN_LAYERS[layer]:
                    offences.append(f"{module} imports {name}")
    return offences


@pytest.mark.parametrize("package", packages(), ids=lambda p: p.name)
def test_layers_import_inwards_only_and_domain_is_pure(package):
    assert layer_offences(package) == []


def http_in_use_cases(package) -> list[str]:
    """Where a handlers/ or domain/ module of `package` raises or builds a ProblemError (an HTTP answer)."""
    found = []
    for layer in ("handlers", "domain"):
        for file in sorted((package / layer).rglob("*.py")):
            for node in ast.walk(ast.parse(file.read_text(), str(file))):
                if isinstance(node, ast.Name) and node.id == "ProblemError":
                    found.append(f"{file.relative_to(package.parent)}:{node.lineno}")
    return found


@pytest.mark.parametrize("package", packages(), ids=lambda p: p.name)
def test_use_cases_refuse_in_the_domains_words_not_in_http(package):
    assert http_in_use_cases(package) == []


def test_the_guard_sees_a_problem_error_in_a_handler(tmp_path):
    (tmp_path / "handlers").mkdir()
    (tmp_path / "handlers" / "things.py").write_text("def f():\n    raise ProblemError(404, 'not_found')\n")
    assert http_in_use_cases(tmp_path) == [f"{tmp_path.name}/handlers/things.py:2"]
