"""The report: machine information, and results as Markdown tables and as JSON.

>>> markdown = write(results, Path("benchmarks/results"))   # results.md, results.json
"""

import datetime
import json
import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path

import numpy as np

LABELS = {
    "ours": "autograd-core",
    "numpy": "hand NumPy",
    "torch": "PyTorch",
    "hips": "HIPS autograd",
    "mygrad": "MyGrad",
    "micrograd": "micrograd",
}
DISTRIBUTIONS = {"torch": "torch", "hips": "autograd", "mygrad": "mygrad",
                 "micrograd": "micrograd"}
CHAIN_ENGINES = ("ours", "torch", "hips", "mygrad", "micrograd")


# -- machine --------------------------------------------------------------------------------------
def _cpu_model():
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _blas():
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        return f"{blas.get('name', '?')} {blas.get('version', '')}".strip()
    except Exception:  # the layout of NumPy's build information changes between versions
        return "unknown"


def _git(root):
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, text=True,
                              capture_output=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "autograd_core", "nn",
                                "optim"], cwd=root, text=True, capture_output=True,
                               timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return f"{head}{' + uncommitted changes' if dirty else ''}" if head else None


def load_average():
    """The 1-minute load average, or None where the system does not tell."""
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def machine_info(engines):
    info = {
        "load_average_start": load_average(),
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "platform": platform.platform(),
        "cpu": _cpu_model(),
        "cpu_count": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "blas": _blas(),
        "autograd_core_git": _git(Path(__file__).resolve().parent.parent),
        "versions": {},
    }
    for engine, distribution in DISTRIBUTIONS.items():
        if engine in engines:
            try:
                info["versions"][engine] = metadata.version(distribution)
            except metadata.PackageNotFoundError:
                info["versions"][engine] = None
    if info["versions"].get("torch"):
        import torch

        info["torch_threads"] = torch.get_num_threads()
    return info


# -- formatting -----------------------------------------------------------------------------------
def seconds(value):
    if value >= 1:
        return f"{value:.2f} s"
    if value >= 1e-3:
        return f"{value * 1e3:.3g} ms"
    return f"{value * 1e6:.3g} us"


def megabytes(value):
    if value < 2**20:
        return f"{value / 2**10:.0f} kB"
    return f"{value / 2**20:.1f} MB"


def ratio(value):
    return "-" if value is None else f"{value:.2f}x"


def power(n):
    exponent = round(np.log10(n))
    return f"1e{exponent}" if 10**exponent == n else str(n)


def titles(sizes):
    dims = "-".join(map(str, sizes["mlp_dims"]))
    image = sizes["cnn_image"]
    return {
        "W1": f"W1 MLP {dims} ReLU, batch {sizes['mlp_batch']}, float32, CE + SGD step",
        "W2": f"W2 per-op overhead: {3 * sizes['chain_repeats'] + 1}-op chain (*c, +b, tanh) "
              f"on float64 ({sizes['chain_width']},), fwd+bwd",
        "W3": f"W3 chain of {power(sizes['scalar_chain'][-1])} scalar ops, fwd+bwd",
        "W4": f"W4 small CNN step (conv8-pool-conv16-pool-linear, {sizes['cnn_batch']}x1x"
              f"{image}x{image})",
        "W5": "W5 full Hessian",
    }


def _title(row, names):
    if row["workload"] == "W5":
        return f"{names['W5']}, {row['name'].split(' ', 1)[1]}"
    return names[row["workload"]]


def _row_cell(row, engine):
    result = row["engines"].get(engine)
    if result is None:
        note = row["notes"].get(engine)
        return "-" if note is None else f"- ({note if len(note) <= 40 else 'see notes'})"
    if "us_per_op" in result:
        main = f"{result['us_per_op']:.2f} us/op"
    else:
        main = seconds(result["median_s"])
    ratios = []
    if engine != "torch" and result["vs_torch"] is not None:
        ratios.append(f"{ratio(result['vs_torch'])} torch")
    if engine != "numpy" and result["vs_numpy"] is not None:
        ratios.append(f"{ratio(result['vs_numpy'])} NumPy")
    return main + (f" ({', '.join(ratios)})" if ratios else "")


def chain_summary(runs):
    """(text, total seconds or None, bytes per node or None) for the largest size reached."""
    if "note" in runs:
        return f"- ({runs['note'] if len(runs['note']) <= 40 else 'see notes'})", None, None
    results = runs.get("gc on", [])
    if not results:
        return "-", None, None
    last = results[-1]
    if "error" in last or "skipped" in last:
        done = [r for r in results if "total_s" in r]
        reason = last.get("error") or last["skipped"]
        if reason.startswith("RecursionError"):
            text = f"RecursionError at {power(last['n'])}"
        elif "skipped" in last or reason.startswith("exceeded"):
            text = f"> {reason.split()[1]} s at {power(last['n'])}"
        else:
            text = f"failed at {power(last['n'])}: {reason}"
        if done:
            text += f" ({seconds(done[-1]['total_s'])} at {power(done[-1]['n'])})"
        return text, None, None
    per_node = last["peak_rss_delta_bytes"] / last["n"]
    text = (f"{seconds(last['total_s'])}, {megabytes(last['peak_rss_delta_bytes'])} "
            f"({per_node:.0f} B/node)")
    return text, last["total_s"], per_node


