"""Matrix products: matmul (NumPy semantics, batched and 1-D cases) and einsum."""

import string

import numpy as np

from ..function import Function
from .shape import broadcast_to


class MatMul(Function):
    """a @ b. For Y = X A with upstream G: dX = G A^T, dA = X^T G (batch axes summed back)."""

    __slots__ = ("a_shape", "b_shape")
    array_backward = True

    @staticmethod
    def forward(ctx, a, b):
        a_shape, b_shape = np.shape(a), np.shape(b)
        if not a_shape or not b_shape:
            raise ValueError(
                f"matmul: operands must have at least one dimension, got shapes "
                f"{a_shape} and {b_shape} (use * for scalars)"
            )
        inner = b_shape[-2] if len(b_shape) > 1 else b_shape[0]
        if a_shape[-1] != inner:
            raise ValueError(
                f"matmul: shapes {a_shape} and {b_shape} are not aligned: {a_shape[-1]} (last "
                f"axis of the first) != {inner} (the second's "
                f"{'second-to-last' if len(b_shape) > 1 else 'only'} axis)"
            )
        # dA needs B and dB needs A: keep only what a wanted gradient uses.
        edges = ctx.edges
        ctx.save_for_backward(a if edges[1] is not None else None,
                              b if edges[0] is not None else None)
        ctx.a_shape, ctx.b_shape = a_shape, b_shape
        try:
            return a @ b
        except ValueError:
            raise ValueError(
                f"matmul: the batch axes of shapes {a_shape} and {b_shape} cannot be broadcast "
                "together"
            ) from None

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        want_a, want_b = ctx.edges[0] is not None, ctx.edges[1] is not None
        a_shape, b_shape = ctx.a_shape, ctx.b_shape
        if len(a_shape) == 1 and len(b_shape) == 1:
            return (g * b if want_a else None), (g * a if want_b else None)
        if len(a_shape) == 1:  # (k,) @ (..., k, n) -> (..., n)
            g2 = g.reshape(g.shape[:-1] + (1, g.shape[-1]))
            ga = (g2 @ b.swapaxes(-1, -2)).reshape(g.shape[:-1] + a_shape) if want_a else None
            gb = a.reshape(a_shape + (1,)) * g2 if want_b else None
            return ga, gb
        if len(b_shape) == 1:  # (..., m, k) @ (k,) -> (..., m)
            g2 = g.reshape(g.shape + (1,))
            ga = g2 * b if want_a else None
            gb = (a.swapaxes(-1, -2) @ g2).reshape(g.shape[:-1] + b_shape) if want_b else None
            return ga, gb
        ga = g @ b.swapaxes(-1, -2) if want_a else None
        gb = a.swapaxes(-1, -2) @ g if want_b else None
        return ga, gb


def matmul(a, b):
    """Matrix product with NumPy's rules (1-D operands, batch axes broadcast).

    >>> ag.matmul(ag.ones(2, 3), ag.ones(3)).shape  # (2,)
    """
    return MatMul.apply(a, b)


class Einsum(Function):
    """einsum with explicit or implicit output; '...' is supported.

    The gradient of operand k is itself an einsum of the upstream gradient with the other
    operands, into operand k's subscripts. Letters summed only inside operand k are restored by
    multiplying with ones, and repeated letters (a diagonal, as in 'ii') by an identity matrix.
    """

    __slots__ = ("inputs_subs", "output_subs", "sizes")
    array_backward = True

    @staticmethod
    def forward(ctx, *operands, subscripts):
        inputs_subs, output_subs = _parse(subscripts, [np.ndim(x) for x in operands])
        sizes = {}
        for subs, x in zip(inputs_subs, operands):
            for letter, n in zip(subs, np.shape(x)):
                if sizes.get(letter, 1) == 1:
                    sizes[letter] = n
                elif n not in (1, sizes[letter]):
                    raise ValueError(
                        f"einsum '{subscripts}': size {n} of index '{letter}' does not match "
                        f"{sizes[letter]}; operand shapes {[np.shape(x) for x in operands]}"
                    )
        ctx.inputs_subs, ctx.output_subs, ctx.sizes = inputs_subs, output_subs, sizes
        ctx.save_for_backward(*operands)
        spec = ",".join(inputs_subs) + "->" + output_subs
        return np.einsum(spec, *operands, optimize=len(operands) > 2)

    @staticmethod
    def backward(ctx, g):
        operands = ctx.saved_tensors
        grads = []
        for k, subs in enumerate(ctx.inputs_subs):
            if ctx.edges[k] is None:
                grads.append(None)
                continue
            grads.append(_operand_grad(ctx, g, operands, k, subs))
        return tuple(grads)


