"""Fails when a module imports one of the project's modules inside a function.

An import inside a function hides a dependency from the module's head and from the layers
contract in pyproject.toml (docs/architecture.md). Django demands it in one place only: an
app connects its signal receivers in AppConfig.ready(), after every app is loaded. Those,
and nothing else, are listed in ALLOWED with the reason.
"""

import ast
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent / "src" / "kokemustori"

READY = "AppConfig.ready(): receivers connect once every app is loaded (Django's app loading)"
ALLOWED = {
    ("accounts/apps.py", ".second_factor"): READY,
    ("agreements/apps.py", ".receivers"): READY,
    ("commitments/apps.py", ".receivers"): READY,
    ("conversations/apps.py", ".receivers"): READY,
    ("fees/apps.py", ".receivers"): READY,
    ("followup/apps.py", ".receivers"): READY,
    ("notifications/apps.py", ".receivers"): READY,
    ("offers/apps.py", ".receivers"): READY,
    ("opencalls/apps.py", ".receivers"): READY,
    ("identity/apps.py", ".receivers"): READY,
    ("orderers/apps.py", ".receivers"): READY,
    ("requirements/apps.py", ".receivers"): READY,
    ("series/apps.py", ".receivers"): READY,
}


def local_imports(path: pathlib.Path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.ImportFrom):
                module = "." * node.level + (node.module or "")
                if node.level == 1 and not node.module:
                    module = "." + ",".join(alias.name for alias in node.names)
                if node.level or module.startswith("kokemustori"):
                    yield node.lineno, module
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith("kokemustori"):
                        yield node.lineno, alias.name


def main() -> int:
    found, unexplained = [], []
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        rel = path.relative_to(ROOT).as_posix()
        for line, module in local_imports(path):
            found.append((rel, line, module))
            if (rel, module) not in ALLOWED:
                unexplained.append((rel, line, module))
    for rel, line, module in unexplained:
        print(
            f"src/kokemustori/{rel}:{line}: imports {module} inside a function; import it at "
            "the module's head (see docs/architecture.md)"
        )
    stale = set(ALLOWED) - {(rel, module) for rel, _line, module in found}
    for rel, module in sorted(stale):
        print(f"scripts/local_imports.py: ALLOWED lists {rel} importing {module}, which is gone")
    if unexplained or stale:
        return 1
    print(f"Function-local imports of project modules: {len(found)}, each with its reason.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
