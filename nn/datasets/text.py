"""Two small text corpora shipped with the package: the makemore names and tiny Shakespeare.

Both are read from ``nn/datasets/data`` (see ``data/README.md`` for where they come from and
their licences), so they work offline on a fresh install.
"""

from __future__ import annotations

import gzip
from importlib import resources

__all__ = ["load_names", "load_tinyshakespeare"]

_NAMES_FILE = "names.txt"
_NAMES_COUNT = 32_033
_SHAKESPEARE_FILE = "tinyshakespeare.txt.gz"
_SHAKESPEARE_LENGTH = 1_115_394


def _data_file(name: str):
    return resources.files(__package__).joinpath("data", name)


def load_names() -> list[str]:
    """The 32,033 lower-case first names of Karpathy's makemore lectures, in file order.

    The names come from US Social Security Administration baby-name data; the list has
    duplicates (29,494 distinct names) and uses only the letters a..z.

    Example:
        >>> names = load_names()
        >>> len(names), names[:3]
        (32033, ['emma', 'olivia', 'ava'])
        >>> chars = sorted(set("".join(names)))
        >>> stoi = {c: i + 1 for i, c in enumerate(chars)}   # 0 is kept for the '.' token
    """
    ref = _data_file(_NAMES_FILE)
    names = ref.read_text(encoding="ascii").splitlines()
    if len(names) != _NAMES_COUNT:
        raise ValueError(
            f"bundled {_NAMES_FILE} is damaged: {len(names)} lines, expected {_NAMES_COUNT}"
        )
    return names


def load_tinyshakespeare() -> str:
    """Tiny Shakespeare (char-rnn / nanoGPT ``shakespeare_char``) as one string.

    1,115,394 characters drawn from 65 distinct ones: the 52 letters, space, newline, ten
    punctuation marks and the digit 3 (its only digit). nanoGPT trains on the first 90% and
    validates on the last 10%.

    Example:
        >>> text = load_tinyshakespeare()
        >>> len(text), text[:14]
        (1115394, 'First Citizen:')
        >>> split = int(0.9 * len(text))
        >>> train, val = text[:split], text[split:]
    """
    ref = _data_file(_SHAKESPEARE_FILE)
    with ref.open("rb") as fh:
        text = gzip.decompress(fh.read()).decode("ascii")
    if len(text) != _SHAKESPEARE_LENGTH:
        raise ValueError(
            f"bundled {_SHAKESPEARE_FILE} is damaged: {len(text)} characters, "
            f"expected {_SHAKESPEARE_LENGTH}"
        )
    return text
