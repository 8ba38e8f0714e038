"""Shared test set-up: one seeded random stream, and a hypothesis profile for a fast suite."""

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

import autograd_core as ag

# Property tests draw shapes and seeds; a handful of examples per property already covers the
# shape matrix, and no deadline because a first call may pay for imports and caches.
settings.register_profile(
    "autograd",
    deadline=None,
    max_examples=12,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.load_profile("autograd")


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "slow: takes more than ten seconds, still part of the default run"
    )


@pytest.fixture
def rng():
    """The one seeded NumPy generator tests draw their data from."""
    return np.random.default_rng(0)


@pytest.fixture(autouse=True)
def _seed_autograd():
    """Every test starts from the same `ag.manual_seed` stream (factories, init, dropout), and
    must leave the global state as it found it: grad mode on, float64 as the default dtype."""
    ag.manual_seed(0)
    yield
    leaked = []
    if not ag.is_grad_enabled():
        ag.set_grad_enabled(True)
        leaked.append("grad mode left disabled")
    if ag.get_default_dtype() != np.float64:
        leaked.append(f"default dtype left at {ag.get_default_dtype()}")
        ag.set_default_dtype(np.float64)
    if leaked:
        pytest.fail("the test leaked global state: " + "; ".join(leaked))
