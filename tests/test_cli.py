"""The command line: `demo` end to end, `verify` and its exit status, and usage errors."""

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import nn
from autograd_core.cli import checks, main
from autograd_core.cli.demo import INSTALL_HINT, build_model
from autograd_core.cli.verify import measure, planned_checks
from autograd_core.function import PRIMITIVES
from tests.cubes import WrongCube

ROOT = Path(__file__).resolve().parent.parent
LAST_LINE = re.compile(r"^test accuracy: \d{1,3}\.\d%$")


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "autograd_core", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


# -- demo ---------------------------------------------------------------------------------------
def test_demo_end_to_end_in_a_subprocess(tmp_path):
    out = tmp_path / "run"
    result = run_cli("demo", "--epochs", "1", "--out", str(out))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert LAST_LINE.match(lines[-1]), lines[-1]
    assert float(lines[-1].split()[-1].rstrip("%")) > 80  # one epoch already learns a lot

    state = nn.load(out / "model.npz")
    assert sorted(state) == ["0.bias", "0.weight", "2.bias", "2.weight"]
    assert state["0.weight"].shape == (128, 64) and state["2.weight"].shape == (10, 128)
    build_model(128).load_state_dict(state)

    graph = out / "graph.svg" if (out / "graph.svg").exists() else out / "graph.dot"
    assert graph.exists(), sorted(p.name for p in out.iterdir())
    assert "Affine" in graph.read_text()
    if importlib.util.find_spec("matplotlib") is not None:
        for name in ("loss.png", "accuracy.png"):
            assert (out / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_demo_without_the_extras_or_graphviz_still_trains(tmp_path, monkeypatch, capsys):
    """No tqdm, no matplotlib, no `dot` program: plain lines, one install hint, graph.dot."""
    for module in ("tqdm", "matplotlib", "matplotlib.figure"):
        monkeypatch.setitem(sys.modules, module, None)  # makes `import module` fail
    monkeypatch.setenv("PATH", "")
    out = tmp_path / "plain"
    assert main(["demo", "--epochs", "2", "--hidden", "16", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert text.count(INSTALL_HINT) == 1
    assert re.search(r"epoch 2/2  loss \d\.\d{4}  train acc", text)
    assert "plots skipped: matplotlib is not installed" in text
    assert LAST_LINE.match(text.strip().splitlines()[-1])
    assert (out / "graph.dot").read_text().lstrip().startswith("digraph")
    assert "Graphviz" in text and not (out / "graph.svg").exists()
    assert not list(out.glob("*.png"))
    assert nn.load(out / "model.npz")["0.weight"].shape == (16, 64)


def test_demo_no_plots_and_adam(tmp_path, capsys):
    out = tmp_path / "adam"
    argv = ["demo", "--epochs", "1", "--optimizer", "adam", "--batch-size", "64", "--no-plots",
            "--seed", "3", "--out", str(out)]
    assert main(argv) == 0
    text = capsys.readouterr().out
    assert "adam (lr 0.005)" in text and "plots skipped (--no-plots)" in text
    assert not list(out.glob("*.png"))


def test_demo_is_reproducible_from_its_seed(tmp_path, capsys):
    argv = ["demo", "--epochs", "1", "--hidden", "8", "--no-plots", "--seed", "7", "--out"]
    main(argv + [str(tmp_path / "a")])
    main(argv + [str(tmp_path / "b")])
    first, second = nn.load(tmp_path / "a" / "model.npz"), nn.load(tmp_path / "b" / "model.npz")
    assert all(np.array_equal(first[k], second[k]) for k in first)


# -- verify -------------------------------------------------------------------------------------
def test_verify_passes_and_lists_every_primitive():
    result = run_cli("verify")
    assert result.returncode == 0, result.stdout[-3000:]
    assert "all passed" in result.stdout.splitlines()[-1]
    rows = {line.split()[1] for line in result.stdout.splitlines()
            if line.startswith(("primitive ", "layer ", "loss "))}
    registered = {name for name in PRIMITIVES if not name.startswith("_")}
    assert registered <= rows
    assert {"Linear", "Conv2d", "CrossEntropyLoss", "MSELoss"} <= rows


def test_verify_fails_on_a_broken_primitive_and_an_unchecked_one(monkeypatch, capsys):
    monkeypatch.setitem(PRIMITIVES, "WrongCube", WrongCube)
    monkeypatch.setitem(checks.PRIMITIVE_CHECKS, "WrongCube",
                        checks.unary(WrongCube.apply, checks.normal))
    monkeypatch.setitem(PRIMITIVES, "Unchecked", WrongCube)
    assert main(["verify"]) == 1
    text = capsys.readouterr().out
    assert re.search(r"^primitive +WrongCube .* FAIL$", text, re.M)
    assert re.search(r"^primitive +Unchecked .* FAIL$", text, re.M)
    assert "FAIL primitive WrongCube: gradcheck failed" in text
    assert "FAIL primitive Unchecked: no check registered" in text
    assert re.search(r"^primitive +Exp .* PASS$", text, re.M)
    assert "2 FAILED" in text.splitlines()[-1]


def test_verify_catches_a_wrong_hand_formula():
    wrong = checks.PRIMITIVE_CHECKS["Sigmoid"]._replace(hand=checks.diagonal(checks.sigmoid))
    fd_error, hand_error, problem = measure(wrong, 0, "Sigmoid")
    assert fd_error < 1e-8 and hand_error > 0.1
    assert "hand-derived" in problem


def test_verify_reports_an_op_that_raises():
    def build(rng):
        return (lambda x: x.reshape(5, 5)), (checks.leaf(checks.normal(rng, (3, 4))),)

    _, _, problem = measure(checks.Check(build), 0, "bad shape")
    assert problem and "Error" in problem.splitlines()[0]


def test_verify_reports_nn_that_cannot_load_as_a_failure(monkeypatch):
    import autograd_core.cli

    monkeypatch.setitem(sys.modules, "autograd_core.cli.nn_checks", None)
    monkeypatch.delattr(autograd_core.cli, "nn_checks", raising=False)
    plan = planned_checks()
    kind, name, check, problem = plan[0]
    assert (kind, name, check) == ("layer", "nn", None)
    assert problem.startswith("could not load nn's checks: ModuleNotFoundError")
    assert any(row[1] == "Exp" and row[2] is not None for row in plan)


# -- usage errors -------------------------------------------------------------------------------
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


def test_console_script_target_is_main():
    from autograd_core.__main__ import main as entry

    assert entry is main
