"""The CMS apps depend on each other one way only: a newcomer can read them bottom-up
(countries, then cases, then publishing, tips and matching, then the demo), and no change to
a lower app can break on an import of a higher one."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

CMS = Path(__file__).resolve().parents[2] / "cms"
APPS = sorted(p.name for p in CMS.iterdir() if (p / "apps.py").exists())


def app_imports() -> dict[str, dict[str, list[str]]]:
    """app -> other app -> the files importing it (imports inside functions count too)."""
    found: dict[str, dict[str, list[str]]] = {app: {} for app in APPS}
    for app in APPS:
        for path in sorted((CMS / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = []
                if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    names = [node.module]
                elif isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                for name in names:
                    parts = name.split(".")
                    other = parts[1] if parts[0] == "cms" and len(parts) > 1 else None
                    if other in APPS and other != app:
                        where = path.relative_to(CMS).as_posix()
                        found[app].setdefault(other, []).append(where)
    return found


def cycle(graph: dict[str, dict[str, list[str]]]) -> list[str] | None:
    state: dict[str, str] = {}

    def visit(app: str, trail: list[str]) -> list[str] | None:
        state[app] = "open"
        for other in graph[app]:
            if state.get(other) == "open":
                return [*trail[trail.index(other) :], other] if other in trail else [app, other]
            if other not in state and (found := visit(other, [*trail, other])):
                return found
        state[app] = "done"
        return None

    for app in graph:
        if app not in state and (found := visit(app, [app])):
            return found
    return None


def test_no_import_circle_between_cms_apps():
    graph = app_imports()
    found = cycle(graph)
    if found:
        steps = [
            f"{a} -> {b} ({', '.join(sorted(set(graph[a][b])))})"
            for a, b in zip(found, found[1:], strict=False)
        ]
        pytest.fail("import circle between CMS apps:\n" + "\n".join(steps))


def test_the_detector_finds_a_circle():
    graph = {"a": {"b": ["a/x.py"]}, "b": {"c": ["b/y.py"]}, "c": {"a": ["c/z.py"]}}
    assert cycle(graph) == ["a", "b", "c", "a"]
    assert cycle({"a": {"b": ["a/x.py"]}, "b": {}}) is None


def test_the_layers_are_as_documented():
    graph = app_imports()
    assert "cases" not in graph["countries"] and "publishing" not in graph["countries"]
    assert "publishing" not in graph["cases"]
