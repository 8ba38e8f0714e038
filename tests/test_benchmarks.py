"""The benchmark suite measures the right thing: its hand-written NumPy references compute the
gradients the engine computes, its checker catches a wrong one, and the runner runs end to end.

Correctness only: no test here asserts anything about time.
"""

import json

import numpy as np
import pytest

import autograd_core as ag
from benchmarks import chain, reference_numpy, report, run, workloads
from benchmarks.workloads import QUICK


def assert_same_gradients(found, expected, rtol, atol=0.0):
    assert set(found) == set(expected), f"names differ: {sorted(found)} vs {sorted(expected)}"
    for name in expected:
        scale = np.abs(expected[name]).max()
        np.testing.assert_allclose(found[name], expected[name], rtol=rtol, atol=atol * scale,
                                   err_msg=f"{name}: reference (actual) vs engine (desired)")


@pytest.mark.parametrize("dtype, rtol", [(np.float32, 1e-4), (np.float64, 1e-10)])
def test_mlp_reference_gradients_equal_the_engines(dtype, rtol):
    data = workloads.mlp_data(QUICK, dtype=dtype)
    reference = reference_numpy.CASES["W1"](data).gradients()
    engine = workloads.OURS["W1"](data).gradients()
    assert reference["fc1.weight"].dtype == dtype
    assert_same_gradients(reference, engine, rtol, atol=rtol)


def test_chain_reference_gradients_equal_the_engines():
    data = workloads.chain_data(QUICK)
    reference = reference_numpy.CASES["W2"](data).gradients()
    engine = workloads.OURS["W2"](data).gradients()
    assert_same_gradients(reference, engine, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("dtype, rtol", [(np.float32, 1e-4), (np.float64, 1e-10)])
def test_cnn_reference_gradients_equal_the_engines(dtype, rtol):
    data = workloads.cnn_data(QUICK, dtype=dtype)
    reference = reference_numpy.CASES["W4"](data).gradients()
    engine = workloads.OURS["W4"](data).gradients()
    assert_same_gradients(reference, engine, rtol, atol=rtol)


@pytest.mark.parametrize("workload", ["W1", "W4"])
def test_references_equal_finite_differences(workload):
    """Independently of the engine: the hand derivation against central differences."""
    make, loss_and_gradients = {
        "W1": (workloads.mlp_data, reference_numpy.mlp_loss_and_gradients),
        "W4": (workloads.cnn_data, reference_numpy.cnn_loss_and_gradients),
    }[workload]
    data = make(QUICK, dtype=np.float64)
    names = list(data["params"])
    _, analytic = loss_and_gradients(data["params"], data["x"], data["labels"])

    def loss(*tensors):
        params = {name: t.data for name, t in zip(names, tensors)}
        return ag.tensor(loss_and_gradients(params, data["x"], data["labels"])[0])

    tensors = tuple(ag.tensor(data["params"][name].copy()) for name in names)
    numeric = ag.testing.numerical_jacobian(loss, tensors)
    assert_same_gradients(analytic, dict(zip(names, numeric)), rtol=1e-5, atol=1e-6)


def test_exact_hessian_equals_the_engines():
    data = workloads.hessian_data(QUICK.hessian_n[0])
    engine = workloads.OURS["W5"](data).gradients()["hessian"]
    np.testing.assert_allclose(workloads.hessian_exact(data), engine, rtol=1e-10, atol=1e-12)


def test_pooling_reference_drops_the_odd_edge():
    x = np.arange(2 * 1 * 5 * 5, dtype=np.float64).reshape(2, 1, 5, 5)
    y, corners = reference_numpy.pool_forward(x)
    assert y.shape == (2, 1, 2, 2)
    np.testing.assert_array_equal(y[0, 0], [[6, 8], [16, 18]])
    g = reference_numpy.pool_backward(np.ones_like(y), x.shape, y, corners)
    assert g.sum() == y.size and g[:, :, 4, :].sum() == 0 and g[:, :, :, 4].sum() == 0


def test_checker_stops_on_a_wrong_reference():
    data = workloads.chain_data(QUICK)
    cases = {"ours": workloads.OURS["W2"](data), "numpy": reference_numpy.CASES["W2"](data)}
    right = cases["numpy"].gradients

    def wrong():
        gradients = right()
        gradients["c"] = gradients["c"] * 1.01
        return gradients

    cases["numpy"].gradients = wrong
    with pytest.raises(run.GradientMismatch, match="hand NumPy disagrees") as caught:
        run.check_gradients("W2", data, cases, {})
    print(caught.value)


def test_checker_leaves_out_a_peer_that_disagrees():
    data = workloads.chain_data(QUICK)
    cases = {"ours": workloads.OURS["W2"](data), "torch": workloads.OURS["W2"](data)}
    cases["torch"].gradients = lambda: {"h0": 0, "c": 0, "b": 0}
    notes = {}
    errors = run.check_gradients("W2", data, cases, notes)
    assert "torch" not in cases and notes["torch"].startswith("left out")
    assert errors["ours"] == 0


def test_paired_ratio_is_the_median_of_per_round_ratios():
    samples = {"ours": [1.0, 2.0, 9.0], "torch": [2.0, 2.0, 3.0]}
    assert run.paired_ratio(samples, "ours", "torch") == pytest.approx(1.0)
    assert run.paired_ratio(samples, "ours", "numpy") is None


def test_chain_worker_runs_in_process_without_recursion():
    results = list(chain.measure("ours", [10, 2000], limit=60, collect=False))
    assert [r["n"] for r in results] == [10, 2000]
    assert all(r["gradient_ok"] for r in results)


def test_chain_summary_reports_errors_and_projections():
    recursion = {"gc on": [{"n": 100, "total_s": 0.01, "peak_rss_delta_bytes": 1000},
                           {"n": 1000, "error": "RecursionError: maximum recursion depth"}]}
    assert report.chain_summary(recursion)[0] == "RecursionError at 1e3 (10 ms at 1e2)"
    skipped = {"gc on": [{"n": 10**6, "skipped": "projected 300 s > 120 s limit"}]}
    assert report.chain_summary(skipped)[0] == "> 300 s at 1e6"


def test_runner_writes_markdown_and_json(tmp_path):
    code = run.main(["--quick", "--engines", "ours,numpy", "--out", str(tmp_path)])
    assert code == 0
    results = json.loads((tmp_path / "results.json").read_text())
    names = [row["name"] for row in results["rows"]]
    assert names == ["W1", "W2", "W4", f"W5 n={QUICK.hessian_n[0]}"]
    for row in results["rows"]:
        assert "ours" in row["engines"], row
        assert len(row["engines"]["ours"]["samples_s"]) == results["settings"]["rounds"]
    assert set(results["rows"][0]["engines"]) == {"ours", "numpy"}
    assert results["machine"]["numpy"] == np.__version__
    for setting in ("gc on", "gc off"):
        entries = results["chain"]["ours"][setting]
        assert [e["n"] for e in entries] == list(QUICK.scalar_chain), entries
        assert all(e["gradient_ok"] for e in entries)
    markdown = (tmp_path / "results.md").read_text()
    assert "## Summary" in markdown and "| W1 MLP" in markdown and "| W3 chain" in markdown
    assert "autograd-core" in markdown and "hand NumPy" in markdown
