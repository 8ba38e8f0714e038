"""Seeing the graph: Graphviz pictures of the forward and backward graph, and a traced backward.

>>> print(ag.viz.to_dot(loss, mode="both"))        # DOT source, no Graphviz program needed
>>> ag.viz.draw_graph(loss)                         # a picture that shows itself in Jupyter

`trace_backward(loss)` runs the backward sweep and returns its steps in engine order.
"""

from .dot import to_dot
from .render import GraphPicture, GraphvizNotFoundError, draw_graph
from .trace import BackwardTrace, Step, trace_backward

__all__ = [
    "to_dot",
    "draw_graph",
    "trace_backward",
    "BackwardTrace",
    "Step",
    "GraphPicture",
    "GraphvizNotFoundError",
]
