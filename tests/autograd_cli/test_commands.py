"""The parser and entry points of `autograd-core`: usage errors, --help, --version."""

import re

import pytest

import autograd_cli
import autograd_core
from autograd_cli import main
from tests.autograd_cli import ROOT, run_cli


@pytest.mark.parametrize("argv, message", [
    ([], "the following arguments are required: {demo,verify}"),
    (["train"], "invalid choice: 'train'"),
    (["demo", "--bogus"], "unrecognized arguments: --bogus"),
    (["demo", "--epochs", "0"], "--epochs: expected a positive integer, got '0'"),
    (["demo", "--epochs", "2.5"], "--epochs: expected a positive integer"),
    (["demo", "--batch-size", "-4"], "--batch-size: expected a positive integer"),
    (["demo", "--hidden", "wide"], "--hidden: expected a positive integer, got 'wide'"),
    (["demo", "--lr", "0"], "--lr: expected a positive finite number"),
    (["demo", "--lr", "nan"], "--lr: expected a positive finite number"),
    (["demo", "--lr=-1e-3"], "--lr: expected a positive finite number"),
    (["demo", "--label-smoothing", "1"], "--label-smoothing: expected a number in [0, 1)"),
    (["demo", "--seed", "-1"], "--seed: expected an integer >= 0"),
    (["demo", "--optimizer", "rmsprop"], "--optimizer: invalid choice: 'rmsprop'"),
    (["verify", "--seed", "x"], "--seed: expected an integer >= 0"),
])
def test_bad_usage_exits_2_with_one_line(argv, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], captured.err
    assert lines[0].startswith("autograd-core")


def test_unwritable_out_exits_2(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(SystemExit) as exit_info:
        main(["demo", "--out", str(blocker / "out")])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "argument --out: cannot write to" in err[0]


def test_errors_through_the_real_entry_point_have_no_traceback(tmp_path):
    result = run_cli("demo", "--epochs", "-1", "--out", str(tmp_path))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == ""


def test_help_exits_0(capsys):
    for argv in (["--help"], ["demo", "--help"], ["verify", "--help"]):
        with pytest.raises(SystemExit) as exit_info:
            main(argv)
        assert exit_info.value.code == 0
    assert "--no-plots" in capsys.readouterr().out


def test_version_prints_the_package_version(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out == f"autograd-core {autograd_core.__version__}\n"
    result = run_cli("--version")
    assert (result.returncode, result.stdout) == (0, f"autograd-core {autograd_core.__version__}\n")


def test_console_script_target_is_main():
    """pyproject's `autograd-core = "module:function"` names this very main."""
    scripts = (ROOT / "pyproject.toml").read_text().split("[project.scripts]")[1]
    module, function = re.search(r'^autograd-core = "([\w.]+):(\w+)"$', scripts, re.M).groups()
    target = getattr(__import__(module, fromlist=[function]), function)
    assert target is main is autograd_cli.commands.main
