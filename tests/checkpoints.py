"""A small checkpoint and a deep, type-exact comparison, shared by the tests of nn.save/nn.load."""

from collections.abc import Mapping

import numpy as np


def sample_checkpoint():
    """A few arrays (one named `bias`) and nested plain values, as a training run would save."""
    return {
        "model": {
            "weight": np.arange(6, dtype=np.float32).reshape(2, 3),
            "bias": np.array([0.5, -1.5]),
            "steps": np.array(7, dtype=np.int64),
        },
        "optimizer": {
            "state": {0: {"step": 3, "mask": np.array([True, False])}},
            "param_groups": [{"lr": 0.1, "betas": (0.9, 0.999), "nesterov": False,
                              "params": [0, 1], "name": None}],
        },
        "epoch": 3,
        "note": "run-1",
    }


def assert_same(actual, expected, where="obj"):
    """Assert that two saved-and-loaded structures are equal down to types, dtypes and order."""
    if isinstance(expected, np.ndarray):
        assert isinstance(actual, np.ndarray), f"{where}: {type(actual).__name__}, want ndarray"
        assert (actual.dtype, actual.shape) == (expected.dtype, expected.shape), (
            f"{where}: {actual.dtype}{actual.shape} vs {expected.dtype}{expected.shape}"
        )
        np.testing.assert_array_equal(actual, expected, err_msg=where)
    elif isinstance(expected, Mapping):
        assert isinstance(actual, Mapping), f"{where}: {type(actual).__name__}, want a dict"
        assert [(type(key), key) for key in actual] == [(type(key), key) for key in expected], (
            f"{where}: keys {list(actual)} vs {list(expected)}"
        )
        for key in expected:
            assert_same(actual[key], expected[key], f"{where}[{key!r}]")
    elif isinstance(expected, (list, tuple)):
        assert type(actual) is type(expected) and len(actual) == len(expected), (
            f"{where}: {actual!r} vs {expected!r}"
        )
        for index, (left, right) in enumerate(zip(actual, expected)):
            assert_same(left, right, f"{where}[{index}]")
    else:
        assert type(actual) is type(expected) and actual == expected, (
            f"{where}: {actual!r} ({type(actual).__name__}) vs {expected!r} "
            f"({type(expected).__name__})"
        )
