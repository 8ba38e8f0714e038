"""x^3 as user-defined Functions: a correct one and two deliberately wrong ones, shared by the
tests that prove the checkers catch a bad derivative."""

import autograd_core as ag


class Cube(ag.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x**3

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return 3 * x**2 * g


class WrongCube(Cube):
    """x^3 with a wrong derivative (2 x^2 instead of 3 x^2)."""

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return 2 * x**2 * g


class DetachedCube(Cube):
    """x^3 whose first derivative is right in value but built from a detached x, so the
    graph it records for double backward is wrong (second derivative 0 instead of 6x)."""

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * 3 * x.detach() ** 2
