"""Upsample: a Module over nn.functional.interpolate, with PyTorch's arguments."""

from ..functional.interpolate import check_mode, check_size_or_scale, interpolate_checked
from ..module import Module


class Upsample(Module):
    """Resize the spatial dims to `size` or by `scale_factor` (exactly one), as F.interpolate.

    >>> nn.Upsample(scale_factor=2)(ag.randn(1, 3, 4, 4)).shape                 # (1, 3, 8, 8)
    >>> nn.Upsample(size=(5, 7), mode="bilinear", align_corners=True)(ag.randn(1, 3, 4, 4))

    mode is "nearest" (3-D to 5-D input), "linear" (3-D) or "bilinear" (4-D).
    """

    def __init__(self, size=None, scale_factor=None, mode="nearest", align_corners=None):
        super().__init__()
        check_mode(mode, align_corners, "Upsample")
        self.size, self.scale_factor = check_size_or_scale(size, scale_factor, "Upsample")
        self.mode, self.align_corners = mode, align_corners

    def forward(self, x):
        return interpolate_checked(x, self.size, self.scale_factor, self.mode,
                                   self.align_corners, f"Upsample({self.extra_repr()})")

    def extra_repr(self):
        text = (f"scale_factor={self.scale_factor!r}" if self.scale_factor is not None
                else f"size={self.size!r}")
        text += f", mode={self.mode!r}"
        if self.align_corners is not None:
            text += f", align_corners={self.align_corners}"
        return text
