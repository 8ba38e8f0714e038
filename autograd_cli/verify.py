"""`autograd-core verify`: every primitive, layer and loss against finite differences.

>>> from autograd_cli.verify import verify
>>> results = verify(seed=0)          # one Result per check; all(r.passed for r in results)

For each check: the engine's Jacobian is compared with central finite differences
(`ag.testing.gradcheck`), its second derivatives likewise (`gradgradcheck`), and, where the
cookbook's formula is written down in `checks.py` / `nn_checks.py`, with that hand derivation
(`ag.testing.check_jacobian`). The table shows the largest disagreement of each comparison.
A registered primitive, layer or loss without an entry is a failure.
"""

import time
import zlib
from typing import NamedTuple

import numpy as np

import autograd_core as ag
from autograd_core.functional import jacobian
from autograd_core.testing import check_jacobian, gradcheck, gradgradcheck, numerical_jacobian

from .checks import PRIMITIVE_CHECKS
from .elementwise_checks import ELEMENTWISE_CHECKS
from .linalg_checks import LINALG_CHECKS

NO_CHECK = "no check registered: add an entry to autograd_cli/{}"


class Result(NamedTuple):
    kind: str  # "primitive", "layer" or "loss"
    name: str
    fd_error: float | None  # max |engine - finite differences| over the Jacobian
    hand_error: float | None  # max |engine - hand-derived|, None when there is no formula
    second_order: bool  # whether second derivatives were checked too
    problem: str | None  # None when every comparison passed

    @property
    def passed(self):
        return self.problem is None


def measure(check, seed, name):
    """Run one Check; returns (fd_error, hand_error, problem)."""
    rng = np.random.default_rng([seed, zlib.crc32(name.encode())])
    ag.manual_seed(seed)  # layers draw their initial weights from this stream
    fd_error = hand_error = None
    try:
        f, inputs = check.build(rng)
        inputs = tuple(inputs)
        engine = jacobian(f, inputs)  # one block per input (every checked f has one output)
        numeric = numerical_jacobian(f, inputs, eps=check.options.get("eps", 1e-6))
        fd_error = max(_max_difference(e.data, n) for e, n in zip(engine, numeric))
        expected = None
        if check.hand is not None:
            expected = check.hand(*[x.data for x in inputs])
            expected = expected if isinstance(expected, tuple) else (expected,)
            hand_error = max(_max_difference(e.data, np.reshape(h, e.shape))
                             for e, h in zip(engine, expected))
        gradcheck(f, inputs, **check.options)
        if check.second_order:
            try:
                gradgradcheck(f, inputs, **check.options)
            except AssertionError as error:
                raise AssertionError(f"second derivatives: {error}") from None
        if expected is not None:
            check_jacobian(f, inputs, expected)
    except Exception as error:  # a failed comparison, or an op that raised: both are failures
        message = str(error).strip() or type(error).__name__
        if not isinstance(error, AssertionError):
            message = f"{type(error).__name__}: {message}"
        return fd_error, hand_error, message
    return fd_error, hand_error, None


def _max_difference(a, b):
    return float(np.max(np.abs(np.asarray(a, np.float64) - b), initial=0.0))


def _registered_primitives():
    return sorted(ag.testing.primitives("autograd_core", "nn"))


def _nn_modules(nn):
    """The layer and loss classes nn exports, except the bases and ModuleList (no forward)."""
    classes = [getattr(nn, name) for name in getattr(nn, "__all__", dir(nn))]
    return sorted(
        (c.__name__ for c in classes
         if isinstance(c, type) and issubclass(c, nn.Module)
         and c not in (nn.Module, getattr(nn, "ModuleList", None))),
    )


def planned_checks():
    """[(kind, name, Check or None, file that should hold the entry)] in report order."""
    plan = []
    nn_tables = None
    try:
        import nn

        from . import nn_checks as nn_tables
    except Exception as error:  # a broken nn is a failure to report, not a crash
        plan.append(("layer", "nn", None, f"could not load nn's checks: "
                                          f"{type(error).__name__}: {error}"))
    primitive_checks = {**PRIMITIVE_CHECKS, **ELEMENTWISE_CHECKS, **LINALG_CHECKS}
    if nn_tables is not None:
        primitive_checks.update(nn_tables.NN_PRIMITIVE_CHECKS)
    registered = _registered_primitives()
    for name in registered:
        variants = [n for n in primitive_checks if n == name or n.startswith(name + " (")]
        if not variants:
            defined_in = ag.testing.primitives("autograd_core", "nn")[name].__module__
            where = "nn_checks.py" if defined_in.startswith("nn") else "checks.py"
            plan.append(("primitive", name, None, NO_CHECK.format(where)))
        plan.extend(("primitive", n, primitive_checks[n], None) for n in sorted(variants))
    if nn_tables is not None:
        names = _nn_modules(nn)
        for kind, table in (("layer", nn_tables.LAYER_CHECKS), ("loss", nn_tables.LOSS_CHECKS)):
            for name in names:
                if name.endswith("Loss") == (kind == "loss"):
                    check = table.get(name)
                    missing = None if check else NO_CHECK.format("nn_checks.py")
                    plan.append((kind, name, check, missing))
    return plan


def verify(seed=0, report=None):
    """Run every check; `report(result)` is called as each one finishes. Returns the Results."""
    results = []
    for kind, name, check, missing in planned_checks():
        if check is None:
            result = Result(kind, name, None, None, False, missing)
        else:
            fd_error, hand_error, problem = measure(check, seed, name)
            result = Result(kind, name, fd_error, hand_error, check.second_order, problem)
        results.append(result)
        if report is not None:
            report(result)
    return results


HEADER = (f"{'kind':<10}{'name':<44}{'|engine - FD|':>15}{'|engine - hand|':>17}"
          f"{'2nd order':>11}  result")


def format_row(result):
    def number(value):
        return "-" if value is None else f"{value:.1e}"

    return (f"{result.kind:<10}{result.name:<44}{number(result.fd_error):>15}"
            f"{number(result.hand_error):>17}{'yes' if result.second_order else '-':>11}  "
            f"{'PASS' if result.passed else 'FAIL'}")


def run(args):
    """The `verify` subcommand: prints the table; returns 1 if any check failed, else 0."""
    started = time.perf_counter()
    print("autograd-core verify: derivatives of every primitive, layer and loss in float64, "
          "against central finite differences (eps 1e-6) and hand-derived Jacobians")
    print(HEADER)
    print("-" * len(HEADER))
    results = verify(args.seed, report=lambda result: print(format_row(result), flush=True))
    failed = [r for r in results if not r.passed]
    print("-" * len(HEADER))
    for result in failed:
        lines = result.problem.splitlines()
        print(f"FAIL {result.kind} {result.name}: {lines[0]}")
        for line in lines[1:8]:
            print(f"    {line}")
    elapsed = time.perf_counter() - started
    if failed:
        print(f"{len(results)} checks, {len(failed)} FAILED ({elapsed:.1f} s)")
        return 1
    print(f"{len(results)} checks, all passed ({elapsed:.1f} s)")
    return 0