def _table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


# -- the report -----------------------------------------------------------------------------------
def summary_table(results):
    engines = results["settings"]["engines"]
    versions = results["machine"]["versions"]
    header = ["workload"] + [
        LABELS[e] + (f" {versions[e]}" if versions.get(e) else "") for e in engines]
    names = titles(results["sizes"])
    lines = []
    rows = {row["workload"]: [] for row in results["rows"]}
    for row in results["rows"]:
        rows[row["workload"]].append(row)
    for workload in results["settings"]["workloads"]:
        if workload == "W3" and results["chain"] is not None:
            totals = {e: chain_summary(runs) for e, runs in results["chain"].items()}
            torch_total = totals.get("torch", (None, None))[1]
            cells = []
            for engine in engines:
                if engine not in totals:
                    cells.append("-")
                    continue
                text, total, _ = totals[engine]
                if total and torch_total and engine != "torch":
                    text += f" ({total / torch_total:.2f}x torch)"
                cells.append(text)
            lines.append([names["W3"]] + cells)
        for row in rows.get(workload, []):
            lines.append([_title(row, names)] + [_row_cell(row, e) for e in engines])
    return _table(header, lines)


def goals(results):
    """The issue's goals for autograd-core, each with the measured value and whether it is met."""
    found = []
    by_name = {row["name"]: row["engines"] for row in results["rows"]}

    def add(goal, value, met):
        found.append([goal, value, "-" if met is None else ("yes" if met else "**no**")])

    def versus(name, baseline, limit, goal):
        ours = by_name.get(name, {}).get("ours")
        value = None if ours is None else ours[f"vs_{baseline}"]
        add(goal, ratio(value), None if value is None else value <= limit)

    versus("W1", "numpy", 1.10, "W1 <= 1.10x hand NumPy")
    w1 = by_name.get("W1", {})
    if "step_peak_bytes" in w1.get("ours", {}) and "step_peak_bytes" in w1.get("numpy", {}):
        value = w1["ours"]["step_peak_bytes"] / w1["numpy"]["step_peak_bytes"]
        add("W1 peak step memory <= 1.2x hand NumPy", f"{value:.2f}x", value <= 1.2)
    versus("W2", "torch", 0.8, "W2 <= 0.8x PyTorch per op")
    chain = results["chain"] or {}
    if "ours" in chain and "gc on" in chain["ours"]:
        _, ours_total, per_node = chain_summary(chain["ours"])
        _, torch_total, _ = chain_summary(chain.get("torch", {}))
        if ours_total and torch_total:
            value = ours_total / torch_total
            add("W3 faster than PyTorch", f"{value:.2f}x", value < 1)
        if per_node is not None:
            add("W3 memory < 1 kB per node", f"{per_node:.0f} B", per_node < 1024)
            done = [r for r in chain["ours"]["gc on"] if "total_s" in r]
            growth = (done[-1]["total_s"] / done[-1]["n"]) / (done[0]["total_s"] / done[0]["n"])
            add(f"W3 linear: time per node at {power(done[-1]['n'])} / at "
                f"{power(done[0]['n'])} (GC on; read <= 1.5 as linear)", f"{growth:.2f}",
                growth <= 1.5)
        last = chain["ours"]["gc on"][-1]
        add("W3 no recursion (forward, backward, teardown at the largest size)",
            last.get("error", "ran"), "total_s" in last and last["gradient_ok"])
    versus("W4", "numpy", 1.0, "W4 <= 1.0x hand NumPy im2col")
    for name in by_name:
        if name.startswith("W5"):
            versus(name, "torch", 1.0, f"{name} <= 1.0x torch.autograd.functional.hessian")
    return _table(["goal", "measured", "met"], found) if found else ""


def detail_tables(results):
    parts = []
    names = titles(results["sizes"])
    rounds = results["settings"]["rounds"]
    for row in results["rows"]:
        lines = []
        for engine, r in row["engines"].items():
            memory = r.get("step_peak_bytes")
            lines.append([LABELS[engine], seconds(r["median_s"]), seconds(r["min_s"]),
                          ratio(r["vs_torch"]), ratio(r["vs_numpy"]),
                          ratio(r["min_vs_torch"]), ratio(r["min_vs_numpy"]),
                          f"{rounds} x {r['repeats']}",
                          "-" if memory is None else megabytes(memory),
                          "-" if r["gradient_error"] is None else f"{r['gradient_error']:.1e}",
                          r["path"] or "-"])
        header = ["engine", "median", "min", "x torch", "x NumPy", "min / torch's min",
                  "min / NumPy's min", "rounds x steps",
                  "peak step memory", "gradient error", "how"]
        parts.append(f"### {_title(row, names)}\n\n{_table(header, lines)}")
    if results["chain"]:
        sizes = results["sizes"]["scalar_chain"]
        lines = []
        for engine, runs in results["chain"].items():
            for setting in ("gc on", "gc off"):
                if setting not in runs:
                    continue
                by_n = {r["n"]: r for r in runs[setting]}
                cells = []
                for n in sizes:
                    r = by_n.get(n)
                    if r is None:
                        cells.append("-")
                    elif "total_s" in r:
                        cells.append(f"{r['total_s'] / n * 1e6:.2f}")
                    else:
                        cells.append(chain_summary({"gc on": [r]})[0])
                done = [r for r in runs[setting] if "total_s" in r]
                if done:
                    last = done[-1]
                    split = " / ".join(f"{last[k]:.2f}" for k in
                                       ("forward_s", "backward_s", "teardown_s"))
                    memory = (f"{megabytes(last['peak_rss_delta_bytes'])}, "
                              f"{last['peak_rss_delta_bytes'] / last['n']:.0f} B/node")
                    split = f"{power(last['n'])}: {split}"
                else:
                    split = memory = "-"
                lines.append([LABELS[engine], setting, *cells, split, memory])
        header = ["engine", "GC", *[f"us/node at {power(n)}" for n in sizes],
                  "forward / backward / teardown (s)", "peak memory"]
        parts.append(f"### {names['W3']}: scaling, and the cyclic GC's share\n\n"
                     + _table(header, lines))
    return "\n\n".join(parts)


