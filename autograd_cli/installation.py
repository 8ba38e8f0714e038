"""Where autograd-core is installed, and a check that `nn` and `optim` are ours, not namesakes.

>>> require_ours("nn")          # raises ShadowedPackageError if `import nn` finds another nn
>>> install_command("demo")     # 'pip install -e ".[demo]"' in a checkout, else from PyPI

`nn` and `optim` are short, common names. A student's own `nn.py` in the folder they run from, or
an unrelated installed package called `nn`, is found by `import nn` before ours, and the demo
then dies with "module 'nn' has no attribute 'Linear'". The command line checks first and says
which file hides which, and how to fix it.
"""

import importlib.metadata
import importlib.util
import sys
from pathlib import Path

PROJECT = "autograd-core"
# A few names each of our packages defines: a module without them is not ours, wherever it is.
SIGNATURE = {"nn": ("Module", "Linear", "Sequential"), "optim": ("Optimizer", "SGD", "Adam")}


class ShadowedPackageError(ImportError):
    """`import nn` (or `optim`) would load a module that is not autograd-core's."""


def package_folder():
    """The folder that holds autograd_cli, autograd_core, nn and optim (site-packages or a
    checkout).

    >>> (package_folder() / "nn" / "__init__.py").is_file()
    True
    """
    return Path(__file__).resolve().parent.parent


def checkout():
    """The root of the source checkout this package runs from, or None for an installed wheel.

    >>> checkout()            # in a clone: the folder that holds pyproject.toml
    """
    root = package_folder()
    pyproject = root / "pyproject.toml"
    if pyproject.is_file() and f'name = "{PROJECT}"' in pyproject.read_text(errors="replace"):
        return root
    return None


def install_command(extra):
    """The pip command that adds an optional extra to this installation.

    >>> install_command("demo")       # installed from a wheel
    'pip install "autograd-core[demo]"'
    """
    root = checkout()
    if root is None:
        return f'pip install "{PROJECT}[{extra}]"'
    where = "." if root == Path.cwd().resolve() else str(root)
    return f'pip install -e "{where}[{extra}]"'


def require_ours(name):
    """Import and return our `nn` or `optim`; raise ShadowedPackageError if `import name` would
    find another module, without running that module's code.

    >>> optim = require_ours("optim")
    """
    ours = package_folder() / name
    module = sys.modules.get(name)
    if module is None:
        spec = importlib.util.find_spec(name)  # locates without executing the module
        found = None if spec is None else spec.origin
    else:
        found = getattr(module, "__file__", None)
    if found is None or Path(found).resolve().parent != ours:
        raise ShadowedPackageError(_shadowed(name, found, ours))
    module = importlib.import_module(name)
    missing = [attribute for attribute in SIGNATURE[name] if not hasattr(module, attribute)]
    if missing:
        raise ShadowedPackageError(
            f"{found} is not {PROJECT}'s {name} (it defines no {', '.join(missing)}): another "
            f"package has written over it. Reinstall ours: pip install --force-reinstall "
            f"{PROJECT}, after uninstalling the other one")
    return module


def _shadowed(name, found, ours):
    """The error message: what `import name` finds instead of ours, and how to fix it."""
    where = ours / "__init__.py"
    if found is None:
        return (f"`import {name}` finds no module with files (only folders named {name} with no "
                f"__init__.py, or nothing at all), not {PROJECT}'s {name} at {where}. "
                f"Reinstall: pip install --force-reinstall {PROJECT}")
    found = Path(found)
    thing = found.parent if found.name.startswith("__init__.") else found
    head = f"`import {name}` finds {thing}, not {PROJECT}'s {name} at {where}: it hides ours."
    if thing.parent.resolve() == Path.cwd().resolve():
        return (f"{head} Python looks first in the folder you run from. Rename your "
                f"{thing.name} (for example to my_{thing.name}), or run {PROJECT} from "
                f"another folder.")
    others = _distributions(name)
    if others:
        return (f"{head} It belongs to the installed package {' and '.join(others)}: "
                f"pip uninstall {' '.join(others)}, or use a virtual environment without it.")
    return (f"{head} Its folder, {thing.parent}, comes before ours on sys.path (is it on "
            f"PYTHONPATH?): rename or move your {thing.name}, or run from another folder.")


def _distributions(name):
    """The installed distributions other than ours that provide the top-level module `name`."""
    providers = importlib.metadata.packages_distributions().get(name, [])
    return sorted({p for p in providers if p.lower().replace("_", "-") != PROJECT})
