"""Command line: `python -m autograd_core demo` (also the `autograd-core` console script)."""

import argparse
import sys

import numpy as np


def _demo(args):
    import autograd_core as ag

    ag.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    x = ag.tensor(rng.uniform(-2, 2, size=(128, 1)))
    y = ag.sin(x * 1.5)
    w1, b1 = ag.randn(1, 16, requires_grad=True), ag.zeros(16, requires_grad=True)
    w2, b2 = ag.randn(16, 1, requires_grad=True), ag.zeros(1, requires_grad=True)
    params = [w1, b1, w2, b2]

    def model(inputs, first, bias1, second, bias2):
        return ag.tanh(inputs @ first + bias1) @ second + bias2

    for step in range(args.steps + 1):
        loss = ((model(x, *params) - y) ** 2).mean()
        for p in params:
            p.grad = None
        loss.backward()
        with ag.no_grad():
            for p in params:
                p.sub_(args.lr * p.grad.data)
        if step % (args.steps // 5) == 0:
            print(f"step {step:4d}  loss {loss.item():.5f}")
    ok = ag.testing.gradcheck(lambda *ps: ((model(x[:8], *ps) - y[:8]) ** 2).mean(), tuple(params))
    print(f"gradient check against finite differences: {'passed' if ok else 'failed'}")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="autograd-core")
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="train a tiny network and check its gradients")
    demo.add_argument("--steps", type=int, default=500)
    demo.add_argument("--lr", type=float, default=0.1)
    demo.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.command == "demo":
        _demo(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