def notes(results):
    lines = []
    for row in results["rows"]:
        for engine, note in row["notes"].items():
            lines.append(f"- {row['name']}, {LABELS[engine]}: {note}")
    for engine, runs in (results["chain"] or {}).items():
        if "note" in runs:
            lines.append(f"- W3, {LABELS[engine]}: {runs['note']}")
        for setting, entries in runs.items():
            if setting == "note":
                continue
            for r in entries:
                for key in ("error", "skipped"):
                    if key in r:
                        lines.append(f"- W3, {LABELS[engine]}, {setting}, n = {r['n']}: {r[key]}")
                if r.get("gradient_ok") is False:
                    lines.append(f"- W3, {LABELS[engine]}, {setting}, n = {r['n']}: "
                                 "wrong gradient")
    return "\n".join(lines)


_BUSY = (". **The machine was busy**: times are inflated and noisy; the paired ratios and the "
         "ratios of minima (in the details) are the numbers to compare")


def _busy(machine):
    loads = [machine.get("load_average_start"), machine.get("load_average_end")]
    usable = machine.get("cpus_usable") or machine.get("cpu_count") or 1
    return any(load is not None and load > usable + 0.5 for load in loads)


def _threads(settings):
    text = f"{settings['threads']} for OpenBLAS and PyTorch, every engine alike"
    if not settings["threads_applied"]:
        text += " (NumPy was loaded before the runner set this: OpenBLAS kept its own count)"
    return text


def to_markdown(results):
    machine, settings = results["machine"], results["settings"]
    versions = ", ".join(f"{LABELS[e]} {v or 'not installed'}"
                         for e, v in machine["versions"].items())
    threads = machine.get("torch_threads")
    paths = {row["name"]: row["engines"]["ours"]["path"] for row in results["rows"]
             if "ours" in row["engines"] and row["engines"]["ours"]["path"]}
    head = [
        "# Benchmark results",
        "",
        f"- date: {machine['date']}; command: `{results['command']}`"
        f"{' (quick sizes: a smoke test)' if settings['quick'] else ''}",
        f"- machine: {machine['cpu']}, {machine['cpus_usable']} usable CPUs "
        f"({machine['cpu_count']} in all), {machine['platform']}",
        f"- Python {machine['python']}, NumPy {machine['numpy']} ({machine['blas']})"
        + (f", {versions}" if versions else "")
        + (f"; PyTorch threads: {threads}" if threads else ""),
        f"- autograd-core: git {machine['autograd_core_git'] or 'unknown'}"
        + "".join(f"; {name}: {path}" for name, path in paths.items()),
        f"- method: gradients checked against autograd-core first; {settings['rounds']} "
        "interleaved rounds after warm-up; medians; ratios paired within a round, then their "
        "median. W3: one subprocess per engine and GC setting, sizes ascending, a single run "
        "each; memory = peak RSS minus RSS before the chain.",
        f"- threads: {_threads(settings)}",
        f"- load average: {machine['load_average_start']} at the start, "
        f"{machine.get('load_average_end')} at the end, on {machine['cpus_usable']} CPUs"
        + (_BUSY if _busy(machine) else ""),
        f"- total time: {results.get('elapsed_s', 0):.0f} s",
    ]
    sections = ["\n".join(head), "## Summary\n\n" + summary_table(results)]
    goal_table = goals(results)
    if goal_table:
        sections.append("## Goals (autograd-core)\n\n" + goal_table)
    sections.append("## Details\n\n" + detail_tables(results))
    note_lines = notes(results)
    if note_lines:
        sections.append("## Notes\n\n" + note_lines)
    return "\n\n".join(sections) + "\n"


def write(results, folder):
    folder.mkdir(parents=True, exist_ok=True)
    markdown = to_markdown(results)
    (folder / "results.md").write_text(markdown)
    (folder / "results.json").write_text(json.dumps(results, indent=1, default=str) + "\n")
    return markdown
