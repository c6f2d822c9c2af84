"""Imports flow one way: each layer of `etl` imports only the layers before it (and itself), and
parsing imports no orchestration, database or process machinery."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ETL = Path(__file__).resolve().parents[2] / "etl"

LAYERS = ["core", "posts", "parallel", "warehouse", "quality", "defs", "cli"]
"""From the bottom up: a module may import its own layer and those listed before it."""

DEFS_ORDER = ["dates", "pool_wait", "resources", "runs", "assets", "checks", "jobs", "schedules", "sensors",
              "definitions", "materialize"]
"""Within `etl.defs`, the same rule: assets never import the automation around them."""

PURE_POSTS_FORBIDDEN = {"dagster", "dagster_duckdb", "duckdb", "multiprocessing", "concurrent",
                        "subprocess", "great_expectations", "pandas", "pyarrow"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ETL.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every module `path` imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _rank(module: str, order: list[str], prefix: str) -> int | None:
    parts = module.removeprefix(prefix).split(".")
    return order.index(parts[0]) if parts[0] in order else None


MODULES = sorted(ETL.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: _module_name(p))
def test_imports_flow_one_way(path):
    module = _module_name(path)
    if module == "etl":
        return
    own = _rank(module, LAYERS, "etl.")
    assert own is not None, f"{module} is in no layer: add its package to LAYERS"
    upward = sorted(name for name in _imports(path) if name.startswith("etl.")
                    and (rank := _rank(name, LAYERS, "etl.")) is not None and rank > own)
    assert not upward, f"{module} (layer {LAYERS[own]}) imports from a later layer: {upward}"
    if module.startswith("etl.defs."):
        own_defs = _rank(module, DEFS_ORDER, "etl.defs.")
        assert own_defs is not None, f"{module}: add it to DEFS_ORDER"
        later = sorted(name for name in _imports(path) if name.startswith("etl.defs.")
                       and (rank := _rank(name, DEFS_ORDER, "etl.defs.")) is not None and rank > own_defs)
        assert not later, f"{module} imports from later in etl.defs: {later}"


@pytest.mark.parametrize("path", sorted((ETL / "posts").rglob("*.py")), ids=lambda p: p.name)
def test_parsing_is_pure(path):
    used = {name.split(".")[0] for name in _imports(path)} & PURE_POSTS_FORBIDDEN
    assert not used, f"{path.name} imports {sorted(used)}: parsing is pure Python (etl/posts/)"


def test_the_rule_catches_an_upward_import(tmp_path):
    # The checker itself: a posts module importing the warehouse is found.
    sample = tmp_path / "bad.py"
    sample.write_text("def f():\n    from etl.warehouse.loads import transaction\n")
    assert "etl.warehouse.loads" in _imports(sample)
    assert _rank("etl.warehouse.loads", LAYERS, "etl.") > _rank("etl.posts.body", LAYERS, "etl.")
