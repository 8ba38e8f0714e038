"""`autograd-core verify`: every primitive, layer and loss is listed, and a wrong one fails."""

import re
import sys

import autograd_cli
import autograd_core as ag
from autograd_cli import checks, main
from autograd_cli.inputs import normal
from autograd_cli.verify import measure, planned_checks
from tests.autograd_cli import run_cli
from tests.cubes import WrongCube


def test_verify_passes_and_lists_every_primitive():
    result = run_cli("verify")
    assert result.returncode == 0, result.stdout[-3000:]
    assert "all passed" in result.stdout.splitlines()[-1]
    rows = {line.split()[1] for line in result.stdout.splitlines()
            if line.startswith(("primitive ", "layer ", "loss "))}
    registered = set(ag.testing.primitives("autograd_core", "nn"))
    assert registered <= rows
    assert {"Linear", "Conv2d", "CrossEntropyLoss", "MSELoss"} <= rows


def test_verify_fails_on_a_broken_primitive_and_an_unchecked_one(monkeypatch, capsys):
    real = ag.testing.primitives
    monkeypatch.setattr(ag.testing, "primitives", lambda *packages: {
        **real(*packages), "WrongCube": WrongCube, "Unchecked": WrongCube})
    monkeypatch.setitem(checks.PRIMITIVE_CHECKS, "WrongCube", checks.unary(WrongCube.apply, normal))
    assert main(["verify"]) == 1
    text = capsys.readouterr().out
    assert re.search(r"^primitive +WrongCube .* FAIL$", text, re.M)
    assert re.search(r"^primitive +Unchecked .* FAIL$", text, re.M)
    assert "FAIL primitive WrongCube: gradcheck failed" in text
    assert "FAIL primitive Unchecked: no check registered: add an entry to autograd_cli/" in text
    assert re.search(r"^primitive +Exp .* PASS$", text, re.M)
    assert "2 FAILED" in text.splitlines()[-1]


def test_verify_catches_a_wrong_hand_formula():
    wrong = checks.PRIMITIVE_CHECKS["Sigmoid"]._replace(hand=checks.diagonal(checks.sigmoid))
    fd_error, hand_error, problem = measure(wrong, 0, "Sigmoid")
    assert fd_error < 1e-8 and hand_error > 0.1
    assert "hand-derived" in problem


def test_verify_reports_an_op_that_raises():
    def build(rng):
        return (lambda x: x.reshape(5, 5)), (checks.leaf(normal(rng, (3, 4))),)

    _, _, problem = measure(checks.Check(build), 0, "bad shape")
    assert problem and "Error" in problem.splitlines()[0]


def test_verify_reports_nn_that_cannot_load_as_a_failure(monkeypatch):
    monkeypatch.setitem(sys.modules, "autograd_cli.nn_checks", None)
    monkeypatch.delattr(autograd_cli, "nn_checks", raising=False)
    plan = planned_checks()
    kind, name, check, problem = plan[0]
    assert (kind, name, check) == ("layer", "nn", None)
    assert problem.startswith("could not load nn's checks: ModuleNotFoundError")
    assert any(row[1] == "Exp" and row[2] is not None for row in plan)
