"""Speed and memory of autograd-core against PyTorch, HIPS autograd, MyGrad, micrograd and the
same math written by hand in NumPy.

    python -m benchmarks [--workloads W1,W2] [--rounds N] [--quick] [--out benchmarks/results]

workloads.py defines the workloads and runs them on autograd-core, reference_numpy.py writes
them by hand, peers.py runs them on the other libraries, chain.py is W3 (subprocesses),
run.py times and checks, report.py writes results.md and results.json.
"""
