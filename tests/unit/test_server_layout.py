"""The server's layout rules (avatars_server/__init__.py): each kind of code in its place."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SERVER = Path(__file__).resolve().parents[2] / "avatars_server"
_QUERY_METHODS = {"get", "execute", "scalar", "scalars", "query"}


def _modules(under: str = "") -> list[Path]:
    return sorted((SERVER / under).rglob("*.py"))


def _imported(path: Path) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def _name(path: Path) -> str:
    return path.relative_to(SERVER.parent).with_suffix("").as_posix().replace("/", ".")


@pytest.mark.parametrize("path", _modules("api/routes"), ids=_name)
def test_no_route_module_imports_another(path: Path) -> None:
    others = {
        name
        for name in _imported(path)
        if name.startswith("avatars_server.api.routes.") and name != _name(path)
    }
    assert not others, f"{_name(path)} imports {others}: move the shared code to api/deps.py"


def test_queries_live_in_storage() -> None:
    """Session queries and SQL statements appear only under storage/ (the runner's own
    sessions commit there too)."""
    offenders = []
    for path in _modules():
        if path.is_relative_to(SERVER / "storage") or path.is_relative_to(SERVER / "migrations"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "session"
                and node.func.attr in _QUERY_METHODS
            ):
                offenders.append(f"{_name(path)}:{node.lineno} session.{node.func.attr}")
        offenders += [
            f"{_name(path)} imports {name}"
            for name in _imported(path)
            if name.split(".")[-1] in {"select", "update", "delete", "insert", "text"}
            and name.startswith("sqlalchemy")
        ]
    assert not offenders, f"queries outside avatars_server/storage/: {offenders}"


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        ("engine", ("fastapi", "starlette", "sqlalchemy", "avatars_server.storage")),
        ("datasets", ("fastapi", "starlette")),
        ("storage", ("fastapi", "starlette", "avatars_server.api")),
    ],
)
def test_packages_keep_to_their_layer(package: str, forbidden: tuple[str, ...]) -> None:
    found = {
        f"{_name(path)} imports {name}"
        for path in _modules(package)
        for name in _imported(path)
        if name.startswith(forbidden)
    }
    assert not found


def test_engine_searches_go_through_the_kernel() -> None:
    """Every neighbour search of the engine goes through engine/neighbours.py (issue #12): no
    other engine module may use SciPy's or scikit-learn's trees, kept as references in tests.
    Dense distance matrices (``scipy.spatial.distance``, e.g. an assignment's costs) are no
    search."""
    found = {
        f"{_name(path)} imports {name}"
        for path in _modules("engine")
        for name in _imported(path)
        if name.startswith(("scipy.spatial", "sklearn.neighbors", "sklearn.impute"))
        and not name.startswith("scipy.spatial.distance")
    }
    assert not found, f"{found}: call avatars_server.engine.neighbours instead"
