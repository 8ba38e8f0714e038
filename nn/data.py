"""Data sets and minibatches: `TensorDataset` and `DataLoader`.

>>> loader = nn.data.DataLoader(nn.data.TensorDataset(x, y), batch_size=32, shuffle=True)
>>> for xb, yb in loader: ...

A data set is anything "map-style": it has `__len__` and `__getitem__(i)` returning one sample.
The loader draws its shuffling order from `ag.get_generator()`, the stream `ag.manual_seed` seeds,
a fresh permutation for every pass (every `iter()`), so each sample appears exactly once per epoch.
"""

from numbers import Integral

import numpy as np

import autograd_core as ag

__all__ = ["DataLoader", "TensorDataset"]


class TensorDataset:
    """Samples made of the rows of tensors that share their first dimension.

    >>> dataset = TensorDataset(ag.randn(100, 64), ag.tensor(np.arange(100) % 10))
    >>> x, y = dataset[3]                 # the fourth row of each tensor

    NumPy arrays are accepted and converted (keeping their dtype). Indexing with an integer
    array or a slice returns whole batches, which is how `DataLoader` reads it without a
    per-sample loop.
    """

    def __init__(self, *tensors):
        if not tensors:
            raise ValueError("TensorDataset needs at least one tensor")
        converted = []
        for i, t in enumerate(tensors):
            if isinstance(t, np.ndarray):
                t = ag.tensor(t)
            elif not isinstance(t, ag.Tensor):
                raise TypeError(
                    f"TensorDataset: argument {i} is a {type(t).__name__}, not a Tensor or array"
                )
            if t.ndim == 0:
                raise ValueError(f"TensorDataset: argument {i} is 0-d; it has no rows to index")
            converted.append(t)
        sizes = [t.shape[0] for t in converted]
        if len(set(sizes)) != 1:
            raise ValueError(
                f"TensorDataset: all tensors must have the same first dimension, got sizes {sizes}"
            )
        self.tensors = tuple(converted)

    def __len__(self):
        return self.tensors[0].shape[0]

    def __getitem__(self, index):
        return tuple(t[index] for t in self.tensors)

    def __repr__(self):
        shapes = ", ".join(str(t.shape) for t in self.tensors)
        return f"TensorDataset({shapes})"


class DataLoader:
    """Iterate over a data set in minibatches.

    >>> loader = DataLoader(TensorDataset(x, y), batch_size=32, shuffle=True, drop_last=False)
    >>> len(loader)                       # batches per epoch: ceil(len(dataset) / 32)

    Each batch stacks its samples along a new first axis: a sample that is a tuple (or list) of
    parts gives a tuple of Tensors, a sample that is a single value gives one Tensor. Python ints
    become int64 (class labels), Python floats the default float dtype, arrays keep theirs.
    With `shuffle=True` every `iter(loader)` draws a new permutation from `ag.get_generator()`;
    `drop_last=True` leaves out a last batch smaller than `batch_size`.
    """

    def __init__(self, dataset, batch_size=1, shuffle=False, drop_last=False):
        if not (hasattr(dataset, "__len__") and hasattr(dataset, "__getitem__")):
            raise TypeError(
                f"DataLoader needs a map-style data set (with __len__ and __getitem__), "
                f"got a {type(dataset).__name__}"
            )
        if isinstance(batch_size, bool) or not isinstance(batch_size, Integral) or batch_size <= 0:
            raise ValueError(f"DataLoader: batch_size must be a positive int, got {batch_size!r}")
        self.dataset = dataset
        self.batch_size = int(batch_size)
        self.shuffle = bool(shuffle)
        self.drop_last = bool(drop_last)

    def __len__(self):
        n = len(self.dataset)
        if self.drop_last:
            return n // self.batch_size
        return -(-n // self.batch_size)

    def __iter__(self):
        # The order is drawn here, not at the first next(), so `iter(loader)` fixes the epoch.
        n = len(self.dataset)
        order = ag.get_generator().permutation(n) if self.shuffle else np.arange(n)
        return self._batches(order)

    def _batches(self, order):
        stop = len(self) * self.batch_size
        whole_batches = type(self.dataset).__getitem__ is TensorDataset.__getitem__
        for start in range(0, min(stop, len(order)), self.batch_size):
            indices = order[start:start + self.batch_size]
            if whole_batches:
                yield self.dataset[indices]
            else:
                yield collate([self.dataset[int(i)] for i in indices])

    def __repr__(self):
        return (
            f"DataLoader({self.dataset!r}, batch_size={self.batch_size}, "
            f"shuffle={self.shuffle}, drop_last={self.drop_last})"
        )


def collate(samples):
    """Stack a list of samples into a batch (what DataLoader does for a general data set).

    >>> collate([(ag.tensor([1.0, 2.0]), 0), (ag.tensor([3.0, 4.0]), 1)])   # (x (2, 2), y (2,))
    """
    first = samples[0]
    if isinstance(first, (tuple, list)):
        lengths = {len(s) for s in samples}
        if len(lengths) != 1:
            raise ValueError(f"collate: samples have different numbers of parts: {sorted(lengths)}")
        return tuple(collate([s[k] for s in samples]) for k in range(len(first)))
    if isinstance(first, dict):
        return {key: collate([s[key] for s in samples]) for key in first}
    return _stack(samples)


def _stack(values):
    if isinstance(values[0], ag.Tensor):
        if any(v.requires_grad for v in values):
            return ag.stack(values)  # keeps the samples' history
        return ag.tensor(np.stack([v.data for v in values]))
    kind = type(values[0])
    if kind is bool:
        return ag.tensor(np.array(values, dtype=bool))
    if kind is int:
        return ag.tensor(np.array(values, dtype=np.int64))
    if kind is float:
        return ag.tensor(np.array(values, dtype=ag.get_default_dtype()))
    try:
        return ag.tensor(np.stack([np.asarray(v) for v in values]))
    except (TypeError, ValueError) as error:
        raise TypeError(
            f"collate: cannot stack samples of type {type(values[0]).__name__} into a batch "
            f"({error})"
        ) from None
