"""A namesake `nn` or `optim` (the student's file, another package) is named, not obeyed."""

import importlib.util
import sys
import types

import pytest

import autograd_cli.installation as installation
import nn
import optim
from autograd_cli.installation import ShadowedPackageError, require_ours
from tests.autograd_cli import ROOT, run_cli

STUDENT_CODE = "import pathlib; pathlib.Path('student-code-ran').write_text('yes')\n"


def assert_one_clear_error(result):
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and result.stdout == "", result.stderr
    assert result.stderr.startswith("autograd-core: error: `import "), result.stderr


@pytest.mark.parametrize("command", ["demo", "verify"])
def test_a_students_nn_py_in_the_working_folder(tmp_path, command):
    (tmp_path / "nn.py").write_text(STUDENT_CODE)
    result = run_cli(command, cwd=tmp_path)
    assert_one_clear_error(result)
    message = result.stderr
    assert f"finds {tmp_path / 'nn.py'}, not autograd-core's nn at {ROOT / 'nn' / '__init__.py'}" \
        in message
    assert "Rename your nn.py" in message and "run autograd-core from another folder" in message
    assert not (tmp_path / "student-code-ran").exists()  # found, never executed
    assert not (tmp_path / "demo-out").exists()


def test_a_students_optim_package_in_the_working_folder(tmp_path):
    (tmp_path / "optim").mkdir()
    (tmp_path / "optim" / "__init__.py").write_text(STUDENT_CODE)
    result = run_cli("demo", "--epochs", "1", cwd=tmp_path)
    assert_one_clear_error(result)
    assert f"`import optim` finds {tmp_path / 'optim'}, not autograd-core's optim" in result.stderr
    assert "Rename your optim" in result.stderr


def test_an_unrelated_installed_package_named_nn(tmp_path):
    """A distribution `other-nn` whose top-level package is `nn`, earlier on sys.path."""
    site = tmp_path / "site-packages"
    (site / "nn").mkdir(parents=True)
    (site / "nn" / "__init__.py").write_text(STUDENT_CODE)
    info = site / "other_nn-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: other-nn\nVersion: 1.0\n")
    (info / "top_level.txt").write_text("nn\n")
    work = tmp_path / "work"
    work.mkdir()
    result = run_cli("verify", cwd=work, pythonpath=[site])
    assert_one_clear_error(result)
    assert f"`import nn` finds {site / 'nn'}, not autograd-core's nn" in result.stderr
    assert "installed package other-nn: pip uninstall other-nn" in result.stderr
    assert not (work / "student-code-ran").exists()


def test_ours_pass():
    assert require_ours("nn") is nn and require_ours("optim") is optim


def test_an_already_imported_namesake_is_caught(monkeypatch, tmp_path):
    impostor = types.ModuleType("nn")
    impostor.__file__ = str(tmp_path / "nn.py")
    monkeypatch.setitem(sys.modules, "nn", impostor)
    with pytest.raises(ShadowedPackageError, match=r"finds .*nn\.py, not autograd-core's nn"):
        require_ours("nn")


def test_no_nn_at_all(monkeypatch):
    monkeypatch.setitem(sys.modules, "nn", None)  # `import nn` fails as if nothing were found
    with pytest.raises(ShadowedPackageError, match="finds no module with files"):
        require_ours("nn")


def test_a_package_written_over_ours_in_place(monkeypatch, tmp_path):
    """Same folder as ours, but not our code (another wheel overwrote nn/__init__.py)."""
    (tmp_path / "nn").mkdir()
    (tmp_path / "nn" / "__init__.py").write_text("VALUE = 1\n")
    spec = importlib.util.spec_from_file_location("nn", tmp_path / "nn" / "__init__.py")
    overwritten = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(overwritten)
    monkeypatch.setitem(sys.modules, "nn", overwritten)
    monkeypatch.setattr(installation, "package_folder", lambda: tmp_path.resolve())
    with pytest.raises(ShadowedPackageError, match="defines no Module, Linear, Sequential"):
        require_ours("nn")
