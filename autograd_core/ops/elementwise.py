"""Elementwise primitives. Binary ones broadcast as NumPy does; the engine sums each
gradient back to its input's shape, so no backward here un-broadcasts."""

import numpy as np

from ..function import Function
from . import dual


def _check_broadcast(op, *operands):
    """On a failed forward: raise an error naming the op and the shapes if they do not broadcast."""
    shapes = [np.shape(x) for x in operands]
    try:
        np.broadcast_shapes(*shapes)
    except ValueError:
        listed = " and ".join(str(shape) for shape in shapes)
        raise ValueError(f"{op}: shapes {listed} cannot be broadcast together") from None


class _Elementwise(Function):
    __slots__ = ()
    array_backward = True


class Add(_Elementwise):
    __slots__ = ()

    @staticmethod
    def forward(ctx, x, y):
        try:
            return x + y
        except ValueError:
            _check_broadcast("add", x, y)
            raise

    @staticmethod
    def backward(ctx, gy):
        return gy, gy


class Sub(_Elementwise):
    __slots__ = ()

    @staticmethod
    def forward(ctx, x, y):
        try:
            return x - y
        except ValueError:
            _check_broadcast("sub", x, y)
            raise

    @staticmethod
    def backward(ctx, gy):
        return gy, (-gy if ctx.edges[1] is not None else None)


class Mul(_Elementwise):
    __slots__ = ()

    @staticmethod
    def forward(ctx, x, y):
        # Each input's gradient needs only the other input: save no more than that.
        edges = ctx.edges
        ctx.save_for_backward(x if edges[1] is not None else None,
                              y if edges[0] is not None else None)
        try:
            return x * y
        except ValueError:
            _check_broadcast("mul", x, y)
            raise

    @staticmethod
    def backward(ctx, gy):
        x, y = ctx.saved_tensors
        edges = ctx.edges
        gx = gy * y if edges[0] is not None else None
        return gx, (gy * x if edges[1] is not None else None)


class Div(_Elementwise):
    __slots__ = ()

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x if ctx.edges[1] is not None else None, y)
        try:
            return x / y
        except ValueError:
            _check_broadcast("div", x, y)
            raise

    @staticmethod
    def backward(ctx, gy):
        x, y = ctx.saved_tensors
        gx = gy / y if ctx.edges[0] is not None else None
        return gx, (-gy * x / (y * y) if ctx.edges[1] is not None else None)


class Neg(_Elementwise):
    __slots__ = ()

    @staticmethod
    def forward(ctx, x):
        return -x

    @staticmethod
    def backward(ctx, gy):
        return -gy


class Pow(_Elementwise):
    __slots__ = ()

    @staticmethod
    def forward(ctx, x, p):
        try:
            y = x**p
        except ValueError:
            _check_broadcast("pow", x, p)
            raise
        ctx.save_for_backward(x, p, y)
        return y

    @staticmethod
    def backward(ctx, gy):
        x, p, y = ctx.saved_tensors
        gx = gy * p * x ** (p - 1) if ctx.edges[0] is not None else None
        # d(x^p)/dp = x^p log x; NaN for x < 0, as in PyTorch.
        gp = gy * y * dual.log(x) if ctx.edges[1] is not None else None
        return gx, gp


class Exp(_Elementwise):
    __slots__ = ()

    @staticmethod
    def forward(ctx, x):
        y = np.exp(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, gy):
        (y,) = ctx.saved_tensors
        return gy * y


class Log(_Elementwise):
    __slots__ = ()

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.log(x)

    @staticmethod
    def backward(ctx, gy):
        (x,) = ctx.saved_tensors
        return gy / x


class Sqrt(_Elementwise):
    __slots__ = ()

    @staticmethod
    def forward(ctx, x):
        y = np.sqrt(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, gy):
        (y,) = ctx.saved_tensors
        return gy / (2 * y)


class Abs(_Elementwise):
    """|x| with abs'(0) = 0 (the subgradient PyTorch uses)."""

    __slots__ = ()

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(np.sign(x))
        return np.abs(x)

    @staticmethod
    def backward(ctx, gy):
        (sign,) = ctx.saved_tensors
        return gy * sign


class Sin(_Elementwise):
    __slots__ = ()

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.sin(x)

    @staticmethod
    def backward(ctx, gy):
        (x,) = ctx.saved_tensors
        return gy * dual.cos(x)


