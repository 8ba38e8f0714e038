"""Indexing: reading with `t[index]` (a view for basic indexes, a copy for integer arrays and
masks, as in NumPy), its adjoint (adding into zeros at `index`), and writing `t[index] = v`."""

import numpy as np

from ..function import Function
from ..tensor_base import array_of


def is_basic(index):
    """True for ints, slices, None and Ellipsis only: NumPy then returns a view."""
    parts = index if type(index) is tuple else (index,)
    return all(
        p is None or p is Ellipsis or isinstance(p, (slice, int, np.integer)) for p in parts
    )


def _as_view_index(index):
    # x[0, 1] gives NumPy a scalar; x[0, 1, ...] the same element as a 0-d view.
    parts = index if type(index) is tuple else (index,)
    return index if any(p is Ellipsis for p in parts) else parts + (Ellipsis,)


class GetItem(Function):
    __slots__ = ("index", "in_shape")
    array_backward = True
    is_view = True  # when the index is basic: apply sees the shared memory

    @staticmethod
    def forward(ctx, x, index):
        try:
            y = x[_as_view_index(index) if is_basic(index) else index]
        except IndexError as error:
            raise IndexError(f"index {index!r} into a tensor of shape {np.shape(x)}: {error}") \
                from None
        ctx.index = index
        ctx.in_shape = np.shape(x)
        return y

    @staticmethod
    def backward(ctx, gy):
        return scatter_add(gy, ctx.index, ctx.in_shape)


def getitem(x, index):
    """`x[index]`: ints, slices, None, Ellipsis, integer arrays and bool masks.

    >>> ag.ops.index.getitem(ag.arange(5.0), slice(1, 3))   # tensor([1., 2.])
    """
    return GetItem.apply(x, index=normalize_index(index))


def normalize_index(index):
    """Tensors and lists inside an index become arrays (the index itself carries no gradient)."""
    if type(index) is tuple:
        return tuple(_index_part(p) for p in index)
    return _index_part(index)


def _index_part(part):
    part = array_of(part)
    if isinstance(part, (list, range)):
        return np.asarray(part)
    return part


class ScatterAdd(Function):
    """zeros(shape) with g added at `index`; repeated indices accumulate."""

    __slots__ = ("index",)
    array_backward = True

    @staticmethod
    def forward(ctx, g, index, shape):
        ctx.index = index
        dtype = np.result_type(g)
        if not is_basic(index) and dtype in _BINCOUNT_DTYPES:
            return _add_at(g, index, shape).astype(dtype, copy=False)
        out = np.zeros(shape, dtype=dtype)
        if is_basic(index):
            out[index] = g
        else:
            np.add.at(out, index, g)
        return out

    @staticmethod
    def backward(ctx, gy):
        return gy[ctx.index]


_BINCOUNT_DTYPES = (np.dtype(np.float16), np.dtype(np.float32), np.dtype(np.float64))


def _add_at(g, index, shape):
    """zeros(shape) with g added at `index`, repeats accumulating, in float64: np.add.at
    adds one element at a time; np.bincount over the flat positions that `index` picks is
    ~5x faster (1M elements: 36 ms vs 6 ms) and sums in float64."""
    size = int(np.prod(shape, dtype=np.int64))
    positions = np.arange(size).reshape(shape)[index]
    weights = np.broadcast_to(g, positions.shape).reshape(-1)
    return np.bincount(positions.reshape(-1), weights=weights, minlength=size).reshape(shape)


def scatter_add(g, index, shape):
    """Zeros of `shape` with `g` added at `index` (repeated indices accumulate): the adjoint
    of `x[index]`."""
    return ScatterAdd.apply(g, index=index, shape=tuple(shape))


class SetItem(Function):
    """`x[index] = v` as a new tensor: equal to x outside `index`, to v inside. Where an
    integer-array index repeats a position, NumPy keeps the last value written there, so only
    that entry of v gets the position's gradient (`written`)."""

    __slots__ = ("index",)
    array_backward = True

    @staticmethod
    def forward(ctx, x, v, index):
        out = np.array(x, copy=True)
        out[index] = v
        kept = np.ones(np.shape(x), dtype=bool)
        kept[index] = False
        ctx.save_for_backward(kept, None if is_basic(index) else _last_writes(out.shape, index))
        ctx.index = index
        return out

    @staticmethod
    def backward(ctx, gy):
        kept, written = ctx.saved_tensors
        gx = gy * kept if ctx.edges[0] is not None else None
        if ctx.edges[1] is None:
            return gx, None
        gv = gy[ctx.index]
        return gx, (gv if written is None else gv * written)


def _last_writes(shape, index):
    """Which entries of an assignment through `index` survive (the last write to each
    position, as NumPy's assignment does); None when no position repeats."""
    marks = np.full(shape, -1, dtype=np.intp)
    order = np.arange(marks[index].size).reshape(marks[index].shape)
    marks[index] = order
    survived = marks[index] == order
    return None if survived.all() else survived
