"""Size limits of ``kpi/``, read off the source (issue 15, items 3–4).

No function (``def`` or ``async def``, methods and nested functions included) is longer than
:data:`FUNCTION_LIMIT` lines and no module longer than :data:`MODULE_LIMIT` lines, unless it is
listed with a reason in ``docs/size-exceptions.toml``. An entry that is no longer over its limit
fails too, so the list only shrinks."""

from __future__ import annotations

import ast
import tomllib

from tests.support.paths import PROJECT

EXCEPTIONS = PROJECT / "docs" / "size-exceptions.toml"
FUNCTION_LIMIT = 80
MODULE_LIMIT = 600


def _functions(tree: ast.AST) -> list[tuple[str, int]]:
    """``(qualified name, lines)`` of every function in ``tree``: ``Class.method``, ``outer.inner``;
    the lines run from ``def`` to the function's last line (decorators not counted)."""
    found: list[tuple[str, int]] = []

    def walk(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                name = prefix + child.name
                found.append((name, child.end_lineno - child.lineno + 1))
                walk(child, name + ".")
            elif isinstance(child, ast.ClassDef):
                walk(child, prefix + child.name + ".")
            else:
                walk(child, prefix)

    walk(tree, "")
    return found


def _sizes() -> tuple[dict[str, int], dict[str, int]]:
    """Every module of ``kpi/`` and every function, by ``kpi/x.py`` and ``kpi/x.py:name`` → lines."""
    modules: dict[str, int] = {}
    functions: dict[str, int] = {}
    for path in sorted((PROJECT / "kpi").rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        rel = path.relative_to(PROJECT).as_posix()
        modules[rel] = len(source.splitlines())
        for name, lines in _functions(ast.parse(source, filename=rel)):
            functions[f"{rel}:{name}"] = lines
    return modules, functions


def _exceptions() -> dict[str, dict[str, str]]:
    raw = tomllib.loads(EXCEPTIONS.read_text(encoding="utf-8"))
    assert set(raw) <= {"functions", "modules"}, f"unknown tables in {EXCEPTIONS.name}: {sorted(raw)}"
    return {"functions": raw.get("functions", {}), "modules": raw.get("modules", {})}


def test_every_exception_has_a_reason():
    for table, entries in _exceptions().items():
        for name, reason in entries.items():
            assert isinstance(reason, str) and reason.strip(), f"[{table}] {name!r} has no reason"


def test_functions_within_limit_or_excepted():
    _, functions = _sizes()
    listed = _exceptions()["functions"]
    over = {name: n for name, n in functions.items() if n > FUNCTION_LIMIT}
    unlisted = sorted(f"{name} ({n} lines)" for name, n in over.items() if name not in listed)
    assert not unlisted, (
        f"functions over {FUNCTION_LIMIT} lines: split them, or list each in "
        f"{EXCEPTIONS.relative_to(PROJECT)} [functions] with a reason: {unlisted}"
    )
    stale = sorted(
        f"{name} ({functions[name]} lines)" if name in functions else f"{name} (no such function)"
        for name in listed
        if name not in over
    )
    assert not stale, f"[functions] entries no longer over {FUNCTION_LIMIT} lines — remove them: {stale}"


def test_modules_within_limit_or_excepted():
    modules, _ = _sizes()
    listed = _exceptions()["modules"]
    over = {name: n for name, n in modules.items() if n > MODULE_LIMIT}
    unlisted = sorted(f"{name} ({n} lines)" for name, n in over.items() if name not in listed)
    assert not unlisted, (
        f"modules over {MODULE_LIMIT} lines: split them, or list each in "
        f"{EXCEPTIONS.relative_to(PROJECT)} [modules] with a reason: {unlisted}"
    )
    stale = sorted(
        f"{name} ({modules[name]} lines)" if name in modules else f"{name} (no such module)"
        for name in listed
        if name not in over
    )
    assert not stale, f"[modules] entries no longer over {MODULE_LIMIT} lines — remove them: {stale}"
