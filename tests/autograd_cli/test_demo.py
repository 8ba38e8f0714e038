"""`autograd-core demo`: trains end to end, degrades without its extras, writes only under --out."""

import importlib.util
import re
import sys

import numpy as np
import pytest

import autograd_cli.installation
import nn
from autograd_cli import main
from autograd_cli.demo import build_model, install_hint
from tests.autograd_cli import ROOT, run_cli

LAST_LINE = re.compile(r"^test accuracy: \d{1,3}\.\d%$")


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


def test_without_dot_everything_it_writes_is_under_out(tmp_path):
    """No Graphviz on PATH: graph.dot and the weights in --out, nothing in the working folder,
    no extension-less `graph` source, and the hint's SVG goes to --out too."""
    work, no_programs = tmp_path / "work", tmp_path / "empty-bin"
    work.mkdir()
    no_programs.mkdir()
    result = run_cli("demo", "--epochs", "1", "--no-plots", "--out", "results", cwd=work,
                     path=no_programs)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in work.iterdir()) == ["results"]
    assert sorted(p.name for p in (work / "results").iterdir()) == ["graph.dot", "model.npz"]
    hint = next(line for line in result.stdout.splitlines() if "graph.dot" in line)
    assert hint.endswith("dot -Tsvg results/graph.dot -o results/graph.svg"), hint


FAKE_SVG = '<svg xmlns="http://www.w3.org/2000/svg"><!-- fake dot --></svg>'


def test_with_dot_the_graph_is_one_svg_and_nothing_else(tmp_path):
    """A stand-in `dot` on PATH (reads DOT on stdin, prints SVG): graph.svg in --out, and no
    DOT source file left beside it or in the working folder."""
    work, programs = tmp_path / "work", tmp_path / "bin"
    work.mkdir()
    programs.mkdir()
    fake = programs / "dot"
    fake.write_text(f"#!/bin/sh\nwhile read -r line; do :; done\necho '{FAKE_SVG}'\n")
    fake.chmod(0o755)
    result = run_cli("demo", "--epochs", "1", "--no-plots", "--out", "results", cwd=work,
                     path=programs)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in work.iterdir()) == ["results"]
    assert sorted(p.name for p in (work / "results").iterdir()) == ["graph.svg", "model.npz"]
    assert (work / "results" / "graph.svg").read_text().strip() == FAKE_SVG
    assert "wrote results/graph.svg (the backward graph" in result.stdout


def test_demo_without_the_extras_or_graphviz_still_trains(tmp_path, monkeypatch, capsys):
    """No tqdm, no matplotlib, no `dot` program: plain lines, one install hint, graph.dot."""
    for module in ("tqdm", "matplotlib", "matplotlib.figure"):
        monkeypatch.setitem(sys.modules, module, None)  # makes `import module` fail
    monkeypatch.setenv("PATH", "")
    out = tmp_path / "plain"
    assert main(["demo", "--epochs", "2", "--hidden", "16", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert text.count(install_hint()) == 1
    assert re.search(r"epoch 2/2  loss \d\.\d{4}  train acc", text)
    assert "plots skipped: matplotlib is not installed" in text
    assert LAST_LINE.match(text.strip().splitlines()[-1])
    assert (out / "graph.dot").read_text().lstrip().startswith("digraph")
    assert "Graphviz" in text and not (out / "graph.svg").exists()
    assert not list(out.glob("*.png"))
    assert nn.load(out / "model.npz")["0.weight"].shape == (16, 64)


def test_install_hint_in_a_checkout_and_from_a_wheel(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert install_hint().startswith('pip install -e ".[demo]"')
    monkeypatch.chdir(tmp_path)
    assert install_hint().startswith(f'pip install -e "{ROOT}[demo]"')
    # an installed wheel: the packages sit in site-packages, with no pyproject.toml beside them
    site_packages = tmp_path / "site-packages"
    site_packages.mkdir()
    monkeypatch.setattr(autograd_cli.installation, "package_folder", lambda: site_packages)
    assert install_hint() == 'pip install "autograd-core[demo]" for progress bars and plots'


@pytest.mark.parametrize("epochs, phrase", [("1", ", 1 epoch, "), ("2", ", 2 epochs, ")])
def test_the_summary_counts_epochs_in_english(epochs, phrase, tmp_path, capsys):
    argv = ["demo", "--epochs", epochs, "--hidden", "4", "--no-plots", "--out", str(tmp_path)]
    assert main(argv) == 0
    summary = capsys.readouterr().out.splitlines()[1]
    assert phrase in summary, summary


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
