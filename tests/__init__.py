"""The test suite (a package, so that pytest puts the repository root, not tests/, on sys.path:
tests/autograd_core, tests/nn and tests/optim would otherwise shadow the packages they test)."""
