"""Data sets for examples and tests, in plain NumPy (independent of the autodiff engine).

- ``load_digits`` / ``train_test_split``: the bundled 8x8 UCI digits and a deterministic split;
- ``load_mnist`` / ``read_idx`` / ``write_idx``: MNIST from user-supplied IDX files;
- ``make_mnist1d``: the MNIST-1D benchmark, by default the official data set (seed 42);
- ``load_names`` / ``load_tinyshakespeare``: the makemore names and tiny Shakespeare (bundled);
- ``make_moons``, ``make_spirals``, ``make_regression_1d``, ``make_linear_regression``: toy sets.
"""

from .digits import load_digits, train_test_split
from .mnist import load_mnist, read_idx, write_idx
from .mnist1d import MNIST1D_TEMPLATES, make_mnist1d
from .text import load_names, load_tinyshakespeare
from .toy import make_linear_regression, make_moons, make_regression_1d, make_spirals

__all__ = [
    "MNIST1D_TEMPLATES",
    "load_digits",
    "load_mnist",
    "load_names",
    "load_tinyshakespeare",
    "make_linear_regression",
    "make_mnist1d",
    "make_moons",
    "make_regression_1d",
    "make_spirals",
    "read_idx",
    "train_test_split",
    "write_idx",
]
