"""The runner: check every engine's gradients, time the engines interleaved, write the report.

    python -m benchmarks                              # everything, about 10 minutes on 2 cores
    python -m benchmarks --workloads W1,W2 --rounds 30
    python -m benchmarks --quick --out /tmp/bench     # tiny sizes: a smoke test in seconds
    python -m benchmarks --profile W2                 # cProfile of autograd-core on one workload

Method. Before timing a workload, each engine computes its gradients at the same starting point
and they are compared with autograd-core's (W5: with the Hessian derived by hand); a hand
NumPy reference that disagrees stops the run, a peer that disagrees is left out with a note.
Each engine is then warmed up and calibrated to about `--sample-time` seconds per sample, and
the engines take turns, round-robin with a rotating start, for `--rounds` rounds. A paired
ratio compares two engines within one round (so a slow moment of the machine hits both); the
report gives each engine's median time and its median paired ratio against PyTorch and against
the hand NumPy code. W3 runs in subprocesses (see chain.py).
"""

import argparse
import cProfile
import gc
import math
import os
import pstats
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

from . import chain, peers, reference_numpy, report, workloads
from .workloads import FULL, QUICK, Unavailable

THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
ENGINES = ("ours", "numpy", "torch", "hips", "mygrad", "micrograd")
WORKLOADS = ("W1", "W2", "W3", "W4", "W5")
NUMPY_BACKED = ("ours", "numpy", "hips", "mygrad")  # their allocations are visible to tracemalloc
MEMORY_WORKLOADS = ("W1", "W4")
TOLERANCE = {np.dtype(np.float32): 1e-4, np.dtype(np.float64): 1e-8}  # max error / max |value|

IMPLEMENTATIONS = {
    "ours": workloads.OURS,
    "numpy": {**reference_numpy.CASES, "W5": "exact formula: checks only"},
    **peers.CASES,
}


class GradientMismatch(AssertionError):
    """autograd-core and the hand-written NumPy reference disagree: no timing would mean much."""


# -- correctness first ----------------------------------------------------------------------------
def _relative_error(found, expected):
    found, expected = np.asarray(found, np.float64), np.asarray(expected, np.float64)
    if found.shape != expected.shape:
        return math.inf, f"shape {found.shape} != {expected.shape}"
    if found.size == 0:
        return 0.0, ""
    difference = np.abs(found - expected)
    worst = np.unravel_index(np.argmax(difference), difference.shape)
    scale = max(float(np.abs(expected).max()), 1e-30)
    detail = f"at {tuple(int(i) for i in worst)}: {found[worst]!r} vs {expected[worst]!r}"
    return float(difference[worst]) / scale, detail


def _compare(found, expected, tolerance):
    """(worst relative error, description of the worst mismatch or None)."""
    worst, problem = 0.0, None
    for name, value in expected.items():
        if name not in found:
            return math.inf, f"{name}: missing"
        error, detail = _relative_error(found[name], value)
        worst = max(worst, error)
        if error > tolerance and problem is None:
            problem = f"{name} {detail} (relative error {error:.2e} > {tolerance:.0e})"
    return worst, problem


def check_gradients(workload, data, cases, notes):
    """Compare each engine's gradients with autograd-core's (or the exact Hessian for W5).

    Returns {engine: worst relative error}; removes from `cases` a peer that disagrees, with a
    note; raises GradientMismatch when autograd-core and the hand NumPy code disagree."""
    found = {engine: case.gradients() for engine, case in cases.items()}
    if workload == "W5":
        reference, expected = "exact Hessian", {"hessian": workloads.hessian_exact(data)}
    elif "ours" in found:
        reference, expected = "autograd-core", found["ours"]
    elif "numpy" in found:
        reference, expected = "hand NumPy", found["numpy"]
    else:
        return {}
    dtype = np.asarray(next(iter(expected.values()))).dtype
    tolerance = TOLERANCE.get(dtype, 1e-8)
    errors = {}
    for engine, gradients in found.items():
        errors[engine], problem = _compare(gradients, expected, tolerance)
        if problem is None:
            continue
        message = f"{workload}: {report.LABELS[engine]} disagrees with {reference}: {problem}"
        if engine in ("ours", "numpy"):
            raise GradientMismatch(message)
        notes[engine] = "left out: " + message
        del cases[engine]
    return errors


