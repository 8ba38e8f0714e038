"""`autograd-core demo`: the lectures' network x5 = H3 ReLU(H0 x0 + h1) + h4 on the 8x8 digits.

>>> from autograd_cli.demo import train_digits
>>> model, history = train_digits(epochs=30, progress=False)   # history["test_acc"][-1] ~ 0.986

Reads the digits bundled with `nn.datasets` (pixels 0..16 scaled to [0, 1]; a fixed stratified
80/20 split, the same for every --seed), trains Linear(64, hidden) -> ReLU -> Linear(hidden, 10)
with softmax cross entropy, and writes the curves, the backward graph and the weights to --out.
"""

import subprocess
import time

import numpy as np

import autograd_core as ag
import nn
import nn.functional as F
import optim
from autograd_core import viz
from nn.data import DataLoader, TensorDataset
from nn.datasets import load_digits, train_test_split

from .installation import install_command
from .reporting import count, progress_bar_class

LECTURE_FORM = "x5 = H3 ReLU(H0 x0 + h1) + h4"
DEFAULT_LR = {"sgd": 0.1, "adam": 0.005}
MOMENTUM = 0.9


def install_hint():
    """The note printed when tqdm or matplotlib is missing, with this installation's command.

    >>> install_hint()        # outside a checkout
    'pip install "autograd-core[demo]" for progress bars and plots'
    """
    return f"{install_command('demo')} for progress bars and plots"


def load_split():
    """(x_train, x_test, y_train, y_test): flattened digits in [0, 1], a fixed stratified split."""
    images, labels = load_digits()
    x = images.reshape(len(images), 64) / 16.0
    return train_test_split(x, labels, test_fraction=0.2, seed=0, stratify=labels)


def build_model(hidden):
    """H0, h1 = the first Linear; H3, h4 = the second."""
    return nn.Sequential(nn.Linear(64, hidden), nn.ReLU(), nn.Linear(hidden, 10))


def build_optimizer(name, parameters, lr):
    """Adam, or SGD with momentum 0.9, over `parameters`."""
    if name == "adam":
        return optim.Adam(parameters, lr=lr)
    return optim.SGD(parameters, lr=lr, momentum=MOMENTUM)


def evaluate(model, x, y, label_smoothing=0.0):
    """(mean cross entropy, accuracy) of the model on arrays x, y, without recording a graph."""
    with ag.no_grad():
        logits = model(ag.tensor(x))
        loss = F.cross_entropy(logits, y, label_smoothing=label_smoothing).item()
    return loss, float(np.mean(logits.data.argmax(axis=1) == y))


def train_digits(epochs=30, batch_size=32, lr=None, optimizer="sgd", hidden=128, seed=0,
                 label_smoothing=0.1, progress=True, say=print):
    """Train the demo network; returns (model, history) with per-epoch lists
    `train_loss`, `train_acc`, `test_loss`, `test_acc` (accuracies as fractions).

    >>> model, history = train_digits(epochs=2, progress=False, say=lambda line: None)
    """
    lr = DEFAULT_LR[optimizer] if lr is None else lr
    ag.manual_seed(seed)
    x_train, x_test, y_train, y_test = load_split()
    model = build_model(hidden)
    step = build_optimizer(optimizer, model.parameters(), lr)
    loader = DataLoader(TensorDataset(ag.tensor(x_train), ag.tensor(y_train)),
                        batch_size=batch_size, shuffle=True)
    tqdm = progress_bar_class() if progress else None
    history = {"train_loss": [], "train_acc": [], "test_loss": [], "test_acc": []}
    for epoch in range(1, epochs + 1):
        label = f"epoch {epoch:>{len(str(epochs))}}/{epochs}"
        # A manual bar rather than tqdm(loader): tqdm closes a bar that wraps an iterable as
        # soon as it is exhausted, before the test accuracy is known.
        bar = None if tqdm is None else tqdm(total=len(loader), desc=label, unit="batch",
                                             dynamic_ncols=True)
        train_loss, train_acc = train_epoch(model, loader, step, label_smoothing, bar)
        test_loss, test_acc = evaluate(model.eval(), x_test, y_test, label_smoothing)
        for key, value in zip(history, (train_loss, train_acc, test_loss, test_acc)):
            history[key].append(value)
        if bar is None:
            say(f"{label}  loss {train_loss:.4f}  train acc {100 * train_acc:5.1f}%  "
                f"test acc {100 * test_acc:5.1f}%")
        else:
            bar.set_postfix(_postfix(train_loss, train_acc, test_acc), refresh=False)
            bar.close()  # draws the bar a last time, with the test accuracy
    return model, history


