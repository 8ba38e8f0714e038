"""The primitive operations, grouped by kind. Each is a small Function subclass."""

from . import elementwise, index, linalg, reduce, shape  # noqa: F401