# -- timing ---------------------------------------------------------------------------------------
def _sample(step, repeats):
    start = time.perf_counter()
    for _ in range(repeats):
        step()
    return (time.perf_counter() - start) / repeats


def time_cases(cases, rounds, warmup, sample_time):
    """{engine: [seconds per step, one per round]}, engines interleaved round-robin."""
    repeats = {}
    for engine, case in cases.items():
        seconds = min(_sample(case.step, 1) for _ in range(max(warmup, 1)))
        repeats[engine] = max(1, math.ceil(sample_time / max(seconds, 1e-9)))
    samples = {engine: [] for engine in cases}
    order = list(cases)
    for r in range(rounds):
        shift = r % len(order)
        for engine in order[shift:] + order[:shift]:
            gc.collect()  # the previous engine's garbage is not this engine's cost
            samples[engine].append(_sample(cases[engine].step, repeats[engine]))
    return samples, repeats


def paired_ratio(samples, engine, baseline):
    """Median over rounds of engine's time / baseline's time in the same round."""
    if engine not in samples or baseline not in samples:
        return None
    return float(np.median([a / b for a, b in zip(samples[engine], samples[baseline])]))


def min_ratio(samples, engine, baseline):
    """Best time over best time: what a busy machine distorts least."""
    if engine not in samples or baseline not in samples:
        return None
    return float(np.min(samples[engine]) / np.min(samples[baseline]))


def step_peak_bytes(step):
    """Peak bytes allocated above the starting point during one step (NumPy reports its
    buffers to tracemalloc; PyTorch's allocator does not, so it is not measured)."""
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        step()
        return tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()


def build_cases(workload, data, engines):
    cases, notes = {}, {}
    for engine in engines:
        entry = IMPLEMENTATIONS[engine].get(workload)
        if entry is None:
            continue
        if isinstance(entry, str):
            notes[engine] = entry
            continue
        try:
            cases[engine] = entry(data)
        except Unavailable as why:
            notes[engine] = str(why)
    return cases, notes


def run_row(name, workload, data, engines, settings, log):
    cases, notes = build_cases(workload, data, engines)
    errors = check_gradients(workload, data, cases, notes)
    log(f"{name}: gradients agree ({', '.join(report.LABELS[e] for e in cases)}); timing")
    samples, repeats = time_cases(cases, settings["rounds"], settings["warmup"],
                                  settings["sample_time"])
    results = {}
    for engine, case in cases.items():
        times = samples[engine]
        results[engine] = {
            "median_s": float(np.median(times)),
            "min_s": float(np.min(times)),
            "samples_s": times,
            "repeats": repeats[engine],
            "vs_torch": paired_ratio(samples, engine, "torch"),
            "vs_numpy": paired_ratio(samples, engine, "numpy"),
            "min_vs_torch": min_ratio(samples, engine, "torch"),
            "min_vs_numpy": min_ratio(samples, engine, "numpy"),
            "gradient_error": errors.get(engine),
            "path": case.path,
        }
        if workload == "W2":
            results[engine]["us_per_op"] = results[engine]["median_s"] / data["ops"] * 1e6
        if workload in MEMORY_WORKLOADS and engine in NUMPY_BACKED:
            results[engine]["step_peak_bytes"] = step_peak_bytes(case.step)
    return {"name": name, "workload": workload, "engines": results, "notes": notes}


def run_chains(engines, sizes, limit, threads, log):
    results = {}
    for engine in engines:
        if engine not in chain.CHAINS:
            continue
        if engine != "ours":
            try:
                peers.load(engine)
            except Unavailable as why:
                results[engine] = {"note": str(why)}
                continue
        results[engine] = {}
        for collect in (True, False):
            setting = "gc on" if collect else "gc off"
            log(f"W3: {report.LABELS[engine]}, {setting}")
            results[engine][setting] = chain.run_engine(engine, sizes, limit, collect, threads)
    return results


