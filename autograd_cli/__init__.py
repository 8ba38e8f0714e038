"""The command line, `autograd-core` (also `python -m autograd_cli`).

    autograd-core demo      train the lectures' digits network and write curves, graph, weights
    autograd-core verify    check every primitive, layer and loss against finite differences

It sits above `autograd_core`, `nn` and `optim` and may import all three; none of them imports it.

>>> from autograd_cli import main
>>> main(["verify"])      # 0 when every derivative agrees with finite differences
"""

from .commands import build_parser, main

__all__ = ["build_parser", "main"]