def train_epoch(model, loader, step, label_smoothing=0.0, bar=None):
    """One pass of minibatch training; returns (mean training loss, training accuracy)."""
    model.train()
    seen, loss_sum, correct = 0, 0.0, 0
    for xb, yb in loader:
        logits = model(xb)
        loss = F.cross_entropy(logits, yb, label_smoothing=label_smoothing)
        step.zero_grad()
        loss.backward()
        step.step()
        seen += len(yb)
        loss_sum += loss.item() * len(yb)
        correct += int(np.sum(logits.data.argmax(axis=1) == yb.data))
        if bar is not None:
            bar.set_postfix(_postfix(loss_sum / seen, correct / seen), refresh=False)
            bar.update()
    return loss_sum / seen, correct / seen


def _postfix(loss, accuracy, test_accuracy=None):
    fields = {"loss": f"{loss:.4f}", "acc": f"{100 * accuracy:.1f}%"}
    if test_accuracy is not None:
        fields["test acc"] = f"{100 * test_accuracy:.1f}%"
    return fields


def write_plots(history, out):
    """loss.png and accuracy.png, per epoch, train and test; returns the paths written."""
    from matplotlib.figure import Figure  # no pyplot: no GUI backend, no global state

    epochs = np.arange(1, len(history["train_loss"]) + 1)
    paths = []
    for name, keys, label in (
        ("loss.png", ("train_loss", "test_loss"), "cross entropy"),
        ("accuracy.png", ("train_acc", "test_acc"), "accuracy (%)"),
    ):
        figure = Figure(figsize=(5, 3.5), layout="constrained")
        axes = figure.add_subplot()
        scale = 100 if name == "accuracy.png" else 1
        for key in keys:
            axes.plot(epochs, np.asarray(history[key]) * scale, marker=".",
                      label=key.split("_")[0])
        axes.set(xlabel="epoch", ylabel=label, title=f"{LECTURE_FORM}: {label}")
        axes.grid(alpha=0.3)
        axes.legend()
        figure.savefig(out / name, dpi=120)
        paths.append(out / name)
    return paths


def write_graph(model, xb, yb, out, label_smoothing=0.0):
    """The backward graph of one training step: out/graph.svg, or out/graph.dot without Graphviz.

    Returns the line to print. Nothing else is written, in `out` or elsewhere."""
    loss = F.cross_entropy(model(xb), yb, label_smoothing=label_smoothing)
    picture = viz.draw_graph(loss, mode="backward", params=dict(model.named_parameters()))
    svg, dot = out / "graph.svg", out / "graph.dot"
    try:
        # pipe, not render: render first saves the DOT source as a file of its own, and leaves
        # it behind when `dot` is missing.
        image = picture.pipe(format="svg")
    except (RuntimeError, subprocess.CalledProcessError) as error:  # no `dot`, or it failed
        dot.write_text(picture.source)
        reason = str(error).strip().splitlines()[0] if str(error).strip() else "no `dot`"
        return (f"wrote {dot}: Graphviz could not render SVG ({reason}); "
                f"after installing Graphviz: dot -Tsvg {dot} -o {svg}")
    svg.write_bytes(image)
    return f"wrote {svg} (the backward graph of one training step)"


def run(args):
    """The `demo` subcommand; the last line printed is `test accuracy: NN.N%`."""
    lr = DEFAULT_LR[args.optimizer] if args.lr is None else args.lr
    print(f"autograd-core demo: {LECTURE_FORM} on the 8x8 digits (1797 images, 10 classes)")
    print(f"  64 -> {args.hidden} -> 10, softmax cross entropy (label smoothing "
          f"{args.label_smoothing:g}), {args.optimizer} (lr {lr:g}"
          + (f", momentum {MOMENTUM}" if args.optimizer == "sgd" else "")
          + f"), batch {args.batch_size}, {count(args.epochs, 'epoch')}, seed {args.seed}")
    hinted = False
    if progress_bar_class() is None:
        print(f"note: {install_hint()}")
        hinted = True
    started = time.perf_counter()
    model, history = train_digits(args.epochs, args.batch_size, lr, args.optimizer,
                                  args.hidden, args.seed, args.label_smoothing)
    print(f"trained in {time.perf_counter() - started:.1f} s")

    out = args.out
    if args.no_plots:
        print("plots skipped (--no-plots)")
    else:
        try:
            paths = write_plots(history, out)
        except ImportError:
            print("plots skipped: matplotlib is not installed"
                  + ("" if hinted else f" ({install_hint()})"))
        else:
            print("wrote " + ", ".join(str(p) for p in paths))
    x_train, _, y_train, _ = load_split()
    print(write_graph(model, ag.tensor(x_train[:args.batch_size]),
                      ag.tensor(y_train[:args.batch_size]), out, args.label_smoothing))
    nn.save(model.state_dict(), out / "model.npz")
    print(f"wrote {out / 'model.npz'} (the trained weights: model.load_state_dict(nn.load(...)))")
    print(f"test accuracy: {100 * history['test_acc'][-1]:.1f}%")
    return 0
