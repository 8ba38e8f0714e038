"""The engine points down: nothing in autograd_core imports nn, optim or the command line."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "autograd_core"
ABOVE = ("nn", "optim", "autograd_cli")


def _imported_names(tree):
    """(line, module) for every import in a file, including ones inside functions and
    importlib.import_module / __import__ calls on a literal name."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.lineno, node.module
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            function = node.func
            called = getattr(function, "attr", None) or getattr(function, "id", None)
            if called in ("import_module", "__import__") and isinstance(node.args[0].value, str):
                yield node.lineno, node.args[0].value


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.name))
def test_no_file_of_the_engine_imports_upward(path):
    tree = ast.parse(path.read_text(), str(path))
    upward = [f"{path.relative_to(PACKAGE.parent)}:{line} imports {name}"
              for line, name in _imported_names(tree) if name.split(".")[0] in ABOVE]
    assert not upward, "\n".join(upward)


def test_importing_all_of_the_engine_loads_nothing_above_it():
    code = ("import pkgutil, sys, importlib, autograd_core\n"
            "for info in pkgutil.walk_packages(autograd_core.__path__, 'autograd_core.'):\n"
            "    importlib.import_module(info.name)\n"
            f"print(sorted(name for name in sys.modules if name.split('.')[0] in {ABOVE}))\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=PACKAGE.parent,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]", result.stdout


def test_the_command_line_is_not_part_of_the_engine():
    assert not (PACKAGE / "__main__.py").exists() and not (PACKAGE / "cli").exists()
