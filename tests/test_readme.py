"""The README is the front door: its example must run and its claims must hold."""

import pathlib
import re

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def test_the_readme_example_runs_and_its_comments_hold():
    code = re.search(r"```python\n(.*?)```", README, re.S).group(1)
    namespace = {}
    exec(compile(code, "README.md", "exec"), namespace)
    W, h = namespace["W"], namespace["h"]
    assert W.grad is not None and namespace["b"].grad.shape == (3,)
    np.testing.assert_allclose(h.data, 6 * W.data)


def test_every_notebook_is_linked_from_the_readme():
    for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
        assert f"(notebooks/{notebook.name})" in README, notebook.name


def test_the_two_setup_commands_exist_in_the_makefile():
    makefile = (ROOT / "Makefile").read_text()
    for target in ("demo", "test"):
        assert f"make {target}" in README
        assert re.search(rf"^{target}:", makefile, re.M)