class Cos(_Elementwise):
    __slots__ = ()

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.cos(x)

    @staticmethod
    def backward(ctx, gy):
        (x,) = ctx.saved_tensors
        return -gy * dual.sin(x)


class Tanh(_Elementwise):
    __slots__ = ()

    @staticmethod
    def forward(ctx, x):
        y = np.tanh(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, gy):
        (y,) = ctx.saved_tensors
        # gy (1 - y^2) without a Python scalar: NumPy takes ~0.6 us longer for `1 - array` than
        # for an op on two small arrays, and this runs once per tanh node.
        return gy - gy * y * y


class Sigmoid(_Elementwise):
    __slots__ = ()

    @staticmethod
    def forward(ctx, x):
        y = dual.stable_sigmoid(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, gy):
        (y,) = ctx.saved_tensors
        return gy * (y - y * y)  # y (1 - y), with no Python scalar (see Tanh)


class Relu(_Elementwise):
    """max(x, 0) with relu'(0) = 0."""

    __slots__ = ()

    @staticmethod
    def forward(ctx, x):
        mask = x > 0
        ctx.save_for_backward(mask)
        return np.maximum(x, 0)

    @staticmethod
    def backward(ctx, gy):
        (mask,) = ctx.saved_tensors
        return gy * mask


class Softplus(_Elementwise):
    """log(1 + e^x), computed as logaddexp(0, x) so it neither overflows nor loses small values."""

    __slots__ = ()

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.logaddexp(0, x).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, gy):
        (x,) = ctx.saved_tensors
        return gy * dual.sigmoid(x)


class Maximum(_Elementwise):
    """Elementwise max; on ties each input gets half the gradient."""

    __slots__ = ()

    @staticmethod
    def forward(ctx, x, y):
        try:
            out = np.maximum(x, y)
        except ValueError:
            _check_broadcast("maximum", x, y)
            raise
        ctx.save_for_backward(_tie_weights(x > y, x == y, out.dtype))
        return out

    @staticmethod
    def backward(ctx, gy):
        (weight,) = ctx.saved_tensors
        return gy * weight, gy * (1 - weight)


class Minimum(_Elementwise):
    """Elementwise min; on ties each input gets half the gradient."""

    __slots__ = ()

    @staticmethod
    def forward(ctx, x, y):
        try:
            out = np.minimum(x, y)
        except ValueError:
            _check_broadcast("minimum", x, y)
            raise
        ctx.save_for_backward(_tie_weights(x < y, x == y, out.dtype))
        return out

    @staticmethod
    def backward(ctx, gy):
        (weight,) = ctx.saved_tensors
        return gy * weight, gy * (1 - weight)


def _tie_weights(wins, ties, dtype):
    weight = np.array(wins, dtype=dtype)  # an array even for 0-d operands (NumPy gives a scalar)
    weight[ties] = 0.5
    return weight


class Where(_Elementwise):
    """where(cond, a, b): the gradient goes to `a` where cond holds, to `b` elsewhere."""

    __slots__ = ()

    @staticmethod
    def forward(ctx, cond, a, b):
        cond = np.asarray(cond, dtype=bool)
        ctx.save_for_backward(cond)
        try:
            return np.where(cond, a, b)
        except ValueError:
            _check_broadcast("where", cond, a, b)
            raise

    @staticmethod
    def backward(ctx, gy):
        (cond,) = ctx.saved_tensors
        ga = gy * cond if ctx.edges[1] is not None else None
        gb = gy * ~cond if ctx.edges[2] is not None else None
        return None, ga, gb


class Clip(_Elementwise):
    """clip(x, lo, hi); the gradient passes where lo <= x <= hi."""

    __slots__ = ()

    @staticmethod
    def forward(ctx, x, lo, hi):
        inside = np.ones(x.shape, dtype=bool)
        if lo is not None:
            inside &= x >= lo
        if hi is not None:
            inside &= x <= hi
        ctx.save_for_backward(inside)
        return np.clip(x, lo, hi)

    @staticmethod
    def backward(ctx, gy):
        (inside,) = ctx.saved_tensors
        return gy * inside, None, None


class Cast(_Elementwise):
    """A change of dtype; the engine casts the gradient back to the input's dtype."""

    __slots__ = ()

    @staticmethod
    def forward(ctx, x, dtype):
        return x.astype(dtype)

    @staticmethod
    def backward(ctx, gy):
        return gy, None