# -- profiling ------------------------------------------------------------------------------------
def profile(workload, sizes, seconds=3.0, top=15):
    """Print cProfile's top functions by own time for autograd-core on one workload."""
    name, data = workloads.rows(workload, sizes)[-1]
    case = workloads.OURS[workload](data)
    seconds_per_step = min(_sample(case.step, 1) for _ in range(3))
    steps = max(1, int(seconds / seconds_per_step))
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(steps):
        case.step()
    profiler.disable()
    print(f"{name} with autograd-core ({case.path or 'engine ops'}): {steps} steps")
    pstats.Stats(profiler).sort_stats("tottime").print_stats(top)


# -- command line ---------------------------------------------------------------------------------
def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workloads", default=",".join(WORKLOADS),
                        help="comma-separated, from W1,W2,W3,W4,W5 (default: all)")
    parser.add_argument("--engines", default=",".join(ENGINES),
                        help="comma-separated, from " + ",".join(ENGINES) + " (default: all)")
    parser.add_argument("--rounds", type=int, help="interleaved rounds (default 15, quick 2)")
    parser.add_argument("--warmup", type=int, help="warm-up steps per engine (default 3)")
    parser.add_argument("--sample-time", type=float,
                        help="seconds per timed sample, steps repeated to fill it (default 0.1)")
    parser.add_argument("--chain-limit", type=float,
                        help="W3: seconds one chain may take before the engine is stopped "
                             "(default 120)")
    parser.add_argument("--threads", type=int, default=1,
                        help="threads for OpenBLAS and PyTorch, the same for every engine "
                             "(default 1: steady on a busy machine; 2 uses both cores)")
    parser.add_argument("--quick", action="store_true", help="tiny sizes and rounds: a smoke test")
    parser.add_argument("--out", default=str(Path(__file__).parent / "results"),
                        help="folder for results.md and results.json")
    parser.add_argument("--profile", metavar="WORKLOAD",
                        help="profile autograd-core on one workload (W1, W2, W4, W5) and exit")
    args = parser.parse_args(argv)
    args.workloads = _choices(args.workloads, WORKLOADS, "workload")
    args.engines = _choices(args.engines, ENGINES, "engine")
    quick = args.quick
    args.rounds = args.rounds or (2 if quick else 15)
    args.warmup = args.warmup if args.warmup is not None else (1 if quick else 3)
    args.sample_time = args.sample_time if args.sample_time is not None else (0 if quick else 0.1)
    args.chain_limit = args.chain_limit or (30.0 if quick else 120.0)
    return args


def _choices(text, allowed, what):
    chosen = [item.strip() for item in text.split(",") if item.strip()]
    for item in chosen:
        if item not in allowed:
            raise SystemExit(f"unknown {what} {item!r}; choose from {', '.join(allowed)}")
    return [item for item in allowed if item in chosen]


def main(argv=None):
    args = parse_args(argv)
    sizes = QUICK if args.quick else FULL
    if args.profile:
        profile(args.profile, sizes)
        return 0

    def log(message):
        print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    # `python -m benchmarks` puts the thread count in the environment before NumPy loads
    # OpenBLAS; a caller that imported NumPy first keeps the BLAS threads it had.
    applied = all(os.environ.get(v) == str(args.threads) for v in THREAD_VARIABLES)
    peers.THREADS = args.threads
    settings = {"rounds": args.rounds, "warmup": args.warmup, "sample_time": args.sample_time,
                "threads": args.threads, "threads_applied": applied,
                "chain_limit_s": args.chain_limit, "quick": args.quick,
                "workloads": args.workloads, "engines": args.engines}
    command = "python -m benchmarks " + " ".join(sys.argv[1:] if argv is None else argv)
    results = {"machine": report.machine_info(args.engines), "command": command.strip(),
               "settings": settings, "sizes": vars(sizes), "rows": [], "chain": None}
    started = time.perf_counter()
    for workload in args.workloads:
        if workload == "W3":
            results["chain"] = run_chains(args.engines, sizes.scalar_chain, args.chain_limit,
                                          args.threads, log)
            continue
        for name, data in workloads.rows(workload, sizes):
            results["rows"].append(run_row(name, workload, data, args.engines, settings, log))
    results["elapsed_s"] = time.perf_counter() - started
    results["machine"]["load_average_end"] = report.load_average()
    markdown = report.write(results, Path(args.out))
    print(markdown)
    log(f"wrote {Path(args.out) / 'results.md'} and results.json "
        f"in {results['elapsed_s']:.0f} s")
    return 0
