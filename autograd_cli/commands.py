"""The parser of `autograd-core` and the dispatch to its subcommands.

>>> main(["demo", "--epochs", "1", "--no-plots"])     # 0; writes ./demo-out/
>>> build_parser().parse_args(["verify", "--seed", "3"]).seed
3

Before a subcommand runs, `nn` and `optim` are checked to be ours (see `installation`): a
namesake found first on sys.path is an error that names both files, not an AttributeError later.
"""

import argparse
import math
import sys
from pathlib import Path

import autograd_core

from .installation import ShadowedPackageError, require_ours


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors: a wrong option is a typo to fix, not a usage screen."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _number(convert, accept, description):
    """An argparse type: `convert` the text, then require `accept(value)`; else one line."""

    def parse(text):
        try:
            value = convert(text)
        except ValueError:
            value = None
        if value is None or not accept(value):
            raise argparse.ArgumentTypeError(f"expected {description}, got {text!r}")
        return value

    return parse


_positive_int = _number(int, lambda v: v > 0, "a positive integer")
_non_negative_int = _number(int, lambda v: v >= 0, "an integer >= 0")
_positive_float = _number(float, lambda v: v > 0 and math.isfinite(v), "a positive finite number")
_fraction = _number(float, lambda v: 0 <= v < 1, "a number in [0, 1)")


def build_parser():
    """The argparse parser of `autograd-core` and its subcommands.

    >>> build_parser().parse_args(["demo", "--epochs", "2"]).epochs
    2
    """
    parser = _Parser(
        prog="autograd-core",
        description="A reverse-mode autodiff engine over NumPy: train a demo network, or "
        "verify every derivative against finite differences.",
    )
    parser.add_argument("--version", action="version",
                        version=f"%(prog)s {autograd_core.__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="{demo,verify}")

    demo = commands.add_parser(
        "demo",
        help="train x5 = H3 ReLU(H0 x0 + h1) + h4 on the 8x8 digits",
        description="Train the lectures' MNIST-style network x5 = H3 ReLU(H0 x0 + h1) + h4 on "
        "the bundled 8x8 digits with softmax cross entropy, then write loss and accuracy "
        "curves, the backward graph of one training step and the trained weights to --out.",
    )
    demo.add_argument("--epochs", type=_positive_int, default=30, help="passes over the "
                      "training set (default 30)")
    demo.add_argument("--batch-size", type=_positive_int, default=32,
                      help="minibatch size (default 32)")
    demo.add_argument("--lr", type=_positive_float, default=None,
                      help="learning rate (default 0.1 for sgd, 0.005 for adam)")
    demo.add_argument("--optimizer", choices=("sgd", "adam"), default="sgd",
                      help="minibatch SGD with momentum 0.9, or Adam (default sgd)")
    demo.add_argument("--hidden", type=_positive_int, default=128,
                      help="width of the hidden layer (default 128)")
    demo.add_argument("--label-smoothing", type=_fraction, default=0.1,
                      help="mix the one-hot targets with the uniform distribution, in [0, 1) "
                      "(default 0.1: the held-out accuracy gains about 1.5 points)")
    demo.add_argument("--seed", type=_non_negative_int, default=0,
                      help="seed of the initial weights and the shuffling (default 0)")
    demo.add_argument("--out", type=Path, default=Path("demo-out"),
                      help="folder for the outputs (default ./demo-out/)")
    demo.add_argument("--no-plots", action="store_true", help="do not write the PNG curves")

    verify = commands.add_parser(
        "verify",
        help="gradcheck every primitive, layer and loss",
        description="Compare the engine's derivatives of every registered primitive and every "
        "layer and loss of nn with central finite differences (first and second order) and, "
        "where one is written down, with the hand-derived Jacobian. Exit status 1 if any fails.",
    )
    verify.add_argument("--seed", type=_non_negative_int, default=0,
                        help="seed of the random inputs (default 0)")
    return parser


def main(argv=None):
    """Run the command line; returns the exit status (0 ok, 1 a check failed, 2 bad usage or
    an `nn`/`optim` that is not ours).

    >>> main(["verify"])
    0
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        for name in ("nn", "optim"):
            require_ours(name)
    except ShadowedPackageError as error:
        print(f"{parser.prog}: error: {error}", file=sys.stderr)
        return 2
    # The subcommands are imported only now, after the check: they import nn and optim.
    try:
        if args.command == "demo":
            from . import demo, reporting

            try:
                reporting.prepare_output(args.out)
            except OSError as error:
                parser.exit(2, f"{parser.prog} demo: error: argument --out: cannot write to "
                               f"{str(args.out)!r} ({error.strerror or error})\n")
            return demo.run(args)
        from . import verify

        return verify.run(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