def einsum(subscripts, *operands):
    """Einstein summation, differentiable in every operand.

    >>> ag.einsum("ij,jk->ik", a, b)               # a @ b
    """
    return Einsum.apply(*operands, subscripts=subscripts)


def _operand_grad(ctx, g, operands, k, subs):
    terms = [ctx.output_subs] + [s for i, s in enumerate(ctx.inputs_subs) if i != k]
    values = [g] + [x for i, x in enumerate(operands) if i != k]
    unique = "".join(dict.fromkeys(subs))
    present = set("".join(terms))
    for letter in unique:
        if letter not in present:  # summed only within operand k: its gradient is constant along it
            terms.append(letter)
            values.append(np.ones(ctx.sizes[letter], dtype=g.dtype))
    result = einsum(",".join(terms) + "->" + unique, *values)
    full = tuple(ctx.sizes[letter] for letter in unique)
    if np.shape(result) != full:  # a letter of size 1 in the others broadcast against operand k
        result = broadcast_to(result, full)
    if unique == subs:
        return result
    # Repeated letters: spread the result back onto the diagonal with identity matrices.
    free = iter(sorted(set(string.ascii_letters) - set(subs) - present))
    target, terms, values = [], [unique], [result]
    seen = set()
    for letter in subs:
        if letter in seen:
            fresh = next(free)
            terms.append(letter + fresh)
            values.append(np.eye(ctx.sizes[letter], dtype=g.dtype))
            target.append(fresh)
        else:
            seen.add(letter)
            target.append(letter)
    return einsum(",".join(terms) + "->" + "".join(target), *values)


def _parse(subscripts, ndims):
    """Explicit subscripts with '...' replaced by letters: (list of input subs, output subs)."""
    if not isinstance(subscripts, str):
        raise TypeError(f"einsum: subscripts must be a string, got {type(subscripts).__name__}")
    spec = subscripts.replace(" ", "")
    inputs, arrow, output = spec.partition("->")
    inputs = inputs.split(",")
    if len(inputs) != len(ndims):
        raise ValueError(
            f"einsum '{subscripts}': {len(inputs)} operand subscripts for {len(ndims)} operands"
        )
    used = set(spec) - set(".,->")
    spare = [c for c in string.ascii_letters if c not in used]
    ellipsis_ndim = max(
        (n - len(s.replace("...", "")) for s, n in zip(inputs, ndims) if "..." in s), default=0
    )
    broadcast = "".join(spare[:ellipsis_ndim])
    expanded = []
    for s, n in zip(inputs, ndims):
        if "..." in s:
            count = n - len(s.replace("...", ""))
            s = s.replace("...", broadcast[ellipsis_ndim - count:] if count else "")
        if len(s) != n or (s and not s.isalpha()):  # '' is the subscript of a 0-d operand
            raise ValueError(
                f"einsum '{subscripts}': subscripts '{s}' do not fit an operand with {n} dims"
            )
        expanded.append(s)
    if arrow:
        output = output.replace("...", broadcast)
        inputs_letters = set("".join(expanded))
        for letter in output:
            if letter not in inputs_letters or output.count(letter) > 1:
                raise ValueError(
                    f"einsum '{subscripts}': output index '{letter}' must appear once in the "
                    "output and at least once among the operands"
                )
    else:
        letters = "".join(expanded)
        singles = sorted(c for c in set(letters) if letters.count(c) == 1 and c not in broadcast)
        output = broadcast + "".join(singles)
    return expanded, output
