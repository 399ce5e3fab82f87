"""`core` is the ground floor: it may import Django and libraries, never an app of the domain above it."""

import ast
from pathlib import Path

import ungcuu.core

CORE = Path(ungcuu.core.__file__).parent


def _upward_imports(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found += [name for name in names if name.startswith("ungcuu.") and not name.startswith("ungcuu.core")]
    return found


def test_core_imports_no_app_above_it():
    offenders = {
        str(path.relative_to(CORE)): imports
        for path in sorted(CORE.rglob("*.py"))
        if "tests" not in path.relative_to(CORE).parts
        and (imports := _upward_imports(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}


def test_the_check_sees_an_upward_import():
    assert _upward_imports("from ungcuu.incidents.queries import x\nimport ungcuu.systems.models") == [
        "ungcuu.incidents.queries",
        "ungcuu.systems.models",
    ]
    assert _upward_imports("from ungcuu.core import health\nfrom . import text") == []
