"""Pictures that render with Graphviz, and an error that says how to install it when missing."""

from contextlib import contextmanager

import graphviz

from .dot import to_dot

INSTALL_HINT = (
    "Rendering a graph needs the Graphviz 'dot' program, which was not found on PATH. "
    "Install it with your system's package manager: Debian/Ubuntu `apt-get install graphviz`, "
    "macOS `brew install graphviz`, conda `conda install -c conda-forge graphviz`. "
    "ag.viz.to_dot() needs no program: it returns the DOT source as text."
)


class GraphvizNotFoundError(RuntimeError):
    """Raised when a picture is rendered on a machine without the Graphviz `dot` program."""


class GraphPicture(graphviz.Source):
    """DOT source that renders with Graphviz and shows itself in Jupyter.

    >>> picture = ag.viz.draw_graph(loss)
    >>> picture.render("graph", format="svg")     # writes graph.svg (and the source, graph)

    Building one needs no Graphviz program; rendering does, and says how to install it.
    """

    def render(self, *args, **kwargs):
        with _install_hint():
            return super().render(*args, **kwargs)

    def pipe(self, *args, **kwargs):
        with _install_hint():
            return super().pipe(*args, **kwargs)

    def _repr_mimebundle_(self, *args, **kwargs):
        with _install_hint():
            return super()._repr_mimebundle_(*args, **kwargs)


@contextmanager
def _install_hint():
    """Turns graphviz's ExecutableNotFound into GraphvizNotFoundError with the install hint."""
    try:
        yield
    except graphviz.ExecutableNotFound as error:
        raise GraphvizNotFoundError(INSTALL_HINT) from error


def draw_graph(root, mode="backward", params=None, max_nodes=None, show_grads=True,
               clusters=None, format="svg"):
    """The graph that computed `root` as a picture: shows itself in Jupyter, renders to files.

    >>> ag.viz.draw_graph(loss)                                  # in a notebook cell
    >>> ag.viz.draw_graph(loss, mode="both").render("graph", format="png")

    Takes the options of `to_dot`; `format` is the default output format of `.render()`.
    """
    source = to_dot(root, mode, params, max_nodes, show_grads, clusters)
    return GraphPicture(source, format=format)
