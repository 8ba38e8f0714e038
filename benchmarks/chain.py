"""W3: a chain of scalar multiplications, y = y * 1.0000001, n times, then backward.

Each engine runs in a fresh subprocess (one per engine and garbage-collector setting), so that
its peak memory is its own and no engine inherits another's heap. The worker runs the sizes in
ascending order and prints one JSON line per size as soon as it has it:

    python -m benchmarks.chain ours --gc on --sizes 1000,10000 --limit 120

Memory is the peak resident set size during the run minus the resident size just before it
(Linux: the peak is reset through /proc/self/clear_refs; elsewhere the process's lifetime
peak, which overstates small sizes). The garbage-collector setting shows what Python's cyclic
collector costs: it traverses every tracked object each time the old generation is collected,
which makes building a long-lived graph of many Python objects superlinear.
"""

import argparse
import gc
import json
import os
import queue
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

FACTOR = 1.0000001


def _ours(n):
    import autograd_core as ag

    x = ag.tensor(1.0, requires_grad=True)
    start = time.perf_counter()
    y = x
    for _ in range(n):
        y = y * FACTOR
    forward = time.perf_counter()
    y.backward()
    backward = time.perf_counter()
    del y
    return forward - start, backward - forward, time.perf_counter() - backward, float(x.grad.data)


def _torch(n):
    import torch

    x = torch.tensor(1.0, dtype=torch.float64, requires_grad=True)
    start = time.perf_counter()
    y = x
    for _ in range(n):
        y = y * FACTOR
    forward = time.perf_counter()
    y.backward()
    backward = time.perf_counter()
    del y
    return forward - start, backward - forward, time.perf_counter() - backward, float(x.grad)


def _hips(n):
    from autograd import make_vjp

    def f(y):
        for _ in range(n):
            y = y * FACTOR
        return y

    start = time.perf_counter()
    vjp, _ = make_vjp(f)(1.0)  # the forward pass, traced
    forward = time.perf_counter()
    gradient = vjp(1.0)
    backward = time.perf_counter()
    del vjp
    return forward - start, backward - forward, time.perf_counter() - backward, float(gradient)


def _mygrad(n):
    import mygrad as mg

    x = mg.tensor(1.0)
    start = time.perf_counter()
    y = x
    for _ in range(n):
        y = y * FACTOR
    forward = time.perf_counter()
    y.backward()
    backward = time.perf_counter()
    del y
    return forward - start, backward - forward, time.perf_counter() - backward, float(x.grad)


def _micrograd(n):
    from micrograd.engine import Value

    x = Value(1.0)
    start = time.perf_counter()
    y = x
    for _ in range(n):
        y = y * FACTOR
    forward = time.perf_counter()
    y.backward()  # recursive topological sort: the default recursion limit stops it near 1e3
    backward = time.perf_counter()
    del y
    return forward - start, backward - forward, time.perf_counter() - backward, float(x.grad)


CHAINS = {"ours": _ours, "torch": _torch, "hips": _hips, "mygrad": _mygrad,
          "micrograd": _micrograd}


# -- memory ---------------------------------------------------------------------------------------
def _status_kb(field):
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def _reset_peak():
    """Reset the kernel's peak-RSS mark; False where that is not possible."""
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
        return True
    except OSError:
        return False


def _peak_kb(resettable):
    if resettable:
        peak = _status_kb("VmHWM")
        if peak is not None:
            return peak
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kB on Linux


# -- the worker -----------------------------------------------------------------------------------
def measure(engine, sizes, limit, collect):
    """Yield one result dict per size, ascending; stop early where the next size would
    clearly exceed `limit` seconds (projected linearly from the last size) or an error hit."""
    chain = CHAINS[engine]
    chain(10)  # imports and first-call caches stay out of the measurement
    previous = None
    for n in sizes:
        if previous is not None:
            projected = previous["total_s"] * n / previous["n"]
            if projected > limit:
                yield {"n": n, "skipped": f"projected {projected:.0f} s > {limit:.0f} s limit"}
                return
        gc.collect()
        if not collect:
            gc.disable()
        resettable = _reset_peak()
        before = _status_kb("VmRSS") or _peak_kb(False)
        try:
            forward, backward, teardown, gradient = chain(n)
        except RecursionError as error:
            yield {"n": n, "error": f"RecursionError: {error}"}
            return
        finally:
            gc.enable()
        peak = _peak_kb(resettable)
        expected = FACTOR**n
        previous = {
            "n": n,
            "forward_s": forward,
            "backward_s": backward,
            "teardown_s": teardown,
            "total_s": forward + backward + teardown,
            "peak_rss_delta_bytes": (peak - before) * 1024,
            "peak_exact": resettable,
            "gradient_ok": abs(gradient - expected) <= 1e-9 * expected,
        }
        yield previous


def _worker(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("engine", choices=sorted(CHAINS))
    parser.add_argument("--gc", choices=("on", "off"), default="on")
    parser.add_argument("--sizes", default="1000,10000,100000,1000000")
    parser.add_argument("--limit", type=float, default=120.0)
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    for result in measure(args.engine, sizes, args.limit, args.gc == "on"):
        print(json.dumps(result), flush=True)


# -- the parent side ------------------------------------------------------------------------------
STARTUP_GRACE_S = 60  # imports (torch takes seconds on a cold disk) before the first size


def run_engine(engine, sizes, limit, collect, threads=None):
    """Run the worker for one engine and GC setting; a list of per-size results, ending with
    an error entry if the worker was killed after `limit` seconds on a size, or crashed."""
    root = Path(__file__).resolve().parent.parent
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        filter(None, [str(root), os.environ.get("PYTHONPATH")])))
    if threads is not None:
        for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            env[variable] = str(threads)
    command = [sys.executable, "-m", "benchmarks.chain", engine, "--gc", "on" if collect else "off",
               "--sizes", ",".join(map(str, sizes)), "--limit", str(limit)]
    results = []
    with tempfile.TemporaryFile("w+") as stderr:
        process = subprocess.Popen(command, cwd=root, env=env, stdout=subprocess.PIPE,
                                   stderr=stderr, text=True)
        lines = queue.Queue()

        def read():
            for line in process.stdout:
                lines.put(line)
            lines.put(None)  # end of output: the worker exited

        threading.Thread(target=read, daemon=True).start()
        timeout = limit + STARTUP_GRACE_S
        while len(results) < len(sizes):
            try:
                line = lines.get(timeout=timeout)
            except queue.Empty:
                process.kill()
                results.append({"n": sizes[len(results)],
                                "error": f"exceeded {limit:.0f} s (killed)"})
                break
            if line is None:
                break
            results.append(json.loads(line))
            if "error" in results[-1] or "skipped" in results[-1]:
                break
            timeout = limit + 5
        process.wait()
        if process.returncode != 0 and not any("error" in r for r in results):
            stderr.seek(0)
            lines_ = stderr.read().strip().splitlines()
            reason = lines_[-1] if lines_ else f"exit status {process.returncode}"
            n = sizes[min(len(results), len(sizes) - 1)]
            results.append({"n": n, "error": f"worker failed: {reason}"})
    process.stdout.close()
    return results


if __name__ == "__main__":
    _worker()
